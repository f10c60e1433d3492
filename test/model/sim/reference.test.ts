import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGoalFile, simulate } from '../../../src/index.js';
import { parseReferenceCsv, VALIDATION_DIR } from './helpers.js';

const rows = parseReferenceCsv(readFileSync(path.join(VALIDATION_DIR, 'reference.csv'), 'utf8'));

describe('compatibility mode reproduces LogGOPSim (reference.csv)', () => {
  it('has the reference rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(12);
  });
  for (const row of rows) {
    const { L, o, g, G, O, S } = row.params;
    it(`${row.pattern} ${row.ranks} ranks ${row.bytes} B, L=${L} o=${o} g=${g} G=${G} O=${O} S=${S}: ${row.maxFinishNs} ns`, () => {
      const schedule = readGoalFile(
        path.join(VALIDATION_DIR, `${row.pattern}-${row.ranks}-${row.bytes}.goal`),
      );
      const result = simulate(schedule, { mode: 'compat', params: row.params });
      expect(result.maxFinishNs).toBe(row.maxFinishNs);
      // LogGOPSim's event count (operations queued plus messages) matches too.
      expect(result.events).toBe(row.events);
      expect(Math.max(...result.finishNs)).toBe(row.maxFinishNs);
      expect(result.finishNs[result.maxHost]).toBe(row.maxFinishNs);
    });
  }
});
