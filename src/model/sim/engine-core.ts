import type { SimResult } from './contract.js';
import { deadlockError } from './deadlock.js';
import { EventQueue, type EventQueueStats } from './event-queue.js';
import { sortLikeLibstdcxx } from './libstdcxx-sort.js';
import { MatchQueue } from './match-queue.js';
import { OP_CALC, OP_SEND } from './ops.js';
import {
  F64_SHIFT,
  F64_SIZE,
  I32_DONE_START,
  I32_PEER,
  I32_PENDING,
  I32_RANK,
  I32_SHIFT,
  I32_TAG,
  U8_CPU,
  U8_KIND,
  KIND_MASK,
  KIND_SUCCESSORS_FOLLOW,
  U8_NIC,
  U8_SHIFT,
  U8_STATE,
  STATE_DONE,
  STATE_STARTED,
} from './op-record.js';
import type { CompactSchedule } from './schedule.js';
import { MAX_STAMPS, Waiters } from './waiters.js';

/** Events between two progress reports: a power of two (a mask test), about 10 ms of simulation. */
export const PROGRESS_EVENTS = 1 << 16;

/** How a rule set lays out its resource classes (see `EngineCore`). */
export interface ClassLayout {
  /**
   * 1, or 2 when the rules give sends and messages through a shared resource classes of
   * their own: then a class k >= sendClass0 uses the shared resource when k is odd.
   */
  split: number;
  /** Per (CPU, NIC, split): how many kinds of message event wait for different clocks (1 or more). */
  messageKinds: number;
  /** Float64 slots per host the rules keep beside its clocks (same cache line), from `hostSlot0`. */
  hostSlots: number;
}

/**
 * The part of the LogGOPS discrete-event engine that every rule set shares: the event
 * loop, dependencies, matching queues, the order in which newly runnable operations are
 * queued, and the parking of blocked events per resource class. What an operation or a
 * message costs, which clocks it needs and when an arriving message matches are the
 * rules', in a subclass chosen once per run: `CompatEngine` (LogGOPSim's arithmetic,
 * compat-engine.ts) or `NativeEngine` (ibvf's, native-engine.ts).
 *
 * The loop follows LogGOPSim's main loop (spcl/LogGOPSim `src/LogGOPSim/LogGOPSim.cpp`;
 * Hoefler, Schneider, Lumsdaine, HPDC 2010):
 * - Each host has per CPU a clock `nexto` and per NIC a send clock `nextgs` and a receive
 *   clock `nextgr`. An event whose resources are busy waits until they free, keeping its
 *   stamp (so ties keep creation order).
 * - `irequires` edges release when an operation starts, `requires` edges when it
 *   completes. Newly runnable operations of a host are sorted by type (sends, receives,
 *   calcs) with libstdc++'s unstable sort, stamped in that order and queued at the time
 *   their CPU (and, for a send, NIC) is next free; hosts are visited in rank order.
 * - The event count is LogGOPSim's: operations queued plus messages created (native
 *   rules add the events of their own stages).
 * - Blocked events wait per resource class instead of being popped again at every
 *   release (see waiters.ts: same decisions at the same points, far fewer pops). That
 *   needs clocks that never move back; a rule set whose clocks may (LogGOPSim's
 *   zero-byte wrap-around) turns `batch` off and blocked events are re-queued as
 *   LogGOPSim does.
 *
 * Queue items: an operation's id (its event), ~op (the message of send op, at its
 * receiver), numOps + class (a class's wake-up), numOps + numClasses + id (the rules' own
 * event `id`, onRulesEvent). Classes: calcs per CPU; sends per (CPU, NIC, split); then
 * `messageKinds` ranges of message classes per (CPU, NIC, split).
 */
