/**
 * The compute probe's result contract `ibvf.probe-compute/1` (`ibvf probe compute`,
 * docs/design.md "Data contracts"): the schema is the type. One host, no peer: the time of
 * a memcpy (the MPI eager copy) and of an MPI_SUM over doubles (the reduction) per size,
 * warm and cold (native/compute.h says what each is and how it is timed). Times are
 * microseconds per operation, sizes bytes.
 */
import { Type, type Static } from '@sinclair/typebox';
import { HostInfo, RunFileHeader, SampleStats, TimerInfo } from './result.js';

export const COMPUTE_SCHEMA_ID = 'ibvf.probe-compute/1';

export const COMPUTE_OPS = ['copy', 'reduce'] as const;
export type ComputeOp = (typeof COMPUTE_OPS)[number];
export const CACHE_STATES = ['warm', 'cold'] as const;
export type CacheState = (typeof CACHE_STATES)[number];

const Num = Type.Number();
const Bytes = Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]);

/** One size: every sample (the mean time of `reps` operations back to back) and their summary. */
export const ComputePoint = Type.Intersect([
  Type.Object({
    bytes: Type.Integer({ minimum: 8 }),
    /** Operations timed together per sample (a few-byte memcpy is shorter than the timer's resolution). */
    reps: Type.Integer({ minimum: 1 }),
    iterations: Type.Integer({ minimum: 1, description: 'samples' }),
  }),
  SampleStats,
  Type.Object({
    samples_us: Type.Array(Num, { description: 'us per operation, one per sample, in run order' }),
  }),
]);
export type ComputePoint = Static<typeof ComputePoint>;

export const ComputeRun = Type.Object({
  op: Type.Union(COMPUTE_OPS.map((o) => Type.Literal(o))),
  cache: Type.Union(CACHE_STATES.map((c) => Type.Literal(c))),
  /** cold: bytes of each side's rotating set of buffers (source and destination); 0 for warm. */
  set_bytes: Type.Integer({ minimum: 0 }),
  sizes: Type.Array(ComputePoint),
});
export type ComputeRun = Static<typeof ComputeRun>;

export const ComputeWarning = Type.Object({
  kind: Type.Union([
    Type.Literal('load'),
    Type.Literal('cache'),
    Type.Literal('pin'),
    Type.Literal('spread'),
  ]),
  message: Type.String(),
});
export type ComputeWarning = Static<typeof ComputeWarning>;

export const ProbeComputeResult = Type.Object({
  schema: Type.Literal(COMPUTE_SCHEMA_ID),
  ...RunFileHeader,
  host: HostInfo,
  timer: TimerInfo,
  /** The CPU asked for (--cpu, or the one the process ran on at the start) and whether pinning held. */
  cpu: Type.Object({
    requested: Type.Integer({ minimum: 0 }),
    pinned: Type.Boolean(),
    /** The CPUs the measuring thread reported running on (one unless pinning failed). */
    ran_on: Type.Array(Type.Integer({ minimum: 0 })),
  }),
  /** Cache sizes as the C library reads them from CPUID (sysconf _SC_LEVEL*_CACHE_SIZE); null: unknown. */
  caches: Type.Object({ l1d_bytes: Bytes, l2_bytes: Bytes, l3_bytes: Bytes }),
  options: Type.Object({
    sizes: Type.Array(Type.Integer({ minimum: 8 })),
    iterations: Type.Integer({ minimum: 1 }),
    ops: Type.Array(Type.Union(COMPUTE_OPS.map((o) => Type.Literal(o)))),
    caches: Type.Array(Type.Union(CACHE_STATES.map((c) => Type.Literal(c)))),
    cold_set_bytes: Type.Integer({ minimum: 0 }),
    min_sample_us: Num,
  }),
  runs: Type.Array(ComputeRun),
  warnings: Type.Array(ComputeWarning),
});
export type ProbeComputeResult = Static<typeof ProbeComputeResult>;
