import { Clocks, exchangeRound } from '../cost.js';
import { relativeOrder } from '../groups.js';
import { RankPrograms } from '../program.js';
import { foldIn, foldOut, rdFold } from '../allgather/recursive-doubling.js';
import { isPowerOfTwo, type ClosedFormNet, type CollectiveCost, type CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';

/**
 * Rabenseifner's allreduce, MPICH's MPIR_Allreduce_intra_reduce_scatter_allgather
 * (Thakur, Rabenseifner, Gropp, IJHPCA 2005, Sec. 4.4; Rabenseifner, "Optimization of
 * collective reduction operations", ICCS 2004): the same fold to 2^k ranks as recursive
 * doubling, then a reduce-scatter by recursive halving (step j: exchange and reduce half
 * of the current part with rank XOR 2^j, so n/2, n/4, ..., n/2^k bytes), then an
 * allgather by recursive doubling retracing the steps (n/2^k, ..., n/2 bytes), then the
 * fold back. The vector is cut in 2^k parts of floor(n/2^k) bytes, the first n mod 2^k one
 * byte larger.
 *
 * LogGOPS cost (uniform parameters, P = 2^k, n divisible by P, eager, gaps not binding):
 *   T = 2 log2 P (o_s + L + o_r) + 2 (n - n/P) max(O,G) + (n - n/P) c  (approximately;
 * the (s-1) terms subtract one byte per step). The closed form applies the full rules to
 * one representative: O(log P), exact for P = 2^k with n divisible by P; otherwise it
 * evaluates every rank in program order (approximate).
 */
export function allreduceRabenseifner(b: ScheduleBuilder, input: CollectiveInput): void {
  const P = input.procs;
  const group = relativeOrder(P);
  const prog = new RankPrograms(b);
  const n = input.bytes;
  const f = rdFold(P);
  for (let rel = 0; rel < P; rel++) {
    const r = group[rel];
    const nr = f.newrank(rel);
    if (nr < 0) {
      prog.send(r, group[rel + 1], n, 5);
      prog.recv(r, group[rel + 1], n, 5);
      continue;
    }
    if (rel < 2 * f.rem) {
      prog.recv(r, group[rel - 1], n, 5);
      prog.calc(r, n * input.reduceNsPerByte);
    }
    for (const step of halvingSteps(nr, f.pof2, n)) {
      const peer = group[f.real(step.peer)];
      prog.sendrecv(r, peer, step.send, peer, step.recv, 5);
      if (step.reduce) prog.calc(r, step.recv * input.reduceNsPerByte);
    }
    if (rel < 2 * f.rem) prog.send(r, group[rel - 1], n, 5);
  }
}

export function allreduceRabenseifnerClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const P = input.procs;
  const n = input.bytes;
  const p = net.inter;
  const cpb = input.reduceNsPerByte;
  if (isPowerOfTwo(P) && n % P === 0) {
    const c = new Clocks(1);
    for (const step of halvingSteps(0, P, n)) {
      exchangeRound(
        c,
        [0],
        () => 0,
        () => 0,
        () => step.send,
        p,
        () => (step.reduce ? step.recv * cpb : 0),
      );
    }
    return c.result();
  }
  const group = relativeOrder(P);
  const f = rdFold(P);
  const c = new Clocks(P);
  foldIn(c, group, f.rem, () => n, p, n * cpb);
  const members = Array.from({ length: f.pof2 }, (_, nr) => group[f.real(nr)]);
  const plans = members.map((_, nr) => halvingSteps(nr, f.pof2, n));
  const nrOf = new Int32Array(P);
  members.forEach((r, nr) => (nrOf[r] = nr));
  for (let j = 0; j < plans[0].length; j++) {
    const step = (r: number) => plans[nrOf[r]][j];
    const partner = (r: number) => members[step(r).peer];
    exchangeRound(
      c,
      members,
      partner,
      partner,
      (r) => step(r).send,
      p,
      (r) => (step(r).reduce ? step(r).recv * cpb : 0),
    );
  }
  foldOut(c, group, f.rem, () => n, p);
  return c.result();
}

interface Step {
  peer: number;
  send: number;
  recv: number;
  reduce: boolean;
}

/**
 * The reduce-scatter and allgather steps of new rank `nr` among `pof2`, with the byte
 * counts MPICH's index arithmetic gives (send_idx, recv_idx, last_idx over the parts).
 */
export function halvingSteps(nr: number, pof2: number, n: number): Step[] {
  // Part i has floor(n/pof2) bytes, one more for i < n mod pof2: parts [a, b) sum in O(1).
  const base = Math.floor(n / pof2);
  const extra = n % pof2;
  const upTo = (i: number) => i * base + Math.min(i, extra);
  const sum = (a: number, b: number) => upTo(b) - upTo(a);
  const steps: Step[] = [];
  let sendIdx = 0;
  let recvIdx = 0;
  let lastIdx = pof2;
  for (let mask = 1; mask < pof2; mask *= 2) {
    const peer = nr ^ mask;
    let send: number;
    let recv: number;
    if (nr < peer) {
      sendIdx = recvIdx + pof2 / (mask * 2);
      send = sum(sendIdx, lastIdx);
      recv = sum(recvIdx, sendIdx);
    } else {
      recvIdx = sendIdx + pof2 / (mask * 2);
      send = sum(sendIdx, recvIdx);
      recv = sum(recvIdx, lastIdx);
    }
    steps.push({ peer, send, recv, reduce: true });
    sendIdx = recvIdx;
    if (mask * 2 < pof2) lastIdx = recvIdx + pof2 / (mask * 2);
  }
  for (let mask = pof2 / 2; mask >= 1; mask /= 2) {
    const peer = nr ^ mask;
    let send: number;
    let recv: number;
    if (nr < peer) {
      if (mask !== pof2 / 2) lastIdx = lastIdx + pof2 / (mask * 2);
      recvIdx = sendIdx + pof2 / (mask * 2);
      send = sum(sendIdx, recvIdx);
      recv = sum(recvIdx, lastIdx);
    } else {
      recvIdx = sendIdx - pof2 / (mask * 2);
      send = sum(sendIdx, lastIdx);
      recv = sum(recvIdx, sendIdx);
    }
    steps.push({ peer, send, recv, reduce: false });
    if (nr > peer) sendIdx = recvIdx;
  }
  return steps;
}
