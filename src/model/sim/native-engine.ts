import { UsageError } from '../../errors.js';
import type { NativeNetwork, PairParams, SimResult } from './contract.js';
import { hcaWork, isEager } from './costs.js';
import {
  nativeArrival,
  nativePerByte,
  nativeLanded,
  nativeRecvCpuFree,
  nativeRecvNicFree,
  nativeSendCpuFree,
  nativeSendNicFree,
  nativeWake,
  receiverO,
} from './native-costs.js';
import { SharedInterruptVectors } from './interrupt-vectors.js';
import { SocketMemoryShares } from './socket-memory.js';
import { EgalitarianSharingServer } from './egalitarian-sharing.js';
import { EngineCore } from './engine-core.js';
import { OP_CALC, OP_SEND } from './ops.js';
import { KIND_STAGE_MASK, KIND_STAGE_SHIFT, U8_KIND, U8_SHIFT } from './op-record.js';
import type { CompactSchedule } from './schedule.js';

/**
 * A message's stage (per send op). 0: in flight to its receiver (an eager message, or a
 * rendezvous's RTS); LANDED: RDMA data landed, waiting for the receiver's CPU; ANSWER: an
 * RTS matched to a posted receive, waiting for the receiver's CPU to answer it; DATA: a
 * rendezvous's data, on its way once the RTS was answered (its receive is `matched`).
 */
const LANDED = 1;
/**
 * The relative rounding of the clocks' float sums (2^-36, some 65,000 ulps of a float64):
 * times computed along different paths (an HCA side's virtual time, a CPU's sums) agree
 * only to about that.
 */
const CLOCK_ROUNDING = 2 ** -36;
/** How far past its vector's next event a held CPU's clock stands at least (ns): see hold(). */
const HELD_MARGIN_NS = 1e-3;
const ANSWER = 2;
const DATA = 3;

/** A host's own slots beside its clocks: receives posted and not yet completed; since when it has had one. */
const PENDING = 0;
const WAIT_SINCE = 1;
/**
 * The CPU clock a rendezvous send's completion pulled up (PULLED_TO), and what it was
 * before (PULLED_FROM): a pull-up is no CPU work, so a message taken in the same instant
 * decides its wake-up from the clock before it (cpuStart).
 */
const PULLED_FROM = 2;
const PULLED_TO = 3;

/**
 * The end of the instant that starts at t: float64 sums taken in different orders reach
 * the engine as times a few ulps apart, so an instant is t and the 1e-9 of it (plus 1e-9
 * ns) after it, the property tests' rounding tolerance (TIE_TOLERANCE).
 */
function instantEnd(t: number): number {
  return t + 1e-9 * (t + 1);
}

/** Message classes (EngineCore.msgClass kinds): needing the receiver's CPU and NIC, or (RDMA) its NIC alone. */
const NEEDS_CPU_AND_NIC = 0;
const NEEDS_NIC = 1;

