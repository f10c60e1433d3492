import { Clocks } from '../cost.js';
import { rootedHostGroups } from '../groups.js';
import { RankPrograms } from '../program.js';
import { pointToPoint } from '../allgather/recursive-doubling.js';
import { isPowerOfTwo, type ClosedFormNet, type CollectiveCost, type CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';
import { binomialUpClocks, binomialUpProgram } from './binomial-phase.js';

/**
 * Two-level shared-memory reduce as MVAPICH2 runs it with shared memory on
 * (MPIR_Reduce_two_level_helper_MV2: intra-node reduce to the node leader over shared
 * memory, then an inter-node reduce among the leaders): here both levels are binomial
 * trees (MPIR_Reduce_binomial_MV2 between leaders; the intra-node shm reduce modelled as a
 * binomial tree over the shm path); if the root is not its node's leader, the leader
 * sends it the result last.
 *
 * LogGOPS cost: T = T_reduce(ranks per node; intra) + T_reduce(nodes; inter) with
 * T_reduce(P) = log2 P (o_s + L + o_r + (n-1)max(O,G) + n c) for powers of two (see
 * reduceBinomial). The closed form composes the phases on per-rank clocks (O(P)): exact
 * when every node holds the same power-of-two number of ranks and the node count is a
 * power of two, approximate otherwise.
 */
export function reduceTwoLevel(b: ScheduleBuilder, input: CollectiveInput): void {
  const prog = new RankPrograms(b);
  const { groups, leaders, root } = rootedHostGroups(input);
  const n = input.bytes;
  const calc = () => n * input.reduceNsPerByte;
  for (const g of groups) binomialUpProgram(prog, g, () => n, calc, 18);
  binomialUpProgram(prog, leaders, () => n, calc, 19);
  if (root !== leaders[0]) {
    prog.send(leaders[0], root, n, 20);
    prog.recv(root, leaders[0], n, 20);
  }
}

export function reduceTwoLevelClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const c = new Clocks(input.procs);
  const { groups, leaders, root } = rootedHostGroups(input);
  const n = input.bytes;
  const calc = () => n * input.reduceNsPerByte;
  for (const g of groups) binomialUpClocks(c, g, () => n, calc, net.intra);
  binomialUpClocks(c, leaders, () => n, calc, net.inter);
  if (root !== leaders[0]) pointToPoint(c, leaders[0], root, n, net.intra, 0);
  return c.result();
}

/** Exact when the closed form's in-order assumption holds: equal power-of-two nodes, power-of-two node count. */
export function twoLevelExact(input: CollectiveInput): boolean {
  const sizes = input.ranksPerNode ?? [input.procs];
  return sizes.every((s) => s === sizes[0] && isPowerOfTwo(s)) && isPowerOfTwo(sizes.length);
}
