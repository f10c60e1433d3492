import { fixtureDir } from '../../fixtures.js';
import type { LogGOPSParams } from '../../../src/model/sim/index.js';

export { REPO_ROOT } from '../../fixtures.js';

/** LogGOPSim reference schedules and the finishing times it printed (see its README). */
export const VALIDATION_DIR = fixtureDir('loggopsim');

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
