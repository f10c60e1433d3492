/**
 * Step 1 of a collective prediction: the query's layout (ranks placed on nodes, sockets
 * and VMs) and the MPI hosts it has (a VM is a host), with shared memory forced off where
 * MVAPICH2 turns it off.
 */
import type { Profile } from '../../profiles/types.js';
import { buildLayout, placementName, ranksPerHost, type Layout } from '../layout/index.js';
import type { CollectiveQuery, LayoutSummary } from './query.js';
import { checkRankFootprint, DEFAULT_MAX_MEMORY } from './footprint.js';

/** Layouts are pure functions of their spec; sweeps ask for the same few again and again. */
const layoutCache = new Map<string, { layout: Layout; domains: number[] }>();
const LAYOUT_CACHE_LIMIT = 1024;

/** The layout a query describes, with shared memory forced off where MVAPICH2 turns it off. */
export function layoutOf(
  profile: Profile,
  q: CollectiveQuery,
  notes: string[],
): { layout: Layout; domains: number[] } {
  checkRankFootprint(q.procs, q.maxMemoryBytes ?? DEFAULT_MAX_MEMORY);
  let shm = q.shm;
  if (shm && q.progress !== 'poll') {
    notes.push(
      "MVAPICH2's blocking mode turns shared memory off (Jose et al. Sec. V-D): shm off for this layout",
    );
    shm = false;
  }
  const spec = {
    nodes: q.nodes,
    procs: q.procs,
    socketsPerNode: profile.node.sockets.value,
    coresPerSocket: profile.node.coresPerSocket.value,
    placement: q.placement,
    shm,
  };
  const key = `${spec.nodes}|${spec.procs}|${spec.socketsPerNode}|${spec.coresPerSocket}|${placementName(spec.placement)}|${shm}`;
  let entry = layoutCache.get(key);
  if (!entry) {
    const layout = buildLayout(spec);
    entry = { layout, domains: ranksPerHost(layout) };
    if (layoutCache.size >= LAYOUT_CACHE_LIMIT) layoutCache.clear();
    layoutCache.set(key, entry);
  }
  return entry;
}

/** What a prediction reports of its layout: its shape per node. */
export function layoutSummary(layout: Layout, q: CollectiveQuery): LayoutSummary {
  const load = layout.perNode[0];
  return {
    placement: placementName(q.placement),
    nodes: layout.nodes,
    procs: layout.procs,
    shm: layout.shm,
    progress: q.progress,
    perNode: {
      vms: load.vms,
      vcpusPerVm: load.ranksPerVm.length > 0 ? [...new Set(load.ranksPerVm)] : [],
      ranks: load.ranks,
    },
  };
}
