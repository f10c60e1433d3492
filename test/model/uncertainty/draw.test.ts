import { describe, expect, it } from 'vitest';
import { drawParam, drawProfile, range95 } from '../../../src/model/uncertainty/draw.js';
import { seededRng } from '../../../src/model/uncertainty/rng.js';
import { cx3FdrKvm2013 } from '../../../src/profiles/cx3-fdr-kvm-2013.js';
import type { Param } from '../../../src/profiles/types.js';

const param = (value: number, interval?: [number, number]): Param => ({
  value,
  unit: 'us',
  interval,
  source: { kind: 'assumption', ref: 'test' },
});

describe('parameter draws', () => {
  it('puts about 95% of draws inside an asymmetric interval, split at the value', () => {
    const rng = seededRng(7);
    const p = param(1, [0.9, 1.5]);
    const draws = Array.from({ length: 20000 }, () => drawParam(p, rng));
    const inside = draws.filter((x) => x >= 0.9 && x <= 1.5).length / draws.length;
    expect(inside).toBeGreaterThan(0.93);
    expect(inside).toBeLessThan(0.97);
    const below = draws.filter((x) => x < 1).length / draws.length;
    expect(below).toBeCloseTo(0.5, 1);
    const [lo, hi] = range95(draws);
    expect(lo).toBeCloseTo(0.9, 1);
    expect(hi).toBeCloseTo(1.5, 1);
  });

  it('keeps cited constants fixed and is reproducible from its seed', () => {
    expect(drawParam(param(400), seededRng(1))).toBe(400);
    const a = drawProfile(cx3FdrKvm2013, seededRng(3));
    const b = drawProfile(cx3FdrKvm2013, seededRng(3));
    expect(a).toEqual(b);
    expect(a.paths.vf.inlineLimit.value).toBe(0);
    expect(a.paths.vf.requestCost.value).not.toBe(cx3FdrKvm2013.paths.vf.requestCost.value);
  });
});
