import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cx3FdrKvm2013 as profile } from '../../../src/profiles/cx3-fdr-kvm-2013.js';
import { forEachParam } from '../../../src/profiles/validate.js';
import { p2pLatency } from '../../../src/model/p2p/predict.js';
import { BUILTIN_ROWS_FILE } from '../../../src/calibrate/paper/builtin.js';
import { parsePaperRows } from '../../../src/calibrate/paper/rows-csv.js';
import { rowModel } from '../../../src/calibrate/paper/row-model.js';
import type { PaperRow } from '../../../src/calibrate/paper/types.js';
import { REPO_ROOT } from '../../fixtures.js';

// One source of truth: the rows the built-in profile is fitted to (calibration/).
const ROWS = parsePaperRows(readFileSync(path.join(REPO_ROOT, BUILTIN_ROWS_FILE), 'utf8'), BUILTIN_ROWS_FILE);

/** Parameters that are fitted, or set from one row: the rows that show them (their source names them). */
function setByOneRow(): Map<string, string> {
  const set = new Map<string, string>();
  forEachParam(profile, (_, param) => {
    const m = /the only fit row that shows it is ([\w-]+)/.exec(param.source.ref);
    if (param.source.kind === 'assumption' && m) set.set(m[1], param.source.ref);
  });
  return set;
}

describe('built-in profile cx3-fdr-kvm-2013 against the paper (Sec. V-B to V-D)', () => {
  const setters = setByOneRow();
  const table = ROWS.map((r) => {
    const value = rowModel(profile, r);
    return { r, value, error: (value - r.value) / r.value };
  });
  const line = ({ r, value, error }: (typeof table)[number]) =>
    `${r.what.padEnd(52)} ${`${r.section} ${r.figure}`.padEnd(16)} ${r.value.toFixed(2).padStart(8)} ${value.toFixed(2).padStart(8)} ${(100 * error).toFixed(1).padStart(6)}%`;
  const group = (keep: (r: PaperRow) => boolean) => table.filter(({ r }) => keep(r)).map(line);

  it('prints the table: fitted rows, rows that alone set a parameter, and out-of-sample check rows', () => {
    const header = `${'row'.padEnd(52)} ${'where'.padEnd(16)} ${'paper'.padStart(8)} ${'model'.padStart(8)} ${'error'.padStart(7)}`;
    const fitted = group((r) => r.role === 'fit' && !setters.has(r.id));
    const sets = group((r) => setters.has(r.id));
    const checks = group((r) => r.role === 'check');
    console.log(
      [
        `fitted jointly (in sample):\n${header}`,
        ...fitted,
        `\neach the only row of a parameter, which is solved from it (its 0% is no evidence):`,
        ...sets,
        `\ncheck rows, never fitted (out of sample):`,
        ...checks,
      ].join('\n'),
    );
    expect(fitted.length + sets.length + checks.length).toBe(ROWS.length);
    expect(checks.length).toBeGreaterThan(0);
  });

  for (const { r, value, error } of table) {
    it(`${r.id} (${r.role}): ${r.value} ${r.unit} (model ${value.toFixed(3)})`, () => {
      if (r.tolerance > 0.05) expect(r.note, 'a looser bound needs an explanation').toBeTruthy();
      expect(Math.abs(error)).toBeLessThanOrEqual(r.tolerance);
    });
  }

  it('counts as fitted only what the rows overdetermine: fewer fitted parameters than fit rows they use', () => {
    const fitted = new Set<string>();
    forEachParam(profile, (field, param) => {
      if (param.source.kind === 'fit') fitted.add(`${field.split('.').pop()}=${param.value}`);
    });
    const jointRows = ROWS.filter((r) => r.role === 'fit' && !setters.has(r.id)).length;
    console.log(
      `jointly fitted rows: ${jointRows}; fitted parameters: ${fitted.size} (${[...fitted].join(', ')}); parameters set by one row (assumptions): ${setters.size}`,
    );
    expect(fitted.size).toBeGreaterThan(0);
    expect(fitted.size).toBeLessThan(jointRows);
  });

  it('uses one inline saving for send and write', () => {
    const native = profile.paths.native.inlineSaving.value;
    const sendGap =
      p2pLatency(profile, { path: 'native-inline0', op: 'send', progress: 'poll' }, 2) -
      p2pLatency(profile, { path: 'native', op: 'send', progress: 'poll' }, 2);
    const writeGap =
      p2pLatency(profile, { path: 'native-inline0', op: 'write', progress: 'poll' }, 2) -
      p2pLatency(profile, { path: 'native', op: 'write', progress: 'poll' }, 2);
    expect(sendGap).toBeCloseTo(native, 12);
    expect(writeGap).toBeCloseTo(native, 12);
  });
});
