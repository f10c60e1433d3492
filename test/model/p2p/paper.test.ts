import { describe, expect, it } from 'vitest';
import { cx3FdrKvm2013 as profile } from '../../../src/profiles/cx3-fdr-kvm-2013.js';
import { forEachParam } from '../../../src/profiles/validate.js';
import { p2pBandwidth, p2pLatency } from '../../../src/model/p2p/predict.js';
import { PAPER_ROWS, type PaperRow } from './paper-rows.js';

const OSU_SIZES = Array.from({ length: 23 }, (_, i) => 2 ** i);

function model(r: PaperRow): number {
  const q = { path: r.path, op: r.op, progress: r.progress };
  if (r.metric === 'latency') return p2pLatency(profile, q, r.bytes);
  return Math.max(...OSU_SIZES.map((s) => p2pBandwidth(profile, q, s)));
}

describe('built-in profile cx3-fdr-kvm-2013 against the paper (Sec. V-B to V-D)', () => {
  const table = PAPER_ROWS.map((r) => {
    const value = model(r);
    return { r, value, error: (value - r.paper) / r.paper };
  });

  it('prints the table of paper, model and error', () => {
    const lines = table.map(
      ({ r, value, error }) =>
        `${r.what.padEnd(56)} ${r.where.padEnd(14)} ${r.paper.toFixed(2).padStart(8)} ${value.toFixed(2).padStart(8)} ${(100 * error).toFixed(1).padStart(6)}%${r.note ? `  (${r.note})` : ''}`,
    );
    console.log(
      `${'row'.padEnd(56)} ${'where'.padEnd(14)} ${'paper'.padStart(8)} ${'model'.padStart(8)} ${'error'.padStart(7)}\n${lines.join('\n')}`,
    );
    expect(lines).toHaveLength(PAPER_ROWS.length);
  });

  for (const { r, value, error } of table) {
    it(`${r.what}: ${r.paper} (model ${value.toFixed(3)})`, () => {
      const tolerance = r.tolerance ?? 0.05;
      if (tolerance > 0.05) expect(r.note, 'a looser bound needs an explanation').toBeTruthy();
      expect(Math.abs(error)).toBeLessThanOrEqual(tolerance);
    });
  }

  it('has fewer fitted parameters than calibration rows', () => {
    const fitted = new Set<string>();
    forEachParam(profile, (path, param) => {
      if (param.source.kind === 'fit') fitted.add(`${path.split('.').pop()}=${param.value}`);
    });
    console.log(
      `calibration rows: ${PAPER_ROWS.length}; fitted parameters: ${fitted.size} (${[...fitted].join(', ')})`,
    );
    expect(fitted.size).toBeLessThan(PAPER_ROWS.length);
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
