import { Clocks, exchangeRound } from '../cost.js';
import { RankPrograms } from '../program.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';

/**
 * Bruck's alltoall (Bruck et al., "Efficient algorithms for all-to-all communications in
 * multiport message-passing systems", IEEE TPDS 8(11), 1997), MPICH's
 * MPIR_Alltoall_intra_brucks, MVAPICH2's choice for small messages: after a local
 * rotation, ceil(log2 P) steps; in step k (2^k < P) a rank packs the blocks whose index
 * has bit k set, sends them to (r + 2^k) mod P and receives as many from (r - 2^k) mod P;
 * then a local inverse rotation. Local copies are not charged (no network, no LogGOPS term).
 *
 * LogGOPS cost (uniform parameters, m bytes per block; b_k = number of i in [0, P) with
 * bit k set, the same for every rank): all ranks in lock step,
 *   T = sum_k (o_s + L + o_r + (b_k m - 1)max(O,G)) when gaps and (s-1)O > L do not bind,
 * with b_k = P/2 for P = 2^k. The closed form applies the rules to one representative:
 * O(log P), exact for every P.
 */
export function alltoallBruck(b: ScheduleBuilder, input: CollectiveInput): void {
  const P = input.procs;
  const prog = new RankPrograms(b);
  for (let r = 0; r < P; r++) {
    for (let pof2 = 1; pof2 < P; pof2 *= 2) {
      const bytes = bruckBlocks(P, pof2) * input.bytes;
      prog.sendrecv(r, (r + pof2) % P, bytes, (r - pof2 + P) % P, bytes, 12);
    }
  }
}

export function alltoallBruckClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const P = input.procs;
  const c = new Clocks(1);
  for (let pof2 = 1; pof2 < P; pof2 *= 2) {
    const bytes = bruckBlocks(P, pof2) * input.bytes;
    exchangeRound(
      c,
      [0],
      () => 0,
      () => 0,
      () => bytes,
      net.inter,
    );
  }
  return c.result();
}

/** Blocks with bit `pof2` set in their index, 0 <= index < P: what step pof2 moves. */
export function bruckBlocks(P: number, pof2: number): number {
  let n = 0;
  for (let i = 0; i < P; i++) if (i & pof2) n++;
  return n;
}
