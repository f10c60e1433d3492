import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogGOPSParams } from '../../../src/model/sim/index.js';

/** The repository root (two levels above test/model/sim). */
export const REPO_ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** LogGOPSim reference schedules and results; CI keeps shared/ beside the repository. */
export const VALIDATION_DIR = path.resolve(REPO_ROOT, '../shared/validation/loggopsim');

/** Small round parameters that make hand checks easy. */
export const SMALL: LogGOPSParams = { L: 100, o: 10, g: 5, G: 1, O: 0, S: 1000 };

export interface ReferenceRow {
  pattern: string;
  ranks: number;
  bytes: number;
  params: LogGOPSParams;
  maxFinishNs: number;
  events: number;
}

/** Rows of reference.csv. */
export function parseReferenceCsv(text: string): ReferenceRow[] {
  const [header, ...lines] = text.trim().split('\n');
  const cols = header.split(',');
  return lines.map((line) => {
    const v = Object.fromEntries(line.split(',').map((x, i) => [cols[i], x]));
    return {
      pattern: v.pattern,
      ranks: Number(v.ranks),
      bytes: Number(v.bytes),
      params: { L: +v.L, o: +v.o, g: +v.g, G: +v.G, O: +v.O, S: +v.S },
      maxFinishNs: Number(v.maxfinish_ns),
      events: Number(v.events),
    };
  });
}