export abstract class EngineCore {
  protected readonly s: CompactSchedule;
  // clocks
  protected readonly nc: number;
  protected readonly nn: number;
  // One array holds every host's clocks side by side (CPUs, NIC send sides, NIC receive
  // sides, the rules' own slots; `stride` per host) so that an event touches one cache
  // line, not three.
  protected readonly nexto: Float64Array;
  protected readonly nextgs: Float64Array;
  protected readonly nextgr: Float64Array;
  protected readonly stride: number;
  protected readonly gs0: number;
  protected readonly gr0: number;
  /** Offset of the rules' own per-host slots in a host's stride (ClassLayout.hostSlots). */
  protected readonly hostSlot0: number;
  // the schedule's operation records (op-record.ts); state and unmet dependencies are ours
  protected readonly u8: Uint8Array;
  protected readonly i32: Int32Array;
  protected readonly f64: Float64Array;
  private readonly startEdges: boolean;
  // matching
  protected readonly queue: EventQueue;
  protected readonly rq: MatchQueue;
  protected readonly uq: MatchQueue;
  private ready: Int32Array = new Int32Array(64);
  private readyLen = 0;
  private scratch: Int32Array = new Int32Array(64);
  private sortPos: Int32Array = new Int32Array(64);
  private sortKey: Uint8Array = new Uint8Array(64);
  protected stamps = 0;
  /** Operations completed (the run finished when all are, and no message waits). */
  private doneOps = 0;
  // blocked events, by resource class; wake-up items are numOps + class
  private readonly waiters: Waiters;
  /** Park blocked events per class (else re-queue them as LogGOPSim does); rules may turn it off. */
  protected batch: boolean;
  protected readonly split: number;
  protected readonly sendClass0: number;
  protected readonly msgClass0: number;
  /** Message classes of one kind: cpus * numNics * split. */
  protected readonly msgKindSize: number;
  private readonly numClasses: number;
  /** The first queue item that is the rules' own event (onRulesEvent). */
  private readonly rulesItem0: number;

  constructor(s: CompactSchedule, batchBlocked: boolean, layout: ClassLayout) {
    this.s = s;
    this.nc = s.numCpus;
    this.nn = s.numNics;
    this.stride = this.nc + 2 * this.nn + layout.hostSlots;
    this.gs0 = this.nc;
    this.gr0 = this.nc + this.nn;
    this.hostSlot0 = this.nc + 2 * this.nn;
    this.nexto = new Float64Array(s.numRanks * this.stride);
    this.nextgs = this.nexto;
    this.nextgr = this.nexto;
    this.u8 = s.u8;
    this.i32 = s.i32;
    this.f64 = s.f64;
    this.startEdges = s.hasStartEdges;
    s.claimEngineFields();
    // Typed arrays come from zeroed pages that are mapped on first touch: sizing the
    // queue and the parked events for the whole schedule up front costs nothing for the
    // part never used, and saves the doubling copies (and the page faults of every
    // intermediate array) of a queue that grows to millions.
    this.queue = new EventQueue(s.numOps + 1024);
    // Receives free at the start are all posted at once: size the receive queue for them.
    const links = MatchQueue.links(s.numOps, s.wildcards);
    this.rq = new MatchQueue(s.numRanks, links, s.rootReceives);
    this.uq = new MatchQueue(s.numRanks, links);
    if (2 * s.numOps > MAX_STAMPS) throw new RangeError(`schedule too large: ${s.numOps} operations`);
    const cpus = s.numRanks * this.nc;
    this.split = layout.split;
    this.msgKindSize = cpus * this.nn * this.split;
    this.sendClass0 = cpus;
    this.msgClass0 = cpus + this.msgKindSize;
    this.numClasses = cpus + this.msgKindSize * (1 + layout.messageKinds);
    // At most one parked event per operation (the op, or its message, never both).
    this.waiters = new Waiters(this.numClasses, s.numOps + 16);
    this.rulesItem0 = s.numOps + this.numClasses;
    this.batch = batchBlocked;
  }

  // The rules.

  /** A send's event at `t` on host `h` (its rank). */
  protected abstract onSend(op: number, t: number, stamp: number, h: number): void;
  /** A receive's event: it is posted (or takes a waiting message). */
  protected abstract onRecv(op: number, t: number, h: number, stamp: number): void;
  /** An event of send `sop`'s message at its receiver `h`. */
  protected abstract onMessage(sop: number, t: number, stamp: number, h: number): void;
  /** When all the clocks a parked event (an op, or ~op for a message) needs are free. */
  protected abstract freeAt(item: number): number;

  /** An event of the rules' own (queued by pushRulesEvent; none in LogGOPSim's rules). */
  protected onRulesEvent(_id: number, _t: number): void {}

  /** Queues the rules' own event `id` at `t`, after the events already queued for `t`. */
  protected pushRulesEvent(id: number, t: number): void {
    this.queue.push(t, this.stamps++, this.rulesItem0 + id, 0);
  }

  queueStats(): EventQueueStats {
    return this.queue.stats();
  }

