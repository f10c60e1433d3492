import type { Layout } from './layout.js';
import { pathBetween, type LayoutPath } from './path.js';

/**
 * Ranks per MPI host, in rank order. MPI inside a VM sees only its VM: its shared-memory
 * channel and its two-level collectives work per VM, so a VM is a host; natively a node
 * is. This is what two-level algorithms (`ranksPerNode` of a CollectiveInput) and
 * MVAPICH2's selection (processes per node) must be given.
 */
export function ranksPerHost(layout: Layout): number[] {
  if (!layout.virtualized) return layout.perNode.map((n) => n.ranks);
  return layout.perNode.flatMap((n) => n.ranksPerVm);
}

/**
 * The two paths a closed form with one parameter set per level uses: `intra` between two
 * ranks of one MPI host (shm, or the host's loopback), `inter` between MPI hosts, taken
 * across nodes whenever there are several nodes (the slowest link, which bounds the
 * algorithm's critical path), else between two VMs of the one node. A flat algorithm's
 * closed form reads only `inter`; the simulator uses every pair's own path.
 */
export function closedFormPaths(layout: Layout): { intra: LayoutPath; inter: LayoutPath } {
  const hosts = ranksPerHost(layout);
  const intra = pathBetween(layout, 0, 0);
  if (layout.nodes > 1) {
    const otherNode = layout.nodeOf.findIndex((n) => n !== layout.nodeOf[0]);
    return { intra, inter: pathBetween(layout, 0, otherNode) };
  }
  return { intra, inter: hosts.length > 1 ? pathBetween(layout, 0, hosts[0]) : intra };
}
