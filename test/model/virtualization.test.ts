import { describe, expect, it } from 'vitest';
import { buildLayout } from '../../src/model/layout/index.js';
import { buildNetwork, nodeCosts } from '../../src/model/network.js';
import { mpiPairParams } from '../../src/model/p2p/loggops.js';
import { predictPoint } from '../../src/model/predict-collective.js';
import { cpuStretch, perVfExtraUs } from '../../src/model/virtualization.js';
import { cx3FdrKvm2013 } from '../../src/profiles/cx3-fdr-kvm-2013.js';
import type { Profile } from '../../src/profiles/types.js';

const profile = cx3FdrKvm2013;
const layout = (
  placement: Parameters<typeof buildLayout>[0]['placement'],
  procs = 32,
  nodes = 4,
  shm = false,
) => buildLayout({ nodes, procs, socketsPerNode: 2, coresPerSocket: 8, placement, shm });

function withVirt(
  values: Partial<Record<'perVfCost' | 'hostCoresReserved' | 'subscriptionPenalty', number>>,
): Profile {
  const p = structuredClone(profile);
  for (const [k, v] of Object.entries(values))
    p.virtualization[k as keyof Profile['virtualization']].value = v;
  return p;
}

describe('virtualization rules (src/model/virtualization.ts)', () => {
  it('charges perVfCost for each other active VF on a node', () => {
    const p = withVirt({ perVfCost: 0.05 });
    expect(perVfExtraUs(p, 1)).toBe(0);
    expect(perVfExtraUs(p, 8)).toBeCloseTo(0.35, 12);
  });

  it('stretches CPU work only when vCPUs plus host cores exceed the cores', () => {
    const p = withVirt({ hostCoresReserved: 1, subscriptionPenalty: 1 });
    expect(cpuStretch(p, 8, true)).toBe(1); // Fig. 5: 8 vCPUs + 1 <= 16
    expect(cpuStretch(p, 15, true)).toBe(1);
    expect(cpuStretch(p, 16, true)).toBeCloseTo(17 / 16, 12); // Fig. 6 at 16 VMs per node
    expect(cpuStretch(p, 16, false)).toBe(1); // native ranks: no hypervisor
    expect(cpuStretch(withVirt({ subscriptionPenalty: 2 }), 16, true)).toBeCloseTo(1 + 2 / 16, 12);
  });

  it('gives per-node costs from the layout: 8 VFs per node for vm-per-core, none natively', () => {
    const p = withVirt({ perVfCost: 0.05 });
    // Each of a node's 8 VFs pays for the 7 others.
    for (const extra of nodeCosts(p, layout('vm-per-core')).vfExtraUs)
      expect(extra).toBeCloseTo((8 - 1) * 0.05, 12);
    expect([...nodeCosts(p, layout('vm-per-node')).vfExtraUs]).toEqual([0, 0, 0, 0]);
    expect([...nodeCosts(p, layout('native')).vfExtraUs]).toEqual([0, 0, 0, 0]);
  });
});

describe('the network of a layout', () => {
  it('adds the per-VF cost of both ends to a message between nodes, once to a VF loopback', () => {
    const p = withVirt({ perVfCost: 0.05 });
    const net = buildNetwork(p, layout('vm-per-core'), 'poll');
    const base = mpiPairParams(p, p.paths.vf, 8192, 'poll');
    const loop = mpiPairParams(p, p.paths['vf-loopback'], 8192, 'poll');
    expect(net.params(0, 8, 8192).L).toBeCloseTo(base.L + 2 * 350, 6); // ns
    expect(net.params(0, 1, 8192).L).toBeCloseTo(loop.L + 350, 6);
    expect(net.usesHca(0, 1)).toBe(true);
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
    expect(blocking.spin).toBeCloseTo(profile.mpi.spinCount.value * profile.paths.vf.o_r.value * 1000, 9);
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
    const dear = withVirt({ perVfCost: 0.5 });
    const core = (p: Profile) => predictPoint(p, { ...q, placement: 'vm-per-core' }, 64).latency_us;
    const node = (p: Profile) => predictPoint(p, { ...q, placement: 'vm-per-node' }, 64).latency_us;
    expect(core(dear)).toBeGreaterThan(core(cheap));
    expect(node(dear)).toBe(node(cheap));
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
