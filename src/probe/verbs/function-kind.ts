/**
 * Is an RDMA device a physical function (PF) or an SR-IOV virtual function (VF)? Decided
 * from sysfs facts (read in sysfs.ts), in this order:
 *   1. `device/physfn` exists: a VF (the kernel links a VF to its PF; on the host only).
 *   2. `device/sriov_numvfs` exists: a PF (only a PF with SR-IOV capability has it).
 *   3. Inside a guest neither exists: the PCI device id (= the vendor part id) of a
 *      Mellanox VF, from the kernel drivers' PCI tables, which flag VFs
 *      (drivers/net/ethernet/mellanox/mlx4/main.c, MLX4_PCI_DEV_IS_VF: 0x1002, 0x1004;
 *      mlx5/core/main.c, MLX5_PCI_DEV_IS_VF: 0x1012 ... 0x101e); the id is read from
 *      `device/device`, else taken from ibv_query_device's vendor part id.
 *   4. Otherwise unknown, with what was read.
 * Every file read is named in `evidence`.
 */
export type FunctionKind = 'pf' | 'vf' | 'unknown';

export interface PciFacts {
  /** The device's sysfs directory, as read (e.g. /sys/class/infiniband/mlx4_0/device). */
  dir: string;
  /** Target of `device/physfn`, if the link exists. */
  physfn?: string;
  /** Contents of `device/sriov_numvfs`, if the file exists. */
  sriovNumvfs?: string;
  /** PCI vendor and device id (`device/vendor`, `device/device`), e.g. 0x15b3, 0x1004. */
  vendor?: number;
  pciDevice?: number;
  /** `device/numa_node`, -1 when the platform does not say. */
  numaNode?: number;
}

export const MELLANOX_VENDOR = 0x15b3;

/** Mellanox VF device ids, from the kernels' mlx4 and mlx5 PCI tables (MLX4/MLX5_PCI_DEV_IS_VF). */
export const MELLANOX_VF_IDS: Record<number, string> = {
  0x1002: 'ConnectX-2 VF (mlx4)',
  0x1004: 'ConnectX-3/ConnectX-3 Pro VF (mlx4)',
  0x1012: 'Connect-IB VF (mlx5)',
  0x1014: 'ConnectX-4 VF (mlx5)',
  0x1016: 'ConnectX-4 Lx VF (mlx5)',
  0x1018: 'ConnectX-5 VF (mlx5)',
  0x101a: 'ConnectX-5 Ex VF (mlx5)',
  0x101c: 'ConnectX-6 VF (mlx5)',
  0x101e: 'ConnectX family mlx5Gen VF (mlx5)',
};

const hex = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;

export function classifyFunction(
  f: PciFacts,
  vendorPartId?: number,
): { kind: FunctionKind; evidence: string } {
  if (f.physfn !== undefined)
    return { kind: 'vf', evidence: `${f.dir}/physfn exists (links to the PF ${f.physfn})` };
  if (f.sriovNumvfs !== undefined)
    return {
      kind: 'pf',
      evidence: `${f.dir}/sriov_numvfs exists (${f.sriovNumvfs.trim()} VFs enabled) and ${f.dir}/physfn does not`,
    };
  const id = f.pciDevice ?? vendorPartId;
  const from = f.pciDevice !== undefined ? `${f.dir}/device` : 'the vendor part id (ibv_query_device)';
  if (id !== undefined && (f.vendor === undefined || f.vendor === MELLANOX_VENDOR)) {
    const vf = MELLANOX_VF_IDS[id];
    if (vf)
      return {
        kind: 'vf',
        evidence: `no ${f.dir}/physfn (as in a guest); ${from} is ${hex(id)}, a ${vf}`,
      };
    if (f.vendor === MELLANOX_VENDOR)
      return {
        kind: 'pf',
        evidence: `no ${f.dir}/physfn or sriov_numvfs; ${from} is ${hex(id)}, not a Mellanox VF id`,
      };
  }
  return {
    kind: 'unknown',
    evidence:
      `no ${f.dir}/physfn or sriov_numvfs, and ` +
      (id === undefined ? 'no device id' : `device id ${hex(id)} is not a known VF id`) +
      (f.vendor === undefined ? ` (no ${f.dir}/vendor)` : ` of vendor ${hex(f.vendor)}`),
  };
}
