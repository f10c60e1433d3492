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

describe('shared quantities', () => {
  it('draws a parameter spread into several paths once per draw', () => {
    const base = cx3FdrKvm2013.paths;
    // ibPath spreads one fitted L and one assumed o_s into the native and VF paths.
    expect(base.vf.L).toEqual(base.native.L);
    expect(base.vf.o_s).toEqual(base['vf-to-vf'].o_s);
    for (let seed = 1; seed <= 20; seed++) {
      const d = drawProfile(cx3FdrKvm2013, seededRng(seed)).paths;
      expect(d.vf.L.value).toBe(d.native.L.value);
      expect(d['native-inline0'].L.value).toBe(d.native.L.value);
      for (const name of ['o_s', 'o_r', 'g', 'G', 'storeForward', 'readExtra'] as const) {
        expect(d['vf-to-vf'][name].value).toBe(d.native[name].value);
        expect(d['vf-loopback'][name].value).toBe(d.vf[name].value);
      }
      expect(d['vf-loopback'].requestCost.value).toBe(d.vf.requestCost.value);
    }
  });

  it('draws distinct quantities independently, even with equal numbers', () => {
    const src = { kind: 'assumption', ref: 'one sentence' } as const;
    const profile = {
      a: { x: { value: 1, unit: 'us', interval: [0.5, 1.5], source: src } },
      b: { x: { value: 1, unit: 'us', interval: [0.5, 1.5], source: src } },
      c: { y: { value: 1, unit: 'us', interval: [0.5, 1.5], source: src } },
      d: { x: { value: 1, unit: 'us', interval: [0.5, 1.6], source: src } },
      e: { x: { value: 1, unit: 'us', interval: [0.5, 1.5], source: { ...src, ref: 'another' } } },
    } as unknown as Parameters<typeof drawProfile>[0];
    const d = drawProfile(profile, seededRng(5)) as unknown as Record<string, Record<string, Param>>;
    expect(d.b.x.value).toBe(d.a.x.value);
    // Another field, interval or source: another quantity.
    expect(d.c.y.value).not.toBe(d.a.x.value);
    expect(d.d.x.value).not.toBe(d.a.x.value);
    expect(d.e.x.value).not.toBe(d.a.x.value);
    // The profile itself is untouched.
    expect((profile as unknown as Record<string, Record<string, Param>>).a.x.value).toBe(1);
  });
});
