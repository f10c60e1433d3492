import { describe, expect, it } from 'vitest';
import { fitLogGP, type PrttMeasurement } from '../../../src/calibrate/fit/loggp-prtt.js';
import { seededRng } from '../../../src/model/uncertainty/rng.js';
import { contains, noisySamples, seeds } from './synthetic.js';

interface LogGP {
  L: number;
  o: number;
  g: number;
  G: number;
}

/** An FDR-like path: 6000 MB/s, a gap above the overhead (the method's premise). */
const TRUTH: LogGP = { L: 1.2, o: 0.2, g: 0.3, G: 1 / 6000 };

/** The sizes the probe's loggp suite measures: every other size of a doubling sweep. */
const SIZES = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536];
const N = 8;

/**
 * PRTT(1,0,s) = 2 (L + 2o + (s-1)G) and PRTT(n,d,s) = PRTT(1,0,s) + (n-1) max(o + d, g + (s-1)G),
 * with s - 1 read as 0 for an empty message.
 */
function prtt(p: LogGP, n: number, d: number, s: number): number {
  const perByte = Math.max(s - 1, 0) * p.G;
  const one = 2 * (p.L + 2 * p.o + perByte);
  return one + (n - 1) * Math.max(p.o + d, p.g + perByte);
}

/** The probe's loggp suite: PRTT(1,0,s), PRTT(8,0,s), PRTT(8,d,s) with d = 1.5 PRTT(1,0,s). */
function suite(
  p: LogGP,
  sizes = SIZES,
  kinds: ('one' | 'backToBack' | 'delayed')[] = ['one', 'backToBack', 'delayed'],
) {
  return sizes.flatMap((bytes) =>
    kinds.map((kind) => {
      const n = kind === 'one' ? 1 : N;
      const d_us = kind === 'delayed' ? 1.5 * prtt(p, 1, 0, bytes) : 0;
      return { bytes, n, d_us, us: prtt(p, n, d_us, bytes) };
    }),
  );
}

/** Each run with `count` samples of 2% multiplicative noise. */
function withSamples(runs: PrttMeasurement[], count: number, seed: number): PrttMeasurement[] {
  const rng = seededRng(seed);
  return runs.map((run) => ({ ...run, samples_us: noisySamples(run.us, count, 0.02, rng) }));
}

/** Each run repeated `copies` times with 2% noise on its value and no samples. */
function repeated(runs: PrttMeasurement[], copies: number, seed: number): PrttMeasurement[] {
  const rng = seededRng(seed);
  return runs.flatMap((run) => noisySamples(run.us, copies, 0.02, rng).map((us) => ({ ...run, us })));
}

const NAMES = ['L', 'o', 'g', 'G'] as const;

describe('fitLogGP on exact PRTT data', () => {
  const fit = fitLogGP(suite(TRUTH));

  it('recovers L, o, g and G to 1e-9', () => {
    for (const name of NAMES) expect(Math.abs(fit[name].value / TRUTH[name] - 1)).toBeLessThan(1e-9);
  });

  it('gives units, the derivation of each parameter, o_s and the gap per size', () => {
    expect([fit.L.unit, fit.o.unit, fit.g.unit, fit.G.unit]).toEqual(['us', 'us', 'us', 'us/B']);
    expect(fit.o.from).toBe('slope of PRTT(n,d,s) - (n-1)d in n at s = 1 B');
    expect(fit.L.from).toBe('PRTT(1,0,s)/2 - 2o - (s-1)G at s = 1 B');
    expect(fit.G.from).toMatch(/s = 1\.\.65536 B/);
    expect(fit.oBySize.map((p) => p.bytes)).toEqual(SIZES);
    for (const p of fit.oBySize) expect(p.us).toBeCloseTo(TRUTH.o, 9);
    for (const p of fit.gapBySize) expect(p.us).toBeCloseTo(TRUTH.g + (p.bytes - 1) * TRUTH.G, 9);
    expect(fit.warnings).toEqual([]);
  });

  it('reads an empty message as s - 1 = 0, as the model does', () => {
    const withEmpty = fitLogGP(suite(TRUTH, [0, 64, 4096]));
    for (const name of NAMES) expect(Math.abs(withEmpty[name].value / TRUTH[name] - 1)).toBeLessThan(1e-9);
    expect(withEmpty.L.from).toBe('PRTT(1,0,s)/2 - 2o - (s-1)G at s = 0 B');
  });

  it('says it has no intervals: one run per configuration and no samples', () => {
    expect(fit.intervals.method).toBe('none');
    expect(fit.intervals.why).toMatch(/measured once and kept no raw samples/);
    for (const name of NAMES) expect(fit[name].interval).toBeNull();
    expect(fit.draws.L).toEqual([]);
  });
});

