import { Clocks } from '../cost.js';
import { relativeOrder } from '../groups.js';
import { RankPrograms } from '../program.js';
import { rdAllgatherClocks, rdAllgatherProgram } from '../allgather/recursive-doubling.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';
import { chunkBytes, scatterForBcastClocks, scatterForBcastProgram } from './scatter-phase.js';

/**
 * Van de Geijn's long-message broadcast with a recursive-doubling allgather, MPICH's
 * MPIR_Bcast_intra_scatter_recursive_doubling_allgather (Thakur, Rabenseifner, Gropp,
 * IJHPCA 2005, Sec. 4.1): binomial scatter of ceil(n/P)-byte chunks, then log2 P
 * exchange steps doubling the data held (n/P, 2n/P, ...). MPICH uses it for P a power of
 * two; for other P ibvf folds the extra ranks in as its recursive-doubling allgather does.
 *
 * LogGOPS cost (uniform parameters, P = 2^k): scatter k steps of n/2, n/4, ... bytes on
 * the critical path, then k exchanges of 2^j n/P bytes, each o_s + L + o_r +
 * (s-1)max(O,G) plus rendezvous waits, about 2 log2 P (o + L) + 2 n (P-1)/P max(O,G).
 * The closed form evaluates every rank in program order: approximate (the scatter skews
 * the ranks, and the simulator takes early messages in arrival order).
 */
export function bcastScatterRdAllgather(b: ScheduleBuilder, input: CollectiveInput): void {
  const P = input.procs;
  const group = relativeOrder(P, input.root ?? 0);
  const prog = new RankPrograms(b);
  scatterForBcastProgram(prog, group, input.bytes);
  rdAllgatherProgram(prog, group, blocksOf(input.bytes, P));
}

export function bcastScatterRdAllgatherClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const P = input.procs;
  const group = relativeOrder(P, input.root ?? 0);
  const c = new Clocks(P);
  scatterForBcastClocks(c, group, input.bytes, net.inter);
  rdAllgatherClocks(c, group, blocksOf(input.bytes, P), net.inter);
  return c.result();
}

const blocksOf = (n: number, P: number) => Array.from({ length: P }, (_, j) => chunkBytes(n, P, j));