  run(progress?: (doneOps: number, numOps: number) => void): SimResult {
    this.queueRoots();
    const q = this.queue;
    const numOps = this.s.numOps;
    let events = 0;
    while (q.size > 0) {
      // One branch per event when no one asks; a report every PROGRESS_EVENTS otherwise.
      if (progress !== undefined && (++events & (PROGRESS_EVENTS - 1)) === 0) progress(this.doneOps, numOps);
      q.pop();
      const item = q.item;
      if (item < numOps) this.dispatch(item, q.time, q.stamp, q.aux);
      else if (item < numOps + this.numClasses) this.onWake(item - numOps, q.time, q.stamp);
      else this.onRulesEvent(item - this.rulesItem0, q.time);
      if (this.readyLen > 0) this.queueReady();
    }
    this.checkFinished();
    progress?.(this.doneOps, numOps);
    return this.result();
  }

  /**
   * Runs an operation's event or a message's. `host` is where it happens (the
   * operation's rank, the message's receiver): queued events carry it, so that the
   * host's clocks load alongside the operation's record rather than after it.
   */
  private dispatch(item: number, t: number, stamp: number, host: number): void {
    if (item < 0) this.onMessage(~item, t, stamp, host);
    else if (this.kindOf(item) === OP_SEND) this.onSend(item, t, stamp, host);
    else if (this.kindOf(item) === OP_CALC) this.onCalc(item, t, stamp, host);
    else this.onRecv(item, t, host, stamp);
  }

  /** The host of an operation's event or a message's. */
  protected hostOf(item: number): number {
    return item < 0 ? this.peerOf(~item) : this.rankOf(item);
  }

  /** Parks a blocked event with its class (or, without batching, re-queues it as LogGOPSim does). */
  protected block(cls: number, item: number, stamp: number, freeAt: number): void {
    if (!this.batch) return this.queue.push(freeAt, stamp, item, this.hostOf(item));
    const w = this.waiters;
    w.add(cls, item, stamp);
    if (w.wakeStampOf(cls) < 0 || stamp < w.wakeStampOf(cls)) {
      w.wakeTime[cls] = freeAt;
      w.setWakeStamp(cls, stamp);
      this.queue.push(freeAt, stamp, this.s.numOps + cls, 0);
    }
  }

  /** A class's wake-up: run its first waiting event if the clocks are free, else wait on. */
  private onWake(cls: number, t: number, stamp: number): void {
    const w = this.waiters;
    if (w.wakeStampOf(cls) !== stamp || w.wakeTime[cls] !== t) return; // superseded
    const item = w.minItem(cls);
    const freeAt = this.freeAt(item);
    if (freeAt > t) {
      w.wakeTime[cls] = freeAt;
      this.queue.push(freeAt, stamp, this.s.numOps + cls, 0);
      return;
    }
    w.setWakeStamp(cls, -1);
    const first = w.removeMin(cls);
    this.dispatch(first, t, stamp, this.hostOf(first));
    if (!w.isEmpty(cls)) {
      const next = Math.max(t, this.freeAt(w.minItem(cls)));
      w.wakeTime[cls] = next;
      w.setWakeStamp(cls, w.minStamp(cls));
      this.queue.push(next, w.wakeStampOf(cls), this.s.numOps + cls, 0);
    }
  }

  /**
   * An operation's CPU and NIC index. Nearly every schedule has one CPU and one NIC per
   * host; then the per-op arrays are not read at all (two cache misses per event fewer).
   */
  protected cpuOf(op: number): number {
    return this.nc === 1 ? 0 : this.u8[(op << U8_SHIFT) + U8_CPU];
  }

  protected nicOf(op: number): number {
    return this.nn === 1 ? 0 : this.u8[(op << U8_SHIFT) + U8_NIC];
  }

  // Fields of an operation's record (op-record.ts).
  protected kindOf(op: number): number {
    return this.u8[(op << U8_SHIFT) + U8_KIND] & KIND_MASK;
  }

  protected rankOf(op: number): number {
    return this.i32[(op << I32_SHIFT) + I32_RANK];
  }

  protected peerOf(op: number): number {
    return this.i32[(op << I32_SHIFT) + I32_PEER];
  }

  protected tagOf(op: number): number {
    return this.i32[(op << I32_SHIFT) + I32_TAG];
  }

  protected sizeOf(op: number): number {
    return this.f64[(op << F64_SHIFT) + F64_SIZE];
  }

