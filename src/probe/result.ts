/**
 * The probe result contract `ibvf.probe/1` (docs/design.md, "Data contracts"): the schema
 * is the type. Times are microseconds, sizes bytes, bandwidth MB/s = 10^6 B/s (as OSU
 * prints). Latency is one-way, half the round trip, as perftest (ib_send_lat), qperf
 * (tcp_lat) and sockperf (ping-pong) report it; PRTT values are whole round trips.
 */
import { Type, type Static } from '@sinclair/typebox';
import { NumaPinResult, VERBS_OPS, VerbsDeviceResult } from './verbs/device-result.js';

export const PROBE_SCHEMA_ID = 'ibvf.probe/1';

export const TRANSPORTS = ['shm', 'tcp', 'verbs'] as const;
export const SUITES = ['quick', 'full', 'loggp'] as const;
export const MODES = ['poll', 'event'] as const;

const Num = Type.Number();
const Mode = Type.Union(MODES.map((m) => Type.Literal(m)));

/** Summary statistics of a sample, in microseconds. */
export const SampleStats = Type.Object({
  min_us: Num,
  median_us: Num,
  mean_us: Num,
  p99_us: Num,
  p99_9_us: Num,
  max_us: Num,
  stdev_us: Num,
});
export type SampleStats = Static<typeof SampleStats>;

/** One message size of a ping-pong sweep: one-way latency (half round trip). */
export const LatencyPoint = Type.Intersect([
  Type.Object({ bytes: Type.Integer({ minimum: 0 }), iterations: Type.Integer({ minimum: 1 }) }),
  SampleStats,
  Type.Object({ samples_us: Type.Array(Num, { description: 'every half round trip, in run order' }) }),
]);
export type LatencyPoint = Static<typeof LatencyPoint>;

export const LatencyRun = Type.Object({
  mode: Mode,
  /** Which pair (0-based) of a --pairs run measured it. */
  pair: Type.Integer({ minimum: 0 }),
  /** The CPU the measuring thread was pinned to, or null. */
  cpu: Type.Union([Type.Integer(), Type.Null()]),
  sizes: Type.Array(LatencyPoint),
});
export type LatencyRun = Static<typeof LatencyRun>;

/** Streaming as osu_bw/osu_mbw_mr: window messages in flight, then an ack. */
export const StreamPair = Type.Object({
  pair: Type.Integer({ minimum: 0 }),
  messages: Type.Integer({ minimum: 1 }),
  seconds: Num,
  msg_rate: Type.Number({ description: 'messages per second' }),
  bandwidth_MBps: Type.Number({ description: '10^6 bytes per second' }),
  cpu_us_per_post: Type.Number({ description: "sender thread's CPU time per message sent" }),
  /** The gap between back-to-back messages, seconds / messages (LogGP's g at this size); absent in older files. */
  gap_us: Type.Optional(Type.Number()),
});
export type StreamPair = Static<typeof StreamPair>;

export const StreamRun = Type.Object({
  mode: Mode,
  bytes: Type.Integer({ minimum: 0 }),
  window: Type.Integer({ minimum: 1 }),
  pairs: Type.Integer({ minimum: 1 }),
  per_pair: Type.Array(StreamPair),
  aggregate: Type.Object({ msg_rate: Num, bandwidth_MBps: Num }),
});
export type StreamRun = Static<typeof StreamRun>;

/** PRTT(n, d, s) of Hoefler, Lichei and Rehm (Netgauge's LogGP method): whole round trips. */
export const PrttRun = Type.Intersect([
  Type.Object({
    mode: Mode,
    pair: Type.Integer({ minimum: 0 }),
    bytes: Type.Integer({ minimum: 0 }),
    n: Type.Integer({ minimum: 1 }),
    d_us: Type.Number({ minimum: 0 }),
    iterations: Type.Integer({ minimum: 1 }),
  }),
  SampleStats,
  Type.Object({ samples_us: Type.Array(Num) }),
]);
export type PrttRun = Static<typeof PrttRun>;

