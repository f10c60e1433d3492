import { Clocks } from '../cost.js';
import { rootedHostGroups } from '../groups.js';
import { RankPrograms } from '../program.js';
import { pointToPoint } from '../allgather/recursive-doubling.js';
import { shmCosts, shmReduceClocks, shmReduceProgram } from '../shmem.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';
import { binomialUpClocks, binomialUpProgram } from './binomial-phase.js';

/**
 * MVAPICH2 1.9a2's two-level reduce with its intra-host phase through shared memory
 * (`MPIR_Reduce_two_level_helper_MV2` with `MPIR_Reduce_shmem_MV2`, src/mpi/coll/
 * reduce_osu.c, kumattau/mvapich2 commit c07d3500; up to 4 KB): each host's non-leaders
 * copy their vectors into the shared buffer and set their flags, the leader reduces them
 * (collectives/shmem.ts); then the leaders reduce to the root's leader (MVAPICH2: k-nomial,
 * k = 4, up to 8 KB; ibvf: binomial), which passes the result to the root if it is not the
 * root itself.
 *
 * LogGOPS cost: T = n c_copy + L_flag + (ppn - 1) n c + T_reduce(hosts; inter). The closed
 * form composes the phases on per-rank clocks: exact with equal hosts and a power-of-two
 * host count.
 */
export function reduceShmem(b: ScheduleBuilder, input: CollectiveInput): void {
  const prog = new RankPrograms(b);
  const { groups, leaders, root } = rootedHostGroups(input);
  const n = input.bytes;
  const calc = () => n * input.reduceNsPerByte;
  for (const g of groups) shmReduceProgram(prog, g, n, input.shmCopyNsPerByte ?? 0, input.reduceNsPerByte);
  binomialUpProgram(prog, leaders, () => n, calc, 19);
  if (root !== leaders[0]) {
    prog.send(leaders[0], root, n, 20);
    prog.recv(root, leaders[0], n, 20);
  }
}

export function reduceShmemClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const c = new Clocks(input.procs);
  const { groups, leaders, root } = rootedHostGroups(input);
  const n = input.bytes;
  const { flag, copy } = shmCosts(net, input);
  for (const g of groups) shmReduceClocks(c, g, n, copy, input.reduceNsPerByte, flag);
  binomialUpClocks(
    c,
    leaders,
    () => n,
    () => n * input.reduceNsPerByte,
    net.inter,
  );
  if (root !== leaders[0]) pointToPoint(c, leaders[0], root, n, net.intra, 0);
  return c.result();
}
