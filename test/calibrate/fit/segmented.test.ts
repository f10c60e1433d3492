import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir } from '../../fixtures.js';
import { importOsu } from '../../../src/calibrate/import/osu.js';
import { fitSegmented, studentT975, type SizePoint } from '../../../src/calibrate/fit/segmented.js';
import { contains, noisyCurve, POWERS_OF_TWO, seeds, withReplicates } from './synthetic.js';

/** Real OSU Micro-Benchmarks 5.3 outputs (MPICH, shared memory, 2 ranks). */
const OSU_DIR = fixtureDir('osu');

function twoSegmentTruth(bytes: number): number {
  return bytes <= 256 ? 0.9 + 0.0002 * bytes : 1.4 + 0.00016 * bytes;
}

function straightTruth(bytes: number): number {
  return 0.9 + 0.0002 * bytes;
}

const SEEDS = seeds(200);

function readOsuLatency(): SizePoint[] {
  const file = path.join(OSU_DIR, 'mpich-shm-np2-osu_latency.txt');
  const [run] = importOsu(readFileSync(file, 'utf8'), file);
  return run.points.map((p) => ({ bytes: p.bytes, us: p.latency_us! }));
}

/**
 * osu_bw at its largest message, the streaming rate a latency slope is the inverse of. (The
 * file's overall maximum, 41,764 MB/s at 8 KiB, is an eager copy that stays in cache.)
 */
function readOsuLargeMessageBandwidth(): number {
  const file = path.join(OSU_DIR, 'mpich-shm-np2-osu_bw.txt');
  const [run] = importOsu(readFileSync(file, 'utf8'), file);
  return run.points[run.points.length - 1].bandwidth_MBps!;
}

describe('fitSegmented on exact two-segment data', () => {
  const points = POWERS_OF_TWO.map((bytes) => ({ bytes, us: twoSegmentTruth(bytes) }));
  const fit = fitSegmented(points);

  it('finds two segments with the break between 256 B and 512 B', () => {
    expect(fit.segments).toHaveLength(2);
    expect(fit.segments.map((s) => [s.fromBytes, s.toBytes, s.points])).toEqual([
      [1, 256, 9],
      [512, 1048576, 12],
    ]);
    expect(fit.weighting).toBe('relative');
  });

  it('recovers intercepts and slopes to 1e-9', () => {
    const [small, large] = fit.segments;
    expect(small.intercept_us).toBeCloseTo(0.9, 9);
    expect(large.intercept_us).toBeCloseTo(1.4, 9);
    expect(Math.abs(small.slope_us_per_byte / 0.0002 - 1)).toBeLessThan(1e-9);
    expect(Math.abs(large.slope_us_per_byte / 0.00016 - 1)).toBeLessThan(1e-9);
  });

  it('has zero-width intervals (up to rounding) and a negligible RSS', () => {
    for (const s of fit.segments) {
      expect(s.intercept_ci[1] - s.intercept_ci[0]).toBeLessThan(1e-12);
      expect(s.slope_ci[1] - s.slope_ci[0]).toBeLessThan(1e-12 * s.slope_us_per_byte);
      expect(contains(s.intercept_ci, s.intercept_us)).toBe(true);
      expect(contains(s.slope_ci, s.slope_us_per_byte)).toBe(true);
    }
    expect(fit.rss).toBeLessThan(1e-24);
    expect(Number.isFinite(fit.bic)).toBe(true);
  });

  it('gives the same fit whatever the order of the input, and leaves the input alone', () => {
    const shuffled = [...points].reverse();
    const copy = shuffled.map((p) => ({ ...p }));
    expect(fitSegmented(shuffled)).toEqual(fit);
    expect(shuffled).toEqual(copy);
  });

  it('fits absolute weighting as exactly', () => {
    const absolute = fitSegmented(points, { weighting: 'absolute' });
    expect(absolute.weighting).toBe('absolute');
    expect(absolute.segments.map((s) => s.toBytes)).toEqual([256, 1048576]);
    expect(absolute.segments[1].intercept_us).toBeCloseTo(1.4, 6);
  });

  it('with maxSegments 1 returns one line over everything', () => {
    const one = fitSegmented(points, { maxSegments: 1 });
    expect(one.segments).toHaveLength(1);
    expect(one.segments[0]).toMatchObject({ fromBytes: 1, toBytes: 1048576, points: 21 });
    expect(one.rss).toBeGreaterThan(fit.rss);
  });
});

