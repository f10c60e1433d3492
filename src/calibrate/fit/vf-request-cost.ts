/**
 * The cost per work request of a virtual function, `requestCost` of a VF path
 * (src/model/p2p/verbs.ts): the same operation on a VF and on the PF differs by r_vf for
 * each work request the HCA processes for it (VF_REQUESTS: send 2, write 1, read 2),
 *
 *   vf(s) - pf(s) = VF_REQUESTS[op] r_vf,
 *
 * wherever inline plays no part: at every size for RDMA read (a read request is never
 * inline), above the PF's inline limit for send and write (the VF has no inline, so below
 * the limit the PF saves the DMA fetch too; fitInline measures that). r_vf is the weighted
 * mean of the difference over those sizes, divided by the request count
 * (curve-difference.ts).
 *
 * Measured by: the same latency sweep in a KVM guest on a VF and on the host on the PF,
 * perftest `ib_read_lat -a` (or `ib_send_lat -a`, `ib_write_lat -a`) run in both places and
 * read by `ibvf import`; the probe's verbs transport will give the same pair of runs.
 */
import { VF_REQUESTS, type VerbsOp } from '../../model/p2p/verbs.js';
import { fitDifference, type DifferenceOptions, type MechanismFit } from './curve-difference.js';
import type { SizedMeasurement } from './from-probe.js';

export interface VfRequestCostOptions extends DifferenceOptions {
  op: VerbsOp;
  /** The PF's inline limit (B); sizes at or below it are left out. Needed for send and write. */
  inlineLimit?: number;
}

export function fitVfRequestCost(
  vf: readonly SizedMeasurement[],
  pf: readonly SizedMeasurement[],
  options: VfRequestCostOptions,
): MechanismFit {
  const { op, inlineLimit } = options;
  const requests = VF_REQUESTS[op];
  if (requests === undefined)
    throw new RangeError(`requestCost: op must be send, write or read, got ${String(op)}`);
  if (op !== 'read' && !(inlineLimit !== undefined && inlineLimit >= 0)) {
    throw new RangeError(
      `requestCost: a ${op} on the PF is inline up to its inline limit, so inlineLimit (B) is needed to leave those sizes out`,
    );
  }
  const limit = op === 'read' ? -1 : inlineLimit!;
  return fitDifference(
    vf,
    pf,
    {
      name: 'requestCost',
      what: `${op} latency on the VF minus on the PF`,
      use: (bytes) => bytes > limit,
      kept: op === 'read' ? '' : `above the PF's inline limit (${limit} B)`,
      divide: requests,
      subtract: 0,
      formula: `(vf - pf) / ${requests} (work requests per ${op})`,
    },
    options,
  );
}
