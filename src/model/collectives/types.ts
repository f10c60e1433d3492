import type { PairParams, ScheduleBuilder } from '../sim/contract.js';

/** The collective operations ibvf predicts (OSU's osu_<op> benchmarks). */
export const COLLECTIVE_OPS = [
  'alltoall',
  'bcast',
  'allreduce',
  'allgather',
  'reduce',
  'gather',
  'scatter',
  'barrier',
] as const;
export type CollectiveOp = (typeof COLLECTIVE_OPS)[number];

export function isCollectiveOp(op: string): op is CollectiveOp {
  return (COLLECTIVE_OPS as readonly string[]).includes(op);
}

/** One collective call as OSU's benchmarks make it. */
export interface CollectiveInput {
  /** Ranks taking part (P). */
  procs: number;
  /**
   * OSU's `-m` size in bytes: the whole buffer for bcast, reduce and allreduce; the block
   * each rank sends to (or receives from) each other rank for alltoall, allgather,
   * gather and scatter. Ignored by barrier.
   */
  bytes: number;
  /** Time to combine one byte in a reduction (ns/B): a `calc` wherever data is combined. */
  reduceNsPerByte: number;
  /** Root of rooted operations (bcast, reduce, gather, scatter); default 0, as OSU uses. */
  root?: number;
  /**
   * Ranks on each node, nodes holding consecutive ranks (the layout's block placement).
   * Two-level algorithms split on it; default: all ranks on one node.
   */
  ranksPerNode?: readonly number[];
  /**
   * Time to copy one byte into or out of MVAPICH2's shared collective buffer (ns/B): a
   * `calc` for each copy of the shared-memory phases (collectives/shmem.ts); default 0.
   */
  shmCopyNsPerByte?: number;
}

/** Emits the schedule of one call of an algorithm through the simulator's builder. */
export type CollectiveGenerator = (builder: ScheduleBuilder, input: CollectiveInput) => void;

/**
 * Parameters for a closed form: `inter` for every message of a flat algorithm and for
 * messages between node leaders of a two-level one, `intra` for messages inside a node
 * in the intra-node phases of two-level algorithms (shared memory when it is on).
 */
export interface ClosedFormNet {
  inter: PairParams;
  intra: PairParams;
  /**
   * A shared-memory flag of the shmem phases: the zero-byte signal a leader or a child
   * sets and the others poll (collectives/shmem.ts). Default `intra`, which is what a
   * network that prices every message of a host alike gives the signal.
   */
  flag?: PairParams;
}

/** Per-rank finish times as the simulator measures them (CPU last busy), reduced. */
export interface CollectiveCost {
  /** Average over ranks of the finishing time (ns): what OSU reports as latency. */
  avgNs: number;
  /** Largest finishing time (ns). */
  maxNs: number;
}

export type ClosedFormFn = (net: ClosedFormNet, input: CollectiveInput) => CollectiveCost;

/** A closed form and how far it may be trusted against the simulator. */
export interface ClosedForm {
  evaluate: ClosedFormFn;
  /**
   * Inputs for which the closed form equals the simulator exactly when every pair uses
   * the same parameters and nothing is shared; elsewhere `tolerance` bounds the relative
   * error of the average (checked by the registry tests).
   */
  exact: (input: CollectiveInput) => boolean;
  /** `exact` in words, for `ibvf algorithms` (e.g. 'always', 'P a power of two', 'never'). */
  exactWhen: string;
  tolerance: number;
}

/** Every rank, in one list, with a single node unless `ranksPerNode` says otherwise. */
export function nodeSizes(input: CollectiveInput): readonly number[] {
  return input.ranksPerNode ?? [input.procs];
}

export const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

/** Largest power of two not above n (n >= 1). */
export function floorPow2(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}
