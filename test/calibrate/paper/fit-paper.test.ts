import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CONSTANTS_FILE, BUILTIN_ROWS_FILE } from '../../../src/calibrate/paper/builtin.js';
import { liveProfile, parsePaperConstants } from '../../../src/calibrate/paper/constants.js';
import { fitPaperRows } from '../../../src/calibrate/paper/fit-paper.js';
import { rowModel } from '../../../src/calibrate/paper/row-model.js';
import { parsePaperRows } from '../../../src/calibrate/paper/rows-csv.js';
import type { PaperConstants, PaperRow } from '../../../src/calibrate/paper/types.js';
import { InputError } from '../../../src/errors.js';
import { parseJsonText } from '../../../src/profiles/json.js';
import { REPO_ROOT } from '../../fixtures.js';

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');
const ROWS = parsePaperRows(read(BUILTIN_ROWS_FILE), BUILTIN_ROWS_FILE);
const CONSTANTS = parsePaperConstants(parseJsonText(read(BUILTIN_CONSTANTS_FILE), 'c'), 'c');

/** The rows with the values the model gives at `truth` (a known answer). */
function synthetic(constants: PaperConstants, truth: Record<string, number>): PaperRow[] {
  const live = liveProfile(constants);
  live.set(live.names.map((n) => truth[n]));
  return ROWS.map((r) => ({ ...r, value: rowModel(live.profile, r) }));
}

describe('fitPaperRows on synthetic rows with a known answer', () => {
  // A truth away from the optimizer's starting values, so the fit has to move.
  const truth = Object.fromEntries(
    Object.entries(CONSTANTS.fitted).map(([name, spec], i) => [name, spec.start * (i % 2 === 0 ? 1.3 : 0.8)]),
  );
  const { report } = fitPaperRows(synthetic(CONSTANTS, truth), CONSTANTS);

  it('recovers every parameter the rows pin down, and meets every fit row', () => {
    for (const p of report.parameters) {
      // Shipped values keep 4 significant digits.
      expect(Math.abs(p.value - truth[p.name]) / truth[p.name], p.name).toBeLessThan(1e-3);
      expect(p.interval[0]).toBeLessThanOrEqual(p.value);
      expect(p.interval[1]).toBeGreaterThanOrEqual(p.value);
    }
    expect(report.worstFit).toBeLessThan(1e-3);
  });

  it('sets a parameter only one row shows from that row, as an assumption, and gives that row no leave-one-out error', () => {
    const sets = report.rows.filter((r) => r.use.kind === 'sets');
    expect(sets.map((r) => r.row.id).sort()).toEqual(
      ['ipoib-1-native', 'ipoib-1-vf', 'verbs-1-event-native', 'verbs-1-event-vf'].sort(),
    );
    for (const r of sets) expect(r.looError).toBeUndefined();
    expect(
      report.parameters
        .filter((p) => p.kind === 'set-by-row')
        .map((p) => p.name)
        .sort(),
    ).toEqual(['eventExtraPf', 'eventExtraVf', 'ipoibStackNative', 'ipoibStackVf'].sort());
  });

  it('predicts each left-out row of exact data exactly', () => {
    for (const r of report.rows.filter((q) => q.looError !== undefined)) {
      expect(Math.abs(r.looError!), r.row.id).toBeLessThan(2e-3);
    }
  });

  it('is a pure function: the same inputs give the same profile', () => {
    const rows = synthetic(CONSTANTS, truth);
    expect(fitPaperRows(rows, CONSTANTS).profile).toEqual(fitPaperRows(rows, CONSTANTS).profile);
  });
});

describe('fitPaperRows refuses what the rows cannot pin down', () => {
  it('names the file and line of a row on a path the profile lacks', () => {
    const rows = ROWS.map((r) => (r.id === 'send-2-vf' ? { ...r, path: 'vf2' } : r));
    const line = ROWS.find((r) => r.id === 'send-2-vf')!.line;
    expect(() => fitPaperRows(rows, CONSTANTS)).toThrow(
      new RegExp(`paper-rows\\.csv:${line}: row send-2-vf: profile cx3-fdr-kvm-2013 has no path 'vf2'`),
    );
  });

  it('names a fitted parameter that no fit row shows', () => {
    // Without the UPC rows nothing shows the RDMA read extra.
    const rows = ROWS.filter((r) => r.op !== 'upc-get');
    expect(() => fitPaperRows(rows, CONSTANTS, 'constants.json')).toThrow(InputError);
    expect(() => fitPaperRows(rows, CONSTANTS, 'constants.json')).toThrow(
      /constants\.json: fitted parameter 'readExtra' is shown by no fit row/,
    );
  });
});
