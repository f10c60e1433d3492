import { renameSync, writeFileSync, rmSync } from 'node:fs';
import { RunError, UsageError } from '../errors.js';
import type { ProbeResult } from './result.js';

/**
 * Writes the result file (`ibvf.probe/1`, or a `--matrix` run's `ibvf.probe-matrix/1`) after every measured step: the JSON goes to FILE.tmp and is
 * renamed over FILE (atomic on one file system), so FILE is always valid JSON. Until
 * the end it says `"partial": true`; a run stopped by Ctrl-C or a lost peer leaves it so.
 */
export class ResultWriter<T extends { partial: boolean; stopped?: string } = ProbeResult> {
  /** The result as last written: every measurement finished so far. */
  private last: T | undefined;

  constructor(readonly path: string) {}

  /**
   * A stop that cannot wait for the run (SIGTERM, a second Ctrl-C): rewrites the last
   * state, which holds every finished measurement, as partial with the reason. Returns
   * what to tell the user.
   */
  stopNow(reason: string): string {
    if (!this.last) return 'nothing was measured yet';
    this.write({ ...this.last, partial: true, stopped: reason });
    return `partial results kept in ${this.path}`;
  }

  write(result: T): void {
    this.last = result;
    const tmp = `${this.path}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(result) + '\n');
      renameSync(tmp, this.path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new RunError(`cannot write the result file ${this.path}: ${(e as Error).message}`);
    }
  }
}

/**
 * Refuses, before anything is measured, a result file that cannot be written (a missing
 * folder, no permission): a usage error (exit 2), not a run that fails after minutes
 * (exit 3). Writes and removes a probe file beside it.
 */
export function checkWritable(path: string, what = '--out'): void {
  const probe = `${path}.${process.pid}.check`;
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new UsageError(`${what} ${path}: cannot write the result file there (${code})`);
  }
}
