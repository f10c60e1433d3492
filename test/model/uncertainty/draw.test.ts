import { describe, expect, it } from 'vitest';
import { drawParam, drawProfile, range95 } from '../../../src/model/uncertainty/draw.js';
import { seededRng } from '../../../src/model/uncertainty/rng.js';
import { cx3FdrKvm2013 } from '../../../src/profiles/cx3-fdr-kvm-2013.js';
import type { Param, Profile } from '../../../src/profiles/types.js';
import { validateProfile } from '../../../src/profiles/validate.js';
import { loggpOneWay } from '../../../src/calibrate/loggp-predict.js';

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

describe('joint draws of parameters fitted together (profile fits)', () => {
  // L = 1 + 0.01k, o_s = o_r = 0.5 - 0.005k for k = 0..100: L + 2o = 2 us in every row, as a
  // fit that trades L against o would give. One-way LogGP at 1 B is L + o_s + o_r.
  const rows = Array.from({ length: 101 }, (_, k) => [1 + 0.01 * k, 0.5 - 0.005 * k, 0.5 - 0.005 * k]);
  const correlated = (): Profile => {
    const p = structuredClone(cx3FdrKvm2013);
    const shm = p.paths.shm;
    shm.L = { ...shm.L, value: 1.5, interval: [1, 2] };
    shm.o_s = { ...shm.o_s, value: 0.25, interval: [0, 0.5] };
    shm.o_r = { ...shm.o_r, value: 0.25, interval: [0, 0.5] };
    shm.G = { ...shm.G, interval: undefined };
    p.fits = [
      {
        params: ['paths.shm.L', 'paths.shm.o_s', 'paths.shm.o_r'],
        draws: rows,
        source: { kind: 'fit', ref: 'test: perfectly correlated rows' },
      },
    ];
    return validateProfile(p, 'test');
  };
  const oneWays = (p: Profile, n: number) => {
    const rng = seededRng(11);
    return Array.from({ length: n }, () => loggpOneWay(drawProfile(p, rng).paths.shm, 1));
  };

  it('draws a group row by row: L + o_s + o_r stays 2 us, and L spans its column', () => {
    const p = correlated();
    const sums = oneWays(p, 1500);
    for (const x of sums) expect(x).toBeCloseTo(2, 12);
    const [lo, hi] = range95(sums);
    expect(lo).toBeCloseTo(2, 12);
    expect(hi).toBeCloseTo(2, 12);
    // L alone is uniform over 1, 1.01, ..., 2: its 2.5% and 97.5% quantiles are about 1.025 and 1.975.
    const rng = seededRng(12);
    const ls = Array.from({ length: 1500 }, () => drawProfile(p, rng).paths.shm.L.value);
    const [llo, lhi] = range95(ls);
    expect(llo).toBeGreaterThan(1.01);
    expect(llo).toBeLessThan(1.05);
    expect(lhi).toBeGreaterThan(1.95);
    expect(lhi).toBeLessThan(1.99);
    for (const x of ls) expect(rows.some((r) => r[0] === x)).toBe(true);
  });

  it('without the group the same intervals are drawn independently and the sum spreads', () => {
    const p = correlated();
    delete p.fits;
    const [lo, hi] = range95(oneWays(p, 1500));
    // L's draws alone span about [1, 2] and the o's [0, 0.5] each; independent, they do not cancel.
    expect(hi - lo).toBeGreaterThan(0.8);
  });

  it('gives a copy of a grouped quantity in another path the same row', () => {
    const p = correlated();
    p.paths['shm-copy'] = structuredClone(p.paths.shm);
    const rng = seededRng(13);
    for (let i = 0; i < 50; i++) {
      const d = drawProfile(p, rng).paths;
      expect(d['shm-copy'].L.value).toBe(d.shm.L.value);
      expect(d['shm-copy'].o_s.value).toBe(d.shm.o_s.value);
    }
  });
});
