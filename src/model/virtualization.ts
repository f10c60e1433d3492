import type { Profile } from '../profiles/types.js';
import type { Layout } from './layout/index.js';

/**
 * What a VM layout does to costs: the rules of docs/virtualization.md, where each is
 * given with its evidence (docs/evidence/virtualization-costs.md). Pure functions of the
 * profile and the layout; `network.ts` applies them to each pair of ranks.
 *
 * 1. CPU. A rank's CPU work (o, per-byte copies, reductions) stretches by
 *      tick = 1 + tickOverhead                              (in a VM: guest ticks and their exits)
 *      over = 1 + subscriptionPenalty (D/C - 1) when D > C  (over-subscription)
 *    where D = vCPUs + hostCoresReserved + VMs x hostWorkPerVm (or the ranks, natively)
 *    and C = the node's cores. Host work per VM only competes with ranks when the cores
 *    run out: with idle cores the host's threads run there.
 * 2. Memory locality. The per-byte CPU work of a rank in a VM whose ranks span both
 *    sockets stretches further by 1 + spanningRemoteShare (numaRemoteFactor - 1).
 * 3. IOMMU. Each message through a VF pays dmasPerMessage x P(miss) x iommuMissCost of
 *    latency, with P(miss) = 1 - iommuReach / footprint once the memory a node's ranks
 *    register for the peers they reach through the HCA (footprint = sum over its ranks
 *    of peers x registeredPerPeer) exceeds the IOTLB's reach; 0 below it.
 * 4. HCA engine. Each message holds its node's HCA engine for 1/messageRate plus
 *    (k - 1) perVfCost with k VMs (each with its VF) active on the node.
 * 5. Memory bandwidth. The ranks of a socket copy (eager buffers, shared memory) through
 *    one memory controller: with n ranks on it, each copying at the core rate
 *    1/copyPerByte, per-byte copy work stretches by max(1, n / (copyPerByte x
 *    socketCopyBandwidth)). This treats the socket's copies as concurrent, as they are in
 *    a collective's phases; a lone pair's copies are not slowed. This stretch is the
 *    closed forms' approximation (and the shared-memory collectives' copy and reduction
 *    calcs'); the simulator queues the eager copies of a socket at its memory instead
 *    (src/model/sim/socket-memory.ts): the copies share the socket's bandwidth (processor
 *    sharing, each capped at its core's rate).
 * 6. Interrupt vectors. Under event (and sleeping blocking) progress a rank's wake-up is
 *    a completion interrupt of its function: the VF of its VM, or natively the PF. The
 *    ranks of one function share its interruptVectors vectors (rank i of the function on
 *    vector i mod interruptVectors; MVAPICH2 puts every CQ on vector 0, so 1), and a
 *    vector does one interrupt's service per interrupt, interruptService on bare metal plus
 *    interruptExitCost in a guest (the exits of its delivery and EOI). The wake-up a lone
 *    rank pays (the path's eventExtra) already holds one service; interrupts in a vector
 *    at once share it (processor sharing: k raised together all end k services later), so
 *    a rank whose interrupt finds its vector busy is slowed (src/model/sim/interrupt-vectors.ts).
 *    Ranks of a VM per node share one vector; a VM per core has its own.
 */

/** The node's cores. */
export function coresPerNode(profile: Profile): number {
  return profile.node.sockets.value * profile.node.coresPerSocket.value;
}

/** Rule 1: the over-subscription stretch of a node with CPU demand `demand` (cores). */
export function oversubscription(profile: Profile, demand: number): number {
  const cores = coresPerNode(profile);
  return demand > cores ? 1 + profile.virtualization.subscriptionPenalty.value * (demand / cores - 1) : 1;
}

/** Rule 1: a node's CPU demand: its vCPUs, the host's reserved cores and each VM's host work (or its ranks, natively). */
export function cpuDemand(profile: Profile, layout: Layout, node: number): number {
  const load = layout.perNode[node];
  if (!layout.virtualized) return load.ranks;
  const v = profile.virtualization;
  return load.vcpus + v.hostCoresReserved.value + load.vms * v.hostWorkPerVm.value;
}

/** Rule 1: the stretch of CPU work of ranks on `node`. */
export function cpuStretchOf(profile: Profile, layout: Layout, node: number): number {
  const ticks = layout.virtualized ? 1 + profile.virtualization.tickOverhead.value : 1;
  return ticks * oversubscription(profile, cpuDemand(profile, layout, node));
}

/** Rule 2: whether each VM's ranks sit on more than one socket. */
export function vmsSpanningSockets(layout: Layout): boolean[] {
  const sockets = new Map<number, Set<number>>();
  for (let r = 0; r < layout.procs; r++) {
    const vm = layout.vmOf[r];
    if (vm < 0) continue;
    let set = sockets.get(vm);
    if (!set) sockets.set(vm, (set = new Set()));
    set.add(layout.socketOf[r]);
  }
  return Array.from(layout.vmNode, (_, vm) => (sockets.get(vm)?.size ?? 0) > 1);
}