describe('fitSegmented on noisy synthetic data (2% multiplicative noise, 200 seeds)', () => {
  it('95% intervals of a single line contain the true intercept and slope in about 95% of seeds', () => {
    let interceptHits = 0;
    let slopeHits = 0;
    for (const seed of SEEDS) {
      const [line] = fitSegmented(noisyCurve(POWERS_OF_TWO, straightTruth, 0.02, seed), {
        maxSegments: 1,
      }).segments;
      if (contains(line.intercept_ci, 0.9)) interceptHits++;
      if (contains(line.slope_ci, 0.0002)) slopeHits++;
    }
    for (const hits of [interceptHits, slopeHits]) {
      expect(hits / SEEDS.length).toBeGreaterThanOrEqual(0.85);
      expect(hits / SEEDS.length).toBeLessThanOrEqual(0.995);
    }
  });

  it('BIC keeps a straight line in one piece in most seeds', () => {
    // With 21 points and 3-point segments BIC over-splits often (a 3-point line absorbs
    // much noise); three runs per size, as calibration usually has, make it rare.
    const singleRun = SEEDS.filter(
      (seed) => fitSegmented(noisyCurve(POWERS_OF_TWO, straightTruth, 0.02, seed)).segments.length === 1,
    ).length;
    const threeRuns = SEEDS.filter(
      (seed) =>
        fitSegmented(noisyCurve(withReplicates(POWERS_OF_TWO, 3), straightTruth, 0.02, seed)).segments
          .length === 1,
    ).length;
    expect(singleRun / SEEDS.length).toBeGreaterThan(0.5);
    expect(threeRuns / SEEDS.length).toBeGreaterThanOrEqual(0.85);
  });

  it('finds the 256 | 512 break of two-segment data in most seeds', () => {
    const found = SEEDS.filter((seed) => {
      const fit = fitSegmented(noisyCurve(withReplicates(POWERS_OF_TWO, 3), twoSegmentTruth, 0.02, seed));
      return (
        fit.segments.length === 2 && fit.segments[0].toBytes === 256 && fit.segments[1].fromBytes === 512
      );
    }).length;
    expect(found / SEEDS.length).toBeGreaterThanOrEqual(0.85);
  });
});

describe('split rate of a straight line (issue 11): one sweep of 21 sizes, 2% noise, 200 seeds', () => {
  const splits = SEEDS.filter(
    (seed) => fitSegmented(noisyCurve(POWERS_OF_TWO, straightTruth, 0.02, seed)).segments.length > 1,
  ).length;

  it('BIC with 3-point segments splits it in 78 of 200 seeds', () => {
    expect(splits).toBe(78);
  });
});

describe('fitSegmented with repeated sizes', () => {
  it('keeps replicates as separate points and never puts a break between them', () => {
    const sizes = withReplicates(POWERS_OF_TWO, 2);
    const fit = fitSegmented(noisyCurve(sizes, twoSegmentTruth, 0.01, 7));
    expect(fit.segments.reduce((n, s) => n + s.points, 0)).toBe(42);
    for (let i = 1; i < fit.segments.length; i++) {
      expect(fit.segments[i].fromBytes).toBeGreaterThan(fit.segments[i - 1].toBytes);
    }
  });

  it('accepts a zero latency with absolute weighting', () => {
    const points = [0, 1, 2, 3].map((bytes) => ({ bytes, us: 2 * bytes }));
    const [line] = fitSegmented(points, { weighting: 'absolute' }).segments;
    expect(line.intercept_us).toBeCloseTo(0, 12);
    expect(line.slope_us_per_byte).toBeCloseTo(2, 12);
  });
});

