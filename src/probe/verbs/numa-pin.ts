/**
 * Where the verbs probe pins its measuring threads by default: on CPUs of the HCA's
 * NUMA node, so that neither the doorbell writes and completion polls nor the buffers'
 * DMA cross the socket interconnect (the node is the PCI device's `numa_node` in
 * sysfs, as `ibvf devices` shows it; numactl --cpunodebind does the same for perftest).
 * Pure: the facts are read by sysfs.ts.
 */

export interface NumaFacts {
  /** The file the node was read from, for the evidence. */
  nodeFile: string;
  /** `device/numa_node`: -1 or absent when the platform does not say. */
  node?: number;
  /** `devices/system/node/nodeN/cpulist` of that node, as CPU numbers; absent if unreadable. */
  nodeCpus?: number[];
  /** CPUs online on this host (where a thread can be pinned). */
  online: number[];
}

export interface NumaPin {
  node: number | null;
  /** The node's online CPUs (empty when not pinned). */
  node_cpus: number[];
  /** Per pair, the CPU this side's thread is pinned to, or null. */
  cpus: (number | null)[];
  /** What was read and decided, or why nothing was pinned. */
  evidence: string;
}

/**
 * This side's CPU per pair: the two sides of pair i take the node's CPUs 2i and 2i + 1
 * (client even, server odd, wrapping), so two processes of one host on one node never
 * share a CPU while the node has two or more.
 */
export function planNumaPin(f: NumaFacts, pairs: number, side: 'client' | 'server'): NumaPin {
  const none = (why: string): NumaPin => ({
    node: f.node !== undefined && f.node >= 0 ? f.node : null,
    node_cpus: [],
    cpus: Array.from({ length: pairs }, () => null),
    evidence: `not pinned: ${why}`,
  });
  if (f.node === undefined) return none(`no ${f.nodeFile}`);
  if (f.node < 0)
    return none(`${f.nodeFile} is ${f.node}: the platform does not say which node the HCA is on`);
  if (f.nodeCpus === undefined) return none(`node ${f.node}'s cpulist is not readable`);
  const online = new Set(f.online);
  const usable = f.nodeCpus.filter((c) => online.has(c));
  if (usable.length === 0) return none(`none of node ${f.node}'s CPUs (${f.nodeCpus.join(',')}) is online`);
  const offset = side === 'client' ? 0 : 1;
  return {
    node: f.node,
    node_cpus: usable,
    cpus: Array.from({ length: pairs }, (_, i) => usable[(2 * i + offset) % usable.length]),
    evidence: `${f.nodeFile}: ${f.node}; node ${f.node} CPUs ${usable.join(',')}`,
  };
}
