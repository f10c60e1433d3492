import type { PathParams, Profile } from '../profiles/types.js';
import { LAYOUT_PATHS, type Layout, type LayoutPath } from './layout/index.js';
import { mpiPairParams, type PathContext } from './p2p/loggops.js';
import { pathOf } from './p2p/path.js';
import type { NativeNetwork, PairParams } from './sim/contract.js';
import {
  cpuStretchOf,
  hcaMessageUs,
  interruptVectorPlan,
  iommuExtraUs,
  memoryBandwidthStretch,
  remoteMemoryStretch,
  vmsSpanningSockets,
} from './virtualization.js';
import { maxOf } from './max-of.js';

/** How ranks wait for messages in a collective: MPI's poll, MVAPICH2 blocking, or pure events. */
export const COLLECTIVE_PROGRESS = ['poll', 'blocking', 'event'] as const;
export type CollectiveProgress = (typeof COLLECTIVE_PROGRESS)[number];

/** What the virtualization rules give a layout (src/model/virtualization.ts, docs/virtualization.md). */
export interface NodeCosts {
  /** Per node: extra latency (us) of a message through one of its VFs, from IOMMU misses (rule 3). */
  iommuUs: Float64Array;
  /** Per node: stretch of its ranks' CPU work (rule 1). */
  stretch: Float64Array;
  /** Per rank: the stretch of its per-byte memory work from remote memory (rule 2). */
  copyNuma: Float64Array;
  /** Per rank: the ranks of its socket, which share the socket's memory bandwidth (rule 5; `copyStretchOf`). */
  copySharers: Float64Array;
  /** Per rank: which distinct (copyNuma, copySharers) it has (0, 1, ...), for caches keyed on it. */
  copyClass: Int32Array;
  copyClasses: number;
  /** Per node: the HCA engine's time per message (us, rule 4). */
  hcaMessageUs: Float64Array;
}

const costCache = new WeakMap<Layout, WeakMap<Profile, NodeCosts>>();

/** The virtualization costs of a layout under a profile (memoized: both are immutable). */
export function nodeCosts(profile: Profile, layout: Layout): NodeCosts {
  let byProfile = costCache.get(layout);
  if (!byProfile) costCache.set(layout, (byProfile = new WeakMap()));
  let costs = byProfile.get(profile);
  if (!costs) byProfile.set(profile, (costs = computeNodeCosts(profile, layout)));
  return costs;
}

function computeNodeCosts(profile: Profile, layout: Layout): NodeCosts {
  const iommuUs = new Float64Array(layout.nodes);
  const stretch = new Float64Array(layout.nodes);
  const hca = new Float64Array(layout.nodes);
  layout.perNode.forEach((load, n) => {
    iommuUs[n] = iommuExtraUs(profile, layout, n);
    stretch[n] = cpuStretchOf(profile, layout, n);
    hca[n] = hcaMessageUs(profile, layout.virtualized ? load.vms : 0);
  });
  const spanning = vmsSpanningSockets(layout);
  const remote = remoteMemoryStretch(profile);
  const perSocket = new Map<number, number>();
  const socketKey = (r: number) => layout.nodeOf[r] * 64 + layout.socketOf[r];
  for (let r = 0; r < layout.procs; r++) perSocket.set(socketKey(r), (perSocket.get(socketKey(r)) ?? 0) + 1);
  const copyNuma = new Float64Array(layout.procs);
  const copySharers = new Float64Array(layout.procs);
  const copyClass = new Int32Array(layout.procs);
  const classes = new Map<string, number>();
  for (let r = 0; r < layout.procs; r++) {
    const vm = layout.vmOf[r];
    copyNuma[r] = vm >= 0 && spanning[vm] ? remote : 1;
    copySharers[r] = perSocket.get(socketKey(r)) ?? 1;
    const k = `${copyNuma[r]}|${copySharers[r]}`;
    let c = classes.get(k);
    if (c === undefined) classes.set(k, (c = classes.size));
    copyClass[r] = c;
  }
  return { iommuUs, stretch, copyNuma, copySharers, copyClass, copyClasses: classes.size, hcaMessageUs: hca };
}

/**
 * The stretch of rank `r`'s per-byte memory work that costs `perByteUs` on one core: its
 * memory's locality (rule 2) times its socket's shared bandwidth for that work (rule 5).
 */
