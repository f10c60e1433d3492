import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrateProfile } from '../../src/calibrate/calibrate.js';
import type { CalibrationInput, ProbeInput } from '../../src/calibrate/input.js';
import { holdoutTable } from '../../src/cli/commands/calibrate.js';
import { validateProbeResult } from '../../src/probe/validate.js';
import type { ProbeResult } from '../../src/probe/result.js';
import { builtinProfile } from '../../src/profiles/builtin.js';
import { validateProfile } from '../../src/profiles/validate.js';
import { fixtureDir } from '../fixtures.js';
import { drawProfile } from '../../src/model/uncertainty/draw.js';
import { seededRng } from '../../src/model/uncertainty/rng.js';

const PROBE = fixtureDir('probe');
const base = builtinProfile('cx3-fdr-kvm-2013')!;

function probe(name: string): ProbeResult {
  const file = path.join(PROBE, name);
  return validateProbeResult(JSON.parse(readFileSync(file, 'utf8')), file);
}

const input = (file: string, result: ProbeResult): ProbeInput => ({
  kind: 'probe',
  file,
  path: 'shm',
  result,
});

describe('calibrateProfile on a probe shared-memory run (out of sample)', () => {
  const loggp = probe('shm-loggp-poll.json');
  const quick = probe('shm-quick-poll.json');
  // Fit on PRTT(1,0,s) and PRTT(n,0,s) only; the delayed runs and the streaming are held out.
  const fitPart = { ...loggp, prtt: loggp.prtt.filter((r) => r.d_us === 0) };
  const delayed = { ...loggp, prtt: loggp.prtt.filter((r) => r.d_us > 0) };
  const streaming = {
    ...quick,
    latency: [],
    prtt: [],
    streaming: quick.streaming.filter((r) => r.pairs === 1),
  };
  const holdout: CalibrationInput[] = [
    input('shm-loggp-poll.json (delayed PRTT)', delayed),
    input('shm-quick-poll.json (streaming)', streaming),
  ];
  const { profile, report } = calibrateProfile([input('shm-loggp-poll.json (d = 0)', fitPart)], {
    name: 'here',
    base,
    holdout,
  });

  it('writes a valid profile whose shm LogGP parameters are fitted and cite the file and fitter', () => {
    expect(validateProfile(JSON.parse(JSON.stringify(profile)), 'round trip').name).toBe('here');
    for (const field of ['L', 'o_s', 'g', 'G'] as const) {
      expect(profile.paths.shm[field].source.kind).toBe('fit');
      expect(profile.paths.shm[field].source.ref).toContain('fitLogGP');
      expect(profile.paths.shm[field].source.ref).toContain('shm-loggp-poll.json');
    }
    expect(profile.paths.native.L.source.ref).toMatch(/^from base profile cx3-fdr-kvm-2013: /);
  });

  it("keeps fitLogGP's joint bootstrap draws as one group, and predictions draw its rows", () => {
    expect(profile.fits).toHaveLength(1);
    const group = profile.fits![0];
    expect(group.params).toEqual([
      'paths.shm.L',
      'paths.shm.o_s',
      'paths.shm.o_r',
      'paths.shm.g',
      'paths.shm.G',
    ]);
    expect(group.draws).toHaveLength(200);
    expect(group.source.ref).toContain('fitLogGP on shm-loggp-poll.json');
    for (const row of group.draws) {
      expect(row[1]).toBe(row[2]);
      for (const x of row) expect(Number(x.toPrecision(4))).toBe(x);
    }
    // Each column's spread is the fit's: its 95% range lies near the parameter's interval.
    const Ls = group.draws.map((r) => r[0]).sort((a, b) => a - b);
    const [lo, hi] = profile.paths.shm.L.interval!;
    expect(Ls[0]).toBeLessThan(lo + 0.5 * (hi - lo));
    expect(Ls[Ls.length - 1]).toBeGreaterThan(lo + 0.5 * (hi - lo));
    const rng = seededRng(4);
    for (let i = 0; i < 20; i++) {
      const shm = drawProfile(profile, rng).paths.shm;
      const drawn = [shm.L, shm.o_s, shm.o_r, shm.g, shm.G].map((p) => p.value);
      expect(group.draws.some((row) => row.every((x, j) => x === drawn[j]))).toBe(true);
    }
  });

  it('predicts the held-out PRTT(n,d,s) and streaming bandwidth', () => {
    console.log(holdoutTable(report));
    const rows = report.holdout.rows;
    expect(rows.filter((r) => r.what === 'PRTT')).toHaveLength(delayed.prtt.length);
    expect(rows.filter((r) => r.what.includes('bandwidth'))).toHaveLength(streaming.streaming.length);
    for (const r of rows) expect(Number.isFinite(r.relError)).toBe(true);
    // Each delayed PRTT within 15%: the fit never saw d > 0, so o is 0 and the prediction
    // misses (n - 1) o (about 10-15% here, always low).
    for (const r of rows.filter((x) => x.what === 'PRTT')) expect(Math.abs(r.relError)).toBeLessThan(0.15);
    // Streaming with one message in flight is paced by the latency, which the fit holds.
    const single = rows.filter((x) => x.what.endsWith('window 1'));
    expect(single.length).toBeGreaterThan(0);
    for (const r of single.filter((x) => x.label === '8 B')) expect(Math.abs(r.relError)).toBeLessThan(0.15);
    // Deeper windows are paced by the gap, which one LogGP line g + (s-1)G cannot hold here:
    // the back-to-back gap jumps between 256 B and 1 KB (0.07 to 0.36 us), so at 4 KB the
    // prediction is 50-90% high. Printed above, not hidden; the median stays under 15%.
    expect(report.holdout.medianAbsRelError!).toBeLessThan(0.15);
  });
});

describe('calibrateProfile on a probe ping-pong and streaming run predicts the PRTT runs of another (out of sample)', () => {
  const quick = probe('shm-quick-poll.json');
  const loggp = probe('shm-loggp-poll.json');
  const { profile, report } = calibrateProfile([input('shm-quick-poll.json', quick)], {
    name: 'here',
    base,
    holdout: [input('shm-loggp-poll.json', loggp)],
  });

  it('fits L, o, g, G of the shm path from the sweep and the streaming, and prints the PRTT table', () => {
    for (const field of ['L', 'o_s', 'g', 'G'] as const)
      expect(profile.paths.shm[field].source.ref).toContain('shm-quick-poll.json');
    console.log(holdoutTable(report));
    const rows = report.holdout.rows.filter((r) => r.what === 'PRTT');
    expect(rows).toHaveLength(loggp.prtt.length);
    for (const r of rows) expect(Number.isFinite(r.relError)).toBe(true);
    // A small message's round trip is twice the sweep's intercept: within 10% up to 256 B.
    // (Larger ones miss by 15-35%: one G over 1 B..16 KB; the table shows them.)
    const small = rows.filter(
      (x) => /^PRTT\(1,0\.00,(\d+)\)$/.exec(x.label) && Number(/,(\d+)\)$/.exec(x.label)![1]) <= 256,
    );
    expect(small).toHaveLength(5);
    for (const r of small) expect(Math.abs(r.relError)).toBeLessThan(0.1);
    expect(report.holdout.medianAbsRelError!).toBeLessThan(0.15);
  });
});
