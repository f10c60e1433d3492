import { describe, expect, it } from 'vitest';
import { fitReducePerByte, REDUCE_MAX_BYTES_UNKNOWN_L2 } from '../../../src/calibrate/fit/reduce-per-byte.js';
import { contains, sampledSweep, seeds } from './synthetic.js';

// Known answer: a warm a[i] += b[i] over doubles at one double per cycle at 3 GHz
// (8 B / 0.333 ns: 4.17e-5 us/B) with a 0.01 us call, up to the L2 (1 MiB: both buffers
// in it up to 512 KiB), twice that per byte above.
const B = 1 / 3 / 8 / 1000;
const C = 0.01;
const HALF_L2 = 512 * 1024;
const truth = (s: number) => (s <= HALF_L2 ? C + B * s : C + B * HALF_L2 + 2 * B * (s - HALF_L2));
const SIZES = Array.from({ length: 17 }, (_, e) => 64 * 2 ** e);

describe('fitReducePerByte: the warm MPI_SUM slope while both buffers fit in L2', () => {
  it('recovers the per-byte cost, its interval covering it, over seeds at 3% noise', () => {
    let covered = 0;
    for (const seed of seeds(10)) {
      const fit = fitReducePerByte(sampledSweep(SIZES, truth, 30, 0.03, seed), {
        l2Bytes: 2 * HALF_L2,
        seed,
        draws: 400,
      });
      expect(Math.abs(fit.value - B) / B).toBeLessThan(0.05);
      expect(fit.sizes[0]).toBe(256);
      expect(fit.sizes[fit.sizes.length - 1]).toBe(HALF_L2);
      if (contains(fit.interval!, B)) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(8);
  });

  it('is exact on noiseless data; an unknown L2 takes the window to 256 KiB and says so', () => {
    const exact = SIZES.map((bytes) => ({ bytes, us: truth(bytes) }));
    const fit = fitReducePerByte(exact, { l2Bytes: null, draws: 0 });
    expect(fit.value).toBeCloseTo(B, 12);
    expect(fit.intercept).toBeCloseTo(C, 9);
    expect(fit.sizes[fit.sizes.length - 1]).toBe(REDUCE_MAX_BYTES_UNKNOWN_L2);
    expect(fit.from).toContain('the L2 size unknown');
  });

  it('pools two runs of the same sizes as repeats', () => {
    const a = sampledSweep(SIZES, truth, 20, 0.03, 1);
    const b = sampledSweep(SIZES, truth, 20, 0.03, 2);
    const fit = fitReducePerByte([...a, ...b], { l2Bytes: 2 * HALF_L2, draws: 200 });
    expect(fit.intervals.why).toMatch(/runs resampled/);
    expect(Math.abs(fit.value - B) / B).toBeLessThan(0.05);
  });

  it('refuses a run without sizes in its window', () => {
    const big = [4 * 1024 ** 2, 8 * 1024 ** 2].map((bytes) => ({ bytes, us: truth(bytes) }));
    expect(() => fitReducePerByte(big, { l2Bytes: 2 * HALF_L2, draws: 0 })).toThrow(
      /reducePerByte: 0 measured size\(s\) between 256 and 524288 B/,
    );
  });
});
