import net from 'node:net';
import { RunError } from '../errors.js';
import { show } from './handshake.js';
import { encodeFrame, parseFrame } from './protocol.js';

export type Message = Record<string, unknown> & { type: string };

/**
 * One control connection: frames in, frames out, and a clear error when the peer
 * goes away, sends garbage, or is silent past a timeout. `onLost` fires once when
 * the connection ends for any reason, so running measurements can be cancelled.
 */
export class Control {
  private buffer: Buffer = Buffer.alloc(0);
  private queue: Message[] = [];
  private waiter: { resolve: (m: Message) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private lostHandlers: ((e: Error) => void)[] = [];

  constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.fail(new RunError(`control connection to the peer failed: ${e.message}`)));
    socket.on('close', () =>
      this.fail(new RunError('the peer closed the connection (did it stop or crash?)')),
    );
  }

  get remoteAddress(): string {
    return this.socket.remoteAddress ?? '?';
  }

  /** Called once when the connection is lost or broken. */
  onLost(handler: (e: Error) => void): void {
    if (this.failure) handler(this.failure);
    else this.lostHandlers.push(handler);
  }

  get lost(): Error | undefined {
    return this.failure;
  }

  send(message: Message): void {
    if (!this.failure) this.socket.write(encodeFrame(message));
  }

  /** The next message; rejects if the connection is lost or nothing comes within timeoutMs (0: wait forever). */
  next(timeoutMs: number, waitingFor: string): Promise<Message> {
    const ready = this.queue.shift();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              this.waiter = undefined;
              reject(
                new RunError(
                  `timed out after ${timeoutMs / 1000} s waiting for ${waitingFor} (raise --timeout?)`,
                ),
              );
            }, timeoutMs)
          : undefined;
      this.waiter = {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  /** Waits for a message of `type`; a peer's `error` message becomes a RunError carrying its text. */
  async expect(type: string, timeoutMs: number, waitingFor: string): Promise<Message> {
    const m = await this.next(timeoutMs, waitingFor);
    if (m.type === type) return m;
    if (m.type === 'error' || m.type === 'reject') throw new RunError(`the peer reports: ${show(m.message)}`);
    throw new RunError(`protocol error: expected ${type} from the peer, got ${m.type}`);
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const f = parseFrame(this.buffer);
      if (f.status === 'incomplete') return;
      if (f.status === 'bad') {
        this.fail(new RunError(`bad data from ${this.remoteAddress}: ${f.reason}`));
        this.socket.destroy();
        return;
      }
      this.buffer = this.buffer.subarray(f.size);
      const m = f.message as Message;
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        w.resolve(m);
      } else {
        this.queue.push(m);
      }
    }
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(e);
    for (const h of this.lostHandlers) h(e);
    this.lostHandlers = [];
  }
}

/** Connects to host:port, retrying refused connections until timeoutMs (the peer may be starting). */
export async function connectControl(host: string, port: number, timeoutMs: number): Promise<Control> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const socket = await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect({ host, port });
        const t = setTimeout(
          () => s.destroy(new Error('connect timed out')),
          Math.max(100, deadline - Date.now()),
        );
        s.once('connect', () => {
          clearTimeout(t);
          s.removeAllListeners('error');
          resolve(s);
        });
        s.once('error', (e) => {
          clearTimeout(t);
          reject(e);
        });
      });
      return new Control(socket);
    } catch (e) {
      last = (e as Error).message;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new RunError(
    `cannot reach the peer at ${host}:${port} within ${timeoutMs / 1000} s (${last || 'timeout'})`,
  );
}
