import { UsageError } from '../../errors.js';
import type { LogGOPSParams, NativeNetwork, Schedule, SimOptions, SimResult } from './contract.js';
import {
  compatRecvCpuFree,
  compatRecvNicFree,
  compatSendCpuFree,
  compatSendNicFree,
  firstByteArrival,
  hcaFree,
  isEager,
  nativeRecvCpuFree,
  nativeRecvNicFree,
  nativeSendCpuFree,
  nativeSendNicFree,
} from './costs.js';
import { deadlockError } from './deadlock.js';
import { EventQueue, type EventQueueStats } from './event-queue.js';
import { sortLikeLibstdcxx } from './libstdcxx-sort.js';
import { MatchQueue } from './match-queue.js';
import { OP_CALC, OP_RECV, OP_SEND } from './ops.js';
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
import { CompactSchedule } from './schedule.js';
import { MAX_STAMPS, Waiters } from './waiters.js';

/**
 * Runs a schedule through the LogGOPS discrete-event engine and returns every host's
 * finishing time (when its CPU was last busy).
 *
 * The engine follows LogGOPSim's main loop (spcl/LogGOPSim `src/LogGOPSim/LogGOPSim.cpp`;
 * Hoefler, Schneider, Lumsdaine, HPDC 2010) event for event:
 * - Each host has per CPU a clock `nexto` and per NIC a send clock `nextgs` and a receive
 *   clock `nextgr`. An event whose resource is busy goes back into the queue at the time
 *   the resource frees, keeping its stamp (so ties keep creation order).
 * - calc: needs the CPU; holds it for its length. A send needs CPU and NIC send side,
 *   charges them (see costs.ts), and puts a message event at t + o + L; an eager send
 *   (s <= S) completes at once. A receive is posted at once: it takes the first matching
 *   entry of the host's unexpected queue or joins its receive queue. A message needs the
 *   receiver's CPU and NIC receive side, charges them whether or not a receive is posted,
 *   then takes the first matching posted receive or joins the unexpected queue.
 *   Matching a rendezvous message completes the send and pulls the sender's clocks up
 *   to the match time.
 * - `irequires` edges release when an operation starts, `requires` edges when it
 *   completes. Newly runnable operations of a host are sorted by type (sends, receives,
 *   calcs) with libstdc++'s unstable sort, stamped in that order and queued at the time
 *   their CPU (and, for a send, NIC) is next free; hosts are visited in rank order.
 * - The event count is LogGOPSim's: operations queued plus messages created.
 * - Blocked events wait per resource class instead of being popped again at every
 *   release (see waiters.ts: same decisions at the same points, far fewer pops). That
 *   needs clocks that never move back, which only LogGOPSim's zero-byte wrap-around with
 *   O or G larger than o or g breaks; such runs re-queue blocked events as LogGOPSim does.
 *
 * Modes. `compat` reproduces LogGOPSim: one LogGOPS parameter set for every pair,
 * integer nanoseconds with uint64 wrap-around (zero-byte messages), rendezvous decided
 * by the receive's size when the message was already waiting (a LogGOPSim quirk), and a
 * message charged on the receiver's CPU/NIC with the sender's indices. `native` (ibvf's
 * mode): float64 ns; parameters per rank pair from `network.params(src, dst, bytes)`, o_s
 * at the sender and o_r at the receiver; per-byte terms max(s-1, 0); rendezvous decided
 * by the message's size and the pair's S; and, when `network.hca` is given, each node's
 * HCA send side and receive side are shared resources that a message through the HCA
 * holds for messageGapNs + s * perByteNs (shared-memory pairs skip it).
 *
 * Throws SimDeadlockError (a RunError) when operations remain that can never complete.
 */
export function simulate(schedule: Schedule, options: SimOptions, tuning: SimTuning = {}): SimResult {
  if (!(schedule instanceof CompactSchedule)) {
    throw new TypeError('simulate() takes a schedule made by createScheduleBuilder() or a GOAL reader');
  }
  const engine = new Engine(schedule, options, tuning.batchBlocked ?? true);
  const result = engine.run();
  if (tuning.queueStats) Object.assign(tuning.queueStats, engine.queueStats());
  return result;
}

