import { describe, expect, it } from 'vitest';
import { aggregatePlateau } from '../../../src/calibrate/fit/aggregate-plateau.js';

// Known answer: 3 per stream alone, a shared capacity of 10: R(N) = min(3 N, 10).
const R = (n: number) => Math.min(3 * n, 10);

describe('aggregatePlateau: R(N) = min(N r, C) from runs at several stream counts', () => {
  it('finds the runs the capacity paces and their mean, with a Student t interval over repeats', () => {
    const runs = [1, 2, 4, 4, 8, 8].map((streams, i) => ({
      streams,
      rate: R(streams) + (i % 2 ? 0.1 : -0.1),
    }));
    const p = aggregatePlateau(runs, 'x');
    expect(p.perStream).toBeCloseTo(2.9, 9);
    expect(p.saturated).toEqual([4, 8]);
    expect(p.saturatedRuns).toEqual([2, 3, 4, 5]);
    expect(p.capacity).toBeCloseTo(10, 9);
    expect(p.interval![0]).toBeLessThan(10);
    expect(p.interval![1]).toBeGreaterThan(10);
  });

  it('a run 10% short or less is not saturated; none saturated gives no capacity, only the largest aggregate', () => {
    const p = aggregatePlateau(
      [
        { streams: 1, rate: 3 },
        { streams: 2, rate: 5.5 },
      ],
      'x',
    );
    expect(p.capacity).toBeNull();
    expect(p.most).toBe(5.5);
    const one = aggregatePlateau(
      [
        { streams: 1, rate: 3 },
        { streams: 4, rate: 10 },
      ],
      'x',
    );
    expect(one.capacity).toBe(10);
    expect(one.interval).toBeNull();
  });

  it('refuses one stream count and bad numbers, naming the parameter', () => {
    expect(() => aggregatePlateau([{ streams: 2, rate: 1 }], 'p')).toThrow(
      /^p: streaming runs at two or more pair counts/,
    );
    expect(() => aggregatePlateau([{ streams: 0, rate: 1 }], 'p')).toThrow(/^p: run 0 has pairs = 0/);
    expect(() => aggregatePlateau([{ streams: 1, rate: -1 }], 'p', 0.1, 'a speed')).toThrow(
      /^p: run 0 has a speed of -1/,
    );
  });
});
