import type { Mv2Arch, Mv2Hca } from './mvapich2-detect.js';

/**
 * MVAPICH2 1.9a2's collective tuning tables for alltoall, allreduce and bcast, copied row
 * for row from kumattau/mvapich2 commit c07d3500 (MVAPICH2 1.9a2, the version of Jose et
 * al.'s testbed): `src/mpi/coll/alltoall_tuning.c` (`MV2_set_alltoall_tuning_table`),
 * `allreduce_tuning.c` (`MV2_set_allreduce_tuning_table`) and `bcast_tuning.c`
 * (`MV2_set_bcast_tuning_table`). Each function tests the process's arch-HCA pair for
 * exact equality with a tuned system (`MV2_IS_ARCH_HCA_TYPE`) and otherwise, or when the
 * job's processes detected different pairs (`heterogeneity`), installs the default table.
 * docs/mvapich2-selection.md says which table each layout of the paper's testbed gets.
 *
 * Tables are walked as the library walks them: the first entry whose `numproc` is at
 * least the communicator's size (else the last), then the first row whose `max` is at
 * least the message size (or is -1, or is the last row); `min` plays no part.
 */

/** A size row: `nbytes <= max` (max -1: no bound). */
export interface Mv2Row<F extends string> {
  max: number;
  fn: F;
  /** bcast, allreduce: the entry's is_two_level_* flag for this row. */
  twoLevel?: boolean;
}

export interface Mv2Entry<F extends string, I extends string = never> {
  numproc: number;
  inter: Mv2Row<F>[];
  /** allreduce: the intra-node reduce rows (intra_node[]). */
  intra?: Mv2Row<I>[];
}

/** The MVAPICH2 function a row names, shortened (MPIR_Alltoall_<fn>_MV2 ...). */
export type AlltoallFn = 'bruck' | 'scatter_dest' | 'pairwise';
export type AllreduceFn = 'pt2pt_rd' | 'pt2pt_rs';
export type AllreduceIntraFn = 'reduce_shmem' | 'reduce_p2p';
export type BcastFn =
  'binomial' | 'knomial_inter_node' | 'pipelined' | 'scatter_ring_allgather' | 'scatter_ring_allgather_shm';

/** One tuned system's tables (or the default ones). */
export interface Mv2TableSet {
  /** What docs and notes call it. */
  name: string;
  /** The arch-HCA pair `MV2_IS_ARCH_HCA_TYPE` must match; absent for the default set. */
  arch?: Mv2Arch;
  hca?: Mv2Hca;
  alltoall?: Mv2Entry<AlltoallFn>[];
  allreduce?: Mv2Entry<AllreduceFn, AllreduceIntraFn>[];
  bcast?: Mv2Entry<BcastFn>[];
}

const r = <F extends string>(max: number, fn: F, twoLevel?: boolean): Mv2Row<F> =>
  twoLevel === undefined ? { max, fn } : { max, fn, twoLevel };

/**
 * The default tables: what every arch-HCA pair without its own tables gets, among them
 * MV2_ARCH_INTEL_XEON_E5_2670_16 (no 1.9a2 table names it) and MV2_ARCH_INTEL_GENERIC.
 */
