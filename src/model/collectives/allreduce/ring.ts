import { Clocks, exchangeRound } from '../cost.js';
import { relativeOrder } from '../groups.js';
import { RankPrograms } from '../program.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';

/**
 * Ring allreduce, MPICH's MPIR_Allreduce_intra_ring (Patarasuk and Yuan, "Bandwidth
 * optimal all-reduce algorithms for clusters of workstations", JPDC 69(2), 2009): the
 * vector is cut in P chunks (floor(n/P) bytes, the first n mod P one byte larger); P-1
 * reduce-scatter steps in which rank r sends chunk (r - i) mod P to its right neighbour,
 * receives chunk (r - i - 1) mod P from its left and reduces it; then P-1 allgather steps
 * passing the reduced chunks around (send (r - i + 1) mod P, receive (r - i) mod P).
 *
 * LogGOPS cost (uniform parameters, m = n/P, eager, gaps not binding):
 *   T = 2 (P-1) (o_s + L + o_r + (m-1)max(O,G)) + (P-1) m c.
 * The closed form applies the full rules to one representative step by step (O(P)) when
 * P divides n, otherwise to every rank in program order (O(P^2)); each rank hears only
 * from its left neighbour, in order, so program order is arrival order and both are exact.
 */
export function allreduceRing(b: ScheduleBuilder, input: CollectiveInput): void {
  const P = input.procs;
  const prog = new RankPrograms(b);
  const cnt = chunkCounts(input.bytes, P);
  for (let r = 0; r < P; r++) {
    const right = (r + 1) % P;
    const left = (r - 1 + P) % P;
    for (let i = 0; i < P - 1; i++) {
      const recvChunk = cnt[mod(r - i - 1, P)];
      prog.sendrecv(r, right, cnt[mod(r - i, P)], left, recvChunk, 6);
      prog.calc(r, recvChunk * input.reduceNsPerByte);
    }
    for (let i = 0; i < P - 1; i++) {
      prog.sendrecv(r, right, cnt[mod(r - i + 1, P)], left, cnt[mod(r - i, P)], 6);
    }
  }
}

export function allreduceRingClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const P = input.procs;
  const cnt = chunkCounts(input.bytes, P);
  const cpb = input.reduceNsPerByte;
  const even = input.bytes % P === 0;
  const c = new Clocks(even ? 1 : P);
  const ranks = even ? [0] : relativeOrder(P);
  const right = even ? () => 0 : (r: number) => (r + 1) % P;
  const left = even ? () => 0 : (r: number) => (r - 1 + P) % P;
  for (let i = 0; i < P - 1; i++) {
    exchangeRound(
      c,
      ranks,
      right,
      left,
      (r) => cnt[mod(r - i, P)],
      net.inter,
      (r) => cnt[mod(r - i - 1, P)] * cpb,
    );
  }
  for (let i = 0; i < P - 1; i++) {
    exchangeRound(c, ranks, right, left, (r) => cnt[mod(r - i + 1, P)], net.inter);
  }
  return c.result();
}

const mod = (a: number, m: number) => ((a % m) + m) % m;

function chunkCounts(n: number, P: number): number[] {
  return Array.from({ length: P }, (_, i) => Math.floor(n / P) + (i < n % P ? 1 : 0));
}
