import { describe, expect, it } from 'vitest';
import { loggpOneWay, loggpPrtt, loggpStreamBandwidth } from '../../src/calibrate/loggp-predict.js';
import { builtinProfile } from '../../src/profiles/builtin.js';
import type { PathParams } from '../../src/profiles/types.js';

const shm = builtinProfile('cx3-fdr-kvm-2013')!.paths.shm;
const path = (v: { L: number; o: number; g: number; G: number }): PathParams => ({
  ...shm,
  L: { ...shm.L, value: v.L },
  o_s: { ...shm.o_s, value: v.o },
  o_r: { ...shm.o_r, value: v.o },
  g: { ...shm.g, value: v.g },
  G: { ...shm.G, value: v.G },
});

describe('LogGP predictions of the probe runs', () => {
  const p = path({ L: 1, o: 0.5, g: 2, G: 0.01 });

  it('one-way and PRTT(1,0,s) = 2 (L + 2o + (s-1)G)', () => {
    expect(loggpOneWay(p, 101)).toBeCloseTo(1 + 1 + 1, 12);
    expect(loggpPrtt(p, 1, 0, 101)).toBeCloseTo(6, 12);
    expect(loggpOneWay(p, 0)).toBeCloseTo(2, 12);
  });

  it('PRTT(n,d,s) adds (n-1) max(o + d, g + (s-1)G)', () => {
    // gap g + (s-1)G = 3 beats o + d = 1.5
    expect(loggpPrtt(p, 8, 1, 101)).toBeCloseTo(6 + 7 * 3, 12);
    // a long delay shows o
    expect(loggpPrtt(p, 8, 10, 101)).toBeCloseTo(6 + 7 * 10.5, 12);
  });

  it('streaming: W s over T(s) + (W-1) max(o, g + (s-1)G) + T(4)', () => {
    const t4 = loggpOneWay(p, 4);
    expect(loggpStreamBandwidth(p, 101, 64)).toBeCloseTo((64 * 101) / (3 + 63 * 3 + t4), 9);
    expect(loggpStreamBandwidth(p, 0, 64)).toBe(0);
  });
});