export const DEFAULT_TABLES: Mv2TableSet = {
  name: 'default',
  alltoall: [
    { numproc: 8, inter: [r(-1, 'scatter_dest')] },
    { numproc: 16, inter: [r(2048, 'bruck'), r(-1, 'scatter_dest')] },
    { numproc: 32, inter: [r(2048, 'bruck'), r(-1, 'scatter_dest')] },
    { numproc: 64, inter: [r(2048, 'bruck'), r(8192, 'scatter_dest'), r(-1, 'pairwise')] },
    { numproc: 128, inter: [r(1024, 'bruck'), r(4096, 'scatter_dest'), r(-1, 'pairwise')] },
    { numproc: 256, inter: [r(2048, 'bruck'), r(-1, 'pairwise')] },
    { numproc: 512, inter: [r(1024, 'bruck'), r(-1, 'pairwise')] },
  ],
  allreduce: [
    {
      numproc: 8,
      inter: [r(1024, 'pt2pt_rd', true), r(-1, 'pt2pt_rs', false)],
      intra: [r(4096, 'reduce_shmem'), r(-1, 'reduce_p2p')],
    },
    {
      numproc: 16,
      inter: [r(1024, 'pt2pt_rd', true), r(-1, 'pt2pt_rs', false)],
      intra: [r(1024, 'reduce_shmem'), r(-1, 'reduce_p2p')],
    },
    ...[32, 64, 128].map((numproc) => ({
      numproc,
      inter: [r(2048, 'pt2pt_rd' as const, true), r(-1, 'pt2pt_rs' as const, false)],
      intra: [r(2048, 'reduce_shmem' as const), r(-1, 'reduce_p2p' as const)],
    })),
    ...[256, 512].map((numproc) => ({
      numproc,
      inter: [r(4096, 'pt2pt_rd' as const, true), r(-1, 'pt2pt_rs' as const, false)],
      intra: [r(4096, 'reduce_shmem' as const), r(-1, 'reduce_p2p' as const)],
    })),
  ],
  bcast: [
    { numproc: 8, inter: [r(-1, 'binomial', true)] },
    { numproc: 16, inter: [r(8192, 'binomial', true), r(-1, 'pipelined', true)] },
    {
      numproc: 32,
      inter: [
        r(8192, 'knomial_inter_node', true),
        r(524288, 'pipelined', true),
        r(-1, 'scatter_ring_allgather_shm', true),
      ],
    },
    {
      numproc: 64,
      inter: [
        r(2048, 'knomial_inter_node', true),
        r(8192, 'binomial', true),
        r(262144, 'pipelined', true),
        r(-1, 'scatter_ring_allgather', false),
      ],
    },
    {
      numproc: 128,
      inter: [
        r(8192, 'knomial_inter_node', true),
        r(131072, 'pipelined', true),
        r(262144, 'scatter_ring_allgather_shm', true),
        r(-1, 'scatter_ring_allgather', false),
      ],
    },
    {
      numproc: 256,
      inter: [
        r(2048, 'knomial_inter_node', true),
        r(8192, 'binomial', true),
        r(131072, 'pipelined', true),
        r(524288, 'scatter_ring_allgather_shm', true),
        r(-1, 'scatter_ring_allgather', false),
      ],
    },
    {
      numproc: 512,
      inter: [
        r(8192, 'knomial_inter_node', true),
        r(262144, 'pipelined', true),
        r(-1, 'scatter_ring_allgather_shm', true),
      ],
    },
  ],
};

/**
 * MV2_ARCH_INTEL_XEON_E5_2680_16 with MV2_HCA_MLX_CX_FDR (TACC Stampede). Only a host
 * whose model name starts with the E5-2680's brand string gets it: not the paper's
 * E5-2670 nodes, nor any guest of them. The allreduce function sets
 * mv2_size_allreduce_tuning_table = 6 but lists seven entries; the memcpy of six drops
 * the 1024-process entry, so communicators above 256 ranks use the 512 entry.
 */
