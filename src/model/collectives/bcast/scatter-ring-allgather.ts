import { Clocks } from '../cost.js';
import { relativeOrder } from '../groups.js';
import { RankPrograms } from '../program.js';
import { ringAllgatherClocks, ringAllgatherProgram } from '../allgather/ring.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';
import { chunkBytes, scatterForBcastClocks, scatterForBcastProgram } from './scatter-phase.js';

/**
 * Van de Geijn's long-message broadcast with a ring allgather, MPICH's
 * MPIR_Bcast_intra_scatter_ring_allgather (Thakur, Rabenseifner, Gropp, IJHPCA 2005,
 * Sec. 4.1): binomial scatter of ceil(n/P)-byte chunks, then a ring allgather of the
 * chunks (P-1 steps, ranks in relative order).
 *
 * LogGOPS cost (uniform parameters): scatter log2 P steps of shrinking messages
 * (n/2, n/4, ... for P = 2^k), then P-1 ring steps of ceil(n/P) bytes, each about
 * o_s + L + o_r + (n/P - 1)max(O,G); total roughly 2 n (P-1)/P bytes per rank instead of
 * n log2 P. The closed form evaluates every rank in program order: O(P^2) in the ring,
 * approximate (after the scatter ranks are skewed, and a ring message can reach a rank
 * before it has taken its scatter chunk; the simulator takes messages in arrival order).
 */
export function bcastScatterRingAllgather(b: ScheduleBuilder, input: CollectiveInput): void {
  const P = input.procs;
  const group = relativeOrder(P, input.root ?? 0);
  const prog = new RankPrograms(b);
  scatterForBcastProgram(prog, group, input.bytes);
  ringAllgatherProgram(prog, group, blocksOf(input.bytes, P));
}

export function bcastScatterRingAllgatherClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const P = input.procs;
  const group = relativeOrder(P, input.root ?? 0);
  const c = new Clocks(P);
  scatterForBcastClocks(c, group, input.bytes, net.inter);
  ringAllgatherClocks(c, group, blocksOf(input.bytes, P), net.inter);
  return c.result();
}

const blocksOf = (n: number, P: number) => Array.from({ length: P }, (_, j) => chunkBytes(n, P, j));
