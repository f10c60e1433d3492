import { RunError } from '../errors.js';
import type { Control, Message } from './control.js';
import { checkHello, type Constraints } from './handshake.js';
import { bootId, hostInfo } from './hostinfo.js';
import { checkJobSpec } from './job-spec.js';
import { loadAddon, nativeErrorCode, type NativeEndpoint } from './native.js';
import { TRANSPORT_REGISTRY } from './transports.js';
import type { VerbsOptions } from './verbs/device-result.js';
import { planNumaPin } from './verbs/numa-pin.js';
import { readNumaFacts, sysfsRoot } from './verbs/sysfs.js';

export interface ServeConfig {
  token: string;
  /** Options this server insists on (those given on its command line). */
  constraints: Constraints;
  timeoutMs: number;
  /** verbs: this server's --device and --ib-port. */
  verbsDevice?: { device?: string; port?: number };
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

/** The largest message of a client's sizes (at least 4, the stream's ack), to size buffers. */
function largest(sizes: unknown[]): number {
  const ok = sizes.filter((s): s is number => typeof s === 'number' && Number.isSafeInteger(s) && s >= 0);
  return Math.max(4, ...ok);
}

/**
 * verbs: the client's operation and inline size, on the device and port this server was
 * given (--device, --ib-port), else the client's (a spawned peer shares the client's host;
 * across hosts HCAs are usually named alike, and a name missing here is said).
 */
function serverVerbs(
  client: VerbsOptions | undefined,
  own: { device?: string; port?: number } | undefined,
): VerbsOptions | undefined {
  if (!client) return undefined;
  const device = own?.device ?? client.device;
  const port = own?.port ?? client.port;
  return {
    op: client.op,
    inline: client.inline,
    ...(client.region ? { region: client.region } : {}),
    ...(device !== undefined ? { device } : {}),
    ...(port !== undefined ? { port } : {}),
  };
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
    const offer = await transport
      .offer({
        pairs: hello.options.pairs,
        timeoutMs: cfg.timeoutMs,
        localAddress: plainAddress(control.socket.localAddress),
        remoteAddress: plainAddress(control.socket.remoteAddress),
        verbs: serverVerbs(hello.options.verbs, cfg.verbsDevice),
        maxMessage: largest(hello.options.sizes),
      })
      .catch((e: Error) => {
        // The client is told why (verbs: no device, QP refused), not left waiting.
        control.send({
          type: 'error',
          message: `the server could not set up ${transport.name}: ${e.message}`,
        });
        throw e;
      });
    control.send({ type: 'offer', info: offer.info });
    endpoints = await offer.attach();
    if (control.lost) throw control.lost;
    const attached = await control.expect('attached', cfg.timeoutMs, 'the client to attach');
    if (offer.complete) {
      try {
        offer.complete(attached.info);
      } catch (e) {
        control.send({ type: 'error', message: `the server could not connect: ${(e as Error).message}` });
        throw e;
      }
    }
    endpoints.forEach((e) => e.unlink());
    // verbs, pinned by NUMA (the default): this side's threads on its own HCA's node
    const dev = hello.options.verbs?.pin === 'numa' ? transport.device?.(endpoints) : null;
    const numa = dev
      ? planNumaPin(readNumaFacts(sysfsRoot(), dev.name), hello.options.pairs, 'server')
      : null;
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
      const job = addon.runJob(endpoints, {
        ...spec,
        active: false,
        ...(numa ? { cpus: numa.cpus.map((c) => c ?? -1) } : {}),
      });
      control.send({ type: 'started' });
      let pairs;
      try {
        pairs = await job;
      } catch (e) {
        const err =
          control.lost ??
          new RunError(`measurement failed (${nativeErrorCode(e) ?? 'error'}): ${(e as Error).message}`);
        control.send({ type: 'error', message: err.message });
        throw err;
      }
      control.send({
        type: 'done',
        ...(numa ? { numa: { ...numa, cpus: numa.cpus.map((c, i) => (pairs[i]?.pinned ? c : null)) } } : {}),
      });
    }
  } finally {
    endpoints.forEach((e) => e.close());
    control.close();
  }
}
