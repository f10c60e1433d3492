import { Clocks, exchangeRound } from '../cost.js';
import { RankPrograms } from '../program.js';
import { isPowerOfTwo, type ClosedFormNet, type CollectiveCost, type CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';

/**
 * Pairwise-exchange alltoall, MPICH's MPIR_Alltoall_intra_pairwise (Thakur,
 * Rabenseifner, Gropp, IJHPCA 2005, Sec. 4.5): P-1 steps; in step i a rank exchanges one
 * m-byte block with rank XOR i when P is a power of two, else sends to (r + i) mod P and
 * receives from (r - i) mod P (MPI_Sendrecv). MVAPICH2 uses it for large messages.
 *
 * LogGOPS cost (uniform parameters, all ranks in lock step):
 *   T = (P-1) (max(o_s + L, o_s + (m-1)O, gap) + o_r + (m-1)max(O,G)) (+ rendezvous waits),
 * i.e. (P-1)(o_s + L + o_r + (m-1)max(O,G)) when L >= (m-1)O and gaps do not bind. The
 * closed form applies the rules to one representative: O(P), exact for every P.
 */
export function alltoallPairwise(b: ScheduleBuilder, input: CollectiveInput): void {
  const P = input.procs;
  const pof2 = isPowerOfTwo(P);
  const prog = new RankPrograms(b);
  for (let r = 0; r < P; r++) {
    for (let i = 1; i < P; i++) {
      const dst = pof2 ? r ^ i : (r + i) % P;
      const src = pof2 ? r ^ i : (r - i + P) % P;
      prog.sendrecv(r, dst, input.bytes, src, input.bytes, 11);
    }
  }
}

export function alltoallPairwiseClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const c = new Clocks(1);
  for (let i = 1; i < input.procs; i++)
    exchangeRound(
      c,
      [0],
      () => 0,
      () => 0,
      () => input.bytes,
      net.inter,
    );
  return c.result();
}
