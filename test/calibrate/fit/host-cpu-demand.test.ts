import { describe, expect, it } from 'vitest';
import { demandOf, hostDemandOf } from '../../../src/calibrate/fit/host-cpu-demand.js';
import { oversubscription } from '../../../src/model/virtualization.js';
import { builtinProfile } from '../../../src/profiles/builtin.js';

const base = builtinProfile('cx3-fdr-kvm-2013')!;

describe('demandOf: rule 1 inverted', () => {
  it("gives back the demand from which the model's own stretch was computed", () => {
    const profile = structuredClone(base);
    profile.virtualization.subscriptionPenalty.value = 1.4;
    const t = 0.003;
    for (const d of [17, 20.5, 31]) {
      const s = (1 + t) * oversubscription(profile, d);
      expect(demandOf(s, 16, t, 1.4)).toBeCloseTo(d, 9);
    }
  });
});

describe('hostDemandOf: y(K) = hostCoresReserved + K x hostWorkPerVm', () => {
  it('recovers both from two or more VM counts', () => {
    const points = [1, 2, 4, 8].map((k) => ({ vms: k, extra: 2 + 0.3 * k }));
    const fit = hostDemandOf(points, 1);
    expect(fit.separated).toBe(true);
    expect(fit.reserved).toBe(2);
    expect(fit.hostWork).toBeCloseTo(0.3, 12);
    expect(fit.rawReserved).toBeCloseTo(2, 12);
  });

  it('rounds the intercept to whole cores and refits the slope through it', () => {
    const points = [2, 4].map((k) => ({ vms: k, extra: 1.4 + 0.5 * k }));
    const fit = hostDemandOf(points, 0);
    expect(fit.reserved).toBe(1);
    // through (0, 1): h = sum K (y - 1) / sum K^2 = (2 x 1.4 + 4 x 2.4) / 20
    expect(fit.hostWork).toBeCloseTo((2 * 1.4 + 4 * 2.4) / 20, 12);
  });

  it('with one VM count keeps the base reserved cores and gives hostWorkPerVm the rest', () => {
    const fit = hostDemandOf([{ vms: 2, extra: 2.5 }], 1);
    expect(fit.separated).toBe(false);
    expect(fit.reserved).toBe(1);
    expect(fit.hostWork).toBeCloseTo(0.75, 12);
  });

  it('refuses no points', () => {
    expect(() => hostDemandOf([], 1)).toThrow(/no oversubscribed guest run/);
  });
});
