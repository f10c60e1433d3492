import { Clocks } from '../cost.js';
import { nodeGroups } from '../groups.js';
import { RankPrograms } from '../program.js';
import { binomialUpClocks, binomialUpProgram } from '../reduce/binomial-phase.js';
import { shmBcastClocks, shmBcastProgram, shmCosts, shmReduceClocks, shmReduceProgram } from '../shmem.js';
import { isPowerOfTwo, type ClosedFormNet, type CollectiveCost, type CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';
import { rdAllreduceClocks, rdAllreduceProgram } from './recursive-doubling.js';

/**
 * MVAPICH2 1.9a2's two-level allreduce with shmem collectives on
 * (`MPIR_Allreduce_two_level_MV2` in src/mpi/coll/allreduce_osu.c, kumattau/mvapich2
 * commit c07d3500): the intra-host reduce the table's intra_node row names, recursive
 * doubling between the host leaders (`MPIR_Allreduce_pt2pt_rd_MV2` on the leader
 * communicator: every two-level row of the 1.9a2 tables ibvf reproduces names it), and
 * `MPIR_Shmem_Bcast_MV2` from each leader to its host (collectives/shmem.ts).
 *
 * - `two-level-shmem`: `MPIR_Allreduce_reduce_shmem_MV2`: every non-leader copies its
 *   vector into the shared buffer and sets its flag; the leader waits for all of them,
 *   then reduces them one after the other.
 * - `two-level-p2p`: `MPIR_Allreduce_reduce_p2p_MV2`, which calls `MPIR_Reduce_MV2` on the
 *   host's communicator (its own shmem_coll_ok is 0, so a flat k-nomial reduce, k = 4, up
 *   to 2 KB and reduce-scatter + gather above); ibvf runs a binomial reduce over the host's
 *   shm path instead.
 *
 * LogGOPS cost: T = T_intra + T_rd(leaders; inter) + T_shm_bcast, with T_intra =
 * n c_copy + L_flag + (ppn - 1) n c (shmem) or the binomial reduce's. The closed forms
 * compose the phases on per-rank clocks: exact with equal hosts and a power-of-two host
 * count (and, for the binomial one, power-of-two hosts).
 */
export function allreduceShmem(b: ScheduleBuilder, input: CollectiveInput): void {
  const prog = new RankPrograms(b);
  const groups = nodeGroups(input);
  const n = input.bytes;
  const copy = input.shmCopyNsPerByte ?? 0;
  for (const g of groups) shmReduceProgram(prog, g, n, copy, input.reduceNsPerByte);
  rdAllreduceProgram(
    prog,
    groups.map((g) => g[0]),
    n,
    input.reduceNsPerByte,
  );
  for (const g of groups) shmBcastProgram(prog, g, n, copy);
}

export function allreduceShmemClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const c = new Clocks(input.procs);
  const groups = nodeGroups(input);
  const leaders = groups.map((g) => g[0]);
  const n = input.bytes;
  const { flag, copy } = shmCosts(net, input);
  for (const g of groups) shmReduceClocks(c, g, n, copy, input.reduceNsPerByte, flag);
  rdAllreduceClocks(c, leaders, leaders.length, n, input.reduceNsPerByte, net.inter);
  for (const g of groups) shmBcastClocks(c, g, n, copy, flag);
  return c.result();
}

export function allreduceP2pShmem(b: ScheduleBuilder, input: CollectiveInput): void {
  const prog = new RankPrograms(b);
  const groups = nodeGroups(input);
  const n = input.bytes;
  const calc = () => n * input.reduceNsPerByte;
  for (const g of groups) binomialUpProgram(prog, g, () => n, calc, 21);
  rdAllreduceProgram(
    prog,
    groups.map((g) => g[0]),
    n,
    input.reduceNsPerByte,
  );
  for (const g of groups) shmBcastProgram(prog, g, n, input.shmCopyNsPerByte ?? 0);
}

export function allreduceP2pShmemClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const c = new Clocks(input.procs);
  const groups = nodeGroups(input);
  const leaders = groups.map((g) => g[0]);
  const n = input.bytes;
  const { flag, copy } = shmCosts(net, input);
  const calc = () => n * input.reduceNsPerByte;
  for (const g of groups) binomialUpClocks(c, g, () => n, calc, net.intra);
  rdAllreduceClocks(c, leaders, leaders.length, n, input.reduceNsPerByte, net.inter);
  for (const g of groups) shmBcastClocks(c, g, n, copy, flag);
  return c.result();
}

/** Equal hosts and a power-of-two host count: the leaders' recursive doubling runs in lock step. */
export function equalHostsPow2(input: CollectiveInput): boolean {
  const sizes = input.ranksPerNode ?? [input.procs];
  return sizes.every((s) => s === sizes[0]) && isPowerOfTwo(sizes.length);
}
