import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { allPairs, pathClass, planPairs, splitMix32 } from '../../src/probe/matrix-plan.js';

describe('matrix pairs', () => {
  it('every pair a < b once, in row order: N(N-1)/2', () => {
    expect(allPairs(4)).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
      [2, 3],
    ]);
    expect(allPairs(10)).toHaveLength(45);
    expect(planPairs(4, undefined, 1)).toEqual(allPairs(4));
  });

  it('--sample K draws K distinct pairs, the same ones for the same seed', () => {
    const a = planPairs(16, 20, 7);
    expect(a).toHaveLength(20);
    expect(new Set(a.map((p) => p.join('-'))).size).toBe(20);
    for (const [x, y] of a) expect(x).toBeLessThan(y);
    expect(planPairs(16, 20, 7)).toEqual(a);
    expect(planPairs(16, 20, 8)).not.toEqual(a);
    // K = all pairs is every pair
    expect(planPairs(4, 6, 3)).toEqual(allPairs(4));
  });

  it('the seeded draw covers the pairs evenly (no pair favoured)', () => {
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 3000; seed++)
      for (const p of planPairs(4, 2, seed)) counts.set(p.join('-'), (counts.get(p.join('-')) ?? 0) + 1);
    // 3000 draws of 2 of 6 pairs: 1000 per pair expected
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(120);
  });

  it('splitMix32 gives numbers in [0, 1)', () => {
    const next = splitMix32(42);
    for (let i = 0; i < 1000; i++) {
      const v = next();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });

  it('refuses one rank and a sample larger than the pairs, saying what to give', () => {
    expect(() => planPairs(1, undefined, 1)).toThrow(UsageError);
    expect(() => planPairs(1, undefined, 1)).toThrow(/started 1 rank: run it with at least 2/);
    expect(() => planPairs(4, 7, 1)).toThrow(
      /--sample 7: 4 ranks have only 6 pairs; give --sample 6 or less/,
    );
  });

  it('path class from host names', () => {
    expect(pathClass('n1', 'n1')).toBe('same-host');
    expect(pathClass('n1', 'n2')).toBe('cross-host');
  });
});