/** Engine switches that do not change results (tests compare both settings). */
export interface SimTuning {
  /** Park blocked events per resource class (default) instead of re-queueing each as LogGOPSim does. */
  batchBlocked?: boolean;
  /** Filled in after the run with what the event queue saw (benchmarks print it). */
  queueStats?: Partial<EventQueueStats>;
}

/** Checks LogGOPSim-mode parameters: whole, non-negative numbers, as its int options are. */
export function checkCompatParams(p: LogGOPSParams): void {
  for (const name of ['L', 'o', 'g', 'G', 'O', 'S'] as const) {
    const v = p[name];
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new UsageError(
        `LogGOPSim compatibility mode takes whole nanoseconds (and bytes for S): ${name} = ${v} is not a whole number >= 0 (use native mode for fractions)`,
      );
    }
  }
}

/** `Waiters.wakeTime` of a class that waits in an HCA side group instead of the event queue. */
const IN_HCA_GROUP = -Infinity;

class Engine {
  private readonly s: CompactSchedule;
  private readonly compat: boolean;
  // compat parameters
  private readonly L: number = 0;
  private readonly o: number = 0;
  private readonly g: number = 0;
  private readonly G: number = 0;
  private readonly O: number = 0;
  private readonly S: number = 0;
  // native machine
  private readonly network: NativeNetwork | undefined;
  private readonly hcaGap: number = 0;
  private readonly hcaPerByte: number = 0;
  private readonly hcaSend: Float64Array;
  private readonly hcaRecv: Float64Array;
  // clocks
  private readonly nc: number;
  private readonly nn: number;
  // One array holds every host's clocks side by side (CPUs, NIC send sides, NIC receive
  // sides; `stride` per host) so that an event touches one cache line, not three.
  private readonly nexto: Float64Array;
  private readonly nextgs: Float64Array;
  private readonly nextgr: Float64Array;
  private readonly stride: number;
  private readonly gs0: number;
  private readonly gr0: number;
  // the schedule's operation records (op-record.ts); state and unmet dependencies are ours
  private readonly u8: Uint8Array;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private readonly startEdges: boolean;
  // matching
  private readonly queue: EventQueue;
  private readonly rq: MatchQueue;
  private readonly uq: MatchQueue;
  private ready: Int32Array = new Int32Array(64);
  private readyLen = 0;
  private scratch: Int32Array = new Int32Array(64);
  private sortPos: Int32Array = new Int32Array(64);
  private sortKey: Uint8Array = new Uint8Array(64);
  private stamps = 0;
  /** Operations completed (the run finished when all are, and no message waits). */
  private doneOps = 0;
  // blocked events, by resource class; wake-up items are numOps + class
  private readonly waiters: Waiters;
  private readonly batch: boolean;
  private readonly sendClass0: number;
  private readonly hcaSplit: number;
  private readonly msgClass0: number;
  private readonly numClasses: number;
  // Classes waiting for a busy shared HCA side, per node side (see onHcaWake); wake-up
  // items are numOps + numClasses + group.
  private readonly hcaGroups: Waiters;
  private readonly numNodes: number;

