import { describe, expect, it } from 'vitest';
import { drawCells, intervalsOf } from '../../../src/calibrate/fit/resample.js';
import { seededRng } from '../../../src/model/uncertainty/rng.js';
import { noisySamples } from './synthetic.js';

const Z975 = 1.959964;

function spread(draws: number[][], cell = 0): [number, number] {
  return intervalsOf({ x: draws.map((d) => d[cell]) }).x!;
}

describe('drawCells: bootstrap over raw samples', () => {
  // 400 samples of 10 us with 1 us of noise (10% relative noise of 10 us).
  const samples = noisySamples(10, 400, 0.1, seededRng(1));
  const sigma = 1;

  it('the median of a run: its value, and an interval about 2 x 1.96 x 1.2533 sigma / sqrt(m) wide', () => {
    const { values, draws, source } = drawCells([[{ us: NaN, samples_us: samples }]], { draws: 2000 });
    const sorted = [...samples].sort((a, b) => a - b);
    expect(values[0]).toBe((sorted[199] + sorted[200]) / 2);
    expect(source).toMatchObject({ method: 'bootstrap', draws: 2000, seed: 1 });
    expect(source.why).toMatch(/median of each run/);
    // The large-sample standard error of a normal median is sqrt(pi/2) sigma / sqrt(m).
    const [lo, hi] = spread(draws);
    const expected = 2 * Z975 * Math.sqrt(Math.PI / 2) * (sigma / Math.sqrt(400));
    expect((hi - lo) / expected).toBeGreaterThan(0.75);
    expect((hi - lo) / expected).toBeLessThan(1.25);
  });

  it('the mean of a run: an interval about 2 x 1.96 sigma / sqrt(m) wide', () => {
    const { values, draws } = drawCells([[{ us: NaN, samples_us: samples }]], {
      draws: 2000,
      statistic: 'mean',
    });
    expect(values[0]).toBeCloseTo(samples.reduce((a, b) => a + b, 0) / 400, 12);
    const [lo, hi] = spread(draws);
    const expected = 2 * Z975 * (sigma / Math.sqrt(400));
    expect((hi - lo) / expected).toBeGreaterThan(0.85);
    expect((hi - lo) / expected).toBeLessThan(1.15);
  });

  it("subtracts a run's offset from its value and every draw", () => {
    const plain = drawCells([[{ us: 0, samples_us: samples }]], { draws: 100 });
    const shifted = drawCells([[{ us: 0, samples_us: samples, offset_us: 7 }]], { draws: 100 });
    expect(shifted.values[0]).toBeCloseTo(plain.values[0] - 7, 12);
    shifted.draws.forEach((d, i) => expect(d[0]).toBeCloseTo(plain.draws[i][0] - 7, 12));
  });

  it('resamples the runs of a repeated configuration too, so run-to-run spread counts', () => {
    const rng = seededRng(2);
    // Three runs whose levels differ by 1 us, far more than their medians' own spread.
    const runs = [9, 10, 11].map((level) => ({ us: NaN, samples_us: noisySamples(level, 400, 0.01, rng) }));
    const within = drawCells([[runs[1]]], { draws: 1000 });
    const across = drawCells([runs], { draws: 1000 });
    expect(across.values[0]).toBeCloseTo(10, 1);
    expect(across.source.why).toMatch(/runs resampled/);
    const width = ([lo, hi]: [number, number]) => hi - lo;
    expect(width(spread(across.draws))).toBeGreaterThan(5 * width(spread(within.draws)));
  });

  it('draws the cells jointly and reproducibly', () => {
    const cells = [[{ us: 0, samples_us: samples }], [{ us: 0, samples_us: samples.slice(0, 100) }]];
    const a = drawCells(cells, { draws: 50, seed: 4 });
    expect(a.draws).toHaveLength(50);
    expect(a.draws[0]).toHaveLength(2);
    expect(drawCells(cells, { draws: 50, seed: 4 })).toEqual(a);
    expect(drawCells(cells, { draws: 50, seed: 5 }).draws).not.toEqual(a.draws);
  });
});

describe('drawCells: from repeated runs without samples', () => {
  it('draws mean + (s / sqrt(r)) T(r - 1): runs 1, 2, 3 give 2 +- 4.303 / sqrt(3)', () => {
    const { values, draws, source } = drawCells([[{ us: 1 }, { us: 2 }, { us: 3 }]], { draws: 20000 });
    expect(values[0]).toBe(2);
    expect(source.method).toBe('repeats');
    expect(source.why).toMatch(/at least 3 per configuration/);
    // s = 1, so the t interval is 2 +- 4.303 x 1 / sqrt(3).
    const half = 4.303 / Math.sqrt(3);
    const [lo, hi] = spread(draws);
    expect(lo).toBeCloseTo(2 - half, 0);
    expect(hi).toBeCloseTo(2 + half, 0);
    expect((hi - lo) / (2 * half)).toBeGreaterThan(0.9);
    expect((hi - lo) / (2 * half)).toBeLessThan(1.1);
  });

  it('is used when any run lacks samples but every configuration was repeated', () => {
    const cells = [[{ us: 1, samples_us: [1, 1.1, 0.9] }, { us: 1.2 }]];
    expect(drawCells(cells, { draws: 100 }).source.method).toBe('repeats');
  });
});

describe('drawCells: no intervals', () => {
  it('says which configuration was measured once without samples', () => {
    const { values, draws, source } = drawCells([[{ us: 1 }, { us: 2 }], [{ us: 5 }]]);
    expect(values).toEqual([1.5, 5]);
    expect(draws).toEqual([]);
    expect(source).toEqual({
      method: 'none',
      draws: 0,
      seed: null,
      why: 'configuration 1 was measured once and kept no raw samples: no spread to draw from',
    });
    expect(intervalsOf({ x: [] as number[] })).toEqual({ x: null });
  });

  it('says when no draws were asked for', () => {
    expect(drawCells([[{ us: 1, samples_us: [1, 2] }]], { draws: 0 }).source.why).toBe(
      'no draws were asked for',
    );
  });

  it.each([10, -1, 2.5])('rejects %d draws', (draws) => {
    expect(() => drawCells([[{ us: 1 }]], { draws })).toThrow(/draws must be 0 or an integer >= 40/);
  });

  it('rejects a configuration with no runs, and a run with neither value nor samples', () => {
    expect(() => drawCells([[]])).toThrow(/configuration 0 has no runs/);
    expect(() => drawCells([[{ us: NaN }]])).toThrow(/us = NaN and no samples/);
  });
});
