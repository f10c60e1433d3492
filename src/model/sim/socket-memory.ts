import type { SocketMemorySpec } from './contract.js';
import { nativePerByte } from './native-costs.js';
import { ProcessorSharingServer } from './processor-sharing.js';

/** What the shared memory tells the engine. */
export interface MemoryShareHooks {
  /** Queue memory event `id` (0 .. sockets-1: a socket's server; beyond: a copy to start) at t. */
  push(id: number, t: number): void;
  /** A CPU clock (an index into the engine's clocks) is busy until at least t: its copy goes slower. */
  raise(clock: number, t: number): void;
  /** Send op `sop`'s message has been delayed by its sender's copy up to t (its mark, processor-sharing.ts). */
  marked(sop: number, t: number): void;
}

/**
 * Each socket's memory, shared by the per-byte copies of messages (the eager copy into and
 * out of MPI's buffers, the shared-memory channel's copies; docs/virtualization.md, rule 5),
 * as a fluid processor-sharing server (processor-sharing.ts): the socket copies
 * 1/nsPerByte bytes per ns in all, a core at most 1/X (X: its own per-byte cost), shared
 * max-min fairly among the copies under way. A copy of s bytes starting at `start` alone
 * takes (s-1)X (when the core is slower than its socket, X > nsPerByte); shared, it ends
 * later, and its CPU is busy as much longer:
 *
 *   CPU busy until   nominal end + (copy's end under sharing - (start + (s-1)X))
 *
 * Each copy's end is projected assuming no later copy joins, and raised as copies join
 * (joining never speeds a copy up), so a CPU's clock only moves forward and is exact when
 * reached. A sender's message is delayed by the service its copy lost during the message's
 * flight (its mark). Continuous in every time and parameter, and blind to the order of
 * simultaneous copies, unlike the first-come-first-served queue it replaces. Reductions
 * and the shared-memory collectives' copies are calcs of the schedule and keep the
 * throughput stretch of virtualization.ts (rule 5), as the closed forms do.
 */
export class SocketMemoryShares {
  private readonly servers: ProcessorSharingServer[];
  /** Per socket: the time of its queued server event, Infinity if none. */
  private readonly eventAt: number[];
  // Per copy: its socket, CPU clock, the CPU's end without sharing, start, copy time
  // alone at the core's rate, work (bytes), cap (bytes/ns), the send op whose message
  // waits for its mark (-1: none) and that message's flight.
  private readonly socket: number[] = [];
  private readonly clock: number[] = [];
  private readonly nominalEnd: number[] = [];
  private readonly start: number[] = [];
  private readonly own: number[] = [];
  private readonly work: number[] = [];
  private readonly cap: number[] = [];
  private readonly sop: number[] = [];
  private readonly flight: number[] = [];

  constructor(
    private readonly spec: SocketMemorySpec,
    private readonly hooks: MemoryShareHooks,
  ) {
    let sockets = 0;
    for (const s of spec.socketOf) sockets = Math.max(sockets, s + 1);
    this.servers = Array.from({ length: sockets }, () => new ProcessorSharingServer(1 / spec.nsPerByte));
    this.eventAt = new Array<number>(sockets).fill(Infinity);
  }

  /**
   * A copy of `bytes` by `rank` at `perByteNs` of its core, starting at `start` (>= now),
   * whose CPU (clock index `clock`) is busy until `nominalEnd` without sharing. With
   * `sop` >= 0 that send's message waits for the copy's mark, `flight` ns alone. Returns
   * whether the copy takes part (false: no per-byte work; no mark will come).
   */
  copy(
    now: number,
    rank: number,
    start: number,
    bytes: number,
    perByteNs: number,
    clock: number,
    nominalEnd: number,
    sop = -1,
    flight = 0,
  ): boolean {
    const work = nativePerByte(bytes, 1);
    if (work === 0 || !(perByteNs > 0) || !(this.spec.nsPerByte > 0)) return false;
    const j = this.socket.length;
    this.socket.push(this.spec.socketOf[rank]);
    this.clock.push(clock);
    this.nominalEnd.push(nominalEnd);
    this.start.push(start);
    this.own.push(work * perByteNs);
    this.work.push(work);
    this.cap.push(1 / perByteNs);
    this.sop.push(sop);
    this.flight.push(flight);
    if (start > now) this.hooks.push(this.servers.length + j, start);
    else this.join(j, now);
    return true;
  }

  /** Memory event `id` at t (see MemoryShareHooks.push); a socket's superseded event is ignored. */
  onEvent(id: number, t: number): void {
    const sockets = this.servers.length;
    if (id >= sockets) return this.join(id - sockets, t);
    if (this.eventAt[id] !== t) return;
    this.eventAt[id] = Infinity;
    this.servers[id].advance(t);
    this.after(id, false);
  }

  /** How many event ids the memory uses before its copies' own (one per socket). */
  get sockets(): number {
    return this.servers.length;
  }

  private join(j: number, t: number): void {
    const s = this.socket[j];
    this.servers[s].add(t, j, this.work[j], this.sop[j] >= 0 ? this.flight[j] : 0, this.cap[j]);
    this.after(s, true);
  }

  /**
   * Passes on a socket's marks, raises its copies' CPU clocks to their projected ends when
   * a copy `joined` (a departure only speeds the others up: their clocks stand), and
   * queues its next event (an event queued for sooner serves: it queues the next).
   */
  private after(s: number, joined: boolean): void {
    const server = this.servers[s];
    const ids = server.reportedIds;
    for (let i = 0; i < ids.length; i++) {
      const j = ids[i];
      if (this.sop[j] >= 0) this.hooks.marked(this.sop[j], server.reportedTimes[i]);
    }
    server.clearReports();
    // A copy is late only when it runs below its core's rate: shared, or on a socket slower
    // than its core.
    const projected = joined && server.belowCap() ? server.projectedDepartures() : undefined;
    for (let i = 0; projected && i < projected.ids.length; i++) {
      const j = projected.ids[i];
      const late = projected.times[i] - (this.start[j] + this.own[j]);
      if (late > 0) this.hooks.raise(this.clock[j], this.nominalEnd[j] + late);
    }
    const next = server.nextTime();
    if (next < this.eventAt[s]) {
      this.eventAt[s] = next;
      this.hooks.push(s, next);
    }
  }
}
