import type { Profile } from '../profiles/types.js';
import {
  mv2ArchType,
  mv2HcaType,
  type CpuView,
  type Mv2Arch,
  type Mv2Hca,
} from './collectives/mvapich2-detect.js';
import type { Layout } from './layout/index.js';

/**
 * What MVAPICH2 detects on each MPI host of a layout (docs/mvapich2-selection.md): a
 * node natively, a VM in a guest. The library runs `mv2_get_arch_type` in every process
 * on what that process sees: a native process the node (its sockets and cores, its CPU);
 * a guest process its VM (as many cores as vCPUs, the sockets the VM's topology gives,
 * the CPU model KVM exposes).
 */

/** A CPU model KVM can expose to guests. */
export interface GuestCpu {
  /** CPUID model number the guest reads in the kernel's cpuinfo. */
  model: number;
  /** Brand string the guest reads as `model name`. */
  modelName: string;
}

/**
 * Named guest CPU models (QEMU `-cpu NAME`): `SandyBridge` is QEMU's
 * `builtin_x86_defs` entry (family 6, model 42, model_id "Intel Xeon E312xx (Sandy
 * Bridge)", target-i386/cpu.c); `host` (`-cpu host`) is the profile's host CPU, the
 * default.
 */
export const GUEST_CPU_MODELS: Readonly<Record<string, GuestCpu | 'host'>> = {
  host: 'host',
  SandyBridge: { model: 42, modelName: 'Intel Xeon E312xx (Sandy Bridge)' },
};

/** The arch-HCA pair a layout's processes detect, and what they saw. */
export interface MpiHostDetection {
  arch: Mv2Arch;
  hca: Mv2Hca;
  /** The hosts detected different pairs: every process then installs the default tables. */
  heterogeneous: boolean;
  /** What the first host saw (all hosts of ibvf's layouts see the same). */
  view: CpuView;
}

/**
 * The detection of every MPI host of `layout` under `profile`, or undefined when the
 * profile does not say what the library would see (no `mpiHost` section: selection
 * then uses the default tables, as for an unknown arch). `guestCpu` overrides the
 * profile's guest CPU model (a query asking about `-cpu SandyBridge`, say).
 */
export function detectMpiHosts(
  profile: Profile,
  layout: Layout,
  guestCpu?: GuestCpu | 'host',
): MpiHostDetection | undefined {
  const h = profile.mpiHost;
  if (!h) return undefined;
  const sockets = profile.node.sockets.value;
  const hostCores = sockets * profile.node.coresPerSocket.value;
  const guest: GuestCpu =
    guestCpu === 'host'
      ? { model: h.cpuModel.value, modelName: h.cpuModelName.value }
      : (guestCpu ?? { model: h.guestCpuModel.value, modelName: h.guestCpuModelName.value });
  const views: CpuView[] = layout.virtualized
    ? [...new Set(layout.vmVcpus)].map((vcpus) => ({
        vendor: h.cpuVendor.value,
        model: guest.model,
        modelName: guest.modelName,
        cores: vcpus,
        sockets: guestSockets(h.guestTopology.value, vcpus, sockets),
      }))
    : [
        {
          vendor: h.cpuVendor.value,
          model: h.cpuModel.value,
          modelName: h.cpuModelName.value,
          cores: hostCores,
          sockets,
        },
      ];
  const hca = mv2HcaType(h.hcaDevice.value, h.hcaRate.value);
  const archs = new Set(views.map(mv2ArchType));
  return { arch: mv2ArchType(views[0]), hca, heterogeneous: archs.size > 1, view: views[0] };
}

/**
 * Sockets a guest with `vcpus` vCPUs shows: one per vCPU (QEMU's `-smp N` default before
 * 6.2: N sockets of one core), or the host's socket count when the vCPUs spread evenly
 * over them (`-smp N,sockets=S,cores=N/S`), else one.
 */
export function guestSockets(
  topology: 'socket-per-vcpu' | 'host-sockets',
  vcpus: number,
  hostSockets: number,
): number {
  if (topology === 'socket-per-vcpu') return vcpus;
  return vcpus >= hostSockets && vcpus % hostSockets === 0 ? hostSockets : 1;
}
