/**
 * The measurements of one profile path gathered from every input: PRTT runs, latency and
 * bandwidth curves, probe streaming runs. Inputs that contradict each other about the path
 * (their latencies at the same sizes differ by more than a factor CONTRADICTION) are refused.
 */
import { median } from 'simple-statistics';
import { InputError } from '../errors.js';
import type { Progress } from '../profiles/types.js';
import type { PrttMeasurement } from './fit/loggp-prtt.js';
import { latencyFromProbe, latencyRunsFromProbe, type SizedMeasurement } from './fit/from-probe.js';
import { overheadsOfFile } from './fit/verbs-overheads.js';
import type { ProbeResult } from '../probe/result.js';
import type { VerbsOp } from '../probe/verbs/device-result.js';
import { checkRun, useOfRun, valueOf } from './imported-runs.js';
import type { PathInput } from './input.js';
import type { P2pOp } from '../profiles/types.js';

/** `loggp`: the probe's raw messages (no MPI library); otherwise the model's p2p operation. */
export type CurveOp = P2pOp | 'loggp';

/** One measured curve: a metric over sizes, from one run of one file. */
export interface Curve {
  file: string;
  line: number | null;
  op: CurveOp;
  progress: Progress;
  metric: 'latency' | 'bandwidth';
  points: { bytes: number; value: number; samples_us?: readonly number[] }[];
  /** Probe streaming window (bandwidth curves of the probe only). */
  window?: number;
}

export interface PathData {
  path: string;
  files: string[];
  prtt: { file: string; runs: PrttMeasurement[] }[];
  curves: Curve[];
  /** Probe streaming runs at every pair count, for the HCA's shared message rate (hca-rate.ts). */
  pairStreams: PairStream[];
  /** Verbs probe runs, for the mechanism fits across runs and paths (verbs-mechanisms.ts). */
  verbs: VerbsRun[];
  /** Probe poll sweeps (pair 0) with where the two sides ran, for the NUMA fit (node-params.ts). */
  pinnedSweeps: PinnedSweep[];
  /** Probe event-mode sweeps of every pair of a run, for the interrupt vector fit (vf-params.ts). */
  eventPairs: EventPairsSweeps[];
  /** Verbs probe files' per-call CPU timings (fit/verbs-overheads.ts): o_s and o_r measured. */
  overheads?: NonNullable<ReturnType<typeof overheadsOfFile>>[];
  /** Verbs `--region` ping-pongs (poll, pair 0), for the IOMMU fit (iommu-params.ts). */
  regionSweeps?: RegionSweep[];
}

/** One `--region` ping-pong of a verbs probe file: the registered region it cycled through and its sweep. */
export interface RegionSweep {
  file: string;
  regionBytes: number;
  strideBytes: number;
  pageBytes: number;
  points: SizedMeasurement[];
}

/** One probe file's event-mode ping-pong sweeps, one per pair that ran at once. */
export interface EventPairsSweeps {
  file: string;
  pairs: number;
  /** Distinct hosts (VMs) of the run's processes (hostsOf). */
  hosts: number;
  /** perPair[i]: pair i's sweep. */
  perPair: SizedMeasurement[][];
}

/** One probe file's poll-mode ping-pong sweep of pair 0 and its `placement.relation` (same-socket, other-socket, ...). */
export interface PinnedSweep {
  file: string;
  relation: string;
  points: SizedMeasurement[];
}

/**
 * One verbs probe file's poll-mode latency sweep (pair 0) with what it ran: the operation,
 * the inline size its QP used and the device's maximum, and the function (PF or VF).
 */
export interface VerbsRun {
  file: string;
  op: VerbsOp;
  inlineUsed: number;
  inlineMax: number;
  fn: 'pf' | 'vf' | 'unknown';
  /** Half round trips (send, write) or whole round trips (read), us. */
  points: SizedMeasurement[];
}

/**
 * A verbs run that measures a mechanism rather than the path's own latency: an RDMA read
 * (a whole round trip plus the responder's work) or a send or write with inline turned off
 * on a device that has it. Their curves stay out of the path's latency fit and serve only
 * verbs-mechanisms.ts.
 */
export function isMechanismRun(result: ProbeResult): boolean {
  if (result.transport !== 'verbs' || !result.device) return false;
  return (
    result.op === 'read' || (result.device.inline.used_bytes === 0 && result.device.inline.max_bytes > 0)
  );
}

