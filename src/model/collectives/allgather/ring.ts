import { Clocks, exchangeRound } from '../cost.js';
import { relativeOrder } from '../groups.js';
import { RankPrograms } from '../program.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { PairParams, ScheduleBuilder } from '../../sim/contract.js';

/**
 * Ring allgather, MPICH's MPIR_Allgather_intra_ring (Thakur, Rabenseifner, Gropp,
 * IJHPCA 2005, Sec. 4.2): P-1 steps; in step i every rank sends to its right neighbour
 * the block it received in step i-1 (its own first) and receives the next from its left
 * (MPI_Sendrecv).
 *
 * LogGOPS cost (m bytes per block, uniform parameters, every rank in lock step): each
 * step sends at max(CPU free, NIC send free), the left neighbour's block arrives o_s + L
 * later and is taken when the CPU and NIC receive side are free, costing
 * o_r + (m-1)max(O,G); with L >= (m-1)O and gaps not binding,
 *   T = (P-1) (o_s + L + o_r + (m-1)max(O,G)).
 * The closed form applies the full rules to one representative rank step by step: O(P),
 * exact for every P.
 */
export function allgatherRing(b: ScheduleBuilder, input: CollectiveInput): void {
  const P = input.procs;
  const blocks = new Array<number>(P).fill(input.bytes);
  ringAllgatherProgram(new RankPrograms(b), relativeOrder(P), blocks);
}

export function allgatherRingClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const c = new Clocks(1);
  for (let i = 1; i < input.procs; i++) {
    exchangeRound(
      c,
      [0],
      () => 0,
      () => 0,
      () => input.bytes,
      net.inter,
    );
  }
  return { avgNs: c.cpu[0], maxNs: c.cpu[0] };
}

/**
 * The ring's steps over `group` (ring order), member j starting with `blocks[j]` bytes
 * (the ring part of MPICH's scatter-ring-allgather bcast uses uneven blocks).
 */
export function ringAllgatherProgram(
  prog: RankPrograms,
  group: readonly number[],
  blocks: readonly number[],
): void {
  const P = group.length;
  for (let rel = 0; rel < P; rel++) {
    const right = group[(rel + 1) % P];
    const left = group[(rel - 1 + P) % P];
    let j = rel;
    let jnext = (rel - 1 + P) % P;
    for (let i = 1; i < P; i++) {
      prog.sendrecv(group[rel], right, blocks[j], left, blocks[jnext], 1);
      j = jnext;
      jnext = (jnext - 1 + P) % P;
    }
  }
}

/** The same steps on per-rank clocks (program order), for uneven blocks or skewed starts. */
export function ringAllgatherClocks(
  c: Clocks,
  group: readonly number[],
  blocks: readonly number[],
  p: PairParams,
): void {
  const P = group.length;
  const relOf = new Int32Array(c.ranks);
  group.forEach((r, i) => (relOf[r] = i));
  for (let i = 1; i < P; i++) {
    // In step i rank rel sends block (rel - i + 1) mod P.
    exchangeRound(
      c,
      group,
      (r) => group[(relOf[r] + 1) % P],
      (r) => group[(relOf[r] - 1 + P) % P],
      (r) => blocks[(((relOf[r] - i + 1) % P) + P) % P],
      p,
    );
  }
}
