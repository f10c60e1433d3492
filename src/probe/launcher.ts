import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { RunError } from '../errors.js';
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

export function rendezvousPath(dir: string, jobKey: string): string {
  return join(dir, `.ibvf-rendezvous-${jobKey.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
}

/**
 * Rank 0 publishes where it listens (atomically: write then rename), with its host name
 * and pid so that a file left by a rank 0 that was killed can be told stale.
 */
export function publishRendezvous(path: string, host: string, port: number): void {
  writeFileSync(
    `${path}.tmp`,
    JSON.stringify({ host, port, pid: process.pid, hostname: os.hostname(), time: new Date().toISOString() }),
  );
  renameSync(`${path}.tmp`, path);
}

/** Whether a process with this pid runs on this host (EPERM: it does, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A rendezvous file's address, or undefined when it is not (yet) one: being written, or
 * stale (published on this host by a process that is gone, e.g. a rank 0 killed with
 * SIGKILL, which no handler can clean up after).
 */
export function readRendezvous(
  text: string,
  hostname = os.hostname(),
): { host: string; port: number } | undefined {
  let r: { host?: unknown; port?: unknown; pid?: unknown; hostname?: unknown };
  try {
    r = JSON.parse(text) as typeof r;
  } catch {
    return undefined;
  }
  if (typeof r !== 'object' || r === null || typeof r.host !== 'string' || typeof r.port !== 'number')
    return undefined;
  if (r.hostname === hostname && typeof r.pid === 'number' && !alive(r.pid)) return undefined;
  return { host: r.host, port: r.port };
}

export function removeRendezvous(path: string): void {
  rmSync(path, { force: true });
}

/** Rank 1 waits for rank 0's file (polling every 100 ms) up to timeoutMs. */
export async function awaitRendezvous(
  path: string,
  timeoutMs: number,
): Promise<{ host: string; port: number }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(path)) {
      let text = '';
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        // replaced between the check and the read: try again
      }
      const at = readRendezvous(text);
      if (at) return at;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new RunError(
    `rank 0 did not publish its address in ${path} within ${timeoutMs / 1000} s ` +
      '(is the directory shared by both ranks? set IBVF_RENDEZVOUS_DIR, or IBVF_PEER=HOST:PORT)',
  );
}