/** One probe streaming run as the HCA rate fit reads it: its aggregate over all pairs. */
export interface PairStream {
  file: string;
  mode: Progress;
  bytes: number;
  window: number;
  pairs: number;
  /** Aggregate messages per second of all pairs together. */
  msgRate: number;
  /** Aggregate bandwidth of all pairs together, MB/s. */
  bandwidthMBps: number;
  /** The file's `placement.relation`: where the sides ran (same-socket, other-socket, unpinned, ...). */
  relation: string;
  /** Distinct hosts (VMs, in a guest) the pairs' processes ran on (hostsOf). */
  hosts: number;
}

/** The hosts of a probe run's processes: from `pair_layout` when recorded, else this side's and the peer's. */
export function hostsOf(result: ProbeResult): number {
  const names = result.pair_layout
    ? result.pair_layout.pairs.flatMap((p) => [p.sender.host, p.receiver.host])
    : [result.host.name, ...(result.peer ? [result.peer.name] : [])];
  return new Set(names).size;
}

/** Median latencies of two inputs at common sizes differing by more than this factor contradict each other. */
export const CONTRADICTION = 2;

export function gatherPaths(inputs: readonly PathInput[]): PathData[] {
  const byPath = new Map<string, PathData>();
  for (const input of inputs) {
    let data = byPath.get(input.path);
    if (!data)
      byPath.set(
        input.path,
        (data = {
          path: input.path,
          files: [],
          prtt: [],
          curves: [],
          pairStreams: [],
          verbs: [],
          pinnedSweeps: [],
          eventPairs: [],
        }),
      );
    if (!data.files.includes(input.file)) data.files.push(input.file);
    if (!(input.kind === 'probe' && isMechanismRun(input.result))) data.curves.push(...curvesOf(input));
    // Mechanism fits compare poll sweeps; a verbs file with none (event mode only) gives them nothing.
    const pollSweep =
      input.kind === 'probe' ? latencyRunsFromProbe(input.result.latency, { mode: 'poll' }) : [];
    if (
      input.kind === 'probe' &&
      input.result.transport === 'verbs' &&
      input.result.device &&
      pollSweep.length > 0
    ) {
      const device = input.result.device;
      data.verbs.push({
        file: input.file,
        op: input.result.op,
        inlineUsed: device.inline.used_bytes,
        inlineMax: device.inline.max_bytes,
        fn: device.function,
        points: pollSweep,
      });
      // A mechanism run (inline off, a read) times other calls than the path's own sends.
      const timed = isMechanismRun(input.result)
        ? null
        : overheadsOfFile(input.file, input.result.overheads ?? []);
      if (timed) (data.overheads ??= []).push(timed);
    }
    if (input.kind === 'probe') {
      const runs = input.result.prtt
        .filter((r) => r.mode === 'poll' && r.pair === 0)
        .map((r) => ({ bytes: r.bytes, n: r.n, d_us: r.d_us, us: r.median_us, samples_us: r.samples_us }));
      if (runs.length > 0) data.prtt.push({ file: input.file, runs });
      for (const r of input.result.streaming)
        data.pairStreams.push({
          file: input.file,
          mode: r.mode,
          bytes: r.bytes,
          window: r.window,
          pairs: r.pairs,
          msgRate: r.aggregate.msg_rate,
          bandwidthMBps: r.aggregate.bandwidth_MBps,
          relation: input.result.placement.relation,
          hosts: hostsOf(input.result),
        });
      const events = input.result.latency.filter((r) => r.mode === 'event');
      if (events.length > 0 && !isMechanismRun(input.result))
        data.eventPairs.push({
          file: input.file,
          pairs: input.result.options.pairs,
          hosts: hostsOf(input.result),
          perPair: [...new Set(events.map((r) => r.pair))].map((pair) =>
            latencyRunsFromProbe(events, { mode: 'event', pair }),
          ),
        });
      const region = input.result.region;
      for (const r of input.result.region_latency ?? [])
        if (region && r.mode === 'poll' && r.pair === 0)
          (data.regionSweeps ??= []).push({
            file: input.file,
            regionBytes: r.region_bytes,
            strideBytes: region.stride_bytes,
            pageBytes: region.page_bytes,
            points: latencyFromProbe(r),
          });
      // A --pairs N sweep ran beside the other pairs' traffic: not a lone pair's per-byte cost.
      if (pollSweep.length > 0 && !isMechanismRun(input.result) && input.result.options.pairs === 1)
        data.pinnedSweeps.push({
          file: input.file,
          relation: input.result.placement.relation,
          points: pollSweep,
        });
    }
  }
  for (const data of byPath.values()) checkAgreement(data);
  return [...byPath.values()];
}

