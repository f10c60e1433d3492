/**
 * The extra latency of a message between two virtual functions of one HCA (two VMs of a
 * node: the `vf-to-vf` path) over one that loops back within one function (two ranks of
 * one VM with shared memory off: the `vf-loopback` path), as one constant
 *
 *   across(s) - within(s) = c
 *
 * at every size: both runs cross the same HCA with the same per-byte work, and the model
 * (src/model/p2p/verbs.ts) gives each path its own L, which enters every size once. c is the
 * weighted mean of the difference (curve-difference.ts), with joint-draw intervals. A
 * calibration sets the vf-to-vf L so the model's difference of the two paths equals c.
 *
 * Measured by: the same latency sweep (`ibvf probe run --transport verbs`, or perftest
 * `ib_send_lat -a`) between two ranks in one VM and between two ranks in two VMs of one node.
 */
import { fitDifference, type DifferenceOptions, type MechanismFit } from './curve-difference.js';
import type { SizedMeasurement } from './from-probe.js';

export function fitVfToVfExtra(
  across: readonly SizedMeasurement[],
  within: readonly SizedMeasurement[],
  options: DifferenceOptions = {},
): MechanismFit {
  return fitDifference(
    across,
    within,
    {
      name: 'vf-to-vf extra',
      what: 'latency between two VMs of a node minus within one VM',
      use: () => true,
      kept: '',
      divide: 1,
      subtract: 0,
      formula: 'across - within',
    },
    options,
  );
}
