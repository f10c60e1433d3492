import type { Mv2Arch, Mv2Hca } from './mvapich2-detect.js';
import {
  DEFAULT_TABLES,
  lookupEntry,
  lookupRow,
  tableSetFor,
  type BcastFn,
  type Mv2TableSet,
} from './mvapich2-tables.js';
import { findAlgorithm, type AlgorithmEntry } from './registry.js';
import { isPowerOfTwo, type CollectiveOp } from './types.js';

/**
 * What MVAPICH2 1.9a2's run-time selection looks at (docs/mvapich2-selection.md): the
 * call, the communicator's shape in MPI hosts (a VM is a host), whether its
 * shared-memory collectives are on, and the arch-HCA pair every process detected.
 */
export interface SelectionInput {
  op: CollectiveOp;
  /** OSU's -m size (bytes per pair for alltoall/allgather/gather/scatter). */
  bytes: number;
  procs: number;
  /** Ranks on the fullest MPI host (a VM in a guest, the node natively). */
  ranksPerNode: number;
  /**
   * MVAPICH2's shared-memory collectives on: MV2_USE_SHARED_MEM and MV2_USE_SHMEM_COLL
   * not 0, MV2_USE_BLOCKING not 1 (`MV2_Read_env_vars` in ch3_shmem_coll.c). Then
   * `create_2level_comm` gives the communicator its shmem and leader communicators
   * (`shmem_coll_ok = 1`), even when every host holds one rank.
   */
  shm: boolean;
  /** What `mv2_get_arch_type` returned on the hosts (default MV2_ARCH_UNKWN: default tables). */
  arch?: Mv2Arch;
  /** What `mv2_get_hca_type` returned (default MV2_HCA_UNKWN). */
  hca?: Mv2Hca;
  /** The hosts detected different arch-HCA pairs (`rdma_param_handle_heterogeneity`): default tables. */
  heterogeneous?: boolean;
}

/**
 * MPICH's bcast and allgather switch points, which MVAPICH2 1.9a2 keeps for the paths
 * that fall back to MPICH code: MPIR_PARAM_BCAST_SHORT_MSG_SIZE 12288, _LONG_MSG_SIZE
 * 524288, _MIN_PROCS 8 (`src/util/param/params.yml`); allgather 81920 and 524288 on the
 * total gathered size (MPICH src/mpi/coll/allgather.c; Thakur et al. 2005).
 */
export const MPICH_THRESHOLDS = {
  bcastShort: 12288,
  bcastLong: 524288,
  bcastMinProcs: 8,
  allgatherShort: 81920,
  allgatherLong: 524288,
} as const;

/**
 * MVAPICH2 1.9a2 reduce switch points (`mv2_coll_param` in ch3_shmem_coll.c, defaults
 * from `src/include/mpiimpl.h`): two-level reduce below MPIR_REDUCE_2LEVEL_THRESHOLD,
 * its intra-host phase through shared memory up to SHMEM_REDUCE_THRESHOLD; the flat
 * reduce-scatter + gather above MPIR_PARAM_REDUCE_SHORT_MSG_SIZE.
 */
export const MV2_REDUCE_THRESHOLDS = {
  twoLevel: 16384,
  shmemIntra: 4096,
  flatShort: 2048,
} as const;

/** The tuning tables a call uses, with the algorithm ibvf runs for it. */
export interface Selection {
  name: string;
  /** The table set MVAPICH2 installed (`default` for untuned arch-HCA pairs). */
  table: string;
}

/** The table set of the op (alltoall, allreduce, bcast have tables; the rest: none). */
function tablesOf(s: SelectionInput, op: 'alltoall' | 'allreduce' | 'bcast'): Mv2TableSet {
  return tableSetFor(op, s.arch ?? 'MV2_ARCH_UNKWN', s.hca ?? 'MV2_HCA_UNKWN', s.heterogeneous ?? false);
}

/** `create_2level_comm` ran for the communicator: shmem collectives on and more than one rank. */
const shmemCollOk = (s: SelectionInput): boolean => s.shm && s.procs > 1;

