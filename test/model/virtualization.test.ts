import { describe, expect, it } from 'vitest';
import { buildLayout } from '../../src/model/layout/index.js';
import { buildNetwork } from '../../src/model/network.js';
import { mpiPairParams } from '../../src/model/p2p/loggops.js';
import { predictPoint } from '../../src/model/predict-collective.js';
import { iommuExtraUs, memoryBandwidthStretch, remoteMemoryStretch } from '../../src/model/virtualization.js';
import { cx3FdrKvm2013 } from '../../src/profiles/cx3-fdr-kvm-2013.js';
import type { Profile } from '../../src/profiles/types.js';

const profile = cx3FdrKvm2013;
const layout = (
  placement: Parameters<typeof buildLayout>[0]['placement'],
  procs = 32,
  nodes = 4,
  shm = false,
) => buildLayout({ nodes, procs, socketsPerNode: 2, coresPerSocket: 8, placement, shm });

function withVirt(values: Partial<Record<keyof Profile['virtualization'], number>>): Profile {
  const p = structuredClone(profile);
  for (const [k, v] of Object.entries(values))
    p.virtualization[k as keyof Profile['virtualization']].value = v;
  return p;
}

describe('the network of a layout', () => {
  it('names the path of each pair: VF to VF between VMs of a node, the VF to itself inside one', () => {
    const net = buildNetwork(profile, layout('vm-per-socket'), 'poll');
    const iommu = iommuExtraUs(profile, layout('vm-per-socket'), 0) * 1000; // ns
    const alone = (name: string) => mpiPairParams(profile, profile.paths[name], 8192, 'poll').L;
    // Ranks 0-3 share a VM on socket 0, ranks 4-7 the other on socket 1; rank 8 is on node 1.
    expect(net.params(0, 1, 8192).L).toBeCloseTo(alone('vf-loopback') + iommu, 6);
    expect(net.params(0, 4, 8192).L).toBeCloseTo(alone('vf-to-vf') + iommu, 6);
    expect(net.params(0, 8, 8192).L).toBeCloseTo(alone('vf') + iommu, 6);
    expect(net.usesHca(0, 4)).toBe(true);
  });

  it('natively, no IOMMU delay: a pair takes its path alone', () => {
    const net = buildNetwork(profile, layout('native'), 'poll');
    expect(net.params(0, 8, 8192).L).toBeCloseTo(
      mpiPairParams(profile, profile.paths.native, 8192, 'poll').L,
      9,
    );
  });

  it('a VM spanning both sockets copies at the remote-memory rate; a VM per socket does not', () => {
    const copy = profile.mpi.copyPerByte.value * 1000; // ns/B, eager fast path at 1 KB
    const spanning = buildNetwork(profile, layout('vm-per-node'), 'poll').params(0, 8, 1024);
    const local = buildNetwork(profile, layout('vm-per-socket'), 'poll').params(0, 8, 1024);
    const tick = 1 + profile.virtualization.tickOverhead.value;
    // Both layouts put 4 ranks on each socket, copying through one memory controller.
    const memory = memoryBandwidthStretch(profile, 4);
    expect(memory).toBeCloseTo((4 * 10000) / 26200, 9);
    expect(local.O).toBeCloseTo(copy * tick * memory, 9);
    expect(spanning.O).toBeCloseTo(copy * tick * memory * remoteMemoryStretch(profile), 9);
    expect(spanning.O_r).toBeCloseTo(copy * tick * memory * remoteMemoryStretch(profile), 9);
  });

  it('holds the HCA engine longer per message when other VFs are active', () => {
    const dear = withVirt({ perVfCost: 0.01 });
    expect(buildNetwork(dear, layout('vm-per-core'), 'poll').hca?.messageGapNs).toBeCloseTo(
      1000 * (1 / 90 + (8 - 1) * 0.01),
      9,
    );
    expect(buildNetwork(dear, layout('vm-per-node'), 'poll').hca?.messageGapNs).toBeCloseTo(1000 / 90, 9);
  });

  it('routes ranks of one VM over shared memory, which skips the HCA', () => {
    const net = buildNetwork(profile, layout('vm-per-node', 32, 4, true), 'poll');
    expect(net.usesHca(0, 1)).toBe(false);
    expect(net.usesHca(0, 8)).toBe(true);
    expect(net.hca?.perByteNs).toBeCloseTo(1000 / 6283.36, 9);
  });

  it('gives receivers the event cost as a wake-up: after no spinning under event progress, after spinCount polls blocking', () => {
    const poll = buildNetwork(profile, layout('vm-per-core'), 'poll').params(0, 8, 64);
    const event = buildNetwork(profile, layout('vm-per-core'), 'event').params(0, 8, 64);
    const blocking = buildNetwork(profile, layout('vm-per-core'), 'blocking').params(0, 8, 64);
    expect(poll.wake).toBeUndefined();
    expect(event.wake).toBeCloseTo(profile.paths.vf.eventExtra.value * 1000, 9);
    expect(event.spin).toBe(0);
    expect(blocking.wake).toBe(event.wake);
    // The spin window is the receiver's CPU work: its guest ticks stretch it.
    const tick = 1 + profile.virtualization.tickOverhead.value;
    expect(blocking.spin).toBeCloseTo(
      profile.mpi.spinCount.value * profile.paths.vf.o_r.value * tick * 1000,
      9,
    );
    // The wake-up is the simulator's to charge, not part of the latency.
    expect(event.L).toBe(blocking.L);
  });
});

