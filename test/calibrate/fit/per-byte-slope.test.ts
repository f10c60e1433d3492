import { describe, expect, it } from 'vitest';
import { fitPerByteSlope, LINEAR_TOLERANCE } from '../../../src/calibrate/fit/per-byte-slope.js';
import { sampledSweep } from './synthetic.js';

const window = { name: 'x', minBytes: 1024, maxBytes: 65536, what: 'test window' };
const SIZES = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072];

describe('fitPerByteSlope: what the data cannot pin down', () => {
  it('keeps to the window and reports the fixed cost and the worst residual', () => {
    const fit = fitPerByteSlope(
      SIZES.map((bytes) => ({ bytes, us: 0.01 + 1e-5 * bytes })),
      window,
      { draws: 0 },
    );
    expect(fit.sizes).toEqual([1024, 2048, 4096, 8192, 16384, 32768, 65536]);
    expect(fit.value).toBeCloseTo(1e-5, 12);
    expect(fit.intercept).toBeCloseTo(0.01, 9);
    expect(fit.worstResidual.rel).toBeLessThan(1e-9);
  });

  it('refuses a time that falls with size, and sizes that span less than a factor 4', () => {
    const falling = SIZES.map((bytes) => ({ bytes, us: 10 - 1e-5 * bytes }));
    expect(() => fitPerByteSlope(falling, window, { draws: 0 })).toThrow(
      /x: the time does not grow with size/,
    );
    const close = [1024, 2048, 3072].map((bytes) => ({ bytes, us: 1e-5 * bytes }));
    expect(() => fitPerByteSlope(close, window, { draws: 0 })).toThrow(/spanning a factor 4/);
  });

  it('warns when the interval is wider than the value, and when the line misses a size by more than a fifth', () => {
    const noisy = sampledSweep(SIZES, (s) => 1 + 2e-6 * s, 10, 0.05, 4);
    const fit = fitPerByteSlope(noisy, window, { draws: 400, seed: 4 });
    expect(fit.warnings.join('\n')).toMatch(
      /x: its 95% interval .* is wider than the value; the data barely pin it down/,
    );
    const bent = SIZES.map((bytes) => ({
      bytes,
      us: bytes <= 8192 ? 1e-5 * bytes : 1e-5 * 8192 + 5e-5 * (bytes - 8192),
    }));
    const kinked = fitPerByteSlope(bent, window, { draws: 0 });
    expect(kinked.worstResidual.rel).toBeGreaterThan(LINEAR_TOLERANCE);
    expect(kinked.warnings[0]).toMatch(/^x: the time is not linear in size over 1024\.\.65536 B/);
  });
});
