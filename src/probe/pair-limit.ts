import os from 'node:os';
import { UsageError } from '../errors.js';

/**
 * How many pairs one probe may run as threads (`--pairs N` between two processes).
 *
 * Each pair has a measuring thread on each side, and in poll mode that thread spins:
 * with more pairs than CPUs on a host, the threads take turns on the CPUs and the run
 * measures the scheduler, not the fabric (osu_mbw_mr likewise places one process per
 * core). So the default bound is the host's CPU count (os.availableParallelism(): the
 * CPUs this process may use). `--oversubscribe` lifts it to MAX_PAIRS, a hard limit on
 * threads, sockets and sample buffers per process (each pair holds every sample of a
 * step in memory): 256, the hardware threads of the largest two-socket nodes in use
 * (2 x 64 cores x 2 threads), an assumption of this project, not a measurement.
 */
export const MAX_PAIRS = 256;

export function hostCpus(): number {
  return os.availableParallelism();
}

/** Refuses a thread-pair count this host cannot run, naming the limit and its override. */
export function checkPairs(pairs: number, cpus: number, oversubscribe: boolean): void {
  if (pairs > MAX_PAIRS) {
    throw new UsageError(
      `--pairs ${pairs}: at most ${MAX_PAIRS} pairs of threads (the probe's limit on threads and sample buffers per ` +
        'process); to measure more pairs, run them as processes under a launcher (mpiexec -n 2N)',
    );
  }
  if (pairs > cpus && !oversubscribe) {
    throw new UsageError(
      `--pairs ${pairs}: this host has ${cpus} CPU${cpus === 1 ? '' : 's'}, one per pair's measuring thread, so at most ` +
        `${cpus} pair${cpus === 1 ? '' : 's'}; more would measure the scheduler (give --oversubscribe to run up to ` +
        `${MAX_PAIRS} anyway)`,
    );
  }
}