  constructor(s: CompactSchedule, options: SimOptions, batchBlocked: boolean) {
    this.s = s;
    this.compat = options.mode === 'compat';
    if (options.mode === 'compat') {
      checkCompatParams(options.params);
      ({ L: this.L, o: this.o, g: this.g, G: this.G, O: this.O, S: this.S } = options.params);
      this.network = undefined;
      this.hcaSend = new Float64Array(0);
      this.hcaRecv = new Float64Array(0);
    } else {
      const net = options.network;
      if (net.nodeOf.length < s.numRanks) {
        throw new UsageError(`network.nodeOf has ${net.nodeOf.length} entries for ${s.numRanks} ranks`);
      }
      this.network = net;
      let nodes = 0;
      for (let r = 0; r < s.numRanks; r++) nodes = Math.max(nodes, net.nodeOf[r] + 1);
      this.hcaSend = new Float64Array(nodes);
      this.hcaRecv = new Float64Array(nodes);
      if (net.hca) {
        this.hcaGap = net.hca.messageGapNs;
        this.hcaPerByte = net.hca.perByteNs;
      }
    }
    this.nc = s.numCpus;
    this.nn = s.numNics;
    this.stride = this.nc + 2 * this.nn;
    this.gs0 = this.nc;
    this.gr0 = this.nc + this.nn;
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
    // Classes: calcs per CPU; sends and messages per (CPU, NIC), split by HCA use when shared.
    const cpus = s.numRanks * this.nc;
    this.hcaSplit = this.network?.hca !== undefined ? 2 : 1;
    this.sendClass0 = cpus;
    this.msgClass0 = cpus + cpus * this.nn * this.hcaSplit;
    this.numClasses = cpus * (1 + 2 * this.nn * this.hcaSplit);
    // At most one parked event per operation (the op, or its message, never both).
    this.waiters = new Waiters(this.numClasses, s.numOps + 16);
    this.numNodes = this.hcaSend.length;
    this.hcaGroups = new Waiters(this.hcaSplit === 2 ? 2 * this.numNodes : 0, 64);
    this.batch = batchBlocked && (!this.compat || !this.clocksMayMoveBack());
  }

  /** LogGOPSim's wrap-around: a zero-byte message with O or G above o or g sets a clock below t. */
  private clocksMayMoveBack(): boolean {
    if (this.O <= this.o && this.G <= this.o && this.G <= this.g) return false;
    for (let op = 0; op < this.s.numOps; op++)
      if (this.kindOf(op) === OP_SEND && this.sizeOf(op) === 0) return true;
    return false;
  }

  queueStats(): EventQueueStats {
    return this.queue.stats();
  }

  run(): SimResult {
    this.queueRoots();
    const q = this.queue;
    const numOps = this.s.numOps;
    while (q.size > 0) {
      q.pop();
      const item = q.item;
      if (item < numOps) this.dispatch(item, q.time, q.stamp, q.aux);
      else if (item < numOps + this.numClasses) this.onWake(item - numOps, q.time, q.stamp);
      else this.onHcaWake(item - numOps - this.numClasses, q.time, q.stamp);
      if (this.readyLen > 0) this.queueReady();
    }
    this.checkFinished();
    return this.result();
  }

  /**
   * Runs an operation's event or a message's arrival. `host` is where it happens (the
   * operation's rank, the message's receiver): queued events carry it, so that the
   * host's clocks load alongside the operation's record rather than after it.
   */
  private dispatch(item: number, t: number, stamp: number, host: number): void {
    if (item < 0) this.onMessage(~item, t, stamp, host);
    else if (this.kindOf(item) === OP_SEND) this.onSend(item, t, stamp, host);
    else if (this.kindOf(item) === OP_CALC) this.onCalc(item, t, stamp, host);
    else this.onRecv(item, t, host);
  }

  /** The host of an operation's event or a message's arrival. */
  private hostOf(item: number): number {
    return item < 0 ? this.peerOf(~item) : this.rankOf(item);
  }