export function copyStretchOf(profile: Profile, costs: NodeCosts, r: number, perByteUs: number): number {
  return costs.copyNuma[r] * memoryBandwidthStretch(profile, costs.copySharers[r], perByteUs);
}

/** The largest `copyStretchOf` over a layout's ranks (the slowest rank's per-byte work). */
export function maxCopyStretch(profile: Profile, costs: NodeCosts, perByteUs: number): number {
  let m = 1;
  for (let r = 0; r < costs.copyNuma.length; r++)
    m = Math.max(m, copyStretchOf(profile, costs, r, perByteUs));
  return m;
}

/** The two ends of a message: their nodes and the stretch of per-byte work at each (rules 2, 5). */
export interface MessageEnds {
  srcNode: number;
  dstNode: number;
  /** The stretch of the sender's per-byte work costing `perByteUs` (us/B) on one core. */
  srcCopyStretch: (perByteUs: number) => number;
  dstCopyStretch: (perByteUs: number) => number;
}

/** The ends of a message between ranks `src` and `dst` of a layout. */
export function endsOf(
  profile: Profile,
  layout: Layout,
  costs: NodeCosts,
  src: number,
  dst: number,
): MessageEnds {
  return {
    srcNode: layout.nodeOf[src],
    dstNode: layout.nodeOf[dst],
    srcCopyStretch: (x) => copyStretchOf(profile, costs, src, x),
    dstCopyStretch: (x) => copyStretchOf(profile, costs, dst, x),
  };
}

const VF_PATHS: ReadonlySet<LayoutPath> = new Set(['vf', 'vf-loopback', 'vf-to-vf']);

/**
 * MPI pair parameters of one message on a named layout path, with the layout's
 * virtualization costs (src/model/virtualization.ts): a message through VFs is delayed by
 * the IOMMU misses of its DMAs (half of them at each end's node); each end's CPU work is
 * stretched by its node's rule-1 factor and its per-byte work by its rule-2 factor. Event
 * progress is blocking mode with a spin count of 0: a receiver that waits at all sleeps
 * and pays the path's event cost, once, as its wake-up (PairParams.wake; it is not added
 * to the latency).
 */
export function layoutPairParams(
  profile: Profile,
  costs: NodeCosts,
  path: PathParams,
  name: LayoutPath,
  ends: MessageEnds,
  bytes: number,
  progress: CollectiveProgress,
): PairParams {
  const iommu = VF_PATHS.has(name) ? (costs.iommuUs[ends.srcNode] + costs.iommuUs[ends.dstNode]) / 2 : 0;
  const context: PathContext = {
    extraLatencyUs: iommu,
    sendStretch: costs.stretch[ends.srcNode],
    recvStretch: costs.stretch[ends.dstNode],
    sendCopyStretch: ends.srcCopyStretch,
    recvCopyStretch: ends.dstCopyStretch,
    ...(progress === 'event' ? { spinCount: 0 } : {}),
  };
  return mpiPairParams(profile, path, bytes, progress === 'poll' ? 'poll' : 'blocking', context);
}

/** How `buildNetwork` treats a socket's memory bandwidth (rule 5). */
export interface NetworkOptions {
  /**
   * true: the messages' copies wait in a queue at their socket's memory (the simulator's
   * `memory`, socket-memory.ts) and their O holds no bandwidth stretch; false (default):
   * O is stretched by the socket's sharers (`copyStretchOf`), as the closed forms have it.
   */
  memoryQueue?: boolean;
}

/**
 * The machine a layout describes, as the simulator's native mode sees it: each rank
 * pair's path parameters from the profile's MPI model (`mpiPairParams`), the layout's
 * virtualization costs, each node's HCA as a shared resource with the profile's
 * aggregate message rate and the slower of link and PCIe bandwidth, each function's
 * interrupt vectors (rule 6) and, with `memoryQueue`, each socket's memory (rule 5).
 *
 * Under blocking and event progress each pair carries the path's event cost as the
 * receiver's wake-up and its spin window (spinCount polls; none under event progress,
 * MVAPICH2's blocking channel with every receive sleeping on its interrupt): the
 * simulator charges the wake-up to a receiver that actually waited longer than that.
 */
