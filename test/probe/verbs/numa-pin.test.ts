import { describe, expect, it } from 'vitest';
import { planNumaPin } from '../../../src/probe/verbs/numa-pin.js';

const file = '/sys/class/infiniband/mlx4_0/device/numa_node';

describe('planNumaPin: the HCA NUMA node CPUs, client even and server odd', () => {
  it('two sides of one host on one node never share a CPU while the node has two', () => {
    const f = {
      nodeFile: file,
      node: 1,
      nodeCpus: [8, 9, 10, 11],
      online: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    };
    expect(planNumaPin(f, 2, 'client').cpus).toEqual([8, 10]);
    expect(planNumaPin(f, 2, 'server').cpus).toEqual([9, 11]);
    expect(planNumaPin(f, 1, 'client')).toMatchObject({ node: 1, node_cpus: [8, 9, 10, 11] });
    expect(planNumaPin(f, 1, 'client').evidence).toBe(`${file}: 1; node 1 CPUs 8,9,10,11`);
  });

  it('only online CPUs of the node are used, wrapping when pairs outnumber them', () => {
    const f = { nodeFile: file, node: 0, nodeCpus: [0, 1, 2], online: [0, 2] };
    expect(planNumaPin(f, 3, 'client').cpus).toEqual([0, 0, 0]);
    expect(planNumaPin(f, 3, 'server').cpus).toEqual([2, 2, 2]);
  });

  it('says why nothing is pinned: node -1, no file, no cpulist, no CPU online', () => {
    const base = { nodeFile: file, online: [0, 1] };
    expect(planNumaPin({ ...base, node: -1 }, 1, 'client')).toEqual({
      node: null,
      node_cpus: [],
      cpus: [null],
      evidence: `not pinned: ${file} is -1: the platform does not say which node the HCA is on`,
    });
    expect(planNumaPin(base, 1, 'client').evidence).toBe(`not pinned: no ${file}`);
    expect(planNumaPin({ ...base, node: 2 }, 1, 'server').evidence).toBe(
      "not pinned: node 2's cpulist is not readable",
    );
    expect(planNumaPin({ ...base, node: 3, nodeCpus: [6, 7] }, 2, 'client')).toMatchObject({
      node: 3,
      cpus: [null, null],
      evidence: "not pinned: none of node 3's CPUs (6,7) is online",
    });
  });
});
