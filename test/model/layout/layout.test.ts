import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import {
  buildLayout,
  closedFormPaths,
  parsePlacement,
  pathBetween,
  ranksPerHost,
  type Placement,
} from '../../../src/model/layout/index.js';

const fig5 = (placement: Placement, shm = false) =>
  buildLayout({ nodes: 4, socketsPerNode: 2, coresPerSocket: 8, procs: 32, placement, shm });

describe('buildLayout', () => {
  it('puts the paper Fig. 5 setting in blocks: 8 ranks per node, 4 per socket', () => {
    const l = fig5('native', true);
    expect(Array.from(l.nodeOf.slice(0, 10))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(Array.from(l.socketOf.slice(0, 9))).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0]);
    for (const n of l.perNode) {
      expect(n).toEqual({ ranks: 8, vms: 0, vcpus: 0, ranksPerSocket: [4, 4], ranksPerVm: [] });
    }
    expect(l.virtualized).toBe(false);
    expect(Array.from(l.vmOf).every((v) => v === -1)).toBe(true);
  });

  it('vm-per-core: 8 one-vCPU VMs per node', () => {
    const l = fig5('vm-per-core');
    expect(l.perNode[0]).toMatchObject({ ranks: 8, vms: 8, vcpus: 8, ranksPerVm: [1, 1, 1, 1, 1, 1, 1, 1] });
    expect(l.vmNode.length).toBe(32);
    expect(l.vmOf[9]).toBe(9);
    expect(Array.from(l.vmVcpus).every((v) => v === 1)).toBe(true);
  });

  it('vm-per-socket: 2 VMs of 4 ranks and 4 vCPUs per node', () => {
    const l = fig5('vm-per-socket');
    expect(l.perNode[1]).toMatchObject({ vms: 2, vcpus: 8, ranksPerVm: [4, 4] });
    expect(Array.from(l.vmOf.slice(0, 12))).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(Array.from(l.vmVcpus)).toEqual([4, 4, 4, 4, 4, 4, 4, 4]);
    expect(Array.from(l.vmNode)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it('vm-per-node and vms-per-node=K', () => {
    expect(fig5('vm-per-node').perNode[3]).toMatchObject({ vms: 1, vcpus: 8, ranksPerVm: [8] });
    const l = fig5({ vmsPerNode: 4 });
    expect(l.perNode[0]).toMatchObject({ vms: 4, vcpus: 8, ranksPerVm: [2, 2, 2, 2] });
    expect(Array.from(l.vmOf.slice(0, 8))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it('spreads an odd count over sockets as evenly as possible', () => {
    const l = buildLayout({
      nodes: 1,
      socketsPerNode: 2,
      coresPerSocket: 8,
      procs: 5,
      placement: 'vm-per-socket',
      shm: false,
    });
    expect(l.perNode[0].ranksPerSocket).toEqual([3, 2]);
    expect(l.perNode[0].ranksPerVm).toEqual([3, 2]);
  });

  it('native placement accepts ranks that do not divide by nodes (first nodes take one more)', () => {
    const l = buildLayout({
      nodes: 3,
      socketsPerNode: 2,
      coresPerSocket: 8,
      procs: 8,
      placement: 'native',
      shm: true,
    });
    expect(l.perNode.map((n) => n.ranks)).toEqual([3, 3, 2]);
    expect(Array.from(l.nodeOf)).toEqual([0, 0, 0, 1, 1, 1, 2, 2]);
  });

  it.each([
    [{ nodes: 0, procs: 8, placement: 'native' as Placement }, /--nodes must be/],
    [{ nodes: 4, procs: 0, placement: 'native' as Placement }, /--procs must be/],
    [{ nodes: 4, procs: 2, placement: 'native' as Placement }, /fewer than --nodes/],
    [{ nodes: 4, procs: 30, placement: 'vm-per-core' as Placement }, /does not divide by --nodes 4/],
    [{ nodes: 2, procs: 34, placement: 'native' as Placement }, /exceed the node's 16 cores/],
    [{ nodes: 4, procs: 32, placement: { vmsPerNode: 3 } }, /vms-per-node=3 does not divide the 8 ranks/],
    [{ nodes: 4, procs: 32, placement: { vmsPerNode: 17 } }, /exceeds the node's 16 cores/],
    [{ nodes: 4, procs: 32, placement: { vmsPerNode: 0 } }, /vms-per-node must be/],
  ])('rejects %o', (partial, message) => {
    const build = () => buildLayout({ socketsPerNode: 2, coresPerSocket: 8, shm: false, ...partial });
    expect(build).toThrow(UsageError);
    expect(build).toThrow(message);
  });
});

describe('pathBetween', () => {
  it('native: shm or PF loopback within a node, PF across', () => {
    expect(pathBetween(fig5('native', true), 0, 7)).toBe('shm');
    expect(pathBetween(fig5('native', false), 0, 7)).toBe('native-loopback');
    expect(pathBetween(fig5('native', true), 0, 8)).toBe('native');
  });
  it('VMs: shm or the VF looped back to itself inside one VM, VF to VF between VMs of a node, VF across nodes', () => {
    expect(pathBetween(fig5('vm-per-socket', true), 0, 3)).toBe('shm');
    expect(pathBetween(fig5('vm-per-socket', false), 0, 3)).toBe('vf-loopback');
    expect(pathBetween(fig5('vm-per-socket', true), 0, 4)).toBe('vf-to-vf');
    expect(pathBetween(fig5('vm-per-core', true), 0, 1)).toBe('vf-to-vf');
    expect(pathBetween(fig5('vm-per-node', true), 0, 7)).toBe('shm');
    expect(pathBetween(fig5('vm-per-node', true), 7, 8)).toBe('vf');
  });
});

describe('parsePlacement', () => {
  it('reads the words and vms-per-node=K', () => {
    expect(parsePlacement('vm-per-core')).toBe('vm-per-core');
    expect(parsePlacement('vms-per-node=4')).toEqual({ vmsPerNode: 4 });
    expect(() => parsePlacement('vm-per-rack')).toThrow(/is not one of native, vm-per-core/);
    expect(() => parsePlacement('vms-per-node=0')).toThrow(UsageError);
  });
});

describe('MPI hosts', () => {
  it('a VM is an MPI host; natively a node is', () => {
    expect(ranksPerHost(fig5('native', true))).toEqual([8, 8, 8, 8]);
    expect(ranksPerHost(fig5('vm-per-socket'))).toEqual([4, 4, 4, 4, 4, 4, 4, 4]);
    expect(ranksPerHost(fig5('vm-per-core')).length).toBe(32);
  });
  it('closed-form paths: within a host, and across nodes', () => {
    expect(closedFormPaths(fig5('native', true))).toEqual({ intra: 'shm', inter: 'native' });
    expect(closedFormPaths(fig5('vm-per-socket', false))).toEqual({ intra: 'vf-loopback', inter: 'vf' });
    const one = buildLayout({
      nodes: 1,
      socketsPerNode: 2,
      coresPerSocket: 8,
      procs: 8,
      placement: 'vm-per-socket',
      shm: true,
    });
    expect(closedFormPaths(one)).toEqual({ intra: 'shm', inter: 'vf-to-vf' });
  });
});