export function buildNetwork(
  profile: Profile,
  layout: Layout,
  progress: CollectiveProgress,
  options: NetworkOptions = {},
): NativeNetwork {
  const costs = nodeCosts(profile, layout);
  const queue = options.memoryQueue === true;
  const pathIndex = new Map<LayoutPath, number>(LAYOUT_PATHS.map((p, i) => [p, i]));
  const paths = LAYOUT_PATHS.map((name) => (name in profile.paths ? pathOf(profile, name) : undefined));
  // Parameters depend on (path, bytes, sender node, receiver node, each end's copy
  // stretch); layouts are uniform per node, so a cache keyed on those stays small even for
  // millions of messages.
  const cache = new Map<number, PairParams[]>();
  const nodes = layout.nodes;
  const hcaBandwidth = Math.min(profile.hca.linkBandwidth.value, profile.hca.pcieBandwidth.value);
  // Layouts put the same VMs on every node, so one engine time serves all (the largest).
  const hcaUs = maxOf(costs.hcaMessageUs);
  // The three paths a pair can take on this layout (pathBetween's rules), as indexes.
  const index = (name: LayoutPath) => pathIndex.get(name) ?? 0;
  const piOtherNode = index(layout.virtualized ? 'vf' : 'native');
  const piSameHost = index(layout.shm ? 'shm' : layout.virtualized ? 'vf-loopback' : 'native-loopback');
  const piOtherVm = index('vf-to-vf');
  let lastBytes = -1;
  let lastBySize: PairParams[] | undefined;
  const irq = interruptVectorPlan(profile, layout);
  return {
    interrupts: { vectorOf: irq.vectorOf, serviceNs: irq.serviceUs.map((us) => us * 1000) },
    ...(queue
      ? {
          memory: {
            socketOf: Int32Array.from(
              layout.socketOf,
              (s, r) => layout.nodeOf[r] * profile.node.sockets.value + s,
            ),
            nsPerByte: 1000 / profile.node.socketCopyBandwidth.value,
          },
        }
      : {}),
    nodeOf: layout.nodeOf,
    // pathUsesHca(pathBetween(...)) without naming the path: only shared memory skips it.
    usesHca: (src, dst) =>
      !layout.shm ||
      layout.nodeOf[src] !== layout.nodeOf[dst] ||
      (layout.virtualized && layout.vmOf[src] !== layout.vmOf[dst]),
    hca: { messageGapNs: 1000 * hcaUs, perByteNs: 1000 / hcaBandwidth },
    params(src, dst, bytes) {
      // Called at every event of every message: the key is computed from the layout's
      // arrays (the path's index as pathBetween decides it, without naming it), the
      // table of the size last asked for is kept at hand, and the message's ends are
      // built only when its parameters are not cached yet.
      const nodeOf = layout.nodeOf;
      const pi =
        nodeOf[src] !== nodeOf[dst]
          ? piOtherNode
          : !layout.virtualized || layout.vmOf[src] === layout.vmOf[dst]
            ? piSameHost
            : piOtherVm;
      let bySize = bytes === lastBytes ? lastBySize : cache.get(bytes);
      if (!bySize) cache.set(bytes, (bySize = []));
      lastBytes = bytes;
      lastBySize = bySize;
      const classes = costs.copyClasses;
      const key =
        (((pi * nodes + layout.nodeOf[src]) * nodes + layout.nodeOf[dst]) * classes + costs.copyClass[src]) *
          classes +
        costs.copyClass[dst];
      let params = bySize[key];
      if (!params) {
        const name = LAYOUT_PATHS[pi];
        const ends = queue ? numaOnlyEnds(layout, costs, src, dst) : endsOf(profile, layout, costs, src, dst);
        params = layoutPairParams(
          profile,
          costs,
          paths[pi] ?? pathOf(profile, name),
          name,
          ends,
          bytes,
          progress,
        );
        bySize[key] = params;
      }
      return params;
    },
  };
}

/** The ends of a message whose copies queue at their sockets' memory: only rule 2 stretches them. */
function numaOnlyEnds(layout: Layout, costs: NodeCosts, src: number, dst: number): MessageEnds {
  return {
    srcNode: layout.nodeOf[src],
    dstNode: layout.nodeOf[dst],
    srcCopyStretch: () => costs.copyNuma[src],
    dstCopyStretch: () => costs.copyNuma[dst],
  };
}
