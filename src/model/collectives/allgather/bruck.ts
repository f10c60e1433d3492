import { Clocks, exchangeRound } from '../cost.js';
import { RankPrograms } from '../program.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';

/**
 * Bruck's allgather (Bruck et al., IEEE TPDS 8(11), 1997), MPICH's
 * MPIR_Allgather_intra_brucks: while 2^k <= P/2, a rank sends the 2^k blocks it holds to
 * (r - 2^k) mod P and receives 2^k blocks from (r + 2^k) mod P; if P is not a power of
 * two a last step moves the remaining P - 2^floor(log2 P) blocks; then a local rotation
 * (not charged).
 *
 * LogGOPS cost (uniform parameters, m bytes per block, all ranks in lock step):
 *   T = sum over steps of (o_s + L + o_r + (s_k - 1)max(O,G)), s_k = 2^k m (last step
 * (P - 2^floor(log2 P)) m), when gaps and (s-1)O > L do not bind. The closed form applies
 * the rules to one representative: O(log P), exact for every P.
 */
export function allgatherBruck(b: ScheduleBuilder, input: CollectiveInput): void {
  const P = input.procs;
  const prog = new RankPrograms(b);
  for (let r = 0; r < P; r++) {
    for (const step of bruckSteps(P)) {
      const bytes = step.blocks * input.bytes;
      prog.sendrecv(r, (r - step.dist + P) % P, bytes, (r + step.dist) % P, bytes, 13);
    }
  }
}

export function allgatherBruckClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const c = new Clocks(1);
  for (const step of bruckSteps(input.procs)) {
    exchangeRound(
      c,
      [0],
      () => 0,
      () => 0,
      () => step.blocks * input.bytes,
      net.inter,
    );
  }
  return c.result();
}

function bruckSteps(P: number): { dist: number; blocks: number }[] {
  const steps: { dist: number; blocks: number }[] = [];
  let pof2 = 1;
  for (; pof2 <= P / 2; pof2 *= 2) steps.push({ dist: pof2, blocks: pof2 });
  if (P - pof2 > 0) steps.push({ dist: pof2, blocks: P - pof2 });
  return steps;
}
