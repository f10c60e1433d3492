import { Clocks, exchangeRound, rendezvous, wireBytes } from '../cost.js';
import { relativeOrder } from '../groups.js';
import { RankPrograms } from '../program.js';
import {
  floorPow2,
  isPowerOfTwo,
  type ClosedFormNet,
  type CollectiveCost,
  type CollectiveInput,
} from '../types.js';
import type { PairParams, ScheduleBuilder } from '../../sim/contract.js';

/**
 * Recursive-doubling allgather, MPICH's MPIR_Allgather_intra_recursive_doubling
 * (Thakur, Rabenseifner, Gropp, IJHPCA 2005, Sec. 4.2): in step k = 0..log2(P)-1 a rank
 * exchanges everything it holds (2^k blocks) with rank XOR 2^k.
 *
 * Non-power-of-two P: MPICH patches the missing partners inside the tree; ibvf instead
 * folds the P - 2^floor(log2 P) extra ranks in, as MPICH's allreduce does: each of the
 * first 2*rem even ranks hands its block to its odd neighbour, the 2^k remaining ranks
 * run recursive doubling, and the odd ones send the whole result back (two extra steps
 * for those ranks; documented deviation).
 *
 * LogGOPS cost (m bytes per block, P = 2^k, uniform parameters, all ranks in lock step):
 * step j moves s_j = 2^j m bytes each way and costs max(o_s + L, o_s + (s_j-1)O,
 * gap since the last send/receive) + o_r + (s_j-1)max(O,G), plus the rendezvous wait when
 * s_j > S. The closed form applies the rules to one representative per step: O(log P),
 * exact for P a power of two; otherwise it evaluates every rank in program order
 * (approximate: a rank may take an early message before the one its program waits for).
 */
export function allgatherRecursiveDoubling(b: ScheduleBuilder, input: CollectiveInput): void {
  const P = input.procs;
  rdAllgatherProgram(new RankPrograms(b), relativeOrder(P), new Array<number>(P).fill(input.bytes));
}

export function allgatherRecursiveDoublingClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const P = input.procs;
  if (isPowerOfTwo(P)) {
    const c = new Clocks(1);
    for (let mask = 1; mask < P; mask *= 2) {
      exchangeRound(
        c,
        [0],
        () => 0,
        () => 0,
        () => mask * input.bytes,
        net.inter,
      );
    }
    return { avgNs: c.cpu[0], maxNs: c.cpu[0] };
  }
  const c = new Clocks(P);
  rdAllgatherClocks(c, relativeOrder(P), new Array<number>(P).fill(input.bytes), net.inter);
  return c.result();
}

/** How the group folds onto a power of two: who sits out, who stands in for two. */
export function rdFold(P: number): {
  pof2: number;
  rem: number;
  newrank: (rel: number) => number;
  real: (nr: number) => number;
} {
  const pof2 = floorPow2(P);
  const rem = P - pof2;
  return {
    pof2,
    rem,
    newrank: (rel) => (rel < 2 * rem ? (rel % 2 === 0 ? -1 : rel >> 1) : rel - rem),
    real: (nr) => (nr < rem ? nr * 2 + 1 : nr + rem),
  };
}

/** Bytes held by each new rank after the fold: its own block plus its even partner's. */
function heldAfterFold(P: number, blocks: readonly number[]): number[] {
  const f = rdFold(P);
  return Array.from({ length: f.pof2 }, (_, nr) => {
    const rel = f.real(nr);
    return blocks[rel] + (nr < f.rem ? blocks[rel - 1] : 0);
  });
}

/** Bytes the new ranks [first, first + count) hold together. */
function groupBytes(held: readonly number[], first: number, count: number): number {
  let s = 0;
  for (let i = first; i < first + count; i++) s += held[i];
  return s;
}

export function rdAllgatherProgram(
  prog: RankPrograms,
  group: readonly number[],
  blocks: readonly number[],
): void {
  const P = group.length;
  const f = rdFold(P);
  const held = heldAfterFold(P, blocks);
  const total = blocks.reduce((a, b) => a + b, 0);
  for (let rel = 0; rel < P; rel++) {
    const r = group[rel];
    const nr = f.newrank(rel);
    if (nr < 0) {
      prog.send(r, group[rel + 1], blocks[rel], 2);
      prog.recv(r, group[rel + 1], total - blocks[rel], 2);
      continue;
    }
    if (rel < 2 * f.rem) prog.recv(r, group[rel - 1], blocks[rel - 1], 2);
    for (let mask = 1; mask < f.pof2; mask *= 2) {
      const peer = nr ^ mask;
      const mine = groupBytes(held, nr & ~(mask - 1), mask);
      const theirs = groupBytes(held, peer & ~(mask - 1), mask);
      prog.sendrecv(r, group[f.real(peer)], mine, group[f.real(peer)], theirs, 2);
    }
    if (rel < 2 * f.rem) prog.send(r, group[rel - 1], total - blocks[rel - 1], 2);
  }
}

export function rdAllgatherClocks(
  c: Clocks,
  group: readonly number[],
  blocks: readonly number[],
  p: PairParams,
): void {
  const P = group.length;
  const f = rdFold(P);
  const held = heldAfterFold(P, blocks);
  const total = blocks.reduce((a, b) => a + b, 0);
  foldIn(c, group, f.rem, (i) => blocks[2 * i], p);
  const members = Array.from({ length: f.pof2 }, (_, nr) => group[f.real(nr)]);
  const nrOf = new Int32Array(c.ranks);
  members.forEach((r, nr) => (nrOf[r] = nr));
  for (let mask = 1; mask < f.pof2; mask *= 2) {
    const partner = (r: number) => members[nrOf[r] ^ mask];
    exchangeRound(c, members, partner, partner, (r) => groupBytes(held, nrOf[r] & ~(mask - 1), mask), p);
  }
  foldOut(c, group, f.rem, (i) => total - blocks[2 * i], p);
}

/** Pre-step of a fold: even rank 2i of the first 2*rem sends `bytes(i)` to 2i+1. */
export function foldIn(
  c: Clocks,
  group: readonly number[],
  rem: number,
  bytes: (i: number) => number,
  p: PairParams,
  calcNs = 0,
): void {
  for (let i = 0; i < rem; i++) pointToPoint(c, group[2 * i], group[2 * i + 1], bytes(i), p, calcNs);
}

/** Post-step of a fold: odd rank 2i+1 sends `bytes(i)` back to 2i. */
export function foldOut(
  c: Clocks,
  group: readonly number[],
  rem: number,
  bytes: (i: number) => number,
  p: PairParams,
): void {
  for (let i = 0; i < rem; i++) pointToPoint(c, group[2 * i + 1], group[2 * i], bytes(i), p, 0);
}

/**
 * One blocking send from `from` to `to`, whose receive was posted when its CPU was last
 * free; the receiver then computes `calcNs`.
 */
export function pointToPoint(
  c: Clocks,
  from: number,
  to: number,
  bytes: number,
  p: PairParams,
  calcNs: number,
): void {
  const s = wireBytes(bytes);
  const arrival = c.send(from, s, p);
  const t = c.take(to, arrival, s, p);
  if (rendezvous(s, p)) c.settle(from, t);
  c.calc(to, calcNs);
}