/** Per-message CPU cost of one verbs call, in microseconds: count and summary. */
export const CallCost = Type.Intersect([Type.Object({ count: Type.Integer({ minimum: 1 }) }), SampleStats]);
export type CallCost = Static<typeof CallCost>;

/**
 * verbs: CPU time inside the verbs calls, per message, timed around each call with the
 * probe's timer (native/verbs/channel.cc), in a step of its own so the timer reads never
 * lengthen a latency or message-rate step. `o_send` is ibv_post_send (LogGP's o_s);
 * `o_recv` the ibv_poll_cq call that returned the receive plus the ibv_post_recv that
 * replaces it (o_r; send only, ping-pong only: an RDMA write or read raises no receive
 * completion). Each figure includes one timer read.
 */
export const OverheadRun = Type.Object({
  mode: Mode,
  pair: Type.Integer({ minimum: 0 }),
  bytes: Type.Integer({ minimum: 0 }),
  /** ping-pong: one message in flight; stream: up to `window` in flight (perftest's ib_*_bw). */
  during: Type.Union([Type.Literal('pingpong'), Type.Literal('stream')]),
  window: Type.Integer({ minimum: 1 }),
  o_send: CallCost,
  o_recv: Type.Union([CallCost, Type.Null()]),
});
export type OverheadRun = Static<typeof OverheadRun>;

export const HostInfo = Type.Object({
  name: Type.String(),
  kernel: Type.String(),
  cpu: Type.String(),
  cpus: Type.Integer({ minimum: 1 }),
  is_vm: Type.Boolean(),
  /** How is_vm was decided: "cpuid hypervisor bit (KVMKVMKVM)", "/sys/class/dmi/id/sys_vendor: QEMU", ... */
  vm_evidence: Type.String(),
});
export type HostInfo = Static<typeof HostInfo>;

/** One process of a pair: its launcher rank (null without a launcher), host name and pid. */
export const PairSide = Type.Object({
  rank: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  host: Type.String(),
  pid: Type.Integer(),
});
export type PairSide = Static<typeof PairSide>;

/**
 * How the pairs were formed. `threads`: every pair is a thread in the same two processes
 * (--pairs N with one peer). `processes`: under a launcher with 2N ranks, rank i (the
 * sender: it times, and sends the window when streaming) pairs with rank i + N, as
 * osu_mbw_mr; all pairs start each measurement together and rank 0 writes the file.
 */
export const PairLayout = Type.Object({
  by: Type.Union([Type.Literal('threads'), Type.Literal('processes')]),
  /** The launcher whose ranks these are (mpich, openmpi, pmix, slurm), or null. */
  launcher: Type.Union([Type.String(), Type.Null()]),
  pairs: Type.Array(
    Type.Object({ pair: Type.Integer({ minimum: 0 }), sender: PairSide, receiver: PairSide }),
  ),
});
export type PairLayout = Static<typeof PairLayout>;

/** A sign that the measurement was disturbed (src/probe/disturbance.ts). */
export const Warning = Type.Object({
  kind: Type.Union([Type.Literal('poll-slower-than-event'), Type.Literal('spread'), Type.Literal('load')]),
  message: Type.String(),
});
export type Warning = Static<typeof Warning>;

/**
 * verbs --region (src/probe/verbs/region.ts): the registered regions the region ping-pongs
 * cycled through, the stride between consecutive messages' buffers and the page size of
 * the region buffer, as this side saw it.
 */
export const RegionSetup = Type.Object({
  bytes: Type.Array(Type.Integer({ minimum: 1 })),
  stride_bytes: Type.Integer({ minimum: 1 }),
  page_bytes: Type.Integer({ minimum: 1 }),
  /** Whether transparent huge pages were turned off for the buffer (madvise MADV_NOHUGEPAGE succeeded). */
  small_pages: Type.Boolean(),
  /** The message sizes: the smallest of --sizes, or all of them up to the stride. */
  messages: Type.Union([Type.Literal('smallest'), Type.Literal('all')]),
});
export type RegionSetup = Static<typeof RegionSetup>;

