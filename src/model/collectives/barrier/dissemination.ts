import { Clocks, exchangeRound } from '../cost.js';
import { RankPrograms } from '../program.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';

/**
 * Dissemination barrier (Hensgen, Finkel, Manber, IJPP 1988), MPICH's
 * MPIR_Barrier_intra_dissemination: ceil(log2 P) rounds; in round k rank r sends an empty
 * message to (r + 2^k) mod P and receives one from (r - 2^k) mod P (MPI_Sendrecv).
 *
 * LogGOPS cost (uniform parameters; an empty message is s = 1 byte, no per-byte terms):
 * all ranks move in lock step, each round taking max(o_s + L, o_s, g since the last
 * send) + o_r after the previous one's receive, so with g <= o_s + L + o_r:
 *   T = ceil(log2 P) (o_s + L + o_r).
 * The closed form applies the rules to one representative: O(log P), exact for every P.
 */
export function barrierDissemination(b: ScheduleBuilder, input: CollectiveInput): void {
  const P = input.procs;
  const prog = new RankPrograms(b);
  for (let r = 0; r < P; r++) {
    for (let mask = 1; mask < P; mask *= 2) prog.sendrecv(r, (r + mask) % P, 0, (r - mask + P) % P, 0, 10);
  }
}

export function barrierDisseminationClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const c = new Clocks(1);
  for (let mask = 1; mask < input.procs; mask *= 2)
    exchangeRound(
      c,
      [0],
      () => 0,
      () => 0,
      () => 0,
      net.inter,
    );
  return c.result();
}
