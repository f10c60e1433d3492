import { renameSync, writeFileSync, rmSync } from 'node:fs';
import { RunError } from '../errors.js';
import type { ProbeResult } from './result.js';

/**
 * Writes the result file after every measured step: the JSON goes to FILE.tmp and is
 * renamed over FILE (atomic on one file system), so FILE is always valid JSON. Until
 * the end it says `"partial": true`; a run stopped by Ctrl-C or a lost peer leaves it so.
 */
export class ResultWriter {
  constructor(readonly path: string) {}

  write(result: ProbeResult): void {
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
