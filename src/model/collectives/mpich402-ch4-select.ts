/**
 * The collective algorithm MPICH 4.0.2's ch4 device (Debian's build, netmod ucx, POSIX
 * shared memory on) runs, for the communicators ibvf can place: one host with fewer than 8
 * ranks (bcast, allreduce) and any alltoall. Read in pmodels/mpich at tag v4.0.2:
 *
 * - ch4 chooses a composition from its JSON tuning (maint/tuning/coll/ch4/generic.json,
 *   compiled in by maint/tuning/coll/json_gen.sh) searched by MPIR_Csel_search
 *   (src/mpi/coll/src/csel.c). Two ranks of one host make a "parent" communicator:
 *   MPIR_Comm_create_subcomms (src/mpi/comm/commutil.c) builds its node_comm (2 ranks) and
 *   a node_roots_comm of one rank.
 * - bcast: "comm_size<8" -> MPIDI_Bcast_intra_composition_alpha (src/mpid/ch4/src/
 *   ch4_coll_impl.h): the node_roots_comm bcast is a no-op for one host, then
 *   MPIDI_SHM_mpi_bcast on node_comm, which the POSIX tuning
 *   (maint/tuning/coll/ch4/posix_generic.json, "is_multi_threaded=no") sends to
 *   MPIDI_POSIX_mpi_bcast_release_gather (src/mpid/ch4/shm/posix/posix_coll.h), after the
 *   first MPIR_CVAR_POSIX_NUM_COLLS_THRESHOLD calls (posix_coll_release_gather.h), which
 *   OSU's warm-up passes.
 * - allreduce: "comm_size=node_comm_size" (every rank on one host) ->
 *   MPIDI_Allreduce_intra_composition_gamma -> MPIDI_SHM_mpi_allreduce -> for a commutative
 *   op (OSU: MPI_SUM on floats) MPIDI_POSIX_mpi_allreduce_release_gather.
 * - alltoall: MPIDI_Alltoall_intra_composition_alpha -> MPIDI_NM_mpi_alltoall (ucx_coll.h)
 *   -> MPIR_Alltoall_impl, tuned by maint/tuning/coll/mpir/generic.json: below 8 ranks
 *   scattered up to 32768 B per pair, else pairwise; from 8 ranks brucks up to 256 B,
 *   scattered up to 32768 B, pairwise above.
 *
 * Both release/gather functions run as MPICH implements them (collectives/release-gather.ts,
 * the registry's `release-gather` for bcast and allreduce); no stand-in is left.
 */
import { UsageError } from '../../errors.js';
import type { CollectiveOp } from './types.js';

export interface MpichSelection {
  /** The registry algorithm ibvf runs. */
  algorithm: string;
  /** The function MPICH 4.0.2 runs. */
  mpich: string;
  /** True when `algorithm` is a stand-in of the same shape, not MPICH's own. */
  standIn: boolean;
}

/** MPICH 4.0.2 ch4's choice for `procs` ranks on `hosts` hosts and `bytes` per rank (per pair for alltoall). */
export function selectMpich402Ch4(
  op: CollectiveOp,
  bytes: number,
  procs: number,
  hosts: number,
): MpichSelection {
  if (op === 'alltoall') {
    const small = procs >= 8 && bytes <= 256;
    if (small) return { algorithm: 'bruck', mpich: 'MPIR_Alltoall_intra_brucks', standIn: false };
    return bytes <= 32768
      ? { algorithm: 'scattered', mpich: 'MPIR_Alltoall_intra_scattered', standIn: false }
      : { algorithm: 'pairwise', mpich: 'MPIR_Alltoall_intra_pairwise', standIn: false };
  }
  if (hosts !== 1 || procs >= 8) {
    throw new UsageError(
      `the MPICH 4.0.2 ch4 selection is modelled for one host with fewer than 8 ranks (${op} on ${hosts} host(s), ${procs} ranks asked)`,
    );
  }
  if (op === 'bcast')
    return { algorithm: 'release-gather', mpich: 'MPIDI_POSIX_mpi_bcast_release_gather', standIn: false };
  if (op === 'allreduce')
    return {
      algorithm: 'release-gather',
      mpich: 'MPIDI_POSIX_mpi_allreduce_release_gather',
      standIn: false,
    };
  throw new UsageError(
    `the MPICH 4.0.2 ch4 selection is modelled for bcast, allreduce and alltoall, not ${op}`,
  );
}