  /** Parks a blocked event with its class (or, without batching, re-queues it as LogGOPSim does). */
  private block(cls: number, item: number, stamp: number, freeAt: number): void {
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
    if (freeAt > t) return this.waitAgain(cls, item, stamp, freeAt);
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
   * A class whose first event found its clocks busy waits for them: in the event queue
   * at the time they free, or, when what it waits for is a shared HCA side, in that HCA
   * side's group. Ranks sharing a node's HCA otherwise all wake each time it frees and
   * all but one go back to sleep (16 ranks per node: five wasted pops per event).
   */
  private waitAgain(cls: number, item: number, stamp: number, freeAt: number): void {
    const w = this.waiters;
    const g = this.hcaGroupOf(cls, item);
    if (g < 0 || this.hcaClock(g) < freeAt) {
      w.wakeTime[cls] = freeAt;
      this.queue.push(freeAt, stamp, this.s.numOps + cls, 0);
      return;
    }
    w.wakeTime[cls] = IN_HCA_GROUP;
    const groups = this.hcaGroups;
    groups.add(g, cls, stamp);
    if (groups.wakeStampOf(g) < 0 || stamp < groups.wakeStampOf(g)) this.pushHcaWake(g, freeAt, stamp);
  }

  /** The HCA side group a class's events wait in when the HCA is busy, or -1 (no shared HCA on their path). */
  private hcaGroupOf(cls: number, item: number): number {
    if (this.hcaSplit !== 2 || cls < this.sendClass0 || (cls - this.sendClass0) % 2 === 0) return -1;
    const nodeOf = this.network!.nodeOf;
    return item < 0 ? this.numNodes + nodeOf[this.peerOf(~item)] : nodeOf[this.rankOf(item)];
  }

  private hcaClock(g: number): number {
    return g < this.numNodes ? this.hcaSend[g] : this.hcaRecv[g - this.numNodes];
  }

  private pushHcaWake(g: number, t: number, stamp: number): void {
    this.hcaGroups.wakeTime[g] = t;
    this.hcaGroups.setWakeStamp(g, stamp);
    this.queue.push(t, stamp, this.s.numOps + this.numClasses + g, 0);
  }

  /**
   * An HCA side group's wake-up. Its classes stand for class wake-ups LogGOPSim would
   * have queued at the HCA's free time with their own stamps; a blocked event runs at the
   * first (time, stamp) point where its clocks are free (they only move forward), so
   * trying the group's classes one at a time in stamp order, each at the HCA's current
   * free time, makes the same decisions. A class that meanwhile got a new first event
   * (a smaller stamp, queued by `block`) left the group: its entry here is stale.
   */
  private onHcaWake(g: number, t: number, stamp: number): void {
    const groups = this.hcaGroups;
    if (groups.wakeStampOf(g) !== stamp || groups.wakeTime[g] !== t) return; // superseded
    this.dropStaleHcaWaiters(g);
    if (groups.isEmpty(g)) {
      groups.setWakeStamp(g, -1);
      return;
    }
    const first = groups.minStamp(g);
    const hcaFreeAt = this.hcaClock(g);
    if (hcaFreeAt > t || first !== stamp) return this.pushHcaWake(g, Math.max(t, hcaFreeAt), first);
    const cls = groups.removeMin(g);
    groups.setWakeStamp(g, -1);
    this.waiters.wakeTime[cls] = t;
    this.onWake(cls, t, stamp);
    if (groups.wakeStampOf(g) >= 0) return; // the class came back and queued the group's wake-up
    this.dropStaleHcaWaiters(g);
    if (!groups.isEmpty(g)) this.pushHcaWake(g, Math.max(t, this.hcaClock(g)), groups.minStamp(g));
  }

  private dropStaleHcaWaiters(g: number): void {
    const groups = this.hcaGroups;
    const w = this.waiters;
    while (!groups.isEmpty(g)) {
      const cls = groups.minItem(g);
      if (w.wakeTime[cls] === IN_HCA_GROUP && w.wakeStampOf(cls) === groups.minStamp(g)) return;
      groups.removeMin(g);
    }
  }

  /** When all the clocks an event needs are free. */
  private freeAt(item: number): number {
    if (item < 0) {
      const sop = ~item;
      const h = this.peerOf(sop);
      const f = Math.max(
        this.nexto[h * this.stride + this.cpuOf(sop)],
        this.nextgr[h * this.stride + this.gr0 + this.nicOf(sop)],
      );
      return this.viaHca(this.rankOf(sop), h) ? Math.max(f, this.hcaRecv[this.network!.nodeOf[h]]) : f;
    }
    const h = this.rankOf(item);
    const cpuFree = this.nexto[h * this.stride + this.cpuOf(item)];
    if (this.kindOf(item) !== OP_SEND) return cpuFree;
    const f = Math.max(cpuFree, this.nextgs[h * this.stride + this.gs0 + this.nicOf(item)]);
    return this.viaHca(h, this.peerOf(item)) ? Math.max(f, this.hcaSend[this.network!.nodeOf[h]]) : f;
  }

  /**
   * An operation's CPU and NIC index. Nearly every schedule has one CPU and one NIC per
   * host; then the per-op arrays are not read at all (two cache misses per event fewer).
   */
  private cpuOf(op: number): number {
    return this.nc === 1 ? 0 : this.u8[(op << U8_SHIFT) + U8_CPU];
  }

  private nicOf(op: number): number {
    return this.nn === 1 ? 0 : this.u8[(op << U8_SHIFT) + U8_NIC];
  }

  // Fields of an operation's record (op-record.ts).
  private kindOf(op: number): number {
    return this.u8[(op << U8_SHIFT) + U8_KIND] & KIND_MASK;
  }

  private rankOf(op: number): number {
    return this.i32[(op << I32_SHIFT) + I32_RANK];
  }

  private peerOf(op: number): number {
    return this.i32[(op << I32_SHIFT) + I32_PEER];
  }

  private tagOf(op: number): number {
    return this.i32[(op << I32_SHIFT) + I32_TAG];
  }

  private sizeOf(op: number): number {
    return this.f64[(op << F64_SHIFT) + F64_SIZE];
  }

  private viaHca(src: number, dst: number): boolean {
    return !this.compat && this.network!.hca !== undefined && this.network!.usesHca(src, dst);
  }

  private classOf(kind: number, h: number, cpu: number, nic: number, via: boolean): number {
    const cpuIndex = h * this.nc + cpu;
    if (kind === OP_CALC) return cpuIndex;
    const k = (cpuIndex * this.nn + nic) * this.hcaSplit + (via ? 1 : 0);
    return (kind === OP_SEND ? this.sendClass0 : this.msgClass0) + k;
  }

  /** Every host's operations without dependencies, at time 0, hosts in rank order. */
  private queueRoots(): void {
    const { rankStart, rankOps, depCount } = this.s;
    for (let h = 0; h < this.s.numRanks; h++) {
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

  private onCalc(op: number, t: number, stamp: number, h: number): void {
    const c = h * this.stride + this.cpuOf(op);
    if (this.nexto[c] <= t) {
      this.nexto[c] = t + this.sizeOf(op);
      this.markStarted(op);
      this.markDone(op);
    } else {
      this.block(this.classOf(OP_CALC, h, this.cpuOf(op), 0, false), op, stamp, this.nexto[c]);
    }
  }

  private onSend(op: number, t: number, stamp: number, h: number): void {
    const dst = this.peerOf(op);
    const bytes = this.sizeOf(op);
    const c = h * this.stride + this.cpuOf(op);
    const ni = h * this.stride + this.gs0 + this.nicOf(op);
    let freeAt = Math.max(this.nexto[c], this.nextgs[ni]);
    if (this.compat) {
      if (freeAt > t)
        return this.block(this.classOf(OP_SEND, h, this.cpuOf(op), this.nicOf(op), false), op, stamp, freeAt);
      this.markStarted(op);
      this.nexto[c] = compatSendCpuFree(t, bytes, this.o, this.O);
      this.nextgs[ni] = compatSendNicFree(t, bytes, this.g, this.G);
      this.queue.push(firstByteArrival(t, this.o, this.L), this.stamps++, ~op, dst);
      if (isEager(bytes, this.S)) this.markDone(op);
      return;
    }
    const net = this.network!;
    const node = net.nodeOf[h];
    const viaHca = net.hca !== undefined && net.usesHca(h, dst);
    if (viaHca) freeAt = Math.max(freeAt, this.hcaSend[node]);
    if (freeAt > t)
      return this.block(this.classOf(OP_SEND, h, this.cpuOf(op), this.nicOf(op), viaHca), op, stamp, freeAt);
    const p = net.params(h, dst, bytes);
    this.markStarted(op);
    this.nexto[c] = nativeSendCpuFree(t, bytes, p.o_s, p.O);
    this.nextgs[ni] = nativeSendNicFree(t, bytes, p.g, p.G);
    if (viaHca) this.hcaSend[node] = hcaFree(t, bytes, this.hcaGap, this.hcaPerByte);
    this.queue.push(firstByteArrival(t, p.o_s, p.L), this.stamps++, ~op, dst);
    if (isEager(bytes, p.S)) this.markDone(op);
  }

  private onRecv(op: number, t: number, h: number): void {
    this.markStarted(op);
    const sop = this.uq.match(h, this.peerOf(op), this.tagOf(op));
    if (sop < 0) {
      this.rq.add(h, this.peerOf(op), this.tagOf(op), op);
      return;
    }
    // LogGOPSim decides rendezvous here by the receive's size and pulls up the sender's
    // clocks with the receive's CPU and NIC indices; native mode uses the message's own.
    const sender = this.rankOf(sop);
    const rendezvous = this.compat
      ? !isEager(this.sizeOf(op), this.S)
      : !isEager(this.sizeOf(sop), this.network!.params(sender, h, this.sizeOf(sop)).S);
    if (rendezvous) {
      this.markDone(sop);
      const via = this.compat ? op : sop;
      this.pullUpSender(sender, this.cpuOf(via), this.nicOf(via), t);
    }
    this.markDone(op);
  }

  private onMessage(sop: number, t: number, stamp: number, h: number): void {
    const sender = this.rankOf(sop);
    const bytes = this.sizeOf(sop);
    // The message uses the receiver's CPU and NIC with the send's indices, as in LogGOPSim.
    const c = h * this.stride + this.cpuOf(sop);
    const ni = h * this.stride + this.gr0 + this.nicOf(sop);
    let freeAt = Math.max(this.nexto[c], this.nextgr[ni]);
    let S: number;
    if (this.compat) {
      if (freeAt > t)
        return this.block(
          this.classOf(OP_RECV, h, this.cpuOf(sop), this.nicOf(sop), false),
          ~sop,
          stamp,
          freeAt,
        );
      this.nexto[c] = compatRecvCpuFree(t, bytes, this.o, this.O, this.G);
      this.nextgr[ni] = compatRecvNicFree(t, bytes, this.g, this.G);
      S = this.S;
    } else {
      const net = this.network!;
      const node = net.nodeOf[h];
      const viaHca = net.hca !== undefined && net.usesHca(sender, h);
      if (viaHca) freeAt = Math.max(freeAt, this.hcaRecv[node]);
      if (freeAt > t)
        return this.block(
          this.classOf(OP_RECV, h, this.cpuOf(sop), this.nicOf(sop), viaHca),
          ~sop,
          stamp,
          freeAt,
        );
      const p = net.params(sender, h, bytes);
      this.nexto[c] = nativeRecvCpuFree(t, bytes, p.o_r, p.O, p.G);
      this.nextgr[ni] = nativeRecvNicFree(t, bytes, p.g, p.G);
      if (viaHca) this.hcaRecv[node] = hcaFree(t, bytes, this.hcaGap, this.hcaPerByte);
      S = p.S;
    }
    const rop = this.rq.match(h, sender, this.tagOf(sop));
    if (rop < 0) {
      this.uq.add(h, sender, this.tagOf(sop), sop);
      return;
    }
    if (!isEager(bytes, S)) {
      this.markDone(sop);
      this.pullUpSender(sender, this.cpuOf(sop), this.nicOf(sop), t);
    }
    this.markDone(rop);
  }

  /**
   * A matched rendezvous send completes at the match: LogGOPSim raises the sender's CPU
   * and NIC send clocks to the match time, which is safe because no event earlier than
   * `t` is left in the queue.
   */
  private pullUpSender(sender: number, cpu: number, nic: number, t: number): void {
    const c = sender * this.stride + cpu;
    const ni = sender * this.stride + this.gs0 + nic;
    if (this.nexto[c] < t) this.nexto[c] = t;
    if (this.nextgs[ni] < t) this.nextgs[ni] = t;
  }

  private markStarted(op: number): void {
    const st = (op << U8_SHIFT) + U8_STATE;
    if (this.u8[st] < STATE_STARTED) this.u8[st] = STATE_STARTED;
    if (!this.startEdges) return;
    const { startStart, startSucc } = this.s;
    for (let k = startStart[op]; k < startStart[op + 1]; k++) this.satisfyOne(startSucc[k]);
  }

  private markDone(op: number): void {
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

  /** Queues the operations that became runnable in this event, host by host in rank order. */
  private queueReady(): void {
    let remaining = this.readyLen;
    while (remaining > 0) {
      let host = 0x7fffffff;
      for (let i = 0; i < this.readyLen; i++) {
        const op = this.ready[i];
        if (op >= 0 && this.rankOf(op) < host) host = this.rankOf(op);
      }
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
