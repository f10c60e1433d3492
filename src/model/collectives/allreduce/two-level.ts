import { Clocks } from '../cost.js';
import { nodeGroups } from '../groups.js';
import { RankPrograms } from '../program.js';
import { binomialUpClocks, binomialUpProgram } from '../reduce/binomial-phase.js';
import { binomialBroadcastClocks } from '../bcast/binomial.js';
import { binomialChildren } from '../tree.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';
import { rdAllreduceClocks, rdAllreduceProgram } from './recursive-doubling.js';

/**
 * Two-level shared-memory allreduce as MVAPICH2 runs it with shared memory on
 * (MPIR_Allreduce_two_level_MV2 in src/mpi/coll/allreduce_osu.c): intra-node reduce to
 * the node leader over shared memory, recursive-doubling allreduce among the leaders
 * (MPIR_Allreduce_pt2pt_rd_MV2, MVAPICH2 1.9's choice between leaders up to 16 KB on
 * FDR), intra-node broadcast from the leader. Both intra-node phases are modelled as
 * binomial trees over the shm path.
 *
 * LogGOPS cost: T = T_reduce(ppn; intra) + T_rd(nodes; inter) + T_bcast(ppn; intra), each
 * as in reduceBinomial, allreduceRecursiveDoubling and bcastBinomial. The closed form
 * composes the phases on per-rank clocks (O(P log P)): exact when every node holds the
 * same power-of-two number of ranks and the node count is a power of two.
 */
export function allreduceTwoLevel(b: ScheduleBuilder, input: CollectiveInput): void {
  const prog = new RankPrograms(b);
  const groups = nodeGroups(input);
  const leaders = groups.map((g) => g[0]);
  const n = input.bytes;
  const calc = () => n * input.reduceNsPerByte;
  for (const g of groups) binomialUpProgram(prog, g, () => n, calc, 21);
  rdAllreduceProgram(prog, leaders, n, input.reduceNsPerByte);
  for (const g of groups) {
    for (let rel = 0; rel < g.length; rel++) {
      if (rel > 0) prog.recv(g[rel], g[rel - (rel & -rel)], n, 22);
      for (const child of binomialChildren(rel, g.length)) prog.send(g[rel], g[child], n, 22);
    }
  }
}

export function allreduceTwoLevelClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const c = new Clocks(input.procs);
  const groups = nodeGroups(input);
  const leaders = groups.map((g) => g[0]);
  const n = input.bytes;
  const calc = () => n * input.reduceNsPerByte;
  for (const g of groups) binomialUpClocks(c, g, () => n, calc, net.intra);
  rdAllreduceClocks(c, leaders, leaders.length, n, input.reduceNsPerByte, net.inter);
  for (const g of groups) binomialBroadcastClocks(c, g, n, net.intra);
  return c.result();
}
