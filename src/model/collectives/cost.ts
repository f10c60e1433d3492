import type { PairParams } from '../sim/contract.js';
import {
  nativeArrival,
  nativeLanded,
  nativeRecvCpuFree,
  nativeRecvNicFree,
  nativeSendCpuFree,
  nativeSendNicFree,
  nativeWake,
} from '../sim/native-costs.js';
import type { CollectiveCost } from './types.js';

/**
 * LogGOPS bookkeeping for closed forms: per rank the three clocks LogGOPSim keeps
 * (Hoefler, Schneider, Lumsdaine, HPDC 2010; spcl/LogGOPSim `LogGOPSim.cpp`): when the CPU
 * is next free (`nexto`), and when the NIC's send and receive sides are (`nextgs`,
 * `nextgr`). Each rule below is one case of the simulator's, so a closed form written
 * with them, walking an algorithm's messages in the order they happen, reproduces the
 * simulator's finishing times without an event loop. The order is the algorithm's
 * business: the rules assume every rank takes its messages in program order, which holds
 * whenever no message reaches a rank before the operations that precede its receive have
 * run (the closed forms say where that fails).
 */
export class Clocks {
  readonly cpu: Float64Array;
  readonly nicS: Float64Array;
  readonly nicR: Float64Array;
  /** Scratch for one round's arrival and take times (reused: closed forms run in sweeps). */
  readonly arrival: Float64Array;
  readonly taken: Float64Array;
  constructor(readonly ranks: number) {
    // One backing store for all five clocks: sweeps build a Clocks per prediction, and
    // typed-array buffers are what the garbage collector pays for.
    const all = new Float64Array(5 * ranks);
    this.cpu = all.subarray(0, ranks);
    this.nicS = all.subarray(ranks, 2 * ranks);
    this.nicR = all.subarray(2 * ranks, 3 * ranks);
    this.arrival = all.subarray(3 * ranks, 4 * ranks);
    this.taken = all.subarray(4 * ranks, 5 * ranks);
  }

  /**
   * A send of `bytes` starts when the CPU and the NIC's send side are both free; it holds
   * the CPU for o_s + (s-1)O and the NIC for g + (s-1)G; its first byte arrives o_s + L
   * after it starts (after the sender's copy too, through shared memory). Returns that
   * arrival time. The arithmetic is the simulator's (src/model/sim/native-costs.ts).
   */
  send(r: number, bytes: number, p: PairParams): number {
    const start = Math.max(this.cpu[r], this.nicS[r]);
    this.cpu[r] = nativeSendCpuFree(start, bytes, p);
    this.nicS[r] = nativeSendNicFree(start, bytes, p);
    return nativeArrival(start, bytes, p);
  }

  /**
   * The receiver takes a message that arrived at `arrival` once its CPU and NIC receive
   * side are free: NIC g + (s-1)G, CPU o_r + max((s-1)O_r, (s-1)G) (through shared memory,
   * its own copy (s-1)O_r for both). RDMA data takes the NIC without waiting for the CPU,
   * lands (s-1)G later, and the CPU then takes it for o_r + (s-1)O_r. A receiver that
   * waited past its spin window first pays its wake-up. A rendezvous's data comes only
   * `handshake` after the receiver, its CPU free, answered the RTS. Returns when the CPU took it (the receive completes then, and a rendezvous send is matched then if its
   * receive was posted).
   */
  take(r: number, arrival: number, bytes: number, p: PairParams, answered = false): number {
    const data = answered ? arrival : this.dataArrival(r, arrival, bytes, p);
    const t = this.takeTime(r, arrival, bytes, p, answered);
    this.nicR[r] = nativeRecvNicFree(p.delivery === 'rdma' ? Math.max(data, this.nicR[r]) : t, bytes, p);
    // A receiver idle since its clock (its receive posted by then) that waited past its
    // spin window was asleep: its CPU starts wake later.
    this.cpu[r] = nativeRecvCpuFree(t + nativeWake(t - this.cpu[r], p), bytes, p);
    return t;
  }

