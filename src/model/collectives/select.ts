import { findAlgorithm, type AlgorithmEntry } from './registry.js';
import { isPowerOfTwo, type CollectiveOp } from './types.js';

/** What MVAPICH2's run-time selection looks at. */
export interface SelectionInput {
  op: CollectiveOp;
  /** OSU's -m size (bytes per pair for alltoall/allgather/gather/scatter). */
  bytes: number;
  procs: number;
  /** Ranks per node (the largest node's count when uneven). */
  ranksPerNode: number;
  /** MPI shared memory on: two-level algorithms become possible when nodes hold several ranks. */
  shm: boolean;
}

/** An `nbytes <= max` row of a tuning table, as MVAPICH2 walks them (max -1: no bound). */
interface Row {
  max: number;
  name: string;
  /** Allreduce only: MVAPICH2's is_two_level_allreduce flag of the row. */
  twoLevel?: boolean;
}

/** A table for communicators of up to `procs` ranks (MVAPICH2 moves on while comm_size > numproc). */
interface Table {
  procs: number;
  rows: Row[];
}

/**
 * Alltoall: MVAPICH2 1.9 `src/mpi/coll/alltoall_tuning.c`, the table for
 * MV2_ARCH_INTEL_XEON_E5_2680_16 with MV2_HCA_MLX_CX_FDR (TACC Stampede: two 8-core Sandy
 * Bridge sockets and a ConnectX-3 FDR HCA per node, the closest tuned system to the
 * paper's E5-2670 testbed).
 */
const ALLTOALL: Table[] = [
  {
    procs: 16,
    rows: [
      { max: 2048, name: 'bruck' },
      { max: -1, name: 'scattered' },
    ],
  },
  {
    procs: 32,
    rows: [
      { max: 2048, name: 'bruck' },
      { max: -1, name: 'scattered' },
    ],
  },
  {
    procs: 64,
    rows: [
      { max: 2048, name: 'bruck' },
      { max: 16384, name: 'scattered' },
      { max: -1, name: 'pairwise' },
    ],
  },
  {
    procs: 128,
    rows: [
      { max: 2048, name: 'bruck' },
      { max: -1, name: 'pairwise' },
    ],
  },
  {
    procs: 256,
    rows: [
      { max: 1024, name: 'bruck' },
      { max: -1, name: 'pairwise' },
    ],
  },
  {
    procs: 512,
    rows: [
      { max: 1024, name: 'bruck' },
      { max: -1, name: 'pairwise' },
    ],
  },
  {
    procs: 1024,
    rows: [
      { max: 1024, name: 'bruck' },
      { max: -1, name: 'pairwise' },
    ],
  },
];

/**
 * Allreduce: MVAPICH2 1.9 `src/mpi/coll/allreduce_tuning.c`, same E5-2680/FDR table:
 * the inter-leader algorithm (pt2pt_rd = recursive doubling, pt2pt_rs = reduce-scatter +
 * allgather = Rabenseifner) and whether the row runs two-level (is_two_level_allreduce).
 */
const ALLREDUCE: Table[] = [
  {
    procs: 16,
    rows: [
      { max: 1024, name: 'recursive-doubling', twoLevel: true },
      { max: -1, name: 'rabenseifner', twoLevel: false },
    ],
  },
  ...[32, 64, 128, 256, 512].map((procs) => ({
    procs,
    rows: [
      { max: 16384, name: 'recursive-doubling', twoLevel: true },
      { max: -1, name: 'rabenseifner', twoLevel: false },
    ],
  })),
  {
    procs: 1024,
    rows: [
      { max: 8192, name: 'recursive-doubling', twoLevel: true },
      { max: 65536, name: 'rabenseifner', twoLevel: true },
      { max: -1, name: 'rabenseifner', twoLevel: false },
    ],
  },
];

function lookup(tables: Table[], procs: number, bytes: number): Row {
  let t = 0;
  while (t < tables.length - 1 && procs > tables[t].procs) t++;
  const rows = tables[t].rows;
  let r = 0;
  while (r < rows.length - 1 && rows[r].max !== -1 && bytes > rows[r].max) r++;
  return rows[r];
}

