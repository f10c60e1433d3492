import type { SocketMemorySpec } from './contract.js';
import { nativePerByte } from './native-costs.js';

/**
 * Each socket's memory as a queue for the per-byte copies of messages (the eager copy
 * into and out of MPI's buffers, the shared-memory channel's copies; docs/virtualization.md,
 * rule 5): a copy of s bytes holds its socket's memory for (s-1) x nsPerByte, the time at
 * the socket's copy bandwidth, first come first served, and its core copies at its own
 * rate X meanwhile. It finishes at the later of the two:
 *
 *   served from the earliest t' >= t at which the memory is idle for (s-1) nsPerByte,
 *   done = max(t + (s-1) X, t' + (s-1) nsPerByte),   wait = done - (t + (s-1) X)
 *
 * A lone copy (X > nsPerByte: one core is slower than its socket) never waits; n copies
 * started together finish, the last, at n (s-1) nsPerByte, as processor sharing would
 * finish them all; first come first served lets the first ones finish sooner (its mean
 * completion is lower), and unlike processor sharing it never revises a copy already under
 * way, which the engine's clocks (set when an operation starts) need. Copies are served in
 * the order they are asked for (event order), each in the earliest idle stretch of its
 * socket's memory at or after its start: a receiver's copy starts after its wake-up,
 * later than the event that asks for it, and must not hold up copies that come before it. Reductions and the shared-memory
 * collectives' copies are calcs of the schedule and keep the throughput stretch of
 * virtualization.ts (rule 5), as the closed forms do.
 */
export class SocketMemoryQueue {
  /** Per socket: the busy stretches of its memory still to come, [start, end) pairs in time order. */
  private readonly busy: number[][];

  constructor(private readonly spec: SocketMemorySpec) {
    let sockets = 0;
    for (const s of spec.socketOf) sockets = Math.max(sockets, s + 1);
    this.busy = Array.from({ length: sockets }, () => []);
  }

  /**
   * How much longer (ns) than its own (s-1) x perByteNs a copy of `bytes` by `rank`,
   * starting at `start`, takes because its socket's memory serves the copies before it.
   * `now` is the engine's current time: stretches ending by then are forgotten.
   */
  waitAt(rank: number, now: number, start: number, bytes: number, perByteNs: number): number {
    const held = nativePerByte(bytes, this.spec.nsPerByte);
    if (held === 0 || !(perByteNs > 0)) return 0;
    const busy = this.busy[this.spec.socketOf[rank]];
    let drop = 0;
    while (drop < busy.length && busy[drop + 1] <= now) drop += 2;
    if (drop > 0) busy.splice(0, drop);
    // The earliest idle stretch of length `held` at or after `start` (first fit).
    let at = start;
    let i = 0;
    for (; i < busy.length; i += 2) {
      if (busy[i + 1] <= at) continue;
      if (busy[i] >= at + held) break;
      at = busy[i + 1];
    }
    busy.splice(i, 0, at, at + held);
    return Math.max(0, at + held - (start + nativePerByte(bytes, perByteNs)));
  }
}
