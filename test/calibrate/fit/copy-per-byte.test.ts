import { describe, expect, it } from 'vitest';
import { COPY_MIN_BYTES, fitCopyPerByte } from '../../../src/calibrate/fit/copy-per-byte.js';
import { contains, sampledSweep, seeds } from './synthetic.js';

// Known answer: a warm memcpy of s bytes costing 0.004 us + s x 8e-6 us/B (125 GB/s, an L1
// copy) up to 32 KiB, and three times the per-byte cost above it (the copy has left L1),
// the knee above the eager threshold the fit is given.
const B = 8e-6;
const C = 0.004;
const KNEE = 32 * 1024;
const truth = (s: number) => (s <= KNEE ? C + B * s : C + B * KNEE + 3 * B * (s - KNEE));
const SIZES = Array.from({ length: 17 }, (_, e) => 64 * 2 ** e); // 64 B .. 4 MiB, as the probe's default
const EAGER = 12 * 1024;

describe('fitCopyPerByte: the warm memcpy slope over the eager sizes', () => {
  it('recovers the per-byte cost below the knee, its bootstrap interval covering it, over seeds at 3% noise', () => {
    let covered = 0;
    for (const seed of seeds(10)) {
      const fit = fitCopyPerByte(sampledSweep(SIZES, truth, 30, 0.03, seed), {
        eagerThreshold: EAGER,
        seed,
        draws: 400,
      });
      expect(Math.abs(fit.value - B) / B).toBeLessThan(0.05);
      expect(fit.sizes).toEqual([1024, 2048, 4096, 8192]);
      expect(fit.intervals.method).toBe('bootstrap');
      if (contains(fit.interval!, B)) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(8);
  });

  it('is exact on noiseless data, with the fixed cost as intercept and no warning', () => {
    const exact = SIZES.map((bytes) => ({ bytes, us: truth(bytes) }));
    const fit = fitCopyPerByte(exact, { eagerThreshold: EAGER, draws: 0 });
    expect(fit.value).toBeCloseTo(B, 12);
    expect(fit.intercept).toBeCloseTo(C, 9);
    expect(fit.interval).toBeNull();
    expect(fit.warnings).toEqual([]);
    expect(fit.from).toContain(`${COPY_MIN_BYTES} B to the eager threshold ${EAGER} B`);
  });

  it('would be wrong past the knee: a window reaching 4 MiB averages the slopes and warns it is not linear', () => {
    const exact = SIZES.map((bytes) => ({ bytes, us: truth(bytes) }));
    const fit = fitCopyPerByte(exact, { eagerThreshold: 4 * 1024 ** 2, draws: 0 });
    expect(fit.value).toBeGreaterThan(1.2 * B);
    expect(fit.warnings.join()).toMatch(/copyPerByte: the time is not linear in size/);
  });

  it('refuses a run with too few eager sizes, naming the sizes it had', () => {
    const few = [64, 128, 256, 512].map((bytes) => ({ bytes, us: truth(bytes) }));
    expect(() => fitCopyPerByte(few, { eagerThreshold: EAGER, draws: 0 })).toThrow(
      /copyPerByte: 0 measured size\(s\) between 1024 and 12288 B .* \(measured: 64, 128, 256, 512 B\)/,
    );
  });

  it('refuses when the samples cannot tell the slope from 0', () => {
    // A flat 0.1 us with 30% noise: no per-byte cost to see in 1K..8K.
    const flat = sampledSweep(SIZES, () => 0.1, 30, 0.3, 3);
    expect(() => fitCopyPerByte(flat, { eagerThreshold: EAGER, draws: 400 })).toThrow(
      /copyPerByte: (its 95% interval .* reaches 0|the time does not grow with size)/,
    );
  });
});