/**
 * MPICH's bcast and allgather switch points, which MVAPICH2 1.9 keeps for its flat
 * (non-shared-memory) paths: MPIR_CVAR_BCAST_SHORT_MSG_SIZE 12288, _LONG_MSG_SIZE 524288,
 * _MIN_PROCS 8; MPIR_CVAR_ALLGATHER_SHORT_MSG_SIZE 81920, _LONG_MSG_SIZE 524288 (on the
 * total gathered size) (MPICH src/mpi/coll/bcast.c, allgather.c; Thakur et al. 2005).
 */
export const MPICH_THRESHOLDS = {
  bcastShort: 12288,
  bcastLong: 524288,
  bcastMinProcs: 8,
  allgatherShort: 81920,
  allgatherLong: 524288,
} as const;

/** Whether a two-level algorithm can run: shared memory on, several nodes, several ranks on a node. */
function twoLevelPossible(s: SelectionInput): boolean {
  return s.shm && s.ranksPerNode > 1 && s.procs > s.ranksPerNode;
}

/**
 * The algorithm MVAPICH2 1.9 would run for this call on an FDR InfiniBand cluster.
 *
 * - alltoall: the E5-2680/FDR tuning table above (bruck, scattered, pairwise).
 * - allreduce: the same table's inter-leader choice; rows flagged two-level run
 *   `two-level` when shared memory is on (its leaders use recursive doubling).
 * - bcast: with shared memory on, `two-level` (MV2_USE_SHMEM_BCAST defaults to 1).
 *   Without: `knomial` below MPICH's short threshold (MVAPICH2's k-nomial inter-node
 *   default, MV2_USE_KNOMIAL_INTER_LEADER_BCAST), else MPICH's rule: scatter-rd-allgather
 *   for a power-of-two P below the long threshold, scatter-ring-allgather otherwise;
 *   binomial for fewer than 8 ranks. Assumption: MVAPICH2 1.9's bcast table (which adds
 *   pipelined and zero-copy variants ibvf does not model) is not reproduced.
 * - reduce: `two-level` with shared memory on, else `binomial` (assumption: MPICH's
 *   reduce-scatter + gather long-message reduce is not modelled).
 * - allgather: MPICH's rule on the total size n P: recursive doubling below the long
 *   threshold for a power-of-two P, bruck below the short one, ring above.
 * - gather, scatter: binomial; barrier: dissemination (MPICH's and MVAPICH2's flat ones).
 */
export function selectAlgorithm(s: SelectionInput): AlgorithmEntry {
  return findAlgorithm(s.op, selectName(s));
}

export function selectName(s: SelectionInput): string {
  switch (s.op) {
    case 'alltoall':
      return lookup(ALLTOALL, s.procs, s.bytes).name;
    case 'allreduce': {
      const row = lookup(ALLREDUCE, s.procs, s.bytes);
      return row.twoLevel && twoLevelPossible(s) ? 'two-level' : row.name;
    }
    case 'bcast':
      if (twoLevelPossible(s)) return 'two-level';
      if (s.procs < MPICH_THRESHOLDS.bcastMinProcs) return 'binomial';
      if (s.bytes < MPICH_THRESHOLDS.bcastShort) return 'knomial';
      if (s.bytes < MPICH_THRESHOLDS.bcastLong && isPowerOfTwo(s.procs)) return 'scatter-rd-allgather';
      return 'scatter-ring-allgather';
    case 'reduce':
      return twoLevelPossible(s) ? 'two-level' : 'binomial';
    case 'allgather': {
      const total = s.bytes * s.procs;
      if (total < MPICH_THRESHOLDS.allgatherLong && isPowerOfTwo(s.procs)) return 'recursive-doubling';
      if (total < MPICH_THRESHOLDS.allgatherShort) return 'bruck';
      return 'ring';
    }
    case 'gather':
    case 'scatter':
      return 'binomial';
    case 'barrier':
      return 'dissemination';
  }
}
