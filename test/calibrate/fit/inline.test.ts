import { describe, expect, it } from 'vitest';
import { fitInline } from '../../../src/calibrate/fit/inline.js';
import { contains, POWERS_OF_TWO } from './synthetic.js';
import { exactSweep, OTHER, path, SWEEP_SEEDS, verbsSweep } from './verbs-sweeps.js';

// The profile's native PF: inline up to 400 B saves inlineSaving; native-inline0 is the same
// path with max_inline_size 0 (Jose et al., CCGrid 2013, Sec. V-B).
const SAVING = path('native').inlineSaving.value;

describe('fitInline on the model: native send with inline on vs off', () => {
  it('recovers the saving exactly and the limit as 256 B, the curves meeting at 512 B', () => {
    const fit = fitInline(exactSweep('native', 'send'), exactSweep('native-inline0', 'send'));
    expect(fit.saving.value).toBeCloseTo(SAVING, 12);
    expect(fit.limit).toMatchObject({ value: 256, unit: 'B' });
    expect(fit.nextBytes).toBe(512);
    expect(fit.bySize.filter((p) => p.bytes <= 256).every((p) => Math.abs(p.us - SAVING) < 1e-12)).toBe(true);
    expect(fit.bySize.filter((p) => p.bytes >= 512).every((p) => Math.abs(p.us) < 1e-12)).toBe(true);
    expect(fit.intervals.method).toBe('none');
    expect(fit.saving.interval).toBeNull();
    expect(fit.warnings).toEqual([]);
  });

  it('with 100 samples of 2% noise per size: saving within 2%, limit 256 B, both intervals holding the truth', () => {
    // Measured over 20 seeds: saving within 0.7%, limit 256 B with interval [256, 256] every time.
    for (const seed of SWEEP_SEEDS) {
      const fit = fitInline(
        verbsSweep('native', 'send', seed),
        verbsSweep('native-inline0', 'send', seed + OTHER),
        {
          draws: 400,
          seed,
        },
      );
      expect(Math.abs(fit.saving.value / SAVING - 1)).toBeLessThan(0.02);
      expect(contains(fit.saving.interval!, SAVING)).toBe(true);
      expect(fit.limit.value).toBe(256);
      expect(fit.limit.interval).toEqual([256, 256]);
      expect(fit.draws.saving).toHaveLength(400);
      expect(fit.intervals.method).toBe('bootstrap');
    }
  });

  it('names the measurement and the step in `from`', () => {
    const fit = fitInline(exactSweep('native', 'send'), exactSweep('native-inline0', 'send'), {
      measurement: 'host A perftest',
    });
    expect(fit.saving.from).toBe(
      'host A perftest: latency with inline off minus on, weighted mean below the step fitted over 21 sizes 1..1048576 B',
    );
  });
});

describe('fitInline where the data cannot pin it down', () => {
  const base = (bytes: number) => 1.5 + bytes / 6000;

  it('curves that never meet: the limit is at least the largest size', () => {
    const on = POWERS_OF_TWO.map((bytes) => ({ bytes, us: base(bytes) }));
    const off = POWERS_OF_TWO.map((bytes) => ({ bytes, us: base(bytes) + 0.3 }));
    const fit = fitInline(on, off);
    expect(fit.saving.value).toBeCloseTo(0.3, 12);
    expect(fit.nextBytes).toBeNull();
    expect(fit.warnings).toEqual([
      'inlineLimit: the two curves do not meet up to 1048576 B; the limit is at least that',
    ]);
  });

  it('no inline at all (a VF): the saving is not told from 0', () => {
    const fit = fitInline(verbsSweep('vf', 'send', 7), verbsSweep('vf', 'send', 7 + OTHER), { draws: 400 });
    expect(fit.saving.interval![0]).toBe(0);
    expect(fit.warnings.some((w) => /^inlineSaving: /.test(w))).toBe(true);
  });

  it('inline off faster than on: the saving is clamped at 0 with a warning', () => {
    const on = POWERS_OF_TWO.map((bytes) => ({ bytes, us: base(bytes) + (bytes <= 64 ? 0.2 : 0) }));
    const off = POWERS_OF_TWO.map((bytes) => ({ bytes, us: base(bytes) }));
    const fit = fitInline(on, off);
    expect(fit.saving.value).toBe(0);
    expect(fit.warnings[0]).toMatch(/^inlineSaving: the estimate is -0\.2 us < 0 \(inline off was faster\)/);
  });

  it('needs two shared sizes', () => {
    expect(() => fitInline([{ bytes: 2, us: 1 }], [{ bytes: 4, us: 1 }])).toThrow(/share 0 size\(s\)/);
  });
});
