/**
 * The time of one BFS level of Graph500's reference MPI `bfs_simple` (Graph500 2.1.x,
 * mpi/bfs_simple.c; the paper does not name the variant it ran, so this is an
 * assumption, `--variant simple`). What that code does per level:
 *
 *   - each rank scans the edges of its frontier vertices; a pair (target, predecessor),
 *     two int64 = 16 B, goes into the coalescing buffer of the target's owner; a full
 *     4 KB buffer (256 pairs) is sent, the rest at the end of the level;
 *   - one MPI_ANY_SOURCE receive is posted at a time and progress happens only inside
 *     MPI_Test, so receiving is CPU work of the receiving rank interleaved with its scan;
 *   - when its scan is done, each rank sends a zero-byte end-of-level message to every
 *     other rank in rank order and waits until it has one from every other rank;
 *   - an allreduce of the next frontier's size decides whether to go on.
 *
 * Model (all ns), for rank r with pairs[r][d] pairs to d:
 *
 *   compute_r = scanned_r x perEdge_r         (scanned_r = sum over d of pairs[r][d])
 *   send_r    = sum over its messages of o_s + (s-1)O          (sim/native-costs.ts)
 *   recv_r    = sum over messages to r of o_r + (s-1)max(O_r,G)
 *   nic_r     = sum over its messages of the NIC's send time g + (s-1)G
 *   hca_n     = max(sent, received) over node n's HCA: messages x messageGap + bytes x perByte
 *   ready_r   = max(compute_r + send_r + recv_r, nic_r, hca_node(r))
 *   level     = max_r ready_r + end          (the slowest rank sets the level time)
 *
 * where `end` is the end-of-level exchange and the allreduce, simulated once per layout
 * with all ranks starting together (`bfs-predict.ts`). Adding it to the slowest rank's
 * ready time is exact when that rank is last to finish by more than the exchange (every
 * rank waits for its end message, sent only after its scan) and otherwise a bound
 * within one exchange. Data messages overlap the scan (they leave as buffers fill); the
 * last one's wire latency is covered by the end message behind it on the same pair.
 */
import type { NativeNetwork } from '../sim/contract.js';
import { nativeRecvCpuFree, nativeSendCpuFree, nativeSendNicFree } from '../sim/native-costs.js';

/** bfs_simple's coalescing buffer (4 KB) and its pair (two int64: target, predecessor). */
export const COALESCE_BYTES = 4096;
export const PAIR_BYTES = 16;

export interface LevelCosts {
  procs: number;
  network: NativeNetwork;
  /** Per rank: ns per adjacency entry scanned, with its stretches (bfs-predict.ts). */
  perEdgeNs: Float64Array;
  /** The end-of-level exchange and allreduce (ns). */
  endNs: number;
}

export interface LevelTime {
  ns: number;
  slowestRank: number;
  /** The slowest rank's terms (ns). */
  computeNs: number;
  sendNs: number;
  recvNs: number;
  nicNs: number;
  hcaNs: number;
  endNs: number;
  /** Data messages of the level, all ranks. */
  messages: number;
}

/** Message sizes bfs_simple sends for `pairs` pairs: full 4 KB buffers and the rest. */
export function messagesFor(pairs: number): { full: number; rest: number } {
  const bytes = pairs * PAIR_BYTES;
  return { full: Math.floor(bytes / COALESCE_BYTES), rest: bytes % COALESCE_BYTES };
}

/** The level time for a P x P pair matrix (row = sender). */
export function levelTime(pairs: Float64Array, c: LevelCosts): LevelTime {
  const P = c.procs;
  const net = c.network;
  const cpu = new Float64Array(P);
  const compute = new Float64Array(P);
  const send = new Float64Array(P);
  const recv = new Float64Array(P);
  const nic = new Float64Array(P);
  const nodes = Math.max(...net.nodeOf) + 1;
  const hcaOut = new Float64Array(nodes);
  const hcaIn = new Float64Array(nodes);
  let messages = 0;
  const charge = (r: number, d: number, s: number, count: number): void => {
    if (count === 0) return;
    const p = net.params(r, d, s);
    send[r] += count * nativeSendCpuFree(0, s, p);
    recv[d] += count * nativeRecvCpuFree(0, s, p);
    nic[r] += count * nativeSendNicFree(0, s, p);
    if (net.hca && net.usesHca(r, d)) {
      const t = count * (net.hca.messageGapNs + s * net.hca.perByteNs);
      hcaOut[net.nodeOf[r]] += t;
      hcaIn[net.nodeOf[d]] += t;
    }
    messages += count;
  };
  for (let r = 0; r < P; r++) {
    let scanned = 0;
    for (let d = 0; d < P; d++) {
      const n = pairs[r * P + d];
      scanned += n;
      if (d === r || n === 0) continue;
      const { full, rest } = messagesFor(n);
      charge(r, d, COALESCE_BYTES, full);
      charge(r, d, rest, rest > 0 ? 1 : 0);
    }
    compute[r] = scanned * c.perEdgeNs[r];
  }
  let best = -1;
  let slowest = 0;
  for (let r = 0; r < P; r++) {
    cpu[r] = compute[r] + send[r] + recv[r];
    const node = net.nodeOf[r];
    const ready = Math.max(cpu[r], nic[r], hcaOut[node], hcaIn[node]);
    if (ready > best) {
      best = ready;
      slowest = r;
    }
  }
  const node = net.nodeOf[slowest];
  return {
    ns: best + c.endNs,
    slowestRank: slowest,
    computeNs: compute[slowest],
    sendNs: send[slowest],
    recvNs: recv[slowest],
    nicNs: nic[slowest],
    hcaNs: Math.max(hcaOut[node], hcaIn[node]),
    endNs: c.endNs,
    messages,
  };
}
