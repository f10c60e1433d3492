import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILE_FILE, builtinCalibration } from '../../../src/calibrate/paper/builtin.js';
import { formatPaperReport } from '../../../src/calibrate/paper/report-table.js';
import { cx3FdrKvm2013 } from '../../../src/profiles/cx3-fdr-kvm-2013.js';
import { forEachParam, validateProfile } from '../../../src/profiles/validate.js';
import { REPO_ROOT } from '../../fixtures.js';

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

describe('the built-in profile is what the paper fitter makes of its committed inputs', () => {
  const { json, fit } = builtinCalibration(read);

  it("prints the fit report with each row's error and leave-one-out error", () => {
    const text = formatPaperReport(fit.report);
    console.log(text);
    expect(fit.report.rows.length).toBeGreaterThan(fit.report.parameters.length);
    for (const r of fit.report.rows) expect(text).toContain(r.row.id);
    for (const p of fit.report.parameters) expect(text).toContain(p.name);
  });

  it(`${BUILTIN_PROFILE_FILE} is the fitter's output, byte for byte (rerun: npm run calibrate:builtin)`, () => {
    expect(read(BUILTIN_PROFILE_FILE)).toBe(json);
    expect(cx3FdrKvm2013).toEqual(JSON.parse(json));
  });

  it('ships a valid ibvf.profile/2', () => {
    expect(validateProfile(JSON.parse(json), BUILTIN_PROFILE_FILE).name).toBe('cx3-fdr-kvm-2013');
  });

  it('labels fitted every parameter the fit fitted, and no other', () => {
    const fittedValues = new Set(fit.report.parameters.filter((p) => p.kind === 'fit').map((p) => p.value));
    forEachParam(cx3FdrKvm2013, (field, param) => {
      if (param.source.kind === 'fit') {
        expect(fittedValues.has(param.value), field).toBe(true);
        expect(param.interval, field).toBeDefined();
        expect(param.source.ref, field).toMatch(/paper-rows\.csv/);
      }
    });
    // A parameter set by one row is an assumption that names its row.
    for (const p of fit.report.parameters.filter((q) => q.kind === 'set-by-row')) {
      const places: string[] = [];
      forEachParam(cx3FdrKvm2013, (field, param) => {
        if (param.value === p.value && param.unit === p.unit && param.source.kind === 'assumption')
          places.push(field);
      });
      expect(places.length, p.name).toBeGreaterThan(0);
    }
  });

  it('keeps every row within its tolerance and reports a leave-one-out error for each jointly fitted row', () => {
    for (const r of fit.report.rows) expect(Math.abs(r.error), r.row.id).toBeLessThanOrEqual(r.row.tolerance);
    for (const r of fit.report.rows.filter((q) => q.use.kind === 'fit')) {
      expect(r.looError === undefined ? r.looNote : Number.isFinite(r.looError), r.row.id).toBeTruthy();
    }
    // Out of sample is worse than in sample: the leave-one-out errors are not the fit's.
    expect(fit.report.worstLeaveOneOut).toBeGreaterThan(fit.report.worstFit);
  });
});