export const E5_2680_FDR_TABLES: Mv2TableSet = {
  name: 'E5-2680 (16 cores) + ConnectX FDR',
  arch: 'MV2_ARCH_INTEL_XEON_E5_2680_16',
  hca: 'MV2_HCA_MLX_CX_FDR',
  alltoall: [
    { numproc: 16, inter: [r(2048, 'bruck'), r(-1, 'scatter_dest')] },
    { numproc: 32, inter: [r(2048, 'bruck'), r(-1, 'scatter_dest')] },
    { numproc: 64, inter: [r(2048, 'bruck'), r(16384, 'scatter_dest'), r(-1, 'pairwise')] },
    { numproc: 128, inter: [r(2048, 'bruck'), r(-1, 'pairwise')] },
    ...[256, 512, 1024].map((numproc) => ({
      numproc,
      inter: [r(1024, 'bruck' as const), r(-1, 'pairwise' as const)],
    })),
  ],
  allreduce: [
    {
      numproc: 16,
      inter: [r(1024, 'pt2pt_rd', true), r(-1, 'pt2pt_rs', false)],
      intra: [r(1024, 'reduce_shmem'), r(-1, 'reduce_p2p')],
    },
    {
      numproc: 32,
      inter: [r(1024, 'pt2pt_rd', true), r(16384, 'pt2pt_rd', true), r(-1, 'pt2pt_rs', false)],
      intra: [r(1024, 'reduce_shmem'), r(16384, 'reduce_p2p')],
    },
    ...[64, 128, 256, 512].map((numproc) => ({
      numproc,
      inter: [
        r(512, 'pt2pt_rd' as const, true),
        r(16384, 'pt2pt_rd' as const, true),
        r(-1, 'pt2pt_rs' as const, false),
      ],
      intra: [r(512, 'reduce_shmem' as const), r(numproc === 256 ? -1 : 16384, 'reduce_p2p' as const)],
    })),
  ],
  bcast: [
    { numproc: 16, inter: [r(8192, 'binomial', true), r(-1, 'pipelined', true)] },
    {
      numproc: 32,
      inter: [
        r(16384, 'binomial', true),
        r(524288, 'pipelined', true),
        r(-1, 'scatter_ring_allgather_shm', true),
      ],
    },
    {
      numproc: 64,
      inter: [
        r(4096, 'knomial_inter_node', true),
        r(8192, 'binomial', true),
        r(262144, 'pipelined', true),
        r(-1, 'scatter_ring_allgather', false),
      ],
    },
    {
      numproc: 128,
      inter: [
        r(2048, 'knomial_inter_node', true),
        r(16384, 'binomial', true),
        r(524288, 'pipelined', true),
        r(-1, 'scatter_ring_allgather', false),
      ],
    },
    {
      numproc: 256,
      inter: [
        r(2048, 'knomial_inter_node', true),
        r(8192, 'binomial', true),
        r(524288, 'pipelined', true),
        r(-1, 'scatter_ring_allgather', false),
      ],
    },
    ...[512, 1024].map((numproc) => ({
      numproc,
      inter: [
        r(4096, 'knomial_inter_node' as const, true),
        r(16384, 'binomial' as const, true),
        r(262144, 'pipelined' as const, true),
        r(-1, 'scatter_ring_allgather_shm' as const, true),
      ],
    })),
  ],
};

/**
 * MV2_ARCH_INTEL_XEON_X5650_12 with MV2_HCA_MLX_CX_QDR (TACC Lonestar): alltoall and
 * allreduce (1.9a2's bcast table names an AMD system instead, see below).
 */
export const X5650_QDR_TABLES: Mv2TableSet = {
  name: 'X5650 (12 cores) + ConnectX QDR',
  arch: 'MV2_ARCH_INTEL_XEON_X5650_12',
  hca: 'MV2_HCA_MLX_CX_QDR',
  alltoall: [
    { numproc: 12, inter: [r(65536, 'scatter_dest'), r(-1, 'pairwise')] },
    ...[24, 48].map((numproc) => ({
      numproc,
      inter: [r(2048, 'bruck' as const), r(131072, 'scatter_dest' as const), r(-1, 'pairwise' as const)],
    })),
    { numproc: 96, inter: [r(2048, 'bruck'), r(-1, 'pairwise')] },
    { numproc: 192, inter: [r(1024, 'bruck'), r(-1, 'pairwise')] },
    { numproc: 384, inter: [r(2048, 'bruck'), r(-1, 'pairwise')] },
  ],
  allreduce: [
    {
      numproc: 12,
      inter: [r(1024, 'pt2pt_rd', true), r(-1, 'pt2pt_rs', false)],
      intra: [r(4096, 'reduce_shmem'), r(-1, 'reduce_p2p')],
    },
    {
      numproc: 24,
      inter: [r(1024, 'pt2pt_rd', true), r(-1, 'pt2pt_rs', false)],
      intra: [r(1024, 'reduce_shmem'), r(-1, 'reduce_p2p')],
    },
    ...[48, 96, 192].map((numproc) => ({
      numproc,
      inter: [r(2048, 'pt2pt_rd' as const, true), r(-1, 'pt2pt_rs' as const, false)],
      intra: [r(2048, 'reduce_shmem' as const), r(-1, 'reduce_p2p' as const)],
    })),
    {
      numproc: 384,
      inter: [r(4096, 'pt2pt_rd', true), r(-1, 'pt2pt_rs', false)],
      intra: [r(4096, 'reduce_shmem'), r(-1, 'reduce_p2p')],
    },
  ],
};

