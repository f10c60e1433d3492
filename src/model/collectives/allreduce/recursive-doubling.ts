import { Clocks, exchangeRound } from '../cost.js';
import { relativeOrder } from '../groups.js';
import { RankPrograms } from '../program.js';
import { foldIn, foldOut, rdFold } from '../allgather/recursive-doubling.js';
import { isPowerOfTwo, type ClosedFormNet, type CollectiveCost, type CollectiveInput } from '../types.js';
import type { PairParams, ScheduleBuilder } from '../../sim/contract.js';

/**
 * Recursive-doubling allreduce, MPICH's MPIR_Allreduce_intra_recursive_doubling
 * (Thakur, Rabenseifner, Gropp, IJHPCA 2005, Sec. 4.4): for P not a power of two the
 * first 2*rem ranks (rem = P - 2^floor(log2 P)) pair up, the even one sending its n bytes
 * to the odd one, which reduces; the 2^k remaining ranks exchange the whole n-byte
 * vector with rank XOR 2^j and reduce, j = 0..k-1; the odd ranks send the result back.
 *
 * LogGOPS cost (uniform parameters, P = 2^k, eager n <= S, L >= (n-1)O, gaps not binding):
 *   T = log2 P (o_s + L + o_r + (n-1)max(O,G) + n c)
 * with c the reduction cost per byte; the closed form applies the full rules (gaps,
 * rendezvous waits) to one representative per step: O(log P), exact for P = 2^k. For
 * other P it evaluates each rank in program order (approximate: a rank that finished
 * early may send to a partner still busy with the fold, which the simulator takes in
 * arrival order).
 */
export function allreduceRecursiveDoubling(b: ScheduleBuilder, input: CollectiveInput): void {
  rdAllreduceProgram(new RankPrograms(b), relativeOrder(input.procs), input.bytes, input.reduceNsPerByte);
}

export function allreduceRecursiveDoublingClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const P = input.procs;
  const c = new Clocks(isPowerOfTwo(P) ? 1 : P);
  rdAllreduceClocks(
    c,
    isPowerOfTwo(P) ? null : relativeOrder(P),
    P,
    input.bytes,
    input.reduceNsPerByte,
    net.inter,
  );
  return c.result();
}

export function rdAllreduceProgram(
  prog: RankPrograms,
  group: readonly number[],
  n: number,
  cPerByte: number,
): void {
  const P = group.length;
  const f = rdFold(P);
  for (let rel = 0; rel < P; rel++) {
    const r = group[rel];
    const nr = f.newrank(rel);
    if (nr < 0) {
      prog.send(r, group[rel + 1], n, 4);
      prog.recv(r, group[rel + 1], n, 4);
      continue;
    }
    if (rel < 2 * f.rem) {
      prog.recv(r, group[rel - 1], n, 4);
      prog.calc(r, n * cPerByte);
    }
    for (let mask = 1; mask < f.pof2; mask *= 2) {
      const peer = group[f.real(nr ^ mask)];
      prog.sendrecv(r, peer, n, peer, n, 4);
      prog.calc(r, n * cPerByte);
    }
    if (rel < 2 * f.rem) prog.send(r, group[rel - 1], n, 4);
  }
}

/**
 * The same on clocks. `group` null: P is a power of two and `c` holds one representative
 * (all ranks do the same at the same time).
 */
export function rdAllreduceClocks(
  c: Clocks,
  group: readonly number[] | null,
  P: number,
  n: number,
  cPerByte: number,
  p: PairParams,
): void {
  const calc = () => n * cPerByte;
  if (group === null) {
    for (let mask = 1; mask < P; mask *= 2)
      exchangeRound(
        c,
        [0],
        () => 0,
        () => 0,
        () => n,
        p,
        calc,
      );
    return;
  }
  const f = rdFold(P);
  foldIn(c, group, f.rem, () => n, p, n * cPerByte);
  const members = Array.from({ length: f.pof2 }, (_, nr) => group[f.real(nr)]);
  const nrOf = new Int32Array(c.ranks);
  members.forEach((r, nr) => (nrOf[r] = nr));
  for (let mask = 1; mask < f.pof2; mask *= 2) {
    const partner = (r: number) => members[nrOf[r] ^ mask];
    exchangeRound(c, members, partner, partner, () => n, p, calc);
  }
  foldOut(c, group, f.rem, () => n, p);
}
