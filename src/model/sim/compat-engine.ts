import { UsageError } from '../../errors.js';
import type { LogGOPSParams } from './contract.js';
import {
  compatRecvCpuFree,
  compatRecvNicFree,
  compatSendCpuFree,
  compatSendNicFree,
  firstByteArrival,
  isEager,
} from './costs.js';
import { EngineCore } from './engine-core.js';
import { OP_SEND } from './ops.js';
import type { CompactSchedule } from './schedule.js';

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

/**
 * LogGOPSim's rules, exactly (spcl/LogGOPSim `LogGOPSim.cpp`, cases OP_SEND, OP_RECV and
 * OP_MSG; commit 76451de, LogGP backend): one parameter set for every pair, integer
 * nanoseconds with uint64 wrap-around (costs.ts), and its quirks:
 * - a message needs the receiver's CPU and NIC receive side together, is charged whether
 *   or not a receive is posted, then takes the first matching posted receive or joins
 *   the unexpected queue;
 * - a message is charged on the receiver's CPU and NIC with the *send's* indices;
 * - when a receive finds its message already waiting, rendezvous is decided by the
 *   *receive's* size, and the sender's clocks are pulled up with the receive's indices.
 *
 * Nothing here may change without `test/model/sim/reference.test.ts` still reproducing
 * every LogGOPSim row, event counts included; ibvf's own rules live in native-engine.ts.
 */
export class CompatEngine extends EngineCore {
  private readonly L: number;
  private readonly o: number;
  private readonly g: number;
  private readonly G: number;
  private readonly O: number;
  private readonly S: number;

  constructor(s: CompactSchedule, params: LogGOPSParams, batchBlocked: boolean) {
    checkCompatParams(params);
    super(s, batchBlocked, { split: 1, messageKinds: 1, hostSlots: 0 });
    ({ L: this.L, o: this.o, g: this.g, G: this.G, O: this.O, S: this.S } = params);
    this.batch = batchBlocked && !this.clocksMayMoveBack();
  }

  /** LogGOPSim's wrap-around: a zero-byte message with O or G above o or g sets a clock below t. */
  private clocksMayMoveBack(): boolean {
    if (this.O <= this.o && this.G <= this.o && this.G <= this.g) return false;
    for (let op = 0; op < this.s.numOps; op++)
      if (this.kindOf(op) === OP_SEND && this.sizeOf(op) === 0) return true;
    return false;
  }

  protected freeAt(item: number): number {
    if (item < 0) {
      const sop = ~item;
      const h = this.peerOf(sop);
      return Math.max(
        this.nexto[h * this.stride + this.cpuOf(sop)],
        this.nextgr[h * this.stride + this.gr0 + this.nicOf(sop)],
      );
    }
    const h = this.rankOf(item);
    const cpuFree = this.nexto[h * this.stride + this.cpuOf(item)];
    if (this.kindOf(item) !== OP_SEND) return cpuFree;
    return Math.max(cpuFree, this.nextgs[h * this.stride + this.gs0 + this.nicOf(item)]);
  }

  protected onSend(op: number, t: number, stamp: number, h: number): void {
    const bytes = this.sizeOf(op);
    const c = h * this.stride + this.cpuOf(op);
    const ni = h * this.stride + this.gs0 + this.nicOf(op);
    const freeAt = Math.max(this.nexto[c], this.nextgs[ni]);
    if (freeAt > t)
      return this.block(this.sendClass(h, this.cpuOf(op), this.nicOf(op), false), op, stamp, freeAt);
    this.markStarted(op);
    this.nexto[c] = compatSendCpuFree(t, bytes, this.o, this.O);
    this.nextgs[ni] = compatSendNicFree(t, bytes, this.g, this.G);
    this.queue.push(firstByteArrival(t, this.o, this.L), this.stamps++, ~op, this.peerOf(op));
    if (isEager(bytes, this.S)) this.markDone(op);
  }

  protected onRecv(op: number, t: number, h: number): void {
    this.markStarted(op);
    const sop = this.uq.match(h, this.peerOf(op), this.tagOf(op));
    if (sop < 0) {
      this.rq.add(h, this.peerOf(op), this.tagOf(op), op);
      return;
    }
    // LogGOPSim decides rendezvous here by the receive's size and pulls up the sender's
    // clocks with the receive's CPU and NIC indices.
    if (!isEager(this.sizeOf(op), this.S)) {
      this.markDone(sop);
      this.pullUpSender(this.rankOf(sop), this.cpuOf(op), this.nicOf(op), t);
    }
    this.markDone(op);
  }

  protected onMessage(sop: number, t: number, stamp: number, h: number): void {
    const sender = this.rankOf(sop);
    const bytes = this.sizeOf(sop);
    // The message uses the receiver's CPU and NIC with the send's indices, as in LogGOPSim.
    const c = h * this.stride + this.cpuOf(sop);
    const ni = h * this.stride + this.gr0 + this.nicOf(sop);
    const freeAt = Math.max(this.nexto[c], this.nextgr[ni]);
    if (freeAt > t)
      return this.block(this.msgClass(0, h, this.cpuOf(sop), this.nicOf(sop), false), ~sop, stamp, freeAt);
    this.nexto[c] = compatRecvCpuFree(t, bytes, this.o, this.O, this.G);
    this.nextgr[ni] = compatRecvNicFree(t, bytes, this.g, this.G);
    const rop = this.rq.match(h, sender, this.tagOf(sop));
    if (rop < 0) {
      this.uq.add(h, sender, this.tagOf(sop), sop);
      return;
    }
    if (!isEager(bytes, this.S)) {
      this.markDone(sop);
      this.pullUpSender(sender, this.cpuOf(sop), this.nicOf(sop), t);
    }
    this.markDone(rop);
  }
}