describe('fitLogGP on noisy samples (200 per run, 2% noise): bootstrap over the raw samples', () => {
  const FIT_SEEDS = seeds(10);
  const fits = FIT_SEEDS.map((seed) => fitLogGP(withSamples(suite(TRUTH), 200, seed), { draws: 400, seed }));

  it('recovers L within 5%, o within 10%, g and G within 2% in every seed', () => {
    // Measured over 20 seeds: L 3%, o 7.5%, g 0.6%, G 0.4% at worst.
    const tolerance: LogGP = { L: 0.05, o: 0.1, g: 0.02, G: 0.02 };
    for (const fit of fits) {
      for (const name of NAMES)
        expect(Math.abs(fit[name].value / TRUTH[name] - 1)).toBeLessThan(tolerance[name]);
      expect(fit.warnings).toEqual([]);
    }
  });

  it('has 95% intervals that contain the truth in at least 8 of 10 seeds', () => {
    for (const name of NAMES) {
      const hits = fits.filter((fit) => contains(fit[name].interval!, TRUTH[name])).length;
      expect(hits).toBeGreaterThanOrEqual(8);
    }
    expect(fits[0].intervals).toMatchObject({ method: 'bootstrap', draws: 400, seed: 1 });
  });

  it('keeps the draws joint: L and o, read from the same PRTT(1,0,s), move against each other', () => {
    const { L, o } = fits[0].draws;
    expect(L).toHaveLength(400);
    expect(correlation(L, o)).toBeLessThan(-0.5);
  });

  it('gives the same answer for the same seed', () => {
    const runs = withSamples(suite(TRUTH), 50, 3);
    expect(fitLogGP(runs, { draws: 100, seed: 5 })).toEqual(fitLogGP(runs, { draws: 100, seed: 5 }));
  });
});

describe('fitLogGP on repeated runs without samples', () => {
  it('draws each configuration from its repeats (Student t) and covers the truth', () => {
    const fit = fitLogGP(repeated(suite(TRUTH), 5, 11), { draws: 400 });
    expect(fit.intervals.method).toBe('repeats');
    expect(fit.intervals.why).toMatch(/at least 5 per configuration/);
    for (const name of NAMES) {
      expect(contains(fit[name].interval!, TRUTH[name])).toBe(true);
      expect(fit[name].interval![0]).toBeLessThanOrEqual(fit[name].value);
      expect(fit[name].interval![1]).toBeGreaterThanOrEqual(fit[name].value);
    }
  });
});