  /** The class of calcs on CPU `cpu` of host `h` (and of anything else that needs that CPU alone). */
  protected cpuClass(h: number, cpu: number): number {
    return h * this.nc + cpu;
  }

  /** The class of sends on (CPU, NIC) of host `h`, through the shared resource or not. */
  protected sendClass(h: number, cpu: number, nic: number, shared: boolean): number {
    return this.sendClass0 + ((h * this.nc + cpu) * this.nn + nic) * this.split + (shared ? 1 : 0);
  }

  /** The class of messages of kind `kind` (0 .. messageKinds-1) arriving at (CPU, NIC) of host `h`. */
  protected msgClass(kind: number, h: number, cpu: number, nic: number, shared: boolean): number {
    const k = ((h * this.nc + cpu) * this.nn + nic) * this.split + (shared ? 1 : 0);
    return this.msgClass0 + kind * this.msgKindSize + k;
  }

  /**
   * Which of two operations that became runnable in the same event is queued first (so
   * takes a resource first when both want it at the same time): the lower rank, as
   * LogGOPSim visits hosts. Rule sets may order them otherwise; each host's own
   * operations stay together, in LogGOPSim's order.
   */
  protected readyBefore(a: number, b: number): boolean {
    return this.rankOf(a) < this.rankOf(b);
  }

  /** The order in which hosts queue their operations without dependencies (null: rank order). */
  protected rootHostOrder(): Int32Array | null {
    return null;
  }

  /** Every host's operations without dependencies, at time 0, hosts in rank order (or the rules' order). */
  private queueRoots(): void {
    const { rankStart, rankOps, depCount } = this.s;
    const order = this.rootHostOrder();
    for (let i = 0; i < this.s.numRanks; i++) {
      const h = order === null ? i : order[i];
      let roots = 0;
      let root = -1;
      for (let k = rankStart[h]; k < rankStart[h + 1]; k++) {
        if (depCount[rankOps[k]] === 0) {
          root = rankOps[k];
          roots++;
        }
      }
      if (roots <= 1) {
        if (roots === 1) this.queue.push(0, this.stamps++, root, h);
        continue;
      }
      this.readyLen = 0;
      for (let k = rankStart[h]; k < rankStart[h + 1]; k++) {
        const op = rankOps[k];
        if (depCount[op] === 0) this.pushReady(op);
      }
      const n = this.takeReadyOf(h);
      for (let i = 0; i < n; i++) this.queue.push(0, this.stamps++, this.scratch[i], h);
    }
    this.readyLen = 0;
  }

  /** calc: needs the CPU; holds it for its length (the same in every rule set). */
  private onCalc(op: number, t: number, stamp: number, h: number): void {
    const c = h * this.stride + this.cpuOf(op);
    if (this.nexto[c] <= t) {
      this.nexto[c] = t + this.sizeOf(op);
      this.markStarted(op);
      this.markDone(op);
    } else {
      this.block(this.cpuClass(h, this.cpuOf(op)), op, stamp, this.nexto[c]);
    }
  }

  /**
   * A matched rendezvous send completes at the match: LogGOPSim raises the sender's CPU
   * and NIC send clocks to the match time, which is safe because no event earlier than
   * `t` is left in the queue.
   */
  protected pullUpSender(sender: number, cpu: number, nic: number, t: number): void {
    const c = sender * this.stride + cpu;
    const ni = sender * this.stride + this.gs0 + nic;
    if (this.nexto[c] < t) this.nexto[c] = t;
    if (this.nextgs[ni] < t) this.nextgs[ni] = t;
  }

  protected markStarted(op: number): void {
    const st = (op << U8_SHIFT) + U8_STATE;
    if (this.u8[st] < STATE_STARTED) this.u8[st] = STATE_STARTED;
    if (!this.startEdges) return;
    const { startStart, startSucc } = this.s;
    for (let k = startStart[op]; k < startStart[op + 1]; k++) this.satisfyOne(startSucc[k]);
  }