/**
 * MPICH's `MPIR_Comm_commit` built node and node-roots communicators (hierarchy_kind
 * PARENT): some host holds more than one rank. Hosts come from `MPID_Get_node_id`
 * (hostnames through PMI): a VM is a host. Independent of shared memory.
 */
const nodeAware = (s: SelectionInput): boolean => s.ranksPerNode > 1;

/**
 * The algorithm MVAPICH2 1.9a2 runs for this call, and the table set it came from.
 *
 * - alltoall: `MPIR_Alltoall_MV2` walks the alltoall table (bruck, scattered, pairwise).
 * - allreduce: `MPIR_Allreduce_new_MV2` walks the allreduce table. A row flagged two-level
 *   runs `MPIR_Allreduce_two_level_MV2` when shmem collectives are on: `two-level-shmem`
 *   (intra-host reduce through the shared buffer, `MPIR_Allreduce_reduce_shmem_MV2`) or
 *   `two-level-p2p` (`MPIR_Allreduce_reduce_p2p_MV2`), recursive doubling between
 *   leaders, `MPIR_Shmem_Bcast_MV2`; with them off it runs flat recursive doubling
 *   (`MPIR_Allreduce_pt2pt_rd_MV2` on the whole communicator). Other rows run their flat
 *   function: recursive doubling or Rabenseifner (`pt2pt_rs`).
 * - bcast: `MPIR_Bcast_tune_intra_MV2`. With shmem collectives off it calls MPICH's
 *   `MPIR_Bcast_intra`, which is SMP-aware when a host holds several ranks
 *   (`MPIR_SMP_Bcast`: binomial between hosts, binomial inside each, point to point:
 *   `two-level`) and flat otherwise (binomial, scatter-allgathers). With them on it walks
 *   the bcast table: two-level rows run the leaders' algorithm, then
 *   `MPIR_Shmem_Bcast_MV2` (`shmem-knomial`, `shmem-binomial`, `shmem-pipelined`).
 * - reduce: `MPIR_Reduce_MV2` thresholds; gather, scatter: binomial; barrier:
 *   dissemination; allgather: MPICH's rule (not re-derived from 1.9a2: see the doc).
 *
 * Rows naming an algorithm ibvf does not model run a stated substitute (listed in
 * docs/mvapich2-selection.md, "What ibvf runs instead").
 */
export function selectTuned(s: SelectionInput): Selection {
  switch (s.op) {
    case 'alltoall': {
      const t = tablesOf(s, 'alltoall');
      const row = lookupRow(lookupEntry(t.alltoall ?? DEFAULT_TABLES.alltoall!, s.procs).inter, s.bytes);
      const name = row.fn === 'scatter_dest' ? 'scattered' : row.fn;
      return { name, table: t.name };
    }
    case 'allreduce': {
      const t = tablesOf(s, 'allreduce');
      const entry = lookupEntry(t.allreduce ?? DEFAULT_TABLES.allreduce!, s.procs);
      const inter = lookupRow(entry.inter, s.bytes);
      const flat = inter.fn === 'pt2pt_rd' ? 'recursive-doubling' : 'rabenseifner';
      if (!inter.twoLevel) return { name: flat, table: t.name };
      if (!shmemCollOk(s)) return { name: 'recursive-doubling', table: t.name };
      if (inter.fn !== 'pt2pt_rd') {
        // No row of the reproduced tables pairs two-level with reduce-scatter leaders.
        throw new Error(`allreduce: two-level ${inter.fn} between leaders is not modelled`);
      }
      const intra = lookupRow(entry.intra ?? [], s.bytes);
      return { name: intra.fn === 'reduce_shmem' ? 'two-level-shmem' : 'two-level-p2p', table: t.name };
    }
    case 'bcast': {
      const t = tablesOf(s, 'bcast');
      if (!shmemCollOk(s)) return { name: mpichBcast(s), table: t.name };
      const row = lookupRow(lookupEntry(t.bcast ?? DEFAULT_TABLES.bcast!, s.procs).inter, s.bytes);
      return { name: row.twoLevel ? shmemBcast(row.fn) : flatBcast(row.fn), table: t.name };
    }
    case 'reduce':
      return { name: mv2Reduce(s), table: DEFAULT_TABLES.name };
    case 'allgather': {
      const total = s.bytes * s.procs;
      const name =
        total < MPICH_THRESHOLDS.allgatherLong && isPowerOfTwo(s.procs)
          ? 'recursive-doubling'
          : total < MPICH_THRESHOLDS.allgatherShort
            ? 'bruck'
            : 'ring';
      return { name, table: 'none (MPICH rule)' };
    }
    case 'gather':
    case 'scatter':
      return { name: 'binomial', table: 'none' };
    case 'barrier':
      return { name: 'dissemination', table: 'none' };
  }
}

