/**
 * The rank-pair matrix contract `ibvf.probe-matrix/1` (docs/design.md, "Data contracts"):
 * what `ibvf probe run --matrix` writes under a launcher. Every rank pair (or a seeded
 * sample of them) is measured in turn with the ordinary two-process session; the file
 * keeps each pair's latency and streaming summaries (no raw samples: N ranks have
 * N(N-1)/2 pairs), the ranks' hosts and functions, the latency and bandwidth matrices and
 * the outlying pairs. Units as `ibvf.probe/1`: microseconds (one-way, half the round
 * trip), bytes, MB/s = 10^6 B/s.
 */
import { Type, type Static } from '@sinclair/typebox';
import { HostInfo, RunFileHeader, SampleStats, TRANSPORTS, SUITES, MODES } from './result.js';
import { VERBS_OPS } from './verbs/device-result.js';

export const MATRIX_SCHEMA_ID = 'ibvf.probe-matrix/1';

const Num = Type.Number();
const Mode = Type.Union(MODES.map((m) => Type.Literal(m)));
const Cell = Type.Union([Num, Type.Null()]);

/** What a rank's messages pass through: its RDMA function (verbs) or none (shm, tcp). */
export const FUNCTIONS = ['pf', 'vf', 'unknown', 'none'] as const;
export type RankFunction = (typeof FUNCTIONS)[number];

export const MatrixRank = Type.Object({
  rank: Type.Integer({ minimum: 0 }),
  host: HostInfo,
  pid: Type.Integer(),
  function: Type.Union(FUNCTIONS.map((f) => Type.Literal(f))),
  /** How the function was decided (verbs: `ibvf devices`' sysfs evidence; else the transport). */
  function_evidence: Type.String(),
  /** verbs: the device measured, and whether it is the ibvf test double (never a measurement). */
  device: Type.Union([Type.String(), Type.Null()]),
  test_double: Type.Boolean(),
});
export type MatrixRank = Static<typeof MatrixRank>;

/**
 * A pair's path class, from the ranks' host names: `same-host` (shared memory, TCP over
 * the kernel's loopback, or verbs loopback within one function) or `cross-host` (through
 * the fabric). Outliers are judged within a class.
 */
export const PATH_CLASSES = ['same-host', 'cross-host'] as const;
export type PathClass = (typeof PATH_CLASSES)[number];

export const MatrixLatency = Type.Object({
  mode: Mode,
  sizes: Type.Array(
    Type.Intersect([
      Type.Object({ bytes: Type.Integer({ minimum: 0 }), iterations: Type.Integer({ minimum: 1 }) }),
      SampleStats,
    ]),
  ),
});
export type MatrixLatency = Static<typeof MatrixLatency>;

export const MatrixStream = Type.Object({
  mode: Mode,
  bytes: Type.Integer({ minimum: 0 }),
  window: Type.Integer({ minimum: 1 }),
  msg_rate: Num,
  bandwidth_MBps: Num,
});
export type MatrixStream = Static<typeof MatrixStream>;

/** One measured pair: rank a (the timing side) against rank b (a < b). */
export const MatrixPair = Type.Object({
  a: Type.Integer({ minimum: 0 }),
  b: Type.Integer({ minimum: 0 }),
  class: Type.Union(PATH_CLASSES.map((c) => Type.Literal(c))),
  /** The matrix cell: median one-way latency at `latency_at` (null when not measured). */
  latency_us: Cell,
  /** The matrix cell: streaming bandwidth at `bandwidth_at` (null when not measured). */
  bandwidth_MBps: Cell,
  latency: Type.Array(MatrixLatency),
  streaming: Type.Array(MatrixStream),
});
export type MatrixPair = Static<typeof MatrixPair>;

export const MatrixOutlier = Type.Object({
  a: Type.Integer({ minimum: 0 }),
  b: Type.Integer({ minimum: 0 }),
  class: Type.Union(PATH_CLASSES.map((c) => Type.Literal(c))),
  metric: Type.Union([Type.Literal('latency'), Type.Literal('bandwidth')]),
  value: Num,
  /** The median of the metric over the pairs of the class. */
  median: Num,
  /** The robust z-score 0.6745 (value - median) / MAD (Iglewicz and Hoaglin). */
  z: Num,
  message: Type.String(),
});
export type MatrixOutlier = Static<typeof MatrixOutlier>;

export const ProbeMatrix = Type.Object({
  schema: Type.Literal(MATRIX_SCHEMA_ID),
  /** `partial`: true until every planned pair is measured. */
  ...RunFileHeader,
  launcher: Type.String(),
  transport: Type.Union(TRANSPORTS.map((t) => Type.Literal(t))),
  op: Type.Union(VERBS_OPS.map((o) => Type.Literal(o))),
  options: Type.Object({
    suite: Type.Union(SUITES.map((s) => Type.Literal(s))),
    progress: Type.Array(Mode),
    sizes: Type.Array(Type.Integer({ minimum: 0 })),
    iterations: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    timeout_s: Num,
  }),
  /** --sample K --seed S: the pairs measured are K of all, drawn with this seed; null: every pair. */
  sample: Type.Union([
    Type.Null(),
    Type.Object({
      pairs: Type.Integer({ minimum: 1 }),
      of: Type.Integer({ minimum: 1 }),
      seed: Type.Integer(),
    }),
  ]),
  ranks: Type.Array(MatrixRank),
  /** The pairs planned, in measuring order ([a, b], a < b). */
  planned: Type.Array(Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })])),
  pairs: Type.Array(MatrixPair),
  /** What a matrix cell holds. */
  latency_at: Type.Object({ bytes: Type.Integer({ minimum: 0 }), mode: Mode }),
  bandwidth_at: Type.Union([
    Type.Null(),
    Type.Object({ bytes: Type.Integer({ minimum: 0 }), window: Type.Integer({ minimum: 1 }), mode: Mode }),
  ]),
  /** N x N, symmetric, null on the diagonal and where a pair was not measured. */
  latency_us: Type.Array(Type.Array(Cell)),
  bandwidth_MBps: Type.Array(Type.Array(Cell)),
  /** The rule outliers were flagged by, in words (matrix-outliers.ts). */
  outlier_rule: Type.String(),
  outliers: Type.Array(MatrixOutlier),
});
export type ProbeMatrix = Static<typeof ProbeMatrix>;
