/**
 * How each transport connects the two processes after the handshake. The server
 * offers (creates shm segments, or listens for data connections) and the client
 * joins; both end with one NativeEndpoint per pair. verbs (verbs/transport.ts) also
 * needs the client's QPs on the server: the client's `reply` goes with its `attached`
 * message and the server's offer `complete`s with it.
 */
import { randomBytes } from 'node:crypto';
import { RunError } from '../errors.js';
import { loadAddon, type NativeEndpoint } from './native.js';
import type { VerbsDeviceResult, VerbsOptions } from './verbs/device-result.js';
import { verbs } from './verbs/transport.js';

export interface TransportContext {
  pairs: number;
  timeoutMs: number;
  /** The server's address on the control connection (where the client reached it). */
  localAddress: string;
  /** The server's address as the client sees it. */
  remoteAddress: string;
  /** verbs: the operation and inline size (from the handshake's options). */
  verbs?: VerbsOptions;
  /** verbs: the largest message, to size the registered buffers. */
  maxMessage?: number;
}

export interface Offer {
  /** Sent to the client in the `offer` message. */
  info: Record<string, unknown>;
  /** Resolves when every pair is attached. */
  attach(): Promise<NativeEndpoint[]>;
  /** verbs: finishes the setup with the client's reply (sent with `attached`). */
  complete?(reply: unknown): void;
}

export interface Transport {
  name: 'shm' | 'tcp' | 'verbs';
  /** Both processes must be on one host (same kernel boot id). */
  sameHostOnly: boolean;
  offer(ctx: TransportContext): Promise<Offer>;
  join(info: Record<string, unknown>, ctx: TransportContext): Promise<NativeEndpoint[]>;
  /** verbs: what the client sends back with `attached`. */
  reply?(endpoints: NativeEndpoint[], ctx: TransportContext): Record<string, unknown>;
  /** verbs: the device measured, for the result. */
  device?(endpoints: NativeEndpoint[]): VerbsDeviceResult | null;
}

/** shm ring geometry: 128 slots of 64 KiB per direction (8 MiB), see native/shm_channel.h. */
export const SHM_SLOTS = 128;
export const SHM_SLOT_BYTES = 64 * 1024;

const shm: Transport = {
  name: 'shm',
  sameHostOnly: true,
  async offer(ctx) {
    const addon = loadAddon();
    const base = `/ibvf-${process.pid}-${randomBytes(4).toString('hex')}`;
    const endpoints: NativeEndpoint[] = [];
    for (let i = 0; i < ctx.pairs; i++)
      endpoints.push(addon.shmCreate(`${base}-${i}`, SHM_SLOTS, SHM_SLOT_BYTES));
    return { info: { names: endpoints.map((_, i) => `${base}-${i}`) }, attach: async () => endpoints };
  },
  async join(info) {
    const addon = loadAddon();
    const names = info.names;
    if (!Array.isArray(names)) throw new RunError('protocol error: shm offer without segment names');
    return names.map((n) => addon.shmOpen(String(n)));
  },
};

const tcp: Transport = {
  name: 'tcp',
  sameHostOnly: false,
  async offer(ctx) {
    const addon = loadAddon();
    const listener = new addon.Listener(ctx.localAddress, 0);
    return {
      info: { port: listener.port },
      attach: async () => {
        const endpoints: NativeEndpoint[] = [];
        try {
          for (let i = 0; i < ctx.pairs; i++) endpoints.push(await listener.accept(ctx.timeoutMs));
        } finally {
          listener.close();
        }
        return endpoints;
      },
    };
  },
  async join(info, ctx) {
    const addon = loadAddon();
    const port = Number(info.port);
    if (!Number.isInteger(port) || port <= 0) throw new RunError('protocol error: tcp offer without a port');
    const endpoints: NativeEndpoint[] = [];
    for (let i = 0; i < ctx.pairs; i++)
      endpoints.push(await addon.tcpConnect(ctx.remoteAddress, port, ctx.timeoutMs));
    return endpoints;
  },
};

export const TRANSPORT_REGISTRY: Record<string, Transport> = { shm, tcp, verbs };