  /**
   * When `take` would take the message (the match time), given the receiver's clocks now.
   * `answered`: `arrival` is already when a rendezvous's data comes (its RTS answered).
   */
  takeTime(r: number, arrival: number, bytes: number, p: PairParams, answered = false): number {
    const data = answered ? arrival : this.dataArrival(r, arrival, bytes, p);
    if (p.delivery === 'rdma')
      return Math.max(nativeLanded(Math.max(data, this.nicR[r]), bytes, p), this.cpu[r]);
    return Math.max(data, this.cpu[r], this.nicR[r]);
  }

  /**
   * When the data of a message sent to arrive at `arrival` reaches the receiver: then,
   * or for a rendezvous `handshake` after the receiver answers the RTS, which it does
   * when its CPU is free (its receive is posted by then in program order).
   */
  private dataArrival(r: number, arrival: number, bytes: number, p: PairParams): number {
    return rendezvous(bytes, p) ? Math.max(arrival, this.cpu[r] + (p.handshake ?? 0)) : arrival;
  }

  /** A local computation of `ns` (a reduction) occupies the CPU from when it is free. */
  calc(r: number, ns: number): void {
    if (ns > 0) this.cpu[r] += ns;
  }

  /**
   * A rendezvous send completes when the receiver matches it; LogGOPSim then moves the
   * sender's CPU and NIC send clocks up to the match time, so what follows the send in
   * program order starts no earlier (and a rank that ends with it finishes then).
   */
  settle(r: number, matchTime: number): void {
    if (this.cpu[r] < matchTime) this.cpu[r] = matchTime;
    if (this.nicS[r] < matchTime) this.nicS[r] = matchTime;
  }

  /** Copies rank `from`'s clocks to rank `to` (symmetric ranks share one history). */
  copy(from: number, to: number): void {
    this.cpu[to] = this.cpu[from];
    this.nicS[to] = this.nicS[from];
    this.nicR[to] = this.nicR[from];
  }

  /** Average and maximum CPU finish over ranks. */
  result(): CollectiveCost {
    let sum = 0;
    let max = 0;
    for (const t of this.cpu) {
      sum += t;
      if (t > max) max = t;
    }
    return { avgNs: sum / this.ranks, maxNs: max };
  }
}

/** Sends above the eager limit S wait for the match (rendezvous). */
export const rendezvous = (bytes: number, p: PairParams): boolean => bytes > p.S;

/**
 * An MPI message that carries no data still costs an overhead and a latency at each end;
 * in LogGOPS terms it is a 1-byte message (no (s-1) terms).
 */
export const wireBytes = (bytes: number): number => Math.max(1, bytes);

/**
 * One round in which each listed rank r sends `sendBytes(r)` to `dst(r)` and receives
 * from `src(r)` (MPI_Sendrecv: irecv and isend posted together, then wait for both), then
 * reduces `calcNs(r)`. Sends first (all start from the clocks left by the previous round),
 * then each receiver takes its message, then rendezvous senders settle at their match
 * (the partner took the message after posting its receive at round start), then the
 * reductions run. With `ranks = [0]` and dst = src = 0 it evaluates one representative
 * of a round in which all ranks do the same thing at the same time.
 */
export function exchangeRound(
  c: Clocks,
  ranks: readonly number[],
  dst: (r: number) => number,
  src: (r: number) => number,
  sendBytes: (r: number) => number,
  p: PairParams,
  calcNs?: (r: number) => number,
): void {
  const { arrival, taken } = c;
  for (const r of ranks) arrival[dst(r)] = c.send(r, wireBytes(sendBytes(r)), p);
  for (const r of ranks) taken[r] = c.take(r, arrival[r], wireBytes(sendBytes(src(r))), p);
  for (const r of ranks) if (rendezvous(wireBytes(sendBytes(r)), p)) c.settle(r, taken[dst(r)]);
  if (calcNs) for (const r of ranks) c.calc(r, calcNs(r));
}

/** A representative's finish, as every rank has it. */
export function uniform(t: number): CollectiveCost {
  return { avgNs: t, maxNs: t };
}
