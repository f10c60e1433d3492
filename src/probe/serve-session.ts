import { RunError } from '../errors.js';
import type { Control, Message } from './control.js';
import { checkHello, type AgreedOptions } from './handshake.js';
import { bootId, hostInfo } from './hostinfo.js';
import { checkJobSpec } from './job-spec.js';
import { loadAddon, nativeErrorCode, type NativeEndpoint } from './native.js';
import { TRANSPORT_REGISTRY } from './transports.js';

export interface ServeConfig {
  token: string;
  /** Options this server insists on (those given on its command line). */
  constraints: Partial<AgreedOptions>;
  timeoutMs: number;
}

/** How long a new connection may stay silent before its hello: a client sends it at once. */
export const DEFAULT_HANDSHAKE_MS = 5000;

/**
 * A connection's first message (the client's hello), within `deadlineMs`. A connection
 * that sends nothing (a port scanner, `exec 3<>/dev/tcp/HOST/PORT`) fails here and is
 * dropped; until it has spoken it holds nothing, so real clients are served meanwhile.
 */
export async function awaitHello(control: Control, deadlineMs: number): Promise<Message> {
  return control.next(deadlineMs, 'the client hello').catch((e: Error) => {
    throw new HandshakeRejected(
      /^timed out/.test(e.message)
        ? `dropped an idle connection from ${control.remoteAddress}: no hello within ${deadlineMs / 1000} s`
        : `dropped a connection from ${control.remoteAddress}: ${e.message}`,
    );
  });
}

/** An IPv4 address Node reports as IPv6-mapped (`::ffff:10.0.0.1`) in its plain form. */
export function plainAddress(a: string | undefined): string {
  return (a ?? '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}

/** Thrown when a connection is turned away at the handshake (the server keeps listening). */
export class HandshakeRejected extends RunError {}

/**
 * The server's side of one run, driven by the client: handshake (from its hello), transport setup,
 * then each job the client sends is answered (the passive side) until `bye`.
 */
export async function serveSession(control: Control, cfg: ServeConfig, first: Message): Promise<void> {
  const addon = loadAddon();
  const verdict = checkHello(first, cfg.token, cfg.constraints);
  const reject = (reason: string): never => {
    control.send({ type: 'reject', message: reason });
    control.socket.end();
    throw new HandshakeRejected(`turned away ${control.remoteAddress}: ${reason}`);
  };
  if ('reason' in verdict) return reject(verdict.reason);
  const hello = verdict.hello;
  const transport = TRANSPORT_REGISTRY[hello.options.transport];
  if (!transport) return reject(`transport ${hello.options.transport} is not available on the server`);
  if (transport.sameHostOnly && hello.bootId !== bootId()) {
    return reject(
      `--transport ${transport.name} needs both processes on one host; the client runs on ${hello.host.name}`,
    );
  }
  control.send({ type: 'welcome', host: hostInfo(addon.cpuInfo()), bootId: bootId(), pid: process.pid });
  let endpoints: NativeEndpoint[] = [];
  control.onLost(() => endpoints.forEach((e) => e.cancel()));
  try {
    const offer = await transport.offer({
      pairs: hello.options.pairs,
      timeoutMs: cfg.timeoutMs,
      localAddress: plainAddress(control.socket.localAddress),
      remoteAddress: plainAddress(control.socket.remoteAddress),
    });
    control.send({ type: 'offer', info: offer.info });
    endpoints = await offer.attach();
    if (control.lost) throw control.lost;
    await control.expect('attached', cfg.timeoutMs, 'the client to attach');
    endpoints.forEach((e) => e.unlink());
    for (;;) {
      const m = await control.next(0, 'the next job');
      if (m.type === 'bye') return;
      if (m.type !== 'job' || typeof m.spec !== 'object' || m.spec === null) {
        throw new RunError(`protocol error: expected a job from the client, got ${m.type}`);
      }
      let spec;
      try {
        // the client's spec is untrusted input: checked in full before it reaches the addon
        spec = checkJobSpec(m.spec);
      } catch (e) {
        const err = new RunError(`the client sent a job this server refuses: ${(e as Error).message}`);
        control.send({ type: 'error', message: err.message });
        throw err;
      }
      const job = addon.runJob(endpoints, { ...spec, active: false });
      control.send({ type: 'started' });
      try {
        await job;
      } catch (e) {
        const err =
          control.lost ??
          new RunError(`measurement failed (${nativeErrorCode(e) ?? 'error'}): ${(e as Error).message}`);
        control.send({ type: 'error', message: err.message });
        throw err;
      }
      control.send({ type: 'done' });
    }
  } finally {
    endpoints.forEach((e) => e.close());
    control.close();
  }
}
