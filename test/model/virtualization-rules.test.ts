import { describe, expect, it } from 'vitest';
import { buildLayout, type Placement } from '../../src/model/layout/index.js';
import {
  cpuDemand,
  cpuStretchOf,
  hcaMessageUs,
  iommuExtraUs,
  interruptVectorPlan,
  iotlbMissChance,
  registeredFootprint,
  remoteMemoryStretch,
  vmsSpanningSockets,
} from '../../src/model/virtualization.js';
import { cx3FdrKvm2013 } from '../../src/profiles/cx3-fdr-kvm-2013.js';
import type { Profile } from '../../src/profiles/types.js';

const profile = cx3FdrKvm2013;
const v = profile.virtualization;
const layout = (placement: Placement, procs = 32, nodes = 4, shm = false) =>
  buildLayout({ nodes, procs, socketsPerNode: 2, coresPerSocket: 8, placement, shm });

function with_(edit: (p: Profile) => void): Profile {
  const p = structuredClone(profile);
  edit(p);
  return p;
}

describe('rule 1: CPU (ticks, host work, over-subscription)', () => {
  it("at the paper's 8 vCPUs per node the cores are not all busy: only the guest ticks stretch a VM's ranks", () => {
    for (const placement of ['vm-per-core', 'vm-per-socket', 'vm-per-node'] as const)
      expect(cpuStretchOf(profile, layout(placement), 0)).toBeCloseTo(1 + v.tickOverhead.value, 12);
    expect(cpuStretchOf(profile, layout('native'), 0)).toBe(1);
  });

  it("counts vCPUs, the reserved cores and each VM's host work as demand", () => {
    expect(cpuDemand(profile, layout('vm-per-core'), 0)).toBeCloseTo(8 + 1 + 8 * v.hostWorkPerVm.value, 12);
    expect(cpuDemand(profile, layout('vm-per-node'), 0)).toBeCloseTo(8 + 1 + 1 * v.hostWorkPerVm.value, 12);
    expect(cpuDemand(profile, layout('native'), 0)).toBe(8);
  });

  it('at 16 single-vCPU VMs per node the demand exceeds the 16 cores, more so with more VMs', () => {
    const demand = 16 + 1 + 16 * v.hostWorkPerVm.value;
    const expected = (1 + v.tickOverhead.value) * (1 + v.subscriptionPenalty.value * (demand / 16 - 1));
    expect(cpuStretchOf(profile, layout('vm-per-core', 64), 0)).toBeCloseTo(expected, 12);
    expect(cpuStretchOf(profile, layout('vm-per-core', 64), 0)).toBeGreaterThan(
      cpuStretchOf(profile, layout('vm-per-node', 64), 0),
    );
  });
});

describe('rule 2: memory locality', () => {
  it('a VM of a whole node spans both sockets; a VM per socket or per core does not', () => {
    expect(vmsSpanningSockets(layout('vm-per-node')).every(Boolean)).toBe(true);
    expect(vmsSpanningSockets(layout('vm-per-socket')).some(Boolean)).toBe(false);
    expect(vmsSpanningSockets(layout('vm-per-core')).some(Boolean)).toBe(false);
  });

  it('stretches per-byte work by the remote share of the remote penalty', () => {
    expect(remoteMemoryStretch(profile)).toBeCloseTo(1 + 0.5 * (1.5 - 1), 12);
  });
});

describe('rule 3: IOMMU translation', () => {
  it("two ranks register less than the IOTLB's reach: no misses, as in the measurements the profile is fitted to", () => {
    const two = layout('vm-per-node', 2, 2);
    expect(registeredFootprint(profile, two, 0)).toBe(1 * v.registeredPerPeer.value);
    expect(iotlbMissChance(profile, two, 0)).toBe(0);
    expect(iommuExtraUs(profile, two, 0)).toBe(0);
  });

  it('32 ranks on 4 nodes register far more: most DMAs miss', () => {
    const fig5 = layout('vm-per-core');
    const footprint = 8 * 31 * v.registeredPerPeer.value;
    expect(registeredFootprint(profile, fig5, 0)).toBe(footprint);
    const miss = 1 - v.iommuReach.value / footprint;
    expect(iommuExtraUs(profile, fig5, 0)).toBeCloseTo(
      v.dmasPerMessage.value * miss * v.iommuMissCost.value,
      12,
    );
  });

  it('native ranks pass no IOMMU; ranks sharing memory register nothing for each other', () => {
    expect(iommuExtraUs(profile, layout('native'), 0)).toBe(0);
    expect(registeredFootprint(profile, layout('vm-per-node', 32, 4, true), 0)).toBe(
      8 * 24 * v.registeredPerPeer.value,
    );
  });

  it('a larger IOTLB reach (superpage mappings) removes the misses', () => {
    const huge = with_((p) => void (p.virtualization.iommuReach.value = 2 ** 30));
    expect(iommuExtraUs(huge, layout('vm-per-core'), 0)).toBe(0);
  });
});

describe('rule 4: the HCA engine', () => {
  it('holds each message for 1/messageRate, plus perVfCost for each other active VF', () => {
    const dear = with_((p) => void (p.virtualization.perVfCost.value = 0.01));
    expect(hcaMessageUs(profile, 8)).toBeCloseTo(1 / 90, 12);
    expect(hcaMessageUs(dear, 8)).toBeCloseTo(1 / 90 + (8 - 1) * 0.01, 12);
    expect(hcaMessageUs(dear, 1)).toBeCloseTo(1 / 90, 12);
  });
});

describe('rule 6: interrupt vectors', () => {
  const service = v.interruptService.value;
  const guest = v.interruptService.value + v.interruptExitCost.value;

  it('gives the ranks of one VF (a VM per node) one vector, served for the bare-metal time plus the exits', () => {
    const l = layout('vm-per-node'); // 4 nodes, 8 ranks each, one VM per node
    const plan = interruptVectorPlan(profile, l);
    expect(v.interruptVectors.value).toBe(1);
    for (let r = 0; r < l.procs; r++) expect(plan.vectorOf[r]).toBe(l.vmOf[r]);
    expect(new Set(plan.vectorOf).size).toBe(4);
    expect(Array.from(plan.serviceUs)).toEqual([guest, guest, guest, guest]);
    expect(guest).toBeCloseTo(1 + 1.26, 12);
  });

  it("gives each rank of a VM per core its own vector, and native ranks their node PF's one", () => {
    const core = interruptVectorPlan(profile, layout('vm-per-core'));
    expect(new Set(core.vectorOf).size).toBe(32);
    const native = interruptVectorPlan(profile, layout('native'));
    const l = layout('native');
    for (let r = 0; r < l.procs; r++) expect(native.vectorOf[r]).toBe(l.nodeOf[r]);
    expect(Array.from(native.serviceUs)).toEqual([service, service, service, service]);
  });

  it("spreads a function's ranks over its vectors in turn when it has several", () => {
    const three = with_((p) => void (p.virtualization.interruptVectors.value = 3));
    const l = layout('vm-per-node');
    const plan = interruptVectorPlan(three, l);
    // The 8 ranks of VM 0 take vectors 0, 1, 2, 0, 1, 2, 0, 1.
    const vm0 = Array.from(plan.vectorOf).filter((_, r) => l.vmOf[r] === 0);
    expect(vm0).toEqual([0, 1, 2, 0, 1, 2, 0, 1]);
    expect(plan.serviceUs.length).toBe(12);
  });
});