/** The latency and bandwidth curves of one input. */
export function curvesOf(input: PathInput): Curve[] {
  if (input.kind === 'probe') {
    // A verbs sweep is what perftest's *_lat measures (half round trips; reads whole), so
    // it is fitted through the verbs model (src/model/p2p/verbs.ts: request costs, inline,
    // the receive's cost); raw shm and tcp messages through LogGP.
    const latencyOp: CurveOp = input.result.transport === 'verbs' ? (input.result.op ?? 'send') : 'loggp';
    // The event-mode wake-ups of N pairs queue on one interrupt vector (rule 6 of
    // src/model/virtualization.ts), so a --pairs N run's event sweep is not the path's lone
    // eventExtra: it serves the interrupt fit (vf-params.ts) only.
    const pairs = input.result.options.pairs;
    const latency: Curve[] = input.result.latency
      .filter((r) => r.pair === 0 && !(r.mode === 'event' && pairs > 1))
      .map((r) => ({
        file: input.file,
        line: null,
        op: latencyOp,
        progress: r.mode,
        metric: 'latency',
        points: r.sizes.map((p) => ({ bytes: p.bytes, value: p.median_us, samples_us: p.samples_us })),
      }));
    const streams: Curve[] = input.result.streaming
      .filter((r) => r.pairs === 1)
      .map((r) => ({
        file: input.file,
        line: null,
        op: 'loggp',
        progress: r.mode,
        metric: 'bandwidth',
        window: r.window,
        points: [{ bytes: r.bytes, value: r.aggregate.bandwidth_MBps }],
      }));
    return [...latency, ...streams];
  }
  if (input.kind === 'matrix') {
    // Each pair is a run of the path: its poll and event sweeps and its streaming runs.
    const latencyOp: CurveOp = input.transport === 'verbs' ? input.op : 'loggp';
    return input.pairs.flatMap((pair): Curve[] => [
      ...pair.latency.map((r) => ({
        file: input.file,
        line: null,
        op: latencyOp,
        progress: r.mode,
        metric: 'latency' as const,
        points: r.sizes.map((p) => ({ bytes: p.bytes, value: p.median_us })),
      })),
      ...pair.streaming.map((r) => ({
        file: input.file,
        line: null,
        op: 'loggp' as const,
        progress: r.mode,
        metric: 'bandwidth' as const,
        window: r.window,
        points: [{ bytes: r.bytes, value: r.bandwidth_MBps }],
      })),
    ]);
  }
  return input.runs.map((run) => {
    const use = useOfRun(run);
    checkRun(run, use, (bytes) => input.rowLine?.(run.line, bytes));
    if (use.metric === 'latency' && run.latency !== 'one-way') {
      throw new InputError(
        `${run.test} reports a ${run.latency} latency; calibration fits one-way latency (osu_latency, ib_send_lat, ib_write_lat, tcp_lat)`,
        run.file,
        run.line,
      );
    }
    return {
      file: run.file,
      line: run.line,
      op: use.op,
      progress: input.progress,
      metric: use.metric,
      points: run.points.map((p) => ({ bytes: p.bytes, value: valueOf(p, use.metric)! })),
    };
  });
}

/**
 * Two files' latency curves of one path, operation and mode, and two files' PRTT(1,0,s),
 * must agree within CONTRADICTION at their common sizes.
 */
function checkAgreement(data: PathData): void {
  const roundTrips: Curve[] = data.prtt.map((p) => ({
    file: p.file,
    line: null,
    op: 'loggp',
    progress: 'poll',
    metric: 'latency',
    points: p.runs.filter((r) => r.n === 1 && r.d_us === 0).map((r) => ({ bytes: r.bytes, value: r.us / 2 })),
  }));
  const latency = [...data.curves.filter((c) => c.metric === 'latency'), ...roundTrips];
  for (let i = 0; i < latency.length; i++) {
    for (let j = i + 1; j < latency.length; j++) {
      const [a, b] = [latency[i], latency[j]];
      if (a.file === b.file || a.op !== b.op || a.progress !== b.progress) continue;
      const bOf = new Map(b.points.map((p) => [p.bytes, p.value]));
      const ratios = a.points.filter((p) => bOf.has(p.bytes)).map((p) => p.value / bOf.get(p.bytes)!);
      if (ratios.length === 0) continue;
      const r = median(ratios);
      if (r > CONTRADICTION || r < 1 / CONTRADICTION) {
        throw new InputError(
          `contradicts ${b.file} about path ${data.path}: its ${a.op} latencies are ${r.toFixed(2)} times the other's (median over ${ratios.length} common sizes); ` +
            'they cannot both measure this path: give one of them another --path or a sidecar naming its path',
          a.file,
          a.line ?? undefined,
        );
      }
    }
  }
}