/**
 * ibvf's own rules (`{ mode: 'native', network }`): float64 ns; parameters per rank pair
 * from `network.params(src, dst, bytes)` with the cost rules of native-costs.ts, o_s at
 * the sender and o_r at the receiver; per-byte terms max(s-1, 0); rendezvous decided by
 * the message's size and the pair's S; and, when `network.hca` is given, each node's HCA
 * send side and receive side are shared servers (below). docs/simulator.md describes them.
 *
 * Shared HCAs. A message through the HCA (shared-memory pairs skip it) gives
 * messageGapNs + s * perByteNs of work W to its sender node's send side and as much to its
 * receiver node's receive side, from when it is sent (an eager message: its send; a
 * rendezvous's data: the answer to its RTS; the RTS itself is not counted) over its flight
 * x (to its nominal arrival: o_s + L after an eager send, `handshake` after the answer).
 * Each side is a fluid processor-sharing server (egalitarian-sharing.ts): m messages in it
 * are each served at 1/m of its rate. A message alone on both sides arrives at its nominal
 * time; sharing delays it by the service it lost: it arrives when it has had x of service
 * on both sides (x > W: its departure plus x - W); RDMA data has landed only once it has
 * had, likewise, its flight plus (s-1)G of service (so the HCA's rate bounds a stream of
 * it). This is continuous in every time and
 * parameter and blind to the order of simultaneous requests, and an op never blocks on
 * the HCA: the sender's CPU and NIC proceed as without it. The receive side's share is
 * taken over the message's flight, not after it (an approximation: the side is shared by
 * messages in flight to it at the same time, shifted by their flight time).
 *
 * A message arrives in one of two ways (the pair's `delivery`):
 * - LogGOPS (and shared-memory copies): it needs the receiver's CPU and NIC receive side
 *   together, as in LogGOPSim.
 * - RDMA (`'rdma'`: the fast path's RDMA write, a rendezvous's RDMA data): the HCA writes
 *   it into memory without the receiver's CPU. It takes the NIC receive side as soon as
 *   it is free, whatever the CPU is doing, and has landed (s-1)G later; the
 *   receiver's CPU then takes it, when free, for o_r + (s-1)O_r, and only then is it
 *   matched (the receiver sees it by polling). Two events: the landing, and the take.
 *
 * Rendezvous (s > S). The message is first an RTS, which reaches the receiver
 * `handshake` before the data would (o_s + L - handshake after the send starts) and costs
 * it nothing by itself. It matches a posted receive, or waits unexpected until one is
 * posted; either way it is answered only once the receive is posted and the receiver's
 * CPU is free (MPI progress runs on that CPU), and the data then arrives `handshake`
 * after the answer, as a message of its own (above) that completes the receive and the
 * send. A receiver that is ready answers at once and gets the data when a LogGOPS
 * message would arrive; a late or busy one delays the transfer by as much. The RTS wakes
 * no sleeping receiver by itself: its wait ends when it takes the data (one wake-up per
 * receive, as the p2p model has it).
 *
 * Wake-ups (pairs with `wake`: MPI's blocking and event progress). A host waits from the
 * later of two times: when its oldest receive still outstanding was posted (WAIT_SINCE,
 * kept while PENDING > 0), and when its CPU was last busy. When its CPU takes a message
 * at t, a host that has waited longer than the pair's spin window polled and then went
 * to sleep: it pays the wake-up once, and its CPU starts on the message wake later. The
 * wake-up is accounted on the receiver's CPU clock as the time its process runs again;
 * it is no CPU work (not o_r-like, never charged twice): a message that arrives while the
 * process is being woken waits for it and pays none (the wake-ups of both overlap), and a
 * host that was busy, or whose message was already waiting when it posted the receive,
 * never sleeps. Decided when the CPU takes the message, from how long the host actually
 * waited, not from the message's latency. With `network.interrupts` the wake-up is an
 * interrupt that first waits for its vector (interrupt-vectors.ts); with `network.memory`
 * a message's per-byte copies share their socket's memory (socket-memory.ts): a copy slowed
 * by the others keeps its CPU busy longer, and a sender's copy delays its message by the
 * service it lost during the message's flight, as an HCA side does.
 */
export class NativeEngine extends EngineCore {
  private readonly network: NativeNetwork;
  private readonly hcaGap: number = 0;
  private readonly hcaPerByte: number = 0;
  /** Per HCA side (send side of node n: n; receive side: numNodes + n): its server. */
  private readonly hcaSides: EgalitarianSharingServer[];
  /** Per HCA side: the time of its next queued server event (onRulesEvent), Infinity if none. */
  private readonly hcaEventAt: Float64Array;
  /** Per send op whose message is in the HCA: how many sides have still to report its mark. */
  private readonly sidesLeft: Uint8Array;
  /** Per send op: the latest mark of its message reported so far (its arrival once both are). */
  private readonly markedAt: Float64Array;
  /** Per send op whose RDMA data is in the HCA: landing marks still to come; the latest so far. */
  private readonly landLeft: Uint8Array;
  private readonly landMarkAt: Float64Array;
  /** Per send op: RDMA data landed (nominally) at this time, waiting for its landing marks (NaN: none). */
  private readonly landedAt: Float64Array;
  private readonly numNodes: number;
  /** Per rendezvous send op: the receive its RTS matched. */
  private readonly matched: Int32Array;
  /** Wake-ups paid so far (SimResult.wakeups). */
  private wakeups = 0;
  /** The functions' interrupt vectors, when the network gives them (interrupt-vectors.ts). */
  private readonly irq: SharedInterruptVectors | undefined;
  /** Per vector: the messages whose receivers' wake-ups are in it (their CPUs held). */
  private readonly heldIn: number[][];
  /** Per message whose receiver's interrupt is in its vector: the wake-up, and the CPU clock's value while held. */
  private readonly heldWake: Float64Array;
  private readonly heldClock: Float64Array;
  /** Per CPU clock: how many wake-ups hold it (undefined without vectors). */
  private readonly heldClocks: Uint8Array | undefined;
  /** The first rules event id of the memory (after the HCA sides' and the vectors'). */
  private readonly memory0: number;
  /** The sockets' memory for the messages' copies, when the network gives it (socket-memory.ts). */
  private readonly memory: SocketMemoryShares | undefined;

