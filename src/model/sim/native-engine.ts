import { UsageError } from '../../errors.js';
import type { NativeNetwork } from './contract.js';
import { hcaFree, isEager } from './costs.js';
import {
  nativeArrival,
  nativeRecvCpuFree,
  nativeRecvNicFree,
  nativeSendCpuFree,
  nativeSendNicFree,
} from './native-costs.js';
import { EngineCore } from './engine-core.js';
import { OP_SEND } from './ops.js';
import type { CompactSchedule } from './schedule.js';

/**
 * ibvf's own rules (`{ mode: 'native', network }`): float64 ns; parameters per rank pair
 * from `network.params(src, dst, bytes)`, o_s at the sender and o_r at the receiver;
 * per-byte terms max(s-1, 0); rendezvous decided by the message's size and the pair's S;
 * and, when `network.hca` is given, each node's HCA send side and receive side are
 * shared resources that a message through the HCA holds for messageGapNs + s * perByteNs
 * (shared-memory pairs skip it). docs/simulator.md describes them.
 */
export class NativeEngine extends EngineCore {
  private readonly network: NativeNetwork;
  private readonly hcaGap: number = 0;
  private readonly hcaPerByte: number = 0;
  private readonly hcaSend: Float64Array;
  private readonly hcaRecv: Float64Array;
  private readonly numNodes: number;

  constructor(s: CompactSchedule, network: NativeNetwork, batchBlocked: boolean) {
    if (network.nodeOf.length < s.numRanks) {
      throw new UsageError(`network.nodeOf has ${network.nodeOf.length} entries for ${s.numRanks} ranks`);
    }
    let nodes = 0;
    for (let r = 0; r < s.numRanks; r++) nodes = Math.max(nodes, network.nodeOf[r] + 1);
    const shared = network.hca !== undefined;
    super(s, batchBlocked, { split: shared ? 2 : 1, messageKinds: 1, groups: shared ? 2 * nodes : 0 });
    this.network = network;
    this.numNodes = nodes;
    this.hcaSend = new Float64Array(nodes);
    this.hcaRecv = new Float64Array(nodes);
    if (network.hca) {
      this.hcaGap = network.hca.messageGapNs;
      this.hcaPerByte = network.hca.perByteNs;
    }
  }

  private viaHca(src: number, dst: number): boolean {
    return this.network.hca !== undefined && this.network.usesHca(src, dst);
  }

  /** The HCA side group (send side of node n: n; receive side: numNodes + n) of a class through the HCA. */
  protected override groupOf(cls: number, item: number): number {
    if (this.split !== 2 || cls < this.sendClass0 || (cls - this.sendClass0) % 2 === 0) return -1;
    const nodeOf = this.network.nodeOf;
    return item < 0 ? this.numNodes + nodeOf[this.peerOf(~item)] : nodeOf[this.rankOf(item)];
  }

  protected override groupClock(g: number): number {
    return g < this.numNodes ? this.hcaSend[g] : this.hcaRecv[g - this.numNodes];
  }

  protected freeAt(item: number): number {
    if (item < 0) {
      const sop = ~item;
      const h = this.peerOf(sop);
      const f = Math.max(
        this.nexto[h * this.stride + this.cpuOf(sop)],
        this.nextgr[h * this.stride + this.gr0 + this.nicOf(sop)],
      );
      return this.viaHca(this.rankOf(sop), h) ? Math.max(f, this.hcaRecv[this.network.nodeOf[h]]) : f;
    }
    const h = this.rankOf(item);
    const cpuFree = this.nexto[h * this.stride + this.cpuOf(item)];
    if (this.kindOf(item) !== OP_SEND) return cpuFree;
    const f = Math.max(cpuFree, this.nextgs[h * this.stride + this.gs0 + this.nicOf(item)]);
    return this.viaHca(h, this.peerOf(item)) ? Math.max(f, this.hcaSend[this.network.nodeOf[h]]) : f;
  }

  protected onSend(op: number, t: number, stamp: number, h: number): void {
    const dst = this.peerOf(op);
    const bytes = this.sizeOf(op);
    const c = h * this.stride + this.cpuOf(op);
    const ni = h * this.stride + this.gs0 + this.nicOf(op);
    let freeAt = Math.max(this.nexto[c], this.nextgs[ni]);
    const net = this.network;
    const node = net.nodeOf[h];
    const viaHca = net.hca !== undefined && net.usesHca(h, dst);
    if (viaHca) freeAt = Math.max(freeAt, this.hcaSend[node]);
    if (freeAt > t)
      return this.block(this.sendClass(h, this.cpuOf(op), this.nicOf(op), viaHca), op, stamp, freeAt);
    const p = net.params(h, dst, bytes);
    this.markStarted(op);
    this.nexto[c] = nativeSendCpuFree(t, bytes, p);
    this.nextgs[ni] = nativeSendNicFree(t, bytes, p);
    if (viaHca) this.hcaSend[node] = hcaFree(t, bytes, this.hcaGap, this.hcaPerByte);
    this.queue.push(nativeArrival(t, bytes, p), this.stamps++, ~op, dst);
    if (isEager(bytes, p.S)) this.markDone(op);
  }

  protected onRecv(op: number, t: number, h: number): void {
    this.markStarted(op);
    const sop = this.uq.match(h, this.peerOf(op), this.tagOf(op));
    if (sop < 0) {
      this.rq.add(h, this.peerOf(op), this.tagOf(op), op);
      return;
    }
    // Rendezvous is decided by the message's own size and pair, and the sender's clocks
    // are pulled up with its own CPU and NIC.
    const sender = this.rankOf(sop);
    if (!isEager(this.sizeOf(sop), this.network.params(sender, h, this.sizeOf(sop)).S)) {
      this.markDone(sop);
      this.pullUpSender(sender, this.cpuOf(sop), this.nicOf(sop), t);
    }
    this.markDone(op);
  }

  protected onMessage(sop: number, t: number, stamp: number, h: number): void {
    const sender = this.rankOf(sop);
    const bytes = this.sizeOf(sop);
    const c = h * this.stride + this.cpuOf(sop);
    const ni = h * this.stride + this.gr0 + this.nicOf(sop);
    let freeAt = Math.max(this.nexto[c], this.nextgr[ni]);
    const net = this.network;
    const node = net.nodeOf[h];
    const viaHca = net.hca !== undefined && net.usesHca(sender, h);
    if (viaHca) freeAt = Math.max(freeAt, this.hcaRecv[node]);
    if (freeAt > t)
      return this.block(this.msgClass(0, h, this.cpuOf(sop), this.nicOf(sop), viaHca), ~sop, stamp, freeAt);
    const p = net.params(sender, h, bytes);
    this.nexto[c] = nativeRecvCpuFree(t, bytes, p);
    this.nextgr[ni] = nativeRecvNicFree(t, bytes, p);
    if (viaHca) this.hcaRecv[node] = hcaFree(t, bytes, this.hcaGap, this.hcaPerByte);
    const rop = this.rq.match(h, sender, this.tagOf(sop));
    if (rop < 0) {
      this.uq.add(h, sender, this.tagOf(sop), sop);
      return;
    }
    if (!isEager(bytes, p.S)) {
      this.markDone(sop);
      this.pullUpSender(sender, this.cpuOf(sop), this.nicOf(sop), t);
    }
    this.markDone(rop);
  }
}