describe('layout predictions move with the assumptions, in the direction the rules say', () => {
  const q = {
    op: 'alltoall' as const,
    nodes: 4,
    procs: 32,
    shm: false,
    progress: 'poll' as const,
    engine: 'sim' as const,
  };
  it('a dearer extra VF slows vm-per-core and leaves vm-per-node alone', () => {
    const cheap = withVirt({ perVfCost: 0 });
    const dear = withVirt({ perVfCost: 0.05 });
    const core = (p: Profile) => predictPoint(p, { ...q, placement: 'vm-per-core' }, 64).latency_us;
    const node = (p: Profile) => predictPoint(p, { ...q, placement: 'vm-per-node' }, 64).latency_us;
    expect(core(dear)).toBeGreaterThan(core(cheap));
    expect(node(dear)).toBe(node(cheap));
  });

  it('remote memory slows the VM that spans sockets and leaves the VMs per socket alone', () => {
    const local = withVirt({ spanningRemoteShare: 0 });
    const remote = withVirt({ spanningRemoteShare: 0.75 });
    const at = (p: Profile, placement: 'vm-per-node' | 'vm-per-socket') =>
      predictPoint(p, { ...q, op: 'allreduce', placement }, 8192).latency_us;
    expect(at(remote, 'vm-per-node')).toBeGreaterThan(at(local, 'vm-per-node'));
    expect(at(remote, 'vm-per-socket')).toBe(at(local, 'vm-per-socket'));
  });

  it('IOMMU misses slow every VM layout and leave native alone', () => {
    const none = withVirt({ iommuMissCost: 0 });
    for (const placement of ['vm-per-core', 'vm-per-socket', 'vm-per-node'] as const)
      expect(predictPoint(profile, { ...q, placement }, 64).latency_us).toBeGreaterThan(
        predictPoint(none, { ...q, placement }, 64).latency_us,
      );
    expect(predictPoint(profile, { ...q, placement: 'native' }, 64).latency_us).toBe(
      predictPoint(none, { ...q, placement: 'native' }, 64).latency_us,
    );
  });

  it('full subscription (16 VMs of 1 vCPU per node) stretches CPU work; 8 VMs do not', () => {
    const tight = withVirt({ subscriptionPenalty: 2 });
    const loose = withVirt({ subscriptionPenalty: 0 });
    const at = (p: Profile, procs: number) =>
      predictPoint(p, { ...q, procs, placement: 'vm-per-core' }, 64).latency_us;
    expect(at(tight, 64)).toBeGreaterThan(at(loose, 64));
    expect(at(tight, 32)).toBe(at(loose, 32));
  });
});
