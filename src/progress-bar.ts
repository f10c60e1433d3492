/**
 * The one progress bar of every long command (probe runs, calibrate, graph500, predict,
 * whatif, sim): cli-progress's SingleBar, drawn on stderr through `OutputStreams` and only
 * when stderr is a terminal, so piped or redirected output never holds control codes.
 * It lives below the CLI because the probe draws it too (the probe never imports the CLI).
 */
import { SingleBar } from 'cli-progress';
import type { OutputStreams } from './io.js';

export interface ProgressBar {
  /** Moves the bar to `done` of its total, with `step` (what is running) beside it. */
  update(done: number, step?: string): void;
  /** Draws the bar as it ends and moves to the next line; always call it (it stops a timer). */
  stop(): void;
}

export interface ProgressBarOptions {
  /**
   * Draw nothing when the run's total work is below this: a bar that flashes for a
   * fraction of a second tells the user nothing. The unit is the caller's `total`.
   */
  minTotal?: number;
}

/**
 * Starts a bar of `total` units labelled `label`, or returns undefined when stderr is
 * not a terminal or the run is short (`minTotal`).
 */
export function startProgressBar(
  io: OutputStreams,
  label: string,
  total: number,
  options: ProgressBarOptions = {},
): ProgressBar | undefined {
  if (!io.stderrIsTTY || !(total > 0) || total < (options.minTotal ?? 0)) return undefined;
  // cli-progress writes to a stream; this one forwards to io.stderr, so tests that capture
  // output (memoryIo) see the bar as a terminal would.
  const stream = {
    isTTY: true,
    columns: process.stderr.columns ?? 80,
    write(text: string): boolean {
      io.stderr(text);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  const bar = new SingleBar({
    format: `${label} {bar} {percentage}% | {step}`,
    stream,
    hideCursor: true,
    barsize: 20,
  });
  bar.start(total, 0, { step: '' });
  return {
    update: (done, step = '') => bar.update(Math.min(done, total), { step }),
    stop: () => bar.stop(),
  };
}

/**
 * A bar for work that tells its total only as it reports (`(done, total)` callbacks, as
 * the Graph500 profiler and predictor give): the bar starts at the first report and
 * stops when `done` reaches `total`. `stop` ends it early (an error, a stop).
 */
export function progressReporter(
  io: OutputStreams,
  label: string,
  options: ProgressBarOptions = {},
): { report: (done: number, total: number, step?: string) => void; stop: () => void } {
  let bar: ProgressBar | undefined;
  let started = false;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    report(done, total, step) {
      if (!started) {
        started = true;
        bar = startProgressBar(io, label, total, options);
      }
      bar?.update(done, step);
      if (done >= total) stop();
    },
    stop,
  };
}
