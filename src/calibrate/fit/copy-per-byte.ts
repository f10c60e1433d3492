/**
 * `mpi.copyPerByte`: the CPU's cost per byte of the eager copy an MPI library makes into a
 * bounce buffer at the sender and out of it at the receiver. The model charges it as
 * 2 s copyPerByte per eager message (src/model/p2p/mpi.ts; MVAPICH2 copies with memcpy
 * through MPIU_Memcpy), as the sender's busy time (src/model/p2p/predict.ts) and as the
 * per-core copy rate 1/copyPerByte that rule 5 sets against the socket's bandwidth
 * (src/model/virtualization.ts).
 *
 * Which runs: `ibvf probe compute`'s warm memcpy (one buffer pair reused), over the sizes
 * from COPY_MIN_BYTES to the eager threshold. An eager message is at most the threshold
 * (12 KB in MVAPICH2 on ConnectX), its source and bounce buffer together fit in L1 or L2,
 * and OSU's loops, like most applications' exchanges, reuse the same buffers while the
 * library recycles its vbufs: the copy the model charges is in cache. The cold runs
 * (a rotating set past the last-level cache) are what the same copy costs once the data
 * left the caches; they are recorded, not fitted. Below 1 KiB the C library's memcpy
 * picks a code path by size class (glibc's overlapping vector moves), so the time is not
 * linear there: on the build VM (AMD EPYC guest, glibc 2.36) 64 and 128 B take 1.7 ns,
 * 256 B 2.2 ns, 512 B 2.8 ns and 1 KiB 5.8 ns, after which it grows in proportion. The
 * slope is taken from 1 KiB.
 *
 * The line and its bootstrap interval: per-byte-slope.ts.
 */
import { fitPerByteSlope, type PerByteFit } from './per-byte-slope.js';
import type { SizedMeasurement } from './from-probe.js';
import type { IntervalOptions } from './resample.js';

export const COPY_MIN_BYTES = 1024;

export interface CopyPerByteOptions extends IntervalOptions {
  /** The eager threshold (B), the largest eager copy: the base profile's mpi.eagerThreshold. */
  eagerThreshold: number;
}

/** Fits copyPerByte to the warm memcpy sizes of one or more compute probe runs (pooled as repeats). */
export function fitCopyPerByte(
  warmCopy: readonly SizedMeasurement[],
  options: CopyPerByteOptions,
): PerByteFit {
  const { eagerThreshold, ...intervals } = options;
  return fitPerByteSlope(
    warmCopy,
    {
      name: 'copyPerByte',
      minBytes: COPY_MIN_BYTES,
      maxBytes: eagerThreshold,
      what: `warm memcpy, ${COPY_MIN_BYTES} B to the eager threshold ${eagerThreshold} B`,
    },
    intervals,
  );
}