describe('fitLogGP warns, naming the parameter, where the data cannot pin it down', () => {
  it('without delayed runs: o is 0 and L still holds 2o', () => {
    const fit = fitLogGP(suite(TRUTH, SIZES, ['one', 'backToBack']));
    expect(fit.o.value).toBe(0);
    expect(fit.L.value).toBeCloseTo(TRUTH.L + 2 * TRUTH.o, 9);
    expect(fit.warnings).toEqual([expect.stringMatching(/^o: no PRTT\(n,d,s\) with d > g \+ \(s-1\)G/)]);
  });

  it('with delays shorter than the gap: those runs are left out and o is 0', () => {
    const runs = suite(TRUTH).map((run) =>
      run.d_us > 0 ? { ...run, d_us: 0.1, us: prtt(TRUTH, N, 0.1, run.bytes) } : run,
    );
    const fit = fitLogGP(runs);
    expect(fit.o.value).toBe(0);
    expect(fit.warnings[0]).toMatch(
      /^o: left out 9 delayed run\(s\) where the gap hides o: PRTT\(8,0.1,1\) has d <= g/,
    );
    expect(fit.warnings[1]).toMatch(/^o: no PRTT\(n,d,s\)/);
  });

  it('at one size: G is 0 and g holds g + (s-1)G', () => {
    const fit = fitLogGP(suite(TRUTH, [1024]));
    expect(fit.G.value).toBe(0);
    expect(fit.g.value).toBeCloseTo(TRUTH.g + (1024 - 1) * TRUTH.G, 9);
    expect(fit.warnings).toEqual([expect.stringMatching(/^G: PRTT\(n,0,s\) at one size only \(1024 B\)/)]);
  });

  it('without back-to-back runs: g and G are 0, and the delays cannot be checked', () => {
    const fit = fitLogGP(suite(TRUTH, SIZES, ['one', 'delayed']));
    expect([fit.g.value, fit.G.value]).toEqual([0, 0]);
    expect(fit.o.value).toBeCloseTo(TRUTH.o, 9);
    expect(fit.warnings.map((w) => w.slice(0, 2))).toEqual(['g:', 'G:', 'o:']);
  });

  it('a negative L (delayed runs that overstate o) is clamped at 0', () => {
    // 7 x 1 us more in every delayed run makes o 1 us too large, and L = 1.2 - 2 x 1 < 0.
    const runs = suite(TRUTH).map((run) => (run.d_us > 0 ? { ...run, us: run.us + (N - 1) * 1 } : run));
    const fit = fitLogGP(runs);
    expect(fit.o.value).toBeCloseTo(TRUTH.o + 1, 9);
    expect(fit.L.value).toBe(0);
    expect(fit.warnings).toContainEqual(
      expect.stringMatching(/^L: the estimate is -0\.8 us < 0 .*set to 0, the data cannot pin L down/),
    );
    // An o_s of 1.2 us above a gap of 0.3 us also contradicts the method's premise g + (s-1)G > o.
    expect(fit.warnings).toContainEqual(expect.stringMatching(/^g: at s = 1 B the back-to-back gap/));
  });

  it('a negative g (back-to-back runs faster than one) is clamped at 0', () => {
    const runs = suite(TRUTH).map((run) =>
      run.n > 1 && run.d_us === 0 ? { ...run, us: run.us - (N - 1) * 0.5 } : run,
    );
    const fit = fitLogGP(runs);
    expect(fit.g.value).toBe(0);
    expect(fit.warnings.some((w) => /^g: the estimate is -0\.2 us < 0/.test(w))).toBe(true);
  });

  it('when the overhead paces the back-to-back runs (o > g), it says g may be smaller', () => {
    const fit = fitLogGP(suite({ ...TRUTH, o: 0.35, g: 0.25 }));
    expect(fit.warnings[0]).toMatch(/^g: at s = 1 B the back-to-back gap .* is within 5% of o_s/);
  });

  it('warns when an interval reaches 0 only by clamping', () => {
    // o of 0.01 us under 2% noise on PRTTs of tens of us: the data cannot tell it from 0.
    const fit = fitLogGP(withSamples(suite({ ...TRUTH, o: 0.01 }), 50, 3), { draws: 200 });
    expect(fit.o.value).toBeGreaterThan(0);
    expect(fit.o.interval![0]).toBe(0);
    expect(fit.warnings).toEqual([
      expect.stringMatching(/^o: its 95% interval reaches 0 \(\d+% of the draws/),
    ]);
  });
});

describe('fitLogGP input', () => {
  it('throws without any PRTT(1,0,s)', () => {
    expect(() => fitLogGP(suite(TRUTH, SIZES, ['backToBack', 'delayed']))).toThrow(/no PRTT\(1,0,s\) run/);
  });

  it.each<[string, Partial<PrttMeasurement>, RegExp]>([
    ['n = 0', { n: 0 }, /n = 0; n must be an integer >= 1/],
    ['a negative delay', { d_us: -1 }, /d_us = -1/],
    ['a negative size', { bytes: -4 }, /bytes = -4/],
    ['no value and no samples', { us: NaN }, /us = NaN and no samples/],
  ])('rejects %s', (_name, change, message) => {
    const runs = suite(TRUTH);
    runs[0] = { ...runs[0], ...change };
    expect(() => fitLogGP(runs)).toThrow(message);
  });
});

function correlation(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i] - my);
    sxx += (x - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}
