/**
 * Step 2: the algorithm, as MVAPICH2 1.9a2 would choose it on the layout's MPI hosts from
 * what it detects there (docs/mvapich2-selection.md), or as `--algorithm` forces it.
 */
import { UsageError } from '../../errors.js';
import { findAlgorithm, selectTuned, type AlgorithmEntry } from '../collectives/index.js';
import type { Layout } from '../layout/index.js';
import type { MpiHostDetection } from '../mpi-host.js';
import type { CollectiveQuery, MpiView } from './query.js';
import { maxOf } from '../max-of.js';

export function chooseAlgorithm(
  layout: Layout,
  q: CollectiveQuery,
  bytes: number,
  domains: number[],
  detected: MpiHostDetection | undefined,
): { entry: AlgorithmEntry; table: string } {
  const tuned = selectTuned({
    op: q.op,
    bytes,
    procs: q.procs,
    ranksPerNode: maxOf(domains),
    shm: layout.shm,
    ...(detected ? { arch: detected.arch, hca: detected.hca, heterogeneous: detected.heterogeneous } : {}),
  });
  if (q.algorithm) {
    const entry = findAlgorithm(q.op, q.algorithm);
    if (entry.shmem && !layout.shm) {
      throw new UsageError(
        `--algorithm ${entry.name} is a shared-memory algorithm of MVAPICH2: it needs --shm on (and, in VMs, several ranks per VM)`,
      );
    }
    return { entry, table: tuned.table };
  }
  return { entry: findAlgorithm(q.op, tuned.name), table: tuned.table };
}

/** The library's view of the layout, for the prediction's `mpi` field. */
export function mpiView(detected: MpiHostDetection | undefined, table: string): MpiView {
  if (!detected) {
    return { arch: 'MV2_ARCH_UNKWN', hca: 'MV2_HCA_UNKWN', cores: 0, sockets: 0, cpuModel: '', table };
  }
  const v = detected.view;
  return {
    arch: detected.arch,
    hca: detected.hca,
    cores: v.cores,
    sockets: v.sockets,
    cpuModel: `${v.model} ${v.modelName}`,
    table,
  };
}
