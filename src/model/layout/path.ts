import type { Layout } from './layout.js';

/**
 * Names of the profile paths a layout can route a rank pair over (the built-in profile
 * `cx3-fdr-kvm-2013` defines each). The model looks the parameters up by name.
 */
export const LAYOUT_PATHS = ['native', 'vf', 'shm', 'native-loopback', 'vf-loopback', 'vf-to-vf'] as const;
export type LayoutPath = (typeof LAYOUT_PATHS)[number];

/**
 * The path between ranks `a` and `b` (docs/virtualization.md, section 1):
 * - same VM, or same host when native: shared memory when it is on, else a loopback
 *   through the node's HCA within one function (`native-loopback` on the PF,
 *   `vf-loopback`: the VM's VF to itself);
 * - same node, other VM: VF to VF between two functions of the HCA (`vf-to-vf`), shared
 *   memory or not, since MPI's shared-memory channel cannot cross VMs;
 * - other node: the fabric, `native` (PF) or `vf`.
 * A rank to itself counts as the same VM (MPI copies locally; callers rarely ask).
 */
export function pathBetween(layout: Layout, a: number, b: number): LayoutPath {
  if (layout.nodeOf[a] !== layout.nodeOf[b]) return layout.virtualized ? 'vf' : 'native';
  if (!layout.virtualized) return layout.shm ? 'shm' : 'native-loopback';
  if (layout.vmOf[a] === layout.vmOf[b]) return layout.shm ? 'shm' : 'vf-loopback';
  return 'vf-to-vf';
}

/** Whether a message on this path passes through the node's HCA (all but shared memory). */
export function pathUsesHca(path: LayoutPath): boolean {
  return path !== 'shm';
}
