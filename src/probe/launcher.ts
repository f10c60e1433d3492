import os from 'node:os';
import { hydraJobKey } from './hydra-job.js';

/**
 * Ranks started by a parallel launcher, found from its environment with no MPI
 * library linked:
 *   MPICH Hydra   PMI_RANK, PMI_SIZE
 *   Open MPI      OMPI_COMM_WORLD_RANK, OMPI_COMM_WORLD_SIZE (job: OMPI_MCA_ess_base_jobid)
 *   PMIx          PMIX_RANK (job: PMIX_NAMESPACE)
 *   Slurm srun    SLURM_PROCID, SLURM_NTASKS (job: SLURM_JOB_ID.SLURM_STEP_ID)
 * `jobKey` names the rendezvous file every rank of one launch agrees on; IBVF_RENDEZVOUS_KEY
 * overrides it. Hydra exports no job id: its key is the job's kvsname asked over PMI_FD,
 * or its proxy's control address (hydra-job.ts); only when neither is found (no /proc,
 * PMI_FD closed) is it the parent pid, which ranks share only when started directly.
 */
export interface Launcher {
  kind: 'openmpi' | 'pmix' | 'slurm' | 'mpich';
  rank: number;
  size: number;
  jobKey: string;
}

type Env = Record<string, string | undefined>;

function int(v: string | undefined): number | undefined {
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

export function detectLauncher(
  env: Env,
  ppid = process.ppid,
  hydraKey: (env: Env) => string | undefined = hydraJobKey,
): Launcher | undefined {
  const key = (fallback: string) => env.IBVF_RENDEZVOUS_KEY ?? fallback;
  const ompi = int(env.OMPI_COMM_WORLD_RANK);
  if (ompi !== undefined) {
    return {
      kind: 'openmpi',
      rank: ompi,
      size: int(env.OMPI_COMM_WORLD_SIZE) ?? 2,
      jobKey: key(env.OMPI_MCA_ess_base_jobid ?? env.PMIX_NAMESPACE ?? `ppid-${ppid}`),
    };
  }
  const pmix = int(env.PMIX_RANK);
  if (pmix !== undefined) {
    return {
      kind: 'pmix',
      rank: pmix,
      size: int(env.PMIX_SIZE) ?? 2,
      jobKey: key(env.PMIX_NAMESPACE ?? `ppid-${ppid}`),
    };
  }
  const slurm = int(env.SLURM_PROCID);
  if (slurm !== undefined) {
    return {
      kind: 'slurm',
      rank: slurm,
      size: int(env.SLURM_NTASKS) ?? 2,
      jobKey: key(`${env.SLURM_JOB_ID ?? 'job'}.${env.SLURM_STEP_ID ?? '0'}`),
    };
  }
  const pmi = int(env.PMI_RANK);
  if (pmi !== undefined) {
    const jobKey = env.IBVF_RENDEZVOUS_KEY ?? hydraKey(env) ?? `ppid-${ppid}`;
    return { kind: 'mpich', rank: pmi, size: int(env.PMI_SIZE) ?? 2, jobKey };
  }
  return undefined;
}

/** Rank 0's advertised address: --bind if given, else the first non-loopback IPv4 address. */
export function advertisedAddress(bind: string | undefined): string {
  if (bind && bind !== '0.0.0.0' && bind !== '::') return bind;
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