  constructor(s: CompactSchedule, network: NativeNetwork, batchBlocked: boolean) {
    if (network.nodeOf.length < s.numRanks) {
      throw new UsageError(`network.nodeOf has ${network.nodeOf.length} entries for ${s.numRanks} ranks`);
    }
    let nodes = 0;
    for (let r = 0; r < s.numRanks; r++) nodes = Math.max(nodes, network.nodeOf[r] + 1);
    const shared = network.hca !== undefined;
    super(s, batchBlocked, {
      split: 1,
      messageKinds: 2,
      hostSlots: 4, // PENDING, WAIT_SINCE, PULLED_FROM, PULLED_TO
    });
    this.network = network;
    this.numNodes = nodes;
    const sides = shared ? 2 * nodes : 0;
    this.hcaSides = Array.from({ length: sides }, () => new EgalitarianSharingServer());
    this.hcaEventAt = new Float64Array(sides).fill(Infinity);
    const marks = shared || network.memory !== undefined;
    this.sidesLeft = new Uint8Array(marks ? s.numOps : 0);
    this.markedAt = new Float64Array(marks ? s.numOps : 0);
    this.landLeft = new Uint8Array(shared ? s.numOps : 0);
    this.landMarkAt = new Float64Array(shared ? s.numOps : 0);
    this.landedAt = new Float64Array(shared ? s.numOps : 0).fill(NaN);
    if (network.hca) {
      this.hcaGap = network.hca.messageGapNs;
      this.hcaPerByte = network.hca.perByteNs;
    }
    this.matched = new Int32Array(s.numOps);
    this.irq = network.interrupts
      ? new SharedInterruptVectors(network.interrupts, {
          push: (v, t) => this.pushRulesEvent(sides + v, t),
          served: (sop, t) => this.woken(sop, t),
        })
      : undefined;
    const vectors = this.irq?.count ?? 0;
    this.heldIn = Array.from({ length: vectors }, () => []);
    this.heldWake = new Float64Array(vectors > 0 ? s.numOps : 0);
    this.heldClock = new Float64Array(vectors > 0 ? s.numOps : 0);
    this.heldClocks = vectors > 0 ? new Uint8Array(this.nexto.length) : undefined;
    this.memory0 = sides + vectors;
    const memory0 = this.memory0;
    this.memory = network.memory
      ? new SocketMemoryShares(network.memory, {
          push: (id, t) => this.pushRulesEvent(memory0 + id, t),
          raise: (clock, t) => {
            if (this.nexto[clock] < t) this.nexto[clock] = t;
          },
          marked: (sop, t) => this.marked(sop, t),
        })
      : undefined;
  }

  /**
   * Simultaneous operations of different hosts are queued in an order that does not
   * depend on the ranks' numbers where their work differs: sends before receives before
   * calcs (LogGOPSim's order within a host), then the smaller message, then the shorter
   * path (L, then o_s + o_r of the pair); only operations alike in all of these fall back
   * on rank order. A renamed but otherwise identical program on the same machine then
   * meets the same ties in the same order wherever the ops differ, e.g. two ranks of a
   * node whose sends, one looped back inside the HCA and one to the fabric, want the
   * HCA at the same instant (test/model/properties/permute.test.ts). Shorter first is
   * Smith's rule: the order of a batch that minimises its mean completion.
   */
  protected override readyBefore(a: number, b: number): boolean {
    const ka = this.kindOf(a);
    const kb = this.kindOf(b);
    if (ka !== kb) return ka < kb;
    const sa = this.sizeOf(a);
    const sb = this.sizeOf(b);
    if (sa !== sb) return sa < sb;
    if (ka !== OP_CALC) {
      const pa = this.pairOf(a);
      const pb = this.pairOf(b);
      if (pa !== undefined && pb !== undefined) {
        if (pa.L !== pb.L) return pa.L < pb.L;
        const oa = pa.o_s + pa.o_r;
        const ob = pb.o_s + pb.o_r;
        if (oa !== ob) return oa < ob;
      } else if ((pa === undefined) !== (pb === undefined)) {
        return pb === undefined; // a receive from any source after the named ones
      }
    }
    return this.rankOf(a) < this.rankOf(b);
  }

