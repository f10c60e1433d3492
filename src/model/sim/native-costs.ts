import type { PairParams } from './contract.js';

/**
 * The cost rules of native mode (ibvf's own; float64 ns), one function each, used by the
 * engine (native-engine.ts) and by the collectives' closed forms (collectives/cost.ts),
 * so both apply the same arithmetic. `t` is when the step starts, `s` the message size in
 * bytes, `p` the pair's parameters (contract.ts). Per-byte terms are max(s-1, 0)X, so a
 * zero-byte message costs what a one-byte one does.
 *
 *   sender CPU busy until      t + o_s + (s-1)O
 *   sender NIC busy until      t + g + (s-1)G
 *   message at the receiver    t + o_s + L                 (copy: t + o_s + (s-1)O + L)
 *   receiver NIC busy until    t + g + (s-1)G              (copy: t + g + (s-1)O_r)
 *   receiver CPU busy until    t + o_r + (s-1)max(O_r,G)   (copy, rdma: t + o_r + (s-1)O_r)
 *   RDMA data landed           t + (s-1)G                  (t: when the NIC took it)
 *
 * A LogGOPS message takes the receiver's CPU and NIC at the same t. RDMA data
 * (`delivery: 'rdma'`) takes the NIC without the CPU; the CPU takes it once it has landed
 * (or later, when free), for its own o_r + (s-1)O_r.
 *
 * O is the sender's per-byte CPU cost and O_r the receiver's (default O): each end's
 * CPU work is its own, stretched by its own node's over-subscription.
 *
 * A shared-memory message (`delivery: 'copy'`) is copied in by the sender and out by the
 * receiver, each on its own CPU at its own rate O; the path's G (both copies in a row, the
 * shared buffer's rate) bounds how fast the sender can issue them, through its send side.
 * LogGOPS's receiver rule would have the receiver pay (s-1)G, both copies, although the
 * sender already paid its own.
 */

/** max(s-1, 0) * X: the per-byte term of native mode. */
export function nativePerByte(s: number, x: number): number {
  return s > 1 ? (s - 1) * x : 0;
}

/** Sender CPU free again: t + o_s + (s-1)O. */
export function nativeSendCpuFree(t: number, s: number, p: PairParams): number {
  return t + p.o_s + nativePerByte(s, p.O);
}

/** Sender NIC free again: t + g + (s-1)G. */
export function nativeSendNicFree(t: number, s: number, p: PairParams): number {
  return t + p.g + nativePerByte(s, p.G);
}

/** When the message is at the receiver: t + o_s + L, after the sender's copy for shared memory. */
export function nativeArrival(t: number, s: number, p: PairParams): number {
  return p.delivery === 'copy' ? t + p.o_s + nativePerByte(s, p.O) + p.L : t + p.o_s + p.L;
}

/** The receiver's per-byte CPU cost: O_r, or O when the pair gives none. */
export function receiverO(p: PairParams): number {
  return p.O_r ?? p.O;
}

/**
 * Receiver CPU free again once it takes the message at t: o_r + (s-1)max(O_r,G) (it is
 * busy while the bytes stream in), or, for a shared-memory copy or RDMA data that has
 * landed, its own o_r + (s-1)O_r.
 */
export function nativeRecvCpuFree(t: number, s: number, p: PairParams): number {
  const O = receiverO(p);
  return t + p.o_r + nativePerByte(s, p.delivery === undefined ? Math.max(O, p.G) : O);
}

/** RDMA data whose NIC receive side started at t has landed: t + (s-1)G. */
export function nativeLanded(t: number, s: number, p: PairParams): number {
  return t + nativePerByte(s, p.G);
}

/** Receiver NIC free again: t + g + (s-1)G, or (s-1)O_r for a shared-memory copy. */
export function nativeRecvNicFree(t: number, s: number, p: PairParams): number {
  return t + p.g + nativePerByte(s, p.delivery === 'copy' ? receiverO(p) : p.G);
}

/**
 * The wake-up a receiver pays before its CPU can take a message, when it has been
 * waiting (receive posted, CPU idle) for `waited` ns: `wake` if that is longer than its
 * spin window (it polled `spin` ns, then slept), else 0.
 */
export function nativeWake(waited: number, p: PairParams): number {
  const wake = p.wake ?? 0;
  return wake > 0 && waited > (p.spin ?? 0) ? wake : 0;
}
