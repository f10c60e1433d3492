import type { Profile } from '../profiles/types.js';

/**
 * The rules by which a VM layout changes costs, written down (with the profile's
 * assumed values) before any layout was predicted, as issue 4 asks:
 *
 * 1. Per-VF cost. Every VF active on a node makes the shared HCA switch among more
 *    function contexts. A message through a node's HCA pays `perVfCost` for each other
 *    active VF there: (k - 1) perVfCost per HCA passed, k = VMs on that node. A message
 *    between nodes passes two HCAs, a VF-to-VF loopback one. Native ranks use the PF: 0.
 *
 * 2. CPU subscription. A node's CPU demand is its vCPUs plus `hostCoresReserved` when
 *    it runs VMs (KVM's own threads, the host kernel), or its ranks when native. When
 *    demand D exceeds the cores C, CPU work (overheads o, per-byte O, reduction compute)
 *    stretches by 1 + subscriptionPenalty (D/C - 1): with penalty 1, pure time-sharing.
 *
 * Nothing in the paper measures either; `ibvf whatif --sensitivity` sweeps both.
 */
export function perVfExtraUs(profile: Profile, vfsOnNode: number): number {
  return vfsOnNode > 1 ? (vfsOnNode - 1) * profile.virtualization.perVfCost.value : 0;
}

export function cpuStretch(profile: Profile, demand: number, virtualized: boolean): number {
  const cores = profile.node.sockets.value * profile.node.coresPerSocket.value;
  const total = demand + (virtualized ? profile.virtualization.hostCoresReserved.value : 0);
  return total > cores ? 1 + profile.virtualization.subscriptionPenalty.value * (total / cores - 1) : 1;
}