  /** The parameters of a send's or a named receive's pair (undefined: a receive from any source). */
  private pairOf(op: number): PairParams | undefined {
    const peer = this.peerOf(op);
    if (peer < 0) return undefined;
    const rank = this.rankOf(op);
    return this.kindOf(op) === OP_SEND
      ? this.network.params(rank, peer, this.sizeOf(op))
      : this.network.params(peer, rank, this.sizeOf(op));
  }

  /** Hosts ordered by their first root operation (`readyBefore`), as `queueReady` orders a batch. */
  protected override rootHostOrder(): Int32Array | null {
    const { rankStart, rankOps, depCount, numRanks } = this.s;
    // readyBefore's keys, taken once per host: kind, size, L, o_s + o_r (a host without
    // roots last).
    const keys = new Float64Array(4 * numRanks);
    for (let h = 0; h < numRanks; h++) {
      let first = -1;
      for (let k = rankStart[h]; k < rankStart[h + 1]; k++) {
        const op = rankOps[k];
        if (depCount[op] === 0 && (first < 0 || this.kindOf(op) < this.kindOf(first))) first = op;
      }
      if (first < 0) {
        keys[4 * h] = Infinity;
        continue;
      }
      const p = this.kindOf(first) === OP_CALC ? undefined : this.pairOf(first);
      keys[4 * h] = this.kindOf(first);
      keys[4 * h + 1] = this.sizeOf(first);
      keys[4 * h + 2] = p === undefined ? Infinity : p.L;
      keys[4 * h + 3] = p === undefined ? Infinity : p.o_s + p.o_r;
    }
    const hosts = Array.from({ length: numRanks }, (_, h) => h);
    hosts.sort((x, y) => {
      for (let i = 0; i < 4; i++) {
        const d = keys[4 * x + i] - keys[4 * y + i];
        if (d !== 0 && !Number.isNaN(d)) return d;
      }
      return x - y;
    });
    return Int32Array.from(hosts);
  }

  /** A send's message stage, kept in spare bits of the send's record (read with it: no extra miss). */
  private stageOf(sop: number): number {
    return (this.u8[(sop << U8_SHIFT) + U8_KIND] & KIND_STAGE_MASK) >> KIND_STAGE_SHIFT;
  }

  private setStage(sop: number, stage: number): void {
    const k = (sop << U8_SHIFT) + U8_KIND;
    this.u8[k] = (this.u8[k] & ~KIND_STAGE_MASK) | (stage << KIND_STAGE_SHIFT);
  }

  /**
   * A message's parameters, looked up again at each of its events (a network's lookup
   * reads small cached tables; a per-message array would cost a cache miss per event on
   * large schedules).
   */
  private paramsOf(sop: number): PairParams {
    return this.network.params(this.rankOf(sop), this.peerOf(sop), this.sizeOf(sop));
  }

  private viaHca(src: number, dst: number): boolean {
    return this.network.hca !== undefined && this.network.usesHca(src, dst);
  }

  protected freeAt(item: number): number {
    if (item < 0) {
      const sop = ~item;
      const h = this.peerOf(sop);
      const cpuFree = this.nexto[h * this.stride + this.cpuOf(sop)];
      const stage = this.stageOf(sop);
      if (stage === LANDED || stage === ANSWER) return cpuFree;
      const f = this.nextgr[h * this.stride + this.gr0 + this.nicOf(sop)];
      return this.paramsOf(sop).delivery !== 'rdma' ? Math.max(f, cpuFree) : f;
    }
    const h = this.rankOf(item);
    const cpuFree = this.nexto[h * this.stride + this.cpuOf(item)];
    if (this.kindOf(item) !== OP_SEND) return cpuFree;
    return Math.max(cpuFree, this.nextgs[h * this.stride + this.gs0 + this.nicOf(item)]);
  }

