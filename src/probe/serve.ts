import net from 'node:net';
import { RunError } from '../errors.js';
import type { OutputStreams } from '../io.js';
import { Control } from './control.js';
import { loadAddon } from './native.js';
import {
  awaitHello,
  DEFAULT_HANDSHAKE_MS,
  HandshakeRejected,
  serveSession,
  type ServeConfig,
} from './serve-session.js';
import { handleStopSignals } from './stop-signals.js';

export interface ServeOptions extends ServeConfig {
  host: string;
  port: number;
  /** Exit after one run (spawned peers and launcher ranks); wait at most timeoutMs for it. */
  once: boolean;
  /** Called with the bound port once listening (rendezvous files, spawned peers). */
  onListening?: (port: number) => void;
  /** Stops serving with its error if it rejects before the run is over (a launcher's rank 0 gone). */
  watch?: Promise<unknown>;
  /** How long a connection may stay silent before its hello (default DEFAULT_HANDSHAKE_MS). */
  handshakeMs?: number;
  /** Synchronous clean-up when SIGTERM or a second SIGINT ends the process at once (rendezvous files). */
  onForcedStop?: () => void;
}

/**
 * `ibvf probe serve`: waits for clients (one run at a time, as perftest's server),
 * answers their jobs. A connection that fails the handshake is turned away and
 * the server keeps listening; with `once` it stops after the first real run. A
 * connection counts as a run only once its hello has come (within the handshake
 * deadline), so a silent stranger is dropped and never keeps real clients out.
 */
export async function serveProbe(opts: ServeOptions, io: OutputStreams): Promise<void> {
  // Each client's jobs run in the addon: say it is missing before listening, not to each client.
  loadAddon();
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'EADDRINUSE'
          ? new RunError(
              `port ${opts.port} on ${opts.host} is in use (another ibvf probe serve?); choose another with --port`,
            )
          : new RunError(`cannot listen on ${opts.host}:${opts.port}: ${e.message}`),
      );
    });
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  io.stderr(`ibvf probe serve: listening on ${opts.host}:${port}\n`);
  opts.onListening?.(port);
  let busy = false;
  let removeSignals = () => {};
  try {
    await new Promise<void>((resolve, reject) => {
      // With `once`, --timeout bounds the wait for the peer, not the run: the clock stops
      // when a real client's hello comes (a long suite outlasts it; each step has its own
      // deadline) and starts again if that client is turned away.
      const arm = () =>
        opts.once
          ? setTimeout(
              () =>
                reject(
                  new RunError(`no peer connected within ${opts.timeoutMs / 1000} s (raise --timeout?)`),
                ),
              opts.timeoutMs,
            )
          : undefined;
      let timer = arm();
      removeSignals = handleStopSignals(
        {
          interrupt: (reason) => reject(new RunError(reason)),
          force: () => {
            opts.onForcedStop?.();
            return undefined;
          },
        },
        io,
      );
      opts.watch?.then(undefined, (e: Error) => {
        clearTimeout(timer);
        removeSignals();
        reject(e instanceof RunError ? e : new RunError(e.message));
      });
      server.on('connection', async (socket) => {
        const control = new Control(socket);
        let first;
        try {
          first = await awaitHello(control, opts.handshakeMs ?? DEFAULT_HANDSHAKE_MS);
        } catch (e) {
          io.stderr(`ibvf probe serve: ${(e as Error).message}\n`);
          control.close();
          return;
        }
        if (busy) {
          control.send({
            type: 'reject',
            message: 'the server is busy with another run; retry when it is done',
          });
          socket.end();
          return;
        }
        busy = true;
        clearTimeout(timer);
        serveSession(control, opts, first).then(
          () => {
            busy = false;
            io.stderr(`ibvf probe serve: run from ${control.remoteAddress} finished\n`);
            if (opts.once) {
              clearTimeout(timer);
              removeSignals();
              resolve();
            }
          },
          (e: Error) => {
            busy = false;
            io.stderr(`ibvf probe serve: ${e.message}\n`);
            if (opts.once && !(e instanceof HandshakeRejected)) {
              removeSignals();
              reject(e instanceof RunError ? e : new RunError(e.message));
            } else if (opts.once) {
              timer = arm();
            }
          },
        );
      });
    });
  } finally {
    removeSignals();
    server.close();
  }
}