/** Rule 2: the stretch of per-byte CPU work of a rank in a VM that spans sockets. */
export function remoteMemoryStretch(profile: Profile): number {
  return 1 + profile.virtualization.spanningRemoteShare.value * (profile.node.numaRemoteFactor.value - 1);
}

const peerCounts = new WeakMap<Layout, Float64Array>();

/**
 * Per node, the peers its ranks reach through the HCA, summed over its ranks: every other
 * rank but those sharing memory with it (same VM or host, shared memory on). One pass over
 * the ranks per layout (memoized: layouts are immutable).
 */
function peersOverHca(layout: Layout): Float64Array {
  let peers = peerCounts.get(layout);
  if (peers) return peers;
  const hostOf = (r: number) => (layout.virtualized ? layout.vmOf[r] : layout.nodeOf[r]);
  const hostSize = new Map<number, number>();
  for (let r = 0; r < layout.procs; r++) hostSize.set(hostOf(r), (hostSize.get(hostOf(r)) ?? 0) + 1);
  peers = new Float64Array(layout.nodes);
  for (let r = 0; r < layout.procs; r++) {
    const local = layout.shm ? hostSize.get(hostOf(r))! - 1 : 0;
    peers[layout.nodeOf[r]] += layout.procs - 1 - local;
  }
  peerCounts.set(layout, peers);
  return peers;
}

/** Rule 3: the memory the ranks of `node` register for peers they reach through the HCA (B). */
export function registeredFootprint(profile: Profile, layout: Layout, node: number): number {
  return peersOverHca(layout)[node] * profile.virtualization.registeredPerPeer.value;
}

/** Rule 3: the chance that a VF DMA's translation misses the IOTLB on `node`. */
export function iotlbMissChance(profile: Profile, layout: Layout, node: number): number {
  const footprint = registeredFootprint(profile, layout, node);
  const reach = profile.virtualization.iommuReach.value;
  return footprint > reach ? 1 - reach / footprint : 0;
}

/** Rule 3: the extra latency (us) of a message through a VF of `node`. */
export function iommuExtraUs(profile: Profile, layout: Layout, node: number): number {
  if (!layout.virtualized) return 0;
  const v = profile.virtualization;
  return v.dmasPerMessage.value * iotlbMissChance(profile, layout, node) * v.iommuMissCost.value;
}

/** Rule 4: the HCA engine's time per message (us) on a node with `vfs` active VFs. */
export function hcaMessageUs(profile: Profile, vfs: number): number {
  const perVf = vfs > 1 ? (vfs - 1) * profile.virtualization.perVfCost.value : 0;
  return 1 / profile.hca.messageRate.value + perVf;
}

/**
 * Rule 5: the stretch of per-byte memory work costing `perByteUs` (us/B on one core; by
 * default the MPI eager copy) of a rank on a socket that holds `ranks` ranks doing the
 * same: their demand `ranks / perByteUs` over the socket's copy bandwidth, so that the
 * work takes max(perByteUs, ranks / socketCopyBandwidth) per byte. Each cost is stretched
 * by its own demand: a cheaper copy meets the bandwidth limit sooner, and a dearer one
 * never makes another cost cheaper (the stretch of every per-byte cost once came from
 * the eager copy's rate, so that raising mpi.copyPerByte lowered the shared-memory
 * collectives' copies: test/model/properties/monotone.test.ts).
 */
export function memoryBandwidthStretch(
  profile: Profile,
  ranks: number,
  perByteUs: number = profile.mpi.copyPerByte.value,
): number {
  if (!(perByteUs > 0)) return 1;
  return Math.max(1, ranks / (perByteUs * profile.node.socketCopyBandwidth.value));
}

/** Rule 6: each rank's interrupt vector (numbered across the layout) and each vector's service time. */
export interface InterruptVectorPlan {
  /** Per rank: its vector. */
  vectorOf: Int32Array;
  /** Per vector: how long (us) one interrupt holds it. */
  serviceUs: Float64Array;
}

/**
 * Rule 6: the vectors of a layout. A function is a VM's VF (in a VM layout) or a node's
 * PF (natively); its ranks, in rank order, take its vectors in turn. A drawn vector count
 * is rounded to a whole number of at least 1.
 */
export function interruptVectorPlan(profile: Profile, layout: Layout): InterruptVectorPlan {
  const v = profile.virtualization;
  const perFunction = Math.max(1, Math.round(v.interruptVectors.value));
  const service = layout.virtualized
    ? v.interruptService.value + v.interruptExitCost.value
    : v.interruptService.value;
  const functionOf = (r: number) => (layout.virtualized ? layout.vmOf[r] : layout.nodeOf[r]);
  const functions = layout.virtualized ? layout.vmNode.length : layout.nodes;
  const seen = new Int32Array(functions);
  const vectorOf = new Int32Array(layout.procs);
  for (let r = 0; r < layout.procs; r++) {
    const f = functionOf(r);
    vectorOf[r] = f * perFunction + (seen[f]++ % perFunction);
  }
  return { vectorOf, serviceUs: new Float64Array(functions * perFunction).fill(service) };
}