  /**
   * Send op `sop`'s message (or rendezvous data), sent at t with its flight x (to its
   * nominal arrival), waits for `marks` marks (its two HCA sides, its sender's copy) before
   * its event at the receiver is queued, at the latest of them; none: at t + x.
   */
  private awaitMarks(sop: number, t: number, flight: number, marks: number): void {
    if (marks === 0) return this.queue.push(t + flight, this.stamps++, ~sop, this.peerOf(sop));
    this.sidesLeft[sop] = marks;
    this.markedAt[sop] = t + flight;
  }

  /** A mark of send op `sop`'s message at t: with the last, the message goes on. */
  private marked(sop: number, t: number): void {
    if (t > this.markedAt[sop]) this.markedAt[sop] = t;
    if (--this.sidesLeft[sop] === 0)
      this.queue.push(this.markedAt[sop], this.stamps++, ~sop, this.peerOf(sop));
  }

  /**
   * The message joins its sender node's HCA send side and its receiver node's receive side
   * at t. RDMA data also asks for a second mark at its nominal landing (flight + (s-1)G):
   * it has landed only once both sides have served it that far (landLeft).
   */
  private enterHcas(sop: number, t: number, flight: number): void {
    const nodeOf = this.network.nodeOf;
    const bytes = this.sizeOf(sop);
    const work = hcaWork(bytes, this.hcaGap, this.hcaPerByte);
    const p = this.paramsOf(sop);
    const landing = p.delivery === 'rdma' ? flight + nativePerByte(bytes, p.G) : NaN;
    this.landLeft[sop] = landing > 0 ? 2 : 0;
    this.landMarkAt[sop] = t;
    const sendSide = nodeOf[this.rankOf(sop)];
    const recvSide = this.numNodes + nodeOf[this.peerOf(sop)];
    this.hcaSides[sendSide].add(t, sop, work, flight, landing);
    this.afterServer(sendSide);
    this.hcaSides[recvSide].add(t, sop, work, flight, landing);
    this.afterServer(recvSide);
  }

