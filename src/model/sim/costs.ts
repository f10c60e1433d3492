/**
 * The LogGOPS cost rules, one function each, as LogGOPSim applies them (Hoefler,
 * Schneider, Lumsdaine, "LogGOPSim - Simulating Large-Scale Applications in the LogGOPS
 * Model", HPDC 2010; spcl/LogGOPSim `src/LogGOPSim/LogGOPSim.cpp`, cases OP_SEND and
 * OP_MSG). `t` is when the operation starts, `s` its size in bytes, all times in ns.
 *
 *   sender CPU busy until      t + o + (s-1)O
 *   sender NIC busy until      t + g + (s-1)G
 *   first byte at receiver     t + o + L
 *   receiver CPU busy until    t + o + max((s-1)O, (s-1)G)
 *   receiver NIC busy until    t + g + (s-1)G
 *   eager                      s <= S (else rendezvous: the send completes when matched)
 *
 * Compatibility variants keep LogGOPSim's arithmetic: times are uint64_t, sizes uint64_t
 * and the parameters int, so (s-1)*X is computed modulo 2^64. For s >= 1 that is plain
 * arithmetic; for a zero-byte message (s-1) is 2^64-1 and the term is -X modulo 2^64: a
 * zero-byte message is cheaper than a one-byte one by X, and the max() in the receiver
 * rule compares those wrapped values as unsigned numbers. ibvf's own mode has its rules
 * in native-costs.ts.
 */

const TWO_TO_64 = 2 ** 64;

/** A uint64 time that went below zero wraps around, as it does in LogGOPSim. */
export function wrapUint64(t: number): number {
  return t < 0 ? t + TWO_TO_64 : t;
}

/** (s-1)*X in LogGOPSim's unsigned arithmetic, as the signed amount it adds to a time. */
export function compatPerByte(s: number, x: number): number {
  return s >= 1 ? (s - 1) * x : 0 - x;
}

/**
 * max((s-1)O, (s-1)G) compared as uint64 values, as the signed amount it adds. For s = 0
 * the wrapped values are 2^64-O and 2^64-G (0 when the parameter is 0), so the larger is
 * the one with the smaller non-zero parameter.
 */
export function compatMaxPerByte(s: number, O: number, G: number): number {
  if (s >= 1) return (s - 1) * Math.max(O, G);
  if (O === 0) return 0 - G;
  if (G === 0) return 0 - O;
  return 0 - Math.min(O, G);
}

/** Sender CPU free again (compat): t + o + (s-1)O. */
export function compatSendCpuFree(t: number, s: number, o: number, O: number): number {
  return wrapUint64(t + o + compatPerByte(s, O));
}

/** Sender NIC free again (compat): t + g + (s-1)G. */
export function compatSendNicFree(t: number, s: number, g: number, G: number): number {
  return wrapUint64(t + g + compatPerByte(s, G));
}

/** Receiver CPU free again (compat): t + o + max((s-1)O, (s-1)G). */
export function compatRecvCpuFree(t: number, s: number, o: number, O: number, G: number): number {
  return wrapUint64(t + o + compatMaxPerByte(s, O, G));
}

/** Receiver NIC free again (compat): t + g + (s-1)G. */
export function compatRecvNicFree(t: number, s: number, g: number, G: number): number {
  return wrapUint64(t + g + compatPerByte(s, G));
}

/** When the first byte reaches the receiver: t + o + L (o is the sender's overhead). */
export function firstByteArrival(t: number, oSend: number, L: number): number {
  return t + oSend + L;
}

/** Eager protocol: the send completes locally when it starts; otherwise (rendezvous) when matched. */
export function isEager(s: number, S: number): boolean {
  return s <= S;
}

/**
 * The work (ns) a message gives a node's shared HCA side, send or receive (native only):
 * messageGapNs + s * perByteNs, the inverse of the HCA's aggregate message rate plus the
 * bytes at its link or PCIe bandwidth, whichever limits. Each side serves its messages by
 * processor sharing (processor-sharing.ts, native-engine.ts).
 */
export function hcaWork(s: number, messageGapNs: number, perByteNs: number): number {
  return messageGapNs + s * perByteNs;
}