  protected markDone(op: number): void {
    const st = (op << U8_SHIFT) + U8_STATE;
    if (this.u8[st] !== STATE_DONE) this.doneOps++;
    this.u8[st] = STATE_DONE;
    const i32 = this.i32;
    const start = i32[(op << I32_SHIFT) + I32_DONE_START];
    const end = i32[((op + 1) << I32_SHIFT) + I32_DONE_START];
    if (start === end) return;
    if ((this.u8[(op << U8_SHIFT) + U8_KIND] & KIND_SUCCESSORS_FOLLOW) !== 0) {
      // The successors are op + 1 .. op + count: no list to read (one memory round trip less).
      for (let next = op + 1; next <= op + end - start; next++) this.satisfyOne(next);
      return;
    }
    const doneSucc = this.s.doneSucc;
    for (let k = start; k < end; k++) this.satisfyOne(doneSucc[k]);
  }

  /** One dependency of `op` is met; it becomes ready with the last. */
  private satisfyOne(op: number): void {
    if (--this.i32[(op << I32_SHIFT) + I32_PENDING] === 0) this.pushReady(op);
  }

  private pushReady(op: number): void {
    if (this.readyLen === this.ready.length) {
      const grown = new Int32Array(this.ready.length * 2);
      grown.set(this.ready);
      this.ready = grown;
    }
    this.ready[this.readyLen++] = op;
  }

  /** Queues the operations that became runnable in this event, host by host (`readyBefore`). */
  private queueReady(): void {
    let remaining = this.readyLen;
    while (remaining > 0) {
      let first = -1;
      for (let i = 0; i < this.readyLen; i++) {
        const op = this.ready[i];
        if (op >= 0 && (first < 0 || this.readyBefore(op, first))) first = op;
      }
      const host = this.rankOf(first);
      const n = this.takeReadyOf(host);
      remaining -= n;
      for (let i = 0; i < n; i++) {
        const op = this.scratch[i];
        const c = host * this.stride + this.cpuOf(op);
        const time =
          this.kindOf(op) === OP_SEND
            ? Math.max(this.nexto[c], this.nextgs[host * this.stride + this.gs0 + this.nicOf(op)])
            : this.nexto[c];
        this.queue.push(time, this.stamps++, op, host);
      }
    }
    this.readyLen = 0;
  }

  /** Moves `host`'s ready operations (in the order they became ready) to `scratch`, sorted by type. */
  private takeReadyOf(host: number): number {
    if (this.scratch.length < this.readyLen) {
      this.scratch = new Int32Array(this.ready.length);
      this.sortPos = new Int32Array(this.ready.length);
      this.sortKey = new Uint8Array(this.ready.length);
    }
    let n = 0;
    for (let i = 0; i < this.readyLen; i++) {
      const op = this.ready[i];
      if (op >= 0 && this.rankOf(op) === host) {
        this.scratch[n++] = op;
        this.ready[i] = -1;
      }
    }
    if (n > 1) this.sortByKind(n);
    return n;
  }

  /**
   * Sorts scratch[0..n) by kind as LogGOPSim's std::sort does. The sort permutes positions
   * by their keys alone, so it runs on positions 0..n-1 with the kinds copied beside them
   * (the kinds sit in the operations' records, not in an array indexed by op).
   */
  private sortByKind(n: number): void {
    const pos = this.sortPos;
    const key = this.sortKey;
    const ops = this.scratch;
    for (let i = 0; i < n; i++) {
      pos[i] = i;
      key[i] = this.kindOf(ops[i]);
    }
    sortLikeLibstdcxx(pos, n, key);
    for (let i = 0; i < n; i++) pos[i] = ops[pos[i]];
    ops.set(pos.subarray(0, n));
  }

  private checkFinished(): void {
    let unfinished = this.rq.count > 0 || this.uq.count > 0;
    if (this.doneOps !== this.s.numOps) unfinished = true;
    if (!unfinished) return;
    const state = new Uint8Array(this.s.numOps);
    for (let op = 0; op < this.s.numOps; op++) state[op] = this.u8[(op << U8_SHIFT) + U8_STATE];
    throw deadlockError(this.s, state, this.rq, this.uq);
  }

  private result(): SimResult {
    const p = this.s.numRanks;
    const finishNs = new Float64Array(p);
    let maxFinishNs = 0;
    let maxHost = 0;
    for (let h = 0; h < p; h++) {
      let f = 0;
      for (let c = 0; c < this.nc; c++) f = Math.max(f, this.nexto[h * this.stride + c]);
      finishNs[h] = f;
      if (f > maxFinishNs) {
        maxFinishNs = f;
        maxHost = h;
      }
    }
    return { finishNs, maxFinishNs, maxHost, events: this.stamps };
  }
}
