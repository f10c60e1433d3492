/**
 * The verbs transport: each side opens the device and creates one RC QP per pair
 * (native/verbs/channel.h), the server offers its QPs' numbers, LIDs, GIDs and buffer
 * keys, the client connects to them and replies with its own (in the `attached`
 * message), and the server connects back: perftest's exchange of pingpong_dest.
 */
import { RunError } from '../../errors.js';
import { loadAddon, type NativeEndpoint, type VerbsOpened, type VerbsPeerInfo } from '../native.js';
import type { Transport, TransportContext } from '../transports.js';
import type { VerbsDeviceResult, VerbsOptions } from './device-result.js';
import { classifyFunction } from './function-kind.js';
import { mtuMismatch } from './mtu-check.js';
import { readPciFacts, sysfsRoot } from './sysfs.js';

interface Opened {
  opened: VerbsOpened;
  pathMtu: number;
}

/** What each endpoint was opened with, for the reply and the result's device. */
const opened = new WeakMap<NativeEndpoint, Opened>();

function verbsAddon() {
  const addon = loadAddon();
  if (!addon.verbsOpen || !addon.verbsConnect || !addon.verbsDevices)
    throw new RunError(`--transport verbs: ${addon.verbsUnavailable ?? 'the addon has no verbs transport'}`);
  return { ...addon, verbsOpen: addon.verbsOpen, verbsConnect: addon.verbsConnect };
}

/**
 * Says why verbs cannot run here (no library, no device) before any peer is started;
 * the message is the devices listing's.
 */
export function checkVerbsUsable(): void {
  const addon = verbsAddon();
  const list = addon.verbsDevices?.();
  if (!list || list.devices.length === 0)
    throw new RunError(`--transport verbs: ${list?.why ?? 'no RDMA devices'} (ibvf devices lists them)`);
}

function options(ctx: TransportContext): VerbsOptions {
  return ctx.verbs ?? { op: 'send', inline: -1 };
}

function openAll(ctx: TransportContext): NativeEndpoint[] {
  const addon = verbsAddon();
  const o = options(ctx);
  const endpoints: NativeEndpoint[] = [];
  try {
    for (let i = 0; i < ctx.pairs; i++) {
      const res = addon.verbsOpen({
        op: o.op,
        inline: o.inline,
        maxMessage: ctx.maxMessage ?? 4096,
        ...(o.region ? { regions: o.region.bytes, regionStride: o.region.stride } : {}),
        ...(o.device !== undefined ? { device: o.device } : {}),
        ...(o.port !== undefined ? { port: o.port } : {}),
      });
      opened.set(res.endpoint, { opened: res, pathMtu: 0 });
      endpoints.push(res.endpoint);
    }
  } catch (e) {
    endpoints.forEach((ep) => ep.close());
    throw new RunError(`--transport verbs: ${(e as Error).message}`);
  }
  return endpoints;
}

function peers(info: unknown, pairs: number): VerbsPeerInfo[] {
  const qps = (info as { qps?: unknown } | null)?.qps;
  if (!Array.isArray(qps) || qps.length !== pairs)
    throw new RunError(
      `protocol error: the peer sent ${Array.isArray(qps) ? qps.length : 'no'} QPs for ${pairs} pairs`,
    );
  return qps as VerbsPeerInfo[];
}

function connectAll(endpoints: NativeEndpoint[], remote: VerbsPeerInfo[]): void {
  const addon = verbsAddon();
  endpoints.forEach((ep, i) => {
    try {
      const { pathMtu } = addon.verbsConnect(ep, remote[i]);
      const o = opened.get(ep);
      if (o) o.pathMtu = pathMtu;
    } catch (e) {
      throw new RunError(`--transport verbs: connecting QP ${i}: ${(e as Error).message}`);
    }
  });
}

/** What this side tells the other: its QPs, and its device and port (for the MTU check). */
const locals = (endpoints: NativeEndpoint[], ctx?: TransportContext) => ({
  qps: endpoints.map((ep) => opened.get(ep)?.opened.local),
  device: endpoints.length > 0 ? opened.get(endpoints[0])?.opened.device : undefined,
  port: ctx?.verbs?.port ?? 1,
});

/** This side's port and MTU, and the other side's from its offer or reply. */
function ports(endpoints: NativeEndpoint[], ctx: TransportContext, info: unknown) {
  const own = opened.get(endpoints[0])?.opened;
  const other = info as { qps?: { mtu?: unknown }[]; device?: unknown; port?: unknown } | null;
  return {
    own: { device: own?.device ?? '?', port: ctx.verbs?.port ?? 1, mtu: own?.local.mtu ?? 0 },
    other: {
      device: typeof other?.device === 'string' ? other.device : '?',
      port: typeof other?.port === 'number' ? other.port : 1,
      mtu: Number(other?.qps?.[0]?.mtu ?? 0),
    },
  };
}

/** --region: the region buffer's page size and whether huge pages were off for it (this side's), or null. */
export function regionPages(endpoints: NativeEndpoint[]): { pageBytes: number; smallPages: boolean } | null {
  return (endpoints.length > 0 ? opened.get(endpoints[0])?.opened.region : undefined) ?? null;
}

export const verbs: Transport = {
  name: 'verbs',
  sameHostOnly: false,
  async offer(ctx) {
    const endpoints = openAll(ctx);
    return {
      info: locals(endpoints, ctx),
      attach: async () => endpoints,
      complete: (reply) => {
        const p = ports(endpoints, ctx, reply);
        const why = mtuMismatch(p.other, p.own);
        if (why) throw new RunError(why);
        connectAll(endpoints, peers(reply, ctx.pairs));
      },
    };
  },
  async join(info, ctx) {
    const remote = peers(info, ctx.pairs);
    const endpoints = openAll(ctx);
    try {
      const p = ports(endpoints, ctx, info);
      const why = mtuMismatch(p.own, p.other);
      if (why) throw new RunError(why);
      connectAll(endpoints, remote);
    } catch (e) {
      endpoints.forEach((ep) => ep.close());
      throw e;
    }
    return endpoints;
  },
  reply: locals,
  device(endpoints, env = process.env): VerbsDeviceResult | null {
    const o = endpoints.length > 0 ? opened.get(endpoints[0]) : undefined;
    if (!o) return null;
    const fn = classifyFunction(readPciFacts(sysfsRoot(env), o.opened.device));
    return {
      name: o.opened.device,
      library: o.opened.library,
      test_double: o.opened.testDouble,
      function: fn.kind,
      function_evidence: fn.evidence,
      path_mtu: o.pathMtu,
      inline: {
        max_bytes: o.opened.inline.maxGranted,
        max_requested: o.opened.inline.maxRequested,
        probes: o.opened.inline.probes,
        used_bytes: o.opened.inline.used,
      },
    };
  },
};