describe('fitSegmented on the real MPICH shared-memory osu_latency', () => {
  const fit = fitSegmented(readOsuLatency());
  const first = fit.segments[0];
  const last = fit.segments[fit.segments.length - 1];

  it('has 2 to 4 segments covering 0 B to 4 MiB', () => {
    expect(fit.segments.length).toBeGreaterThanOrEqual(2);
    expect(fit.segments.length).toBeLessThanOrEqual(4);
    expect(first.fromBytes).toBe(0);
    expect(last.toBytes).toBe(4194304);
  });

  it('has a small-message intercept of 0.05 to 0.5 us', () => {
    expect(first.intercept_us).toBeGreaterThan(0.05);
    expect(first.intercept_us).toBeLessThan(0.5);
  });

  it('has a large-message slope whose inverse is within a factor 3 of the osu_bw large-message rate', () => {
    const peak = readOsuLargeMessageBandwidth();
    expect(peak).toBeCloseTo(15886.4, 2);
    expect(last.slope_us_per_byte).toBeGreaterThan(0);
    const megabytesPerSecond = 1 / last.slope_us_per_byte;
    expect(megabytesPerSecond).toBeGreaterThan(peak / 3);
    expect(megabytesPerSecond).toBeLessThan(peak * 3);
    expect(contains(last.slope_ci, last.slope_us_per_byte)).toBe(true);
  });

  it('starts the last segment at the eager -> rendezvous jump (8 KiB -> 16 KiB)', () => {
    expect(last.fromBytes).toBe(16384);
  });
});

describe('studentT975', () => {
  // NIST/SEMATECH e-Handbook of Statistical Methods, table 1.3.6.7.2, column 0.975.
  const NIST: [number, number][] = [
    [1, 12.706],
    [2, 4.303],
    [3, 3.182],
    [4, 2.776],
    [5, 2.571],
    [6, 2.447],
    [7, 2.365],
    [8, 2.306],
    [9, 2.262],
    [10, 2.228],
    [15, 2.131],
    [20, 2.086],
    [25, 2.06],
    [30, 2.042],
    [40, 2.021],
    [60, 2.0],
    [100, 1.984],
  ];

  it.each(NIST)('df %i gives %f to the table precision', (df, t) => {
    expect(studentT975(df)).toBeCloseTo(t, 3);
  });

  it('matches the closed forms for 1 and 2 degrees of freedom', () => {
    expect(studentT975(1)).toBeCloseTo(Math.tan(0.475 * Math.PI), 10);
    expect(studentT975(2)).toBeCloseTo(Math.sqrt(2 / (1 / 0.95 ** 2 - 1)), 10);
  });

  it('decreases with df towards the normal quantile 1.959964', () => {
    const values = [1, 2, 5, 30, 120, 1000, 5000].map(studentT975);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1]);
    expect(studentT975(5000)).toBeCloseTo(1.959964, 3);
    expect(studentT975(5000)).toBeGreaterThan(1.959964);
  });

  it('rejects a df that is not a positive integer', () => {
    expect(() => studentT975(0)).toThrow(RangeError);
    expect(() => studentT975(2.5)).toThrow(RangeError);
  });
});

describe('fitSegmented rejects bad input with a RangeError', () => {
  const good = POWERS_OF_TWO.map((bytes) => ({ bytes, us: straightTruth(bytes) }));

  it.each<[string, SizePoint[], Parameters<typeof fitSegmented>[1], RegExp]>([
    [
      'fewer points than minPoints',
      good.slice(0, 2),
      undefined,
      /2 point\(s\) given, at least minPoints = 3/,
    ],
    ['fewer points than a larger minPoints', good.slice(0, 4), { minPoints: 5 }, /at least minPoints = 5/],
    ['a NaN size', [...good, { bytes: NaN, us: 1 }], undefined, /point 21 has bytes = NaN/],
    ['a negative size', [{ bytes: -1, us: 1 }, ...good], undefined, /point 0 has bytes = -1/],
    ['an infinite latency', [...good, { bytes: 8, us: Infinity }], undefined, /us = Infinity/],
    ['a negative latency', [...good, { bytes: 8, us: -0.5 }], undefined, /us = -0.5/],
    ['a zero latency with relative weighting', [...good, { bytes: 8, us: 0 }], undefined, /us = 0/],
    ['maxSegments 0', good, { maxSegments: 0 }, /maxSegments must be an integer >= 1/],
    ['a fractional maxSegments', good, { maxSegments: 1.5 }, /maxSegments/],
    ['minPoints 2', good, { minPoints: 2 }, /minPoints must be an integer >= 3/],
    [
      'an unknown weighting',
      good,
      { weighting: 'log' as unknown as 'relative' },
      /weighting must be 'relative' or 'absolute'/,
    ],
    [
      'a single message size',
      [1, 2, 3, 4].map((us) => ({ bytes: 64, us })),
      undefined,
      /two distinct message sizes/,
    ],
  ])('%s', (_name, points, options, message) => {
    expect(() => fitSegmented(points, options)).toThrow(RangeError);
    expect(() => fitSegmented(points, options)).toThrow(message);
  });
});
