/**
 * What MVAPICH2 1.9a2 detects on each host before it picks its collective tuning tables
 * (docs/mvapich2-selection.md). Every MPI process runs the detection on the machine it
 * sees, so inside a VM it sees the VM: its vCPUs, its sockets and the CPU model KVM
 * exposes; a VM is a host.
 *
 * Source: MVAPICH2 1.9a2 (kumattau/mvapich2, commit c07d3500, `maint/version.m4`:
 * MVAPICH2_VERSION 1.9a2), `src/mpid/ch3/channels/common/src/detect/arch/mv2_arch_detect.c`
 * (`mv2_get_arch_type`, the hwloc variant, which the default build uses: `--with-hwloc`
 * defaults to yes and `src/mpid/ch3/channels/mrail/subconfigure.m4` defines HAVE_LIBHWLOC
 * with the system's or the bundled hwloc) and
 * `src/mpid/ch3/channels/common/src/detect/hca/mv2_hca_detect.c` (`mv2_get_hca_type`).
 */

/** MVAPICH2 1.9a2's architecture types (`mv2_arch_hca_detect.h`). */
export const MV2_ARCHS = [
  'MV2_ARCH_UNKWN',
  'MV2_ARCH_INTEL_GENERIC',
  'MV2_ARCH_INTEL_CLOVERTOWN_8',
  'MV2_ARCH_INTEL_NEHALEM_8',
  'MV2_ARCH_INTEL_NEHALEM_16',
  'MV2_ARCH_INTEL_HARPERTOWN_8',
  'MV2_ARCH_INTEL_XEON_DUAL_4',
  'MV2_ARCH_INTEL_XEON_E5630_8',
  'MV2_ARCH_INTEL_XEON_X5650_12',
  'MV2_ARCH_INTEL_XEON_E5_2670_16',
  'MV2_ARCH_INTEL_XEON_E5_2680_16',
  'MV2_ARCH_AMD_GENERIC',
  'MV2_ARCH_AMD_BARCELONA_16',
  'MV2_ARCH_AMD_MAGNY_COURS_24',
  'MV2_ARCH_AMD_OPTERON_DUAL_4',
  'MV2_ARCH_AMD_OPTERON_6136_32',
  'MV2_ARCH_AMD_OPTERON_6276_64',
  'MV2_ARCH_AMD_BULLDOZER_4274HE_16',
] as const;
export type Mv2Arch = (typeof MV2_ARCHS)[number];

/** MVAPICH2 1.9a2's HCA types (`mv2_arch_hca_detect.h`). */
export const MV2_HCAS = [
  'MV2_HCA_UNKWN',
  'MV2_HCA_MLX_PCI_EX_SDR',
  'MV2_HCA_MLX_PCI_EX_DDR',
  'MV2_HCA_MLX_CX_SDR',
  'MV2_HCA_MLX_CX_DDR',
  'MV2_HCA_MLX_CX_QDR',
  'MV2_HCA_MLX_CX_FDR',
  'MV2_HCA_MLX_PCI_X',
  'MV2_HCA_QLGIC_PATH_HT',
  'MV2_HCA_QLGIC_QIB',
  'MV2_HCA_IBM_EHCA',
  'MV2_HCA_CHELSIO_T3',
  'MV2_HCA_CHELSIO_T4',
  'MV2_HCA_INTEL_NE020',
] as const;
export type Mv2Hca = (typeof MV2_HCAS)[number];

/** What one MPI process sees of its machine (a node natively, its VM in a guest). */
export interface CpuView {
  /** cpuinfo `vendor_id`: `GenuineIntel`, `AuthenticAMD`. */
  vendor: string;
  /** cpuinfo `model` (decimal), e.g. 45 for Sandy Bridge-EP, 42 for QEMU's `SandyBridge`. */
  model: number;
  /** cpuinfo `model name`, e.g. `Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz`. */
  modelName: string;
  /** Sockets hwloc counts (HWLOC_OBJ_SOCKET). */
  sockets: number;
  /** Cores hwloc counts (HWLOC_OBJ_CORE; hyperthreads do not count). */
  cores: number;
}

/** The model-name prefixes mv2_arch_detect.c compares with strncmp (INTEL_E5_26x0_MODEL_NAME). */
export const INTEL_E5_2670_MODEL_NAME = 'Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz';
export const INTEL_E5_2680_MODEL_NAME = 'Intel(R) Xeon(R) CPU E5-2680 0 @ 2.70GHz';

const CLOVERTOWN_MODEL = 15;
const HARPERTOWN_MODEL = 23;
const NEHALEM_MODEL = 26;
const INTEL_E5630_MODEL = 44;
const INTEL_X5650_MODEL = 44;
const INTEL_E5_2670_MODEL = 45;

