import { Clocks } from '../cost.js';
import { rootedHostGroups } from '../groups.js';
import { RankPrograms } from '../program.js';
import { pointToPoint } from '../allgather/recursive-doubling.js';
import { binomialChildren } from '../tree.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';
import { binomialBroadcastClocks } from './binomial.js';

/**
 * Two-level shared-memory broadcast as MVAPICH2 runs it with shared memory on
 * (MPIR_Bcast_MV2 -> the inter-node bcast among node leaders, then
 * MPIR_Shmem_Bcast_MV2 inside each node; Kandalla et al., "Designing multi-leader-based
 * Allgather algorithms", and the MVAPICH2 1.9 user guide, MV2_USE_SHMEM_BCAST): if the
 * root is not its node's leader (lowest rank) it first sends to it; the leaders run a
 * binomial broadcast among themselves (root's node first); each leader then broadcasts
 * to its node's ranks along a binomial tree over shared memory (MVAPICH2 uses a shared
 * buffer the others copy out of; a binomial tree over the shm path is ibvf's model of it).
 *
 * LogGOPS cost: T = T_binomial(nodes; inter) + T_binomial(ranks per node; intra), each
 * term as in bcastBinomial with the path's parameters; average over ranks weighs the
 * intra-node tree. The closed form composes the two phases on per-rank clocks (O(P)),
 * exact for every layout (every rank takes one message, its receive posted from the start).
 */
export function bcastTwoLevel(b: ScheduleBuilder, input: CollectiveInput): void {
  const prog = new RankPrograms(b);
  const { groups, leaders, root } = rootedHostGroups(input);
  if (root !== leaders[0]) {
    prog.send(root, leaders[0], input.bytes, 15);
    prog.recv(leaders[0], root, input.bytes, 15);
  }
  treeProgram(prog, leaders, input.bytes, 16);
  for (const g of groups)
    treeProgram(
      prog,
      g.filter((r) => r !== root || r === g[0]),
      input.bytes,
      17,
    );
}

export function bcastTwoLevelClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const c = new Clocks(input.procs);
  const { groups, leaders, root } = rootedHostGroups(input);
  if (root !== leaders[0]) pointToPoint(c, root, leaders[0], input.bytes, net.intra, 0);
  binomialBroadcastClocks(c, leaders, input.bytes, net.inter);
  for (const g of groups)
    binomialBroadcastClocks(
      c,
      g.filter((r) => r !== root || r === g[0]),
      input.bytes,
      net.intra,
    );
  return c.result();
}

function treeProgram(prog: RankPrograms, group: readonly number[], bytes: number, tag: number): void {
  for (let rel = 0; rel < group.length; rel++) {
    if (rel > 0) prog.recv(group[rel], group[rel - (rel & -rel)], bytes, tag);
    for (const child of binomialChildren(rel, group.length)) prog.send(group[rel], group[child], bytes, tag);
  }
}
