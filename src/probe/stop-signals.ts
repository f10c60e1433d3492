import type { OutputStreams } from '../io.js';

/**
 * How a probe process ends on a signal, keeping what it measured.
 *
 * The first Ctrl-C (SIGINT) asks the run to stop at its next safe point: the running
 * measurement is cancelled, and the run writes its partial file with the reason and
 * exits 3. That can take seconds (a measurement thread notices the cancel between
 * messages), so a second Ctrl-C, and SIGTERM (a batch system ending the job, with
 * SIGKILL following after its grace period), stop at once: `force` keeps the last
 * complete state synchronously (the result as written after the last finished
 * measurement, marked partial with the reason; rendezvous files removed), one line goes
 * to stderr, and the process exits 3, the code of a run that failed.
 */
export interface StopHandlers {
  /** First SIGINT: stop at the next safe point. */
  interrupt(reason: string): void;
  /** SIGTERM or a second SIGINT: synchronous last words; returns what to tell the user, if anything. */
  force(reason: string): string | undefined;
}

export const EXIT_STOPPED = 3;

/** Installs the handlers; returns the function that removes them. */
export function handleStopSignals(
  handlers: StopHandlers,
  io: OutputStreams,
  exit: (code: number) => void = (code) => process.exit(code),
): () => void {
  let interrupted = false;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (signal === 'SIGINT' && !interrupted) {
      interrupted = true;
      io.stderr('ibvf probe: stopping after SIGINT (press Ctrl-C again to stop at once)\n');
      handlers.interrupt('interrupted by SIGINT');
      return;
    }
    const reason = signal === 'SIGTERM' ? 'terminated by SIGTERM' : 'interrupted by SIGINT twice';
    let said: string | undefined;
    try {
      said = handlers.force(reason);
    } catch (e) {
      said = `the results could not be kept: ${(e as Error).message}`;
    }
    io.stderr(`ibvf: ${reason}${said ? `; ${said}` : ''}\n`);
    exit(EXIT_STOPPED);
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return () => {
    process.removeListener('SIGINT', onInt);
    process.removeListener('SIGTERM', onTerm);
  };
}