/**
 * `mv2_get_arch_type` (hwloc variant) of MVAPICH2 1.9a2, rule for rule: the vendor
 * decides Intel or AMD (anything but AuthenticAMD is Intel); a specific type needs the
 * exact socket and core counts of a tuned machine, and for some the CPU model number and
 * the model-name prefix; everything else is the vendor's GENERIC type.
 *
 * - Intel, 2 sockets: 4 cores -> XEON_DUAL_4; 8 cores and model 15/23/26/44 ->
 *   CLOVERTOWN_8/HARPERTOWN_8/NEHALEM_8/E5630_8; 12 cores, model 44 -> X5650_12;
 *   16 cores, model 26 -> NEHALEM_16, model 45 with name E5-2670/E5-2680 ->
 *   E5_2670_16/E5_2680_16.
 * - AMD, 2 sockets: 4, 16, 24 cores -> OPTERON_DUAL_4, BULLDOZER_4274HE_16,
 *   MAGNY_COURS_24; 4 sockets: 16, 32, 64 cores -> BARCELONA_16, OPTERON_6136_32,
 *   OPTERON_6276_64.
 */
export function mv2ArchType(v: CpuView): Mv2Arch {
  if (v.vendor.startsWith('AuthenticAMD')) {
    if (v.sockets === 2) {
      if (v.cores === 4) return 'MV2_ARCH_AMD_OPTERON_DUAL_4';
      if (v.cores === 16) return 'MV2_ARCH_AMD_BULLDOZER_4274HE_16';
      if (v.cores === 24) return 'MV2_ARCH_AMD_MAGNY_COURS_24';
    } else if (v.sockets === 4) {
      if (v.cores === 16) return 'MV2_ARCH_AMD_BARCELONA_16';
      if (v.cores === 32) return 'MV2_ARCH_AMD_OPTERON_6136_32';
      if (v.cores === 64) return 'MV2_ARCH_AMD_OPTERON_6276_64';
    }
    return 'MV2_ARCH_AMD_GENERIC';
  }
  if (v.sockets !== 2) return 'MV2_ARCH_INTEL_GENERIC';
  switch (v.cores) {
    case 4:
      return 'MV2_ARCH_INTEL_XEON_DUAL_4';
    case 8:
      if (v.model === CLOVERTOWN_MODEL) return 'MV2_ARCH_INTEL_CLOVERTOWN_8';
      if (v.model === HARPERTOWN_MODEL) return 'MV2_ARCH_INTEL_HARPERTOWN_8';
      if (v.model === NEHALEM_MODEL) return 'MV2_ARCH_INTEL_NEHALEM_8';
      if (v.model === INTEL_E5630_MODEL) return 'MV2_ARCH_INTEL_XEON_E5630_8';
      return 'MV2_ARCH_INTEL_GENERIC';
    case 12:
      return v.model === INTEL_X5650_MODEL ? 'MV2_ARCH_INTEL_XEON_X5650_12' : 'MV2_ARCH_INTEL_GENERIC';
    case 16:
      if (v.model === NEHALEM_MODEL) return 'MV2_ARCH_INTEL_NEHALEM_16';
      if (v.model === INTEL_E5_2670_MODEL) {
        if (v.modelName.startsWith(INTEL_E5_2670_MODEL_NAME)) return 'MV2_ARCH_INTEL_XEON_E5_2670_16';
        if (v.modelName.startsWith(INTEL_E5_2680_MODEL_NAME)) return 'MV2_ARCH_INTEL_XEON_E5_2680_16';
      }
      return 'MV2_ARCH_INTEL_GENERIC';
    default:
      return 'MV2_ARCH_INTEL_GENERIC';
  }
}

/**
 * `mv2_get_hca_type` of MVAPICH2 1.9a2 for the first HCA: by the verbs device name
 * (`mlx4_0` for a ConnectX-3 PF and for its VFs alike) and, for mlx4/mlx5, the active
 * port rate in Gb/s (width x speed: 4 x 14 = 56 for FDR, 40 QDR, 20 DDR, 10 SDR; any
 * other rate is SDR). A rate of 0 stands for the libibumad path failing to read the port,
 * where the code keeps its first guess, MV2_HCA_MLX_PCI_X.
 */
export function mv2HcaType(device: string, rateGbps: number): Mv2Hca {
  if (device.startsWith('mlx4') || device.startsWith('mlx5')) {
    if (rateGbps === 0) return 'MV2_HCA_MLX_PCI_X';
    if (rateGbps === 56) return 'MV2_HCA_MLX_CX_FDR';
    if (rateGbps === 40) return 'MV2_HCA_MLX_CX_QDR';
    if (rateGbps === 20) return 'MV2_HCA_MLX_CX_DDR';
    return 'MV2_HCA_MLX_CX_SDR';
  }
  // mthca (InfiniHost): the library further splits PCI-X and PCI-Express DDR/SDR by the
  // umad CA type; ibvf keeps one of them (no tuned table names any).
  if (device.startsWith('mthca')) return 'MV2_HCA_MLX_PCI_EX_SDR';
  if (device.startsWith('ipath')) return 'MV2_HCA_QLGIC_PATH_HT';
  if (device.startsWith('qib')) return 'MV2_HCA_QLGIC_QIB';
  if (device.startsWith('ehca')) return 'MV2_HCA_IBM_EHCA';
  if (device.startsWith('cxgb3')) return 'MV2_HCA_CHELSIO_T3';
  if (device.startsWith('cxgb4')) return 'MV2_HCA_CHELSIO_T4';
  if (device.startsWith('nes0')) return 'MV2_HCA_INTEL_NE020';
  return 'MV2_HCA_UNKWN';
}
