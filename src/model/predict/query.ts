/**
 * What a collective prediction is asked and what it answers (the first and last step of
 * the pipeline in ../predict-collective.ts).
 */
import type { Mv2Arch, Mv2Hca } from '../collectives/mvapich2-detect.js';
import type { CollectiveOp } from '../collectives/types.js';
import type { Placement } from '../layout/index.js';
import type { GuestCpu } from '../mpi-host.js';
import type { CollectiveProgress } from '../network.js';

/**
 * How a collective is evaluated: `sim`, the LogGOPS simulator with every pair's own path
 * and the shared HCAs; `analytic`, the closed forms, no faster than the busiest HCA allows (hca-bound.ts).
 */
export const ENGINES = ['sim', 'analytic'] as const;
export type Engine = (typeof ENGINES)[number];

/** The sizes a collective is predicted at: a barrier moves no data, so one row at 0 bytes. */
export function collectiveSizes(op: CollectiveOp, sizes: readonly number[]): number[] {
  return op === 'barrier' ? [0] : [...sizes];
}

export interface CollectiveQuery {
  op: CollectiveOp;
  nodes: number;
  procs: number;
  placement: Placement;
  shm: boolean;
  progress: CollectiveProgress;
  /** Force an algorithm (`--algorithm`); otherwise MVAPICH2 1.9a2's selection. */
  algorithm?: string;
  /**
   * The CPU model KVM exposes to the guests (`-cpu host`: 'host', or a model such as
   * GUEST_CPU_MODELS.SandyBridge); default: the profile's `mpiHost.guestCpuModel`.
   */
  guestCpu?: GuestCpu | 'host';
  engine: Engine;
  /**
   * Simulations with drawn parameters for the range (`--draws`; `whatif` and `predict`
   * default to DEFAULT_SIM_DRAWS); 0 or none: range from the closed forms, except under
   * event progress, which has none (its range is simulated, `rangeDraws` times at most
   * DEFAULT_SIM_DRAWS).
   */
  draws?: number;
  /** Closed-form draws for the cheap range (default 200; 0: no range, lo = hi = the prediction). */
  rangeDraws?: number;
  seed?: number;
  /** Refuse a simulation whose estimated memory exceeds this (bytes; default 2 GB, footprint.ts). */
  maxMemoryBytes?: number;
}

export interface CollectiveRow {
  bytes: number;
  /** Average over ranks of each rank's time from its start to its finish, as OSU reports (us). */
  latency_us: number;
  /** 95% range propagated from the profile's intervals (us). */
  latency_lo_us: number;
  latency_hi_us: number;
  /** Largest per-rank time (us). */
  max_us: number;
  algorithm: string;
}

export interface CollectivePrediction {
  layout: LayoutSummary;
  engine: Engine;
  rows: CollectiveRow[];
  notes: string[];
  /** What MVAPICH2 detects on the layout's MPI hosts and the tuning tables it installs. */
  mpi: MpiView;
}

/** MVAPICH2 1.9a2's view of a layout (docs/mvapich2-selection.md). */
export interface MpiView {
  /** `mv2_get_arch_type` on each MPI host (MV2_ARCH_UNKWN when the profile does not say). */
  arch: Mv2Arch;
  hca: Mv2Hca;
  /** Cores and sockets the library counts on a host (a VM's vCPUs in a guest), and the CPU model it reads. */
  cores: number;
  sockets: number;
  cpuModel: string;
  /** The tuning table set the operation uses (`default` unless the arch-HCA pair is a tuned one). */
  table: string;
}

export interface LayoutSummary {
  placement: string;
  nodes: number;
  procs: number;
  shm: boolean;
  progress: CollectiveProgress;
  /** Per node: VMs, vCPUs per VM and ranks per VM (or ranks, natively). */
  perNode: { vms: number; vcpusPerVm: number[]; ranks: number };
}

/** Closed-form draws behind a range unless the query says otherwise, and their seed. */
export const DEFAULT_RANGE_DRAWS = 200;
/**
 * Simulated draws behind a range where the closed forms cannot give one (event progress),
 * and in `whatif` and `predict` by default: bench/whatif-draws.bench.ts times them.
 */
export const DEFAULT_SIM_DRAWS = 100;
export const DEFAULT_SEED = 2013;
