/**
 * The responder's work in an RDMA read, `readExtra` of a path (src/model/p2p/verbs.ts).
 * perftest's read latency is a full round trip and its write latency half of one, and by
 * the model
 *
 *   read(s)  = o_s + L + o_r + readExtra + inlineSaving + 2 r_vf + wire(s)
 *   write(s) = o_s + L + o_r + fetch(s)                 + 1 r_vf + wire(s)
 *
 * with fetch(s) = inlineSaving above the inline limit, so there
 *
 *   read(s) - write(s) = readExtra + r_vf,
 *
 * and readExtra is the weighted mean of read - write - r_vf over the sizes above the inline
 * limit (curve-difference.ts). On a PF r_vf = 0; on a VF pass the fitted requestCost (its
 * own uncertainty is not carried into this interval).
 *
 * Measured by: perftest `ib_read_lat -a` and `ib_write_lat -a` on the same path, read by
 * `ibvf import`; the probe's verbs transport will give the same pair of runs.
 */
import { fitDifference, type DifferenceOptions, type MechanismFit } from './curve-difference.js';
import type { SizedMeasurement } from './from-probe.js';

export interface ReadExtraOptions extends DifferenceOptions {
  /** The path's inline limit (B): writes at or below it skip the fetch a read pays, so they are left out. */
  inlineLimit: number;
  /** r_vf of the path, us: 0 on a PF (the default). */
  requestCost?: number;
}

export function fitReadExtra(
  read: readonly SizedMeasurement[],
  write: readonly SizedMeasurement[],
  options: ReadExtraOptions,
): MechanismFit {
  const { inlineLimit } = options;
  const requestCost = options.requestCost ?? 0;
  if (!(inlineLimit >= 0)) throw new RangeError(`readExtra: inlineLimit must be >= 0 B, got ${inlineLimit}`);
  if (!(requestCost >= 0)) throw new RangeError(`readExtra: requestCost must be >= 0 us, got ${requestCost}`);
  return fitDifference(
    read,
    write,
    {
      name: 'readExtra',
      what: 'RDMA read latency (round trip) minus RDMA write latency (half round trip)',
      use: (bytes) => bytes > inlineLimit,
      kept: `above the inline limit (${inlineLimit} B)`,
      divide: 1,
      subtract: requestCost,
      formula: requestCost > 0 ? `read - write - r_vf (${requestCost} us)` : 'read - write',
    },
    options,
  );
}