/** MV2_ARCH_AMD_OPTERON_6136_32 with MV2_HCA_MLX_CX_QDR: 1.9a2's other bcast table. */
export const OPTERON_6136_QDR_TABLES: Mv2TableSet = {
  name: 'Opteron 6136 (32 cores) + ConnectX QDR',
  arch: 'MV2_ARCH_AMD_OPTERON_6136_32',
  hca: 'MV2_HCA_MLX_CX_QDR',
  bcast: [
    { numproc: 32, inter: [r(16384, 'binomial', true), r(-1, 'scatter_ring_allgather', false)] },
    { numproc: 64, inter: [r(8192, 'binomial', true), r(-1, 'scatter_ring_allgather', false)] },
    ...[128, 256].map((numproc) => ({
      numproc,
      inter: [
        r(8192, 'binomial' as const, true),
        r(65536, 'scatter_ring_allgather_shm' as const, true),
        r(-1, 'scatter_ring_allgather' as const, false),
      ],
    })),
    {
      numproc: 512,
      inter: [
        r(16384, 'binomial', true),
        r(262144, 'scatter_ring_allgather_shm', true),
        r(-1, 'scatter_ring_allgather', false),
      ],
    },
    {
      numproc: 1024,
      inter: [
        r(32768, 'binomial', true),
        r(131072, 'scatter_ring_allgather_shm', true),
        r(-1, 'scatter_ring_allgather', false),
      ],
    },
  ],
};

/** Every tuned system of 1.9a2 ibvf carries, in the order the tuning functions test them. */
export const TUNED_TABLES: readonly Mv2TableSet[] = [
  X5650_QDR_TABLES,
  OPTERON_6136_QDR_TABLES,
  E5_2680_FDR_TABLES,
];

export type TunedOp = 'alltoall' | 'allreduce' | 'bcast';

/**
 * The table set a process with this arch-HCA pair installs for `op`: the tuned system's
 * when the pair matches one exactly and the job is homogeneous, else the default.
 */
export function tableSetFor(op: TunedOp, arch: Mv2Arch, hca: Mv2Hca, heterogeneous = false): Mv2TableSet {
  if (heterogeneous) return DEFAULT_TABLES;
  return TUNED_TABLES.find((t) => t.arch === arch && t.hca === hca && t[op] !== undefined) ?? DEFAULT_TABLES;
}

/** The entry and row MVAPICH2 walks to for `comm_size` ranks and `nbytes` bytes. */
export function lookupEntry<F extends string, I extends string>(
  entries: readonly Mv2Entry<F, I>[],
  commSize: number,
): Mv2Entry<F, I> {
  let i = 0;
  while (i < entries.length - 1 && commSize > entries[i].numproc) i++;
  return entries[i];
}

export function lookupRow<F extends string>(rows: readonly Mv2Row<F>[], nbytes: number): Mv2Row<F> {
  let i = 0;
  while (i < rows.length - 1 && nbytes > rows[i].max && rows[i].max !== -1) i++;
  return rows[i];
}