  /** Takes a side's reported marks, and queues its next event. */
  private afterServer(side: number): void {
    const server = this.hcaSides[side];
    const ids = server.reportedIds;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id >= 0) {
        this.marked(id, server.reportedTimes[i]);
        continue;
      }
      // A landing mark of RDMA data (~sop).
      const sop = ~id;
      if (server.reportedTimes[i] > this.landMarkAt[sop]) this.landMarkAt[sop] = server.reportedTimes[i];
      if (--this.landLeft[sop] > 0 || this.landedAt[sop] !== this.landedAt[sop]) continue;
      const at = Math.max(this.landedAt[sop], this.landMarkAt[sop]);
      this.queue.push(at, this.stamps++, ~sop, this.peerOf(sop));
      this.landedAt[sop] = NaN;
    }
    server.clearReports();
    // An event already queued for sooner serves: it advances the side and queues the next.
    const next = server.nextTime();
    if (next < this.hcaEventAt[side]) {
      this.hcaEventAt[side] = next;
      this.pushRulesEvent(side, next);
    }
  }

  /**
   * The rules' own events: an HCA side's server event (a departure or a mark, or a time
   * at which one was due before a later arrival moved it: the side is advanced either way;
   * one queued before a sooner one was is ignored), or the memory's.
   */
  protected override onRulesEvent(id: number, t: number): void {
    const sides = this.hcaSides.length;
    if (id >= this.memory0) return this.memory?.onEvent(id - this.memory0, t);
    if (id >= sides) {
      this.irq!.onEvent(id - sides, t);
      return this.holdOn(id - sides);
    }
    if (this.hcaEventAt[id] !== t) return;
    this.hcaEventAt[id] = Infinity;
    this.hcaSides[id].advance(t);
    this.afterServer(id);
  }

  protected onSend(op: number, t: number, stamp: number, h: number): void {
    const dst = this.peerOf(op);
    const bytes = this.sizeOf(op);
    const c = h * this.stride + this.cpuOf(op);
    const ni = h * this.stride + this.gs0 + this.nicOf(op);
    const freeAt = Math.max(this.nexto[c], this.nextgs[ni]);
    if (freeAt > t)
      return this.block(this.sendClass(h, this.cpuOf(op), this.nicOf(op), false), op, stamp, freeAt);
    const p = this.network.params(h, dst, bytes);
    this.markStarted(op);
    const cpuEnd = nativeSendCpuFree(t, bytes, p);
    this.nexto[c] = cpuEnd;
    this.nextgs[ni] = nativeSendNicFree(t, bytes, p);
    const eager = isEager(bytes, p.S);
    // An eager message goes through the HCAs now; a rendezvous's RTS does not (its data will).
    const viaHca = eager && this.viaHca(h, dst);
    const flight = nativeArrival(t, bytes, p) - (eager ? 0 : (p.handshake ?? 0)) - t;
    // Marks to wait for: the HCA sides', and the sender's copy's if it shares its socket's
    // memory (which may report at once, so the count is set first).
    const copies = this.memory !== undefined && nativePerByte(bytes, p.O) > 0;
    this.awaitMarks(op, t, flight, (viaHca ? 2 : 0) + (copies ? 1 : 0));
    if (copies && !this.memory!.copy(t, h, t, bytes, p.O, c, cpuEnd, op, flight)) this.marked(op, t);
    if (viaHca) this.enterHcas(op, t, flight);
    if (eager) this.markDone(op);
  }

  protected onRecv(op: number, t: number, h: number, stamp: number): void {
    // A receive is posted when its CPU is free, as it was when queued (queueReady); a CPU
    // held for a wake-up had only a lower bound of that then (hold()).
    const c = h * this.stride + this.cpuOf(op);
    if (this.heldClocks !== undefined && this.heldClocks[c] > 0 && this.nexto[c] > t)
      return this.block(this.cpuClass(h, this.cpuOf(op)), op, stamp, this.nexto[c]);
    this.markStarted(op);
    const sop = this.uq.match(h, this.peerOf(op), this.tagOf(op));
    const p = sop < 0 ? undefined : this.paramsOf(sop);
    if (p !== undefined && isEager(this.sizeOf(sop), p.S)) {
      this.markDone(op); // the eager message was already taken
      return;
    }
    // Outstanding until its message comes: count it, and since when the host waits.
    const w = h * this.stride + this.hostSlot0;
    if (this.nexto[w + PENDING]++ === 0) this.nexto[w + WAIT_SINCE] = t;
    if (p === undefined) {
      this.rq.add(h, this.peerOf(op), this.tagOf(op), op);
      return;
    }
    // A rendezvous's RTS that waited for this receive: answer it now (or when the CPU is
    // free: a new event, so a stamp of its own).
    this.matched[sop] = op;
    this.answer(sop, t, this.stamps++, h, p);
  }

  /** The receiver answers a matched RTS when its CPU is free; the data follows `handshake` later. */
  private answer(sop: number, t: number, stamp: number, h: number, p: PairParams): void {
    const c = h * this.stride + this.cpuOf(sop);
    if (this.nexto[c] > t) {
      this.setStage(sop, ANSWER);
      return this.block(this.cpuClass(h, this.cpuOf(sop)), ~sop, stamp, this.nexto[c]);
    }
    this.setStage(sop, DATA);
    const handshake = p.handshake ?? 0;
    if (this.viaHca(this.rankOf(sop), h)) {
      this.awaitMarks(sop, t, handshake, 2);
      this.enterHcas(sop, t, handshake);
    } else if (handshake > 0) this.queue.push(t + handshake, this.stamps++, ~sop, h);
    else this.land(sop, t, stamp, h, p);
  }

  protected onMessage(sop: number, t: number, stamp: number, h: number): void {
    const p = this.paramsOf(sop);
    const stage = this.stageOf(sop);
    if (stage === LANDED) return this.takeLanded(sop, t, stamp, h, p);
    if (stage === ANSWER) return this.answer(sop, t, stamp, h, p);
    if (stage === 0 && !isEager(this.sizeOf(sop), p.S)) {
      // An RTS: it matches a posted receive, or waits unexpected for one.
      const rop = this.rq.match(h, this.rankOf(sop), this.tagOf(sop));
      if (rop < 0) return this.uq.add(h, this.rankOf(sop), this.tagOf(sop), sop);
      this.matched[sop] = rop;
      return this.answer(sop, t, stamp, h, p);
    }
    this.land(sop, t, stamp, h, p);
  }

  /** An eager message, or a rendezvous's data, reaches the receiver's NIC (and CPU). */
  private land(sop: number, t: number, stamp: number, h: number, p: PairParams): void {
    const bytes = this.sizeOf(sop);
    const c = h * this.stride + this.cpuOf(sop);
    const ni = h * this.stride + this.gr0 + this.nicOf(sop);
    const rdma = p.delivery === 'rdma';
    const freeAt = rdma ? this.nextgr[ni] : Math.max(this.nexto[c], this.nextgr[ni]);
    if (freeAt > t) {
      const cls = this.msgClass(
        rdma ? NEEDS_NIC : NEEDS_CPU_AND_NIC,
        h,
        this.cpuOf(sop),
        this.nicOf(sop),
        false,
      );
      return this.block(cls, ~sop, stamp, freeAt);
    }
    this.nextgr[ni] = nativeRecvNicFree(t, bytes, p);
    if (rdma) {
      this.setStage(sop, LANDED);
      let landed = nativeLanded(t, bytes, p);
      if (this.viaHca(this.rankOf(sop), h)) {
        // It has landed once both HCA sides have served it as far as it lands alone, too.
        if (this.landLeft[sop] > 0) {
          this.landedAt[sop] = landed;
          return;
        }
        landed = Math.max(landed, this.landMarkAt[sop]);
      }
      if (landed > t) return this.queue.push(landed, this.stamps++, ~sop, h);
      return this.takeLanded(sop, t, stamp, h, p);
    }
    this.takeCpu(h, c, t, p, sop);
    this.deliver(sop, t, h, p);
  }

  /**
   * The wake-up (ns) the receiver's CPU (clock index c) pays before it starts on a message
   * it takes at t: 0, or the pair's wake when the host has been waiting past its spin
   * window, asleep.
   */
  private wakeBefore(h: number, c: number, t: number, p: PairParams): number {
    const w = h * this.stride + this.hostSlot0;
    if (p.wake === undefined || this.nexto[w + PENDING] === 0) return 0;
    let busy = this.nexto[c];
    if (busy === this.nexto[w + PULLED_TO] && t <= instantEnd(busy)) busy = this.nexto[w + PULLED_FROM];
    // A wait within the clocks' rounding is none: a message whose arrival and the CPU's last
    // end are one sum apart would otherwise sleep or not by their last bit (spin 0).
    const waited = t - Math.max(this.nexto[w + WAIT_SINCE], busy);
    const wake = nativeWake(waited > t * CLOCK_ROUNDING ? waited : 0, p);
    if (wake > 0) this.wakeups++;
    return wake;
  }

  /**
   * The receiver's CPU (clock index c) takes send op `sop`'s message at t: it starts after
   * any wake-up and is busy for nativeRecvCpuFree. A wake-up through an interrupt vector
   * waits for the vector first (interrupt-vectors.ts): the CPU is held until then.
   */
  private takeCpu(h: number, c: number, t: number, p: PairParams, sop: number): void {
    const wake = this.wakeBefore(h, c, t, p);
    if (wake > 0 && this.irq !== undefined && this.irq.vectorOf(h) >= 0) return this.hold(sop, h, c, t, wake);
    this.runCpu(h, c, t, t + wake, p, this.sizeOf(sop));
  }

  /**
   * The CPU (clock index c) runs the receive from `start` (its copy out shares its
   * socket's memory, at the per-byte rate the CPU spends on it, which may keep the CPU
   * busy longer). `now` is the current time.
   */
  private runCpu(h: number, c: number, now: number, start: number, p: PairParams, bytes: number): void {
    const end = nativeRecvCpuFree(start, bytes, p);
    if (end > this.nexto[c]) this.nexto[c] = end;
    const O = receiverO(p);
    if (this.memory && O > 0)
      this.memory.copy(now, h, start, bytes, p.delivery === undefined ? Math.max(O, p.G) : O, c, end);
  }

  /**
   * The receiver of `sop`'s message sleeps at t until its interrupt has had its service
   * on its vector (at D), and runs wake - service after it (a lone interrupt: at t +
   * wake, as without vectors). Meanwhile its CPU clock stands at a lower bound of that
   * run's end, raised at each of the vector's events (holdOn), so nothing takes the CPU
   * before it is known free. The caller delivers the message now, as when a CPU takes it.
   */
  private hold(sop: number, h: number, c: number, t: number, wake: number): void {
    this.heldWake[sop] = wake;
    this.heldClock[sop] = NaN;
    const v = this.irq!.vectorOf(h);
    this.heldIn[v].push(sop);
    this.heldClocks![c]++;
    this.irq!.raise(sop, h, t);
    this.holdOn(v);
  }

  /** Raises the held CPUs of vector v's interrupts to the earliest their runs can end. */
  private holdOn(v: number): void {
    const held = this.heldIn[v];
    for (let i = 0; i < held.length; i++) {
      const sop = held[i];
      const h = this.peerOf(sop);
      const c = h * this.stride + this.cpuOf(sop);
      const p = this.paramsOf(sop);
      // Past the vector's next event, so that event comes before anything finds the CPU free.
      const after = Math.max(
        this.heldWake[sop] - this.irq!.serviceOf(h) + nativeRecvCpuFree(0, this.sizeOf(sop), p),
        HELD_MARGIN_NS,
      );
      const bound = this.irq!.nextEnd(h) + after;
      if (bound > this.nexto[c]) this.nexto[c] = bound;
      this.heldClock[sop] = this.nexto[c];
    }
  }

  /** `sop`'s receiver's interrupt ended its service at t: its CPU runs the receive. */
  private woken(sop: number, t: number): void {
    const h = this.peerOf(sop);
    const c = h * this.stride + this.cpuOf(sop);
    const v = this.irq!.vectorOf(h);
    const held = this.heldIn[v];
    held.splice(held.indexOf(sop), 1);
    this.heldClocks![c]--;
    // The lower bound stood in for this run's end: drop it (it is at most the end, but for HELD_MARGIN_NS).
    if (this.nexto[c] === this.heldClock[sop]) this.nexto[c] = t;
    // t is at least the hold's start plus one service, so the run starts at least `wake` after the hold.
    const start = t + this.heldWake[sop] - this.irq!.serviceOf(h);
    this.runCpu(h, c, t, start, this.paramsOf(sop), this.sizeOf(sop));
  }

  override run(): SimResult {
    return { ...super.run(), wakeups: this.wakeups };
  }

  /** RDMA data that has landed: the receiver's CPU takes it when free. */
  private takeLanded(sop: number, t: number, stamp: number, h: number, p: PairParams): void {
    const c = h * this.stride + this.cpuOf(sop);
    if (this.nexto[c] > t) return this.block(this.cpuClass(h, this.cpuOf(sop)), ~sop, stamp, this.nexto[c]);
    this.takeCpu(h, c, t, p, sop);
    this.deliver(sop, t, h, p);
  }

  /**
   * The receiver has taken the message at t: an eager one completes the first matching
   * posted receive, or waits unexpected; a rendezvous's data completes its matched
   * receive, and the send, whose sender's clocks are pulled up to t.
   */
  private deliver(sop: number, t: number, h: number, p: PairParams): void {
    const sender = this.rankOf(sop);
    const stage = this.stageOf(sop);
    if (stage === DATA || (stage === LANDED && !isEager(this.sizeOf(sop), p.S))) {
      this.nexto[h * this.stride + this.hostSlot0 + PENDING]--;
      this.markDone(sop);
      const sc = sender * this.stride + this.cpuOf(sop);
      if (this.nexto[sc] < t) {
        const w = sender * this.stride + this.hostSlot0;
        this.nexto[w + PULLED_FROM] = this.nexto[sc];
        this.nexto[w + PULLED_TO] = t;
      }
      this.pullUpSender(sender, this.cpuOf(sop), this.nicOf(sop), t);
      this.markDone(this.matched[sop]);
      return;
    }
    const rop = this.rq.match(h, sender, this.tagOf(sop));
    if (rop < 0) {
      this.uq.add(h, sender, this.tagOf(sop), sop);
      return;
    }
    this.nexto[h * this.stride + this.hostSlot0 + PENDING]--;
    this.markDone(rop);
  }
}
