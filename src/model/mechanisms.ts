import type { Profile } from '../profiles/types.js';

/**
 * The mechanisms by which virtualization and the VM layout change a prediction
 * (docs/virtualization.md), each with a switch that turns it off in a copy of the
 * profile. `ibvf whatif --explain` turns each off in turn to show how much of the gap
 * between layouts it accounts for; nothing here changes a prediction by itself.
 */
export interface Mechanism {
  name: string;
  /** What it is, in a few words, for the table. */
  what: string;
  /** The profile with this mechanism switched off (the argument is not changed). */
  off(profile: Profile): Profile;
}

const VF_PATHS = (p: Profile) =>
  Object.entries(p.paths)
    .filter(([, path]) => path.function === 'vf' && path.medium !== 'ipoib')
    .map(([name]) => name);

/** A copy of the profile with `edit` applied. */
function edited(profile: Profile, edit: (p: Profile) => void): Profile {
  const copy = structuredClone(profile);
  edit(copy);
  return copy;
}

/** A bandwidth or rate so large that it never limits anything. */
const UNLIMITED = 1e12;

export const MECHANISMS: readonly Mechanism[] = [
  {
    name: 'vf-device',
    what: "the VF's own costs: no inline send, a cost per work request, its interrupt cost",
    off: (profile) =>
      edited(profile, (p) => {
        const pf = p.paths.native;
        for (const name of VF_PATHS(p)) {
          const vf = p.paths[name];
          vf.inlineLimit = structuredClone(pf.inlineLimit);
          vf.requestCost = structuredClone(pf.requestCost);
          vf.eventExtra = structuredClone(pf.eventExtra);
        }
      }),
  },
  {
    name: 'hca-sharing',
    what: "the node's HCA engine and PCIe, shared by every function and rank of the node",
    off: (profile) =>
      edited(profile, (p) => {
        p.hca.messageRate.value = UNLIMITED;
        p.hca.linkBandwidth.value = UNLIMITED;
        p.hca.pcieBandwidth.value = UNLIMITED;
        p.virtualization.perVfCost.value = 0;
      }),
  },
  {
    name: 'per-vf-cost',
    what: 'HCA engine time per message for each other active VF (context state)',
    off: (profile) => edited(profile, (p) => void (p.virtualization.perVfCost.value = 0)),
  },
  {
    name: 'host-work-per-vm',
    what: "each VM's QEMU main loop and host timers, sharing the node's cores",
    off: (profile) => edited(profile, (p) => void (p.virtualization.hostWorkPerVm.value = 0)),
  },
  {
    name: 'guest-ticks',
    what: 'guest timer ticks and their exits on every vCPU',
    off: (profile) => edited(profile, (p) => void (p.virtualization.tickOverhead.value = 0)),
  },
  {
    name: 'over-subscription',
    what: "the host's reserved cores and the slow-down when demand exceeds the cores",
    off: (profile) =>
      edited(profile, (p) => {
        p.virtualization.hostCoresReserved.value = 0;
        p.virtualization.subscriptionPenalty.value = 0;
      }),
  },
  {
    name: 'numa',
    what: 'remote memory for VMs that span both sockets',
    off: (profile) => edited(profile, (p) => void (p.virtualization.spanningRemoteShare.value = 0)),
  },
  {
    name: 'memory-bandwidth',
    what: "each socket's memory bandwidth, shared by its ranks' copies",
    off: (profile) => edited(profile, (p) => void (p.node.socketCopyBandwidth.value = UNLIMITED)),
  },
  {
    name: 'interrupt-vectors',
    what: "wake-ups of a function's ranks sharing its one completion vector (event progress)",
    off: (profile) =>
      edited(profile, (p) => {
        p.virtualization.interruptService.value = 0;
        p.virtualization.interruptExitCost.value = 0;
      }),
  },
  {
    name: 'iommu',
    what: "IOMMU translation misses on a VF's DMAs once the registered memory exceeds the IOTLB",
    off: (profile) => edited(profile, (p) => void (p.virtualization.iommuMissCost.value = 0)),
  },
];

export function findMechanism(name: string): Mechanism | undefined {
  return MECHANISMS.find((m) => m.name === name);
}
