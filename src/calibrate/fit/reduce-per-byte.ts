/**
 * `compute.reducePerByte`: the CPU's cost per byte of combining two buffers in a reduction
 * (MPI_SUM on MPI_DOUBLE: a[i] = a[i] + b[i], the loop of MPICH's MPIR_SUM in
 * src/mpi/coll/op/opsum.c, which MVAPICH2 inherits). The model charges it on every
 * reduction step of the allreduce and reduce schedules (src/model/predict/input-step.ts,
 * `reduceNsPerByte`) with the CPU and memory stretches of rules 1, 2 and 5.
 *
 * Which runs: `ibvf probe compute`'s warm reduction (one buffer pair reused) over the
 * sizes from REDUCE_MIN_BYTES to half the L2 cache (both buffers in L2; 256 KiB when the
 * L2's size is unknown). A reduction step combines what the rank just received (written
 * into its buffer a moment before, so in cache) with its own buffer, which an iterated
 * collective (OSU's osu_allreduce, a solver's residual norm) reuses: the combine the model
 * charges is in cache for the sizes the collectives are asked about. Past the caches the
 * cold runs show the cost (recorded, not fitted); on the build VM the -O2 loop is
 * compute-bound (about one double per cycle) and costs the same warm or cold.
 *
 * The line and its bootstrap interval: per-byte-slope.ts.
 */
import { fitPerByteSlope, type PerByteFit } from './per-byte-slope.js';
import type { SizedMeasurement } from './from-probe.js';
import type { IntervalOptions } from './resample.js';

export const REDUCE_MIN_BYTES = 256;
/** The window's top when the L2's size is unknown: half of a 512 KiB L2, small for any x86 core since 2008. */
export const REDUCE_MAX_BYTES_UNKNOWN_L2 = 256 * 1024;

export interface ReducePerByteOptions extends IntervalOptions {
  /** The L2 cache's size in bytes as the probe recorded it, or null. */
  l2Bytes: number | null;
}

/** Fits reducePerByte to the warm reduction sizes of one or more compute probe runs (pooled as repeats). */
export function fitReducePerByte(
  warmReduce: readonly SizedMeasurement[],
  options: ReducePerByteOptions,
): PerByteFit {
  const { l2Bytes, ...intervals } = options;
  const maxBytes = l2Bytes ? l2Bytes / 2 : REDUCE_MAX_BYTES_UNKNOWN_L2;
  return fitPerByteSlope(
    warmReduce,
    {
      name: 'reducePerByte',
      minBytes: REDUCE_MIN_BYTES,
      maxBytes,
      what: `warm MPI_SUM over doubles, ${REDUCE_MIN_BYTES} B to ${maxBytes} B (${l2Bytes ? 'half the L2 cache' : 'the L2 size unknown'})`,
    },
    intervals,
  );
}
