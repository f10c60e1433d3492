import { describe, expect, it } from 'vitest';
import {
  commonSizes,
  fitDifference,
  type DifferenceSpec,
} from '../../../src/calibrate/fit/curve-difference.js';
import { seededRng } from '../../../src/model/uncertainty/rng.js';
import { noisySamples, POWERS_OF_TWO } from './synthetic.js';

const SPEC: DifferenceSpec = {
  name: 'extra',
  what: 'a minus b',
  use: () => true,
  kept: '',
  divide: 1,
  subtract: 0,
  formula: 'a - b',
};

const b = (bytes: number) => 1 + bytes / 6000;

describe('fitDifference', () => {
  it('takes the sizes both curves have', () => {
    expect(
      commonSizes(
        [
          { bytes: 4, us: 1 },
          { bytes: 1, us: 1 },
          { bytes: 4, us: 2 },
        ],
        [
          { bytes: 1, us: 1 },
          { bytes: 4, us: 1 },
          { bytes: 8, us: 1 },
        ],
      ),
    ).toEqual([1, 4]);
  });

  it('weights sizes by 1/(a^2 + b^2): a constant seen at small sizes is not lost in large-size scatter', () => {
    // a - b is 0.5 at every size, plus 1% of a at the largest size only.
    const bCurve = POWERS_OF_TWO.map((bytes) => ({ bytes, us: b(bytes) }));
    const aCurve = POWERS_OF_TWO.map((bytes) => ({
      bytes,
      us: b(bytes) + 0.5 + (bytes === 1048576 ? 0.01 * b(bytes) : 0),
    }));
    const fit = fitDifference(aCurve, bCurve, SPEC);
    const unweighted = fit.bySize.reduce((sum, p) => sum + p.us, 0) / fit.bySize.length;
    expect(unweighted - 0.5).toBeGreaterThan(0.08);
    expect(fit.value.value - 0.5).toBeLessThan(0.002);
  });

  it('divides by k and subtracts m: c = (a - b - m) / k', () => {
    const bCurve = POWERS_OF_TWO.map((bytes) => ({ bytes, us: b(bytes) }));
    const aCurve = bCurve.map((p) => ({ ...p, us: p.us + 2 * 0.3 + 0.1 }));
    const fit = fitDifference(aCurve, bCurve, { ...SPEC, divide: 2, subtract: 0.1 });
    expect(fit.value.value).toBeCloseTo(0.3, 12);
  });

  it('draws from repeated runs when there are no samples, and says so', () => {
    const rng = seededRng(3);
    const repeats = (truth: (bytes: number) => number) =>
      POWERS_OF_TWO.flatMap((bytes) => noisySamples(truth(bytes), 3, 0.02, rng).map((us) => ({ bytes, us })));
    const fit = fitDifference(
      repeats((s) => b(s) + 0.5),
      repeats(b),
      SPEC,
      { draws: 400, measurement: 'run 7' },
    );
    expect(fit.intervals.method).toBe('repeats');
    expect(fit.value.interval![0]).toBeLessThan(0.5);
    expect(fit.value.interval![1]).toBeGreaterThan(0.5);
    expect(fit.value.from).toBe(
      'run 7: a minus b, a - b weighted by 1/(a^2 + b^2) over 21 sizes 1..1048576 B',
    );
  });

  it('throws when the curves share no size', () => {
    expect(() => fitDifference([{ bytes: 1, us: 1 }], [{ bytes: 2, us: 1 }], SPEC)).toThrow(
      'extra: the two curves share no size; a minus b needs at least one',
    );
  });
});