/**
 * MPICH's `MPIR_Bcast_intra` as MVAPICH2 1.9a2 builds it (USE_SMP_COLLECTIVES on by
 * default, `configure.ac --enable-smpcoll`). Node-aware short messages (< 12288 B or < 8
 * ranks): `MPIR_SMP_Bcast`, binomial among hosts and in each host (`two-level`). Medium
 * messages with a power-of-two P: node-aware MPICH runs scatter + recursive-doubling
 * allgather among host leaders and binomial in hosts; ibvf runs the flat
 * scatter-rd-allgather (substitute). Long or non-power-of-two: flat scatter + ring
 * allgather in both cases.
 */
function mpichBcast(s: SelectionInput): string {
  if (s.bytes < MPICH_THRESHOLDS.bcastShort || s.procs < MPICH_THRESHOLDS.bcastMinProcs) {
    return nodeAware(s) && s.procs > s.ranksPerNode ? 'two-level' : 'binomial';
  }
  if (s.bytes < MPICH_THRESHOLDS.bcastLong && isPowerOfTwo(s.procs)) return 'scatter-rd-allgather';
  return 'scatter-ring-allgather';
}

/** A two-level bcast row: the leaders' algorithm, then MPIR_Shmem_Bcast_MV2 in each host. */
function shmemBcast(fn: BcastFn): string {
  switch (fn) {
    case 'knomial_inter_node':
      return 'shmem-knomial';
    case 'binomial':
      return 'shmem-binomial';
    case 'pipelined':
      return 'shmem-pipelined';
    case 'scatter_ring_allgather_shm':
      // Not modelled: leaders' scatter + ring allgather feeding shm bcasts chunk by chunk.
      return 'shmem-pipelined';
    case 'scatter_ring_allgather':
      return 'scatter-ring-allgather';
  }
}

/** A row not flagged two-level: its function on the whole communicator. */
function flatBcast(fn: BcastFn): string {
  switch (fn) {
    case 'binomial':
      return 'binomial';
    case 'knomial_inter_node':
      return 'knomial';
    default:
      return 'scatter-ring-allgather';
  }
}

/**
 * `MPIR_Reduce_MV2` (reduce_osu.c): two-level (`MPIR_Reduce_two_level_helper_MV2`) when
 * shmem collectives are on and n < 16 KB, its intra-host phase through the shared buffer
 * up to 4 KB (`two-level-shmem`), a k-nomial reduce over the host's ranks above (ibvf:
 * `two-level`, binomial); flat otherwise: k-nomial (k = 4) up to 2 KB, reduce-scatter +
 * gather above (ibvf: `binomial` for both).
 */
function mv2Reduce(s: SelectionInput): string {
  if (shmemCollOk(s) && s.bytes < MV2_REDUCE_THRESHOLDS.twoLevel) {
    return s.bytes <= MV2_REDUCE_THRESHOLDS.shmemIntra ? 'two-level-shmem' : 'two-level';
  }
  return 'binomial';
}

export function selectName(s: SelectionInput): string {
  return selectTuned(s).name;
}

export function selectAlgorithm(s: SelectionInput): AlgorithmEntry {
  return findAlgorithm(s.op, selectName(s));
}