/** A ping-pong sweep whose messages cycled through one registered region of `region_bytes`. */
export const RegionLatencyRun = Type.Intersect([
  LatencyRun,
  Type.Object({ region_bytes: Type.Integer({ minimum: 1 }) }),
]);
export type RegionLatencyRun = Static<typeof RegionLatencyRun>;

/**
 * The fields every ibvf result file starts with (probe/1, probe-matrix/1, probe-compute/1,
 * probe-noise/1): `partial` is true until the run finished (a file left by Ctrl-C, a lost
 * peer or rank says so), `stopped` says why, `time` is the start (ISO 8601).
 */
export const RunFileHeader = {
  partial: Type.Boolean(),
  stopped: Type.Optional(Type.String()),
  tool: Type.Object({ name: Type.Literal('ibvf'), version: Type.String() }),
  time: Type.String({ description: 'start, ISO 8601' }),
  finished: Type.Optional(Type.String()),
};

/** The clock a probe timed with (native/timer.cc). */
export const TimerInfo = Type.Object({
  source: Type.Union([Type.Literal('tsc'), Type.Literal('clock_gettime')]),
  reference: Type.String(),
  ticks_per_ns: Num,
});

export const ProbeResult = Type.Object({
  schema: Type.Literal(PROBE_SCHEMA_ID),
  ...RunFileHeader,
  host: HostInfo,
  peer: Type.Union([HostInfo, Type.Null()]),
  transport: Type.Union(TRANSPORTS.map((t) => Type.Literal(t))),
  /** verbs only: the device, its inline maximum, and whether it was the test double; null for shm and tcp. */
  device: Type.Union([Type.Null(), VerbsDeviceResult]),
  /** shm and tcp: send; verbs: --op send, write or read. */
  op: Type.Union(VERBS_OPS.map((o) => Type.Literal(o))),
  /** A sample is half the round trip (as perftest's send and write latency), or for an RDMA read the whole round trip (as ib_read_lat). */
  latency_kind: Type.Union([Type.Literal('half round trip'), Type.Literal('round trip')]),
  options: Type.Object({
    suite: Type.Union(SUITES.map((s) => Type.Literal(s))),
    pairs: Type.Integer({ minimum: 1 }),
    progress: Type.Array(Mode),
    sizes: Type.Array(Type.Integer({ minimum: 0 })),
    iterations: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    timeout_s: Num,
    /** How the two processes met: "spawned", "peer HOST:PORT", "launcher mpich rank 1 of 2". */
    pairing: Type.String(),
  }),
  /** Which processes (ranks, hosts) formed each pair; absent in files from before it was recorded. */
  pair_layout: Type.Optional(PairLayout),
  /** Where the two sides ran, from sysfs (shm: same-cpu, same-core, same-socket, other-socket). */
  placement: Type.Object({
    relation: Type.String(),
    cpus: Type.Array(Type.Union([Type.Integer(), Type.Null()])),
    /** --pairs N with --pin: each pair's CPUs, this side's and the peer's (cpus is pair 0's). */
    pair_cpus: Type.Optional(Type.Array(Type.Array(Type.Union([Type.Integer(), Type.Null()])))),
    /** verbs, relation "numa": where each side pinned by its HCA's NUMA node (the peer's once it has answered a job). */
    numa: Type.Optional(
      Type.Object({ this_side: NumaPinResult, peer: Type.Union([NumaPinResult, Type.Null()]) }),
    ),
  }),
  timer: TimerInfo,
  latency: Type.Array(LatencyRun),
  streaming: Type.Array(StreamRun),
  prtt: Type.Array(PrttRun),
  /** verbs: per-message CPU cost of the post and receive calls; absent for shm and tcp and in older files. */
  overheads: Type.Optional(Type.Array(OverheadRun)),
  /** verbs --region: the regions and their ping-pongs; absent without --region and in older files. */
  region: Type.Optional(RegionSetup),
  region_latency: Type.Optional(Type.Array(RegionLatencyRun)),
  /** Signs that the measurement was disturbed (a busy host); absent in files from before they were checked. */
  warnings: Type.Optional(Type.Array(Warning)),
});
export type ProbeResult = Static<typeof ProbeResult>;
