import type { PathParams, Profile } from '../profiles/types.js';
import { pathBetween, pathUsesHca, LAYOUT_PATHS, type Layout, type LayoutPath } from './layout/index.js';
import { mpiPairParams, type PathContext } from './p2p/loggops.js';
import { pathOf } from './p2p/path.js';
import type { NativeNetwork, PairParams } from './sim/contract.js';
import { cpuStretch, perVfExtraUs } from './virtualization.js';

/** How ranks wait for messages in a collective: MPI's poll, MVAPICH2 blocking, or pure events. */
export const COLLECTIVE_PROGRESS = ['poll', 'blocking', 'event'] as const;
export type CollectiveProgress = (typeof COLLECTIVE_PROGRESS)[number];

/** Per-node factors the virtualization rules give (src/model/virtualization.ts). */
export interface NodeCosts {
  /** Extra us per message through this node's HCA from its other active VFs. */
  vfExtraUs: Float64Array;
  /** CPU stretch of this node's work from over-subscription. */
  stretch: Float64Array;
}

const costCache = new WeakMap<Layout, WeakMap<Profile, NodeCosts>>();

/** Per-node virtualization factors of a layout under a profile (memoized: both are immutable). */
export function nodeCosts(profile: Profile, layout: Layout): NodeCosts {
  let byProfile = costCache.get(layout);
  if (!byProfile) costCache.set(layout, (byProfile = new WeakMap()));
  let costs = byProfile.get(profile);
  if (!costs) byProfile.set(profile, (costs = computeNodeCosts(profile, layout)));
  return costs;
}

function computeNodeCosts(profile: Profile, layout: Layout): NodeCosts {
  const vfExtraUs = new Float64Array(layout.nodes);
  const stretch = new Float64Array(layout.nodes);
  layout.perNode.forEach((load, n) => {
    vfExtraUs[n] = layout.virtualized ? perVfExtraUs(profile, load.vms) : 0;
    stretch[n] = cpuStretch(profile, layout.virtualized ? load.vcpus : load.ranks, layout.virtualized);
  });
  return { vfExtraUs, stretch };
}

/**
 * MPI pair parameters of one message on a named layout path between two nodes, with the
 * layout's virtualization costs (src/model/virtualization.ts): the per-VF cost of both
 * HCAs a message between nodes passes, of the one HCA a VF-to-VF loopback passes; each
 * end's CPU stretch. Event progress is blocking mode with a spin count of 0: a receiver
 * that waits at all sleeps and pays the path's event cost, once, as its wake-up
 * (PairParams.wake; it is not added to the latency).
 */
export function layoutPairParams(
  profile: Profile,
  costs: NodeCosts,
  path: PathParams,
  name: LayoutPath,
  srcNode: number,
  dstNode: number,
  bytes: number,
  progress: CollectiveProgress,
): PairParams {
  const vfExtra =
    name === 'vf'
      ? costs.vfExtraUs[srcNode] + costs.vfExtraUs[dstNode]
      : name === 'vf-loopback'
        ? costs.vfExtraUs[srcNode]
        : 0;
  const context: PathContext = {
    extraLatencyUs: vfExtra,
    sendStretch: costs.stretch[srcNode],
    recvStretch: costs.stretch[dstNode],
    ...(progress === 'event' ? { spinCount: 0 } : {}),
  };
  return mpiPairParams(profile, path, bytes, progress === 'poll' ? 'poll' : 'blocking', context);
}

/**
 * The machine a layout describes, as the simulator's native mode sees it: each rank
 * pair's path parameters from the profile's MPI model (`mpiPairParams`), the layout's
 * virtualization costs, and each node's HCA as a shared resource with the profile's
 * aggregate message rate and the slower of link and PCIe bandwidth.
 *
 * Under blocking and event progress each pair carries the path's event cost as the
 * receiver's wake-up and its spin window (spinCount polls; none under event progress,
 * MVAPICH2's blocking channel with every receive sleeping on its interrupt): the
 * simulator charges the wake-up to a receiver that actually waited longer than that.
 */
export function buildNetwork(profile: Profile, layout: Layout, progress: CollectiveProgress): NativeNetwork {
  const costs = nodeCosts(profile, layout);
  const pathIndex = new Map<LayoutPath, number>(LAYOUT_PATHS.map((p, i) => [p, i]));
  const paths = LAYOUT_PATHS.map((name) => (name in profile.paths ? pathOf(profile, name) : undefined));
  // Parameters depend on (path, bytes, sender node, receiver node); layouts are uniform
  // per node, so a cache keyed on those stays small even for millions of messages.
  const cache = new Map<number, PairParams[]>();
  const nodes = layout.nodes;
  const hcaBandwidth = Math.min(profile.hca.linkBandwidth.value, profile.hca.pcieBandwidth.value);
  return {
    nodeOf: layout.nodeOf,
    usesHca: (src, dst) => pathUsesHca(pathBetween(layout, src, dst)),
    hca: { messageGapNs: 1000 / profile.hca.messageRate.value, perByteNs: 1000 / hcaBandwidth },
    params(src, dst, bytes) {
      const name = pathBetween(layout, src, dst);
      const ns = layout.nodeOf[src];
      const nd = layout.nodeOf[dst];
      const pi = pathIndex.get(name) ?? 0;
      let bySize = cache.get(bytes);
      if (!bySize) cache.set(bytes, (bySize = []));
      const key = (pi * nodes + ns) * nodes + nd;
      let params = bySize[key];
      if (!params) {
        params = layoutPairParams(
          profile,
          costs,
          paths[pi] ?? pathOf(profile, name),
          name,
          ns,
          nd,
          bytes,
          progress,
        );
        bySize[key] = params;
      }
      return params;
    },
  };
}
