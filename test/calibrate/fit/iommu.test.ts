/**
 * fitIommu on synthetic region runs with a known answer: the latency rule 3 of the model
 * (src/model/virtualization.ts, iommuExtraUs) gives a message in a VM whose node has
 * registered F bytes, with a base latency added, and seeded noise on every sample.
 */
import { describe, expect, it } from 'vitest';
import { fitIommu, MIN_FOOTPRINTS, type FootprintMeasurement } from '../../../src/calibrate/fit/iommu.js';
import { seededRng } from '../../../src/model/uncertainty/rng.js';
import { cx3FdrKvm2013 } from '../../../src/profiles/cx3-fdr-kvm-2013.js';
import type { Profile } from '../../../src/profiles/types.js';
import { rule3Latency } from '../synthetic-region.js';
import { contains, noisySamples, seeds } from './synthetic.js';

const BASE_US = 1.6;
const TRUE_REACH = 768 * 1024;
const TRUE_COST = 0.24;
const truthProfile: Profile = structuredClone(cx3FdrKvm2013);
truthProfile.virtualization.iommuReach.value = TRUE_REACH;
truthProfile.virtualization.iommuMissCost.value = TRUE_COST;
const DMAS = truthProfile.virtualization.dmasPerMessage.value;
/** The model's latency of a message when the node has registered `footprint` bytes. */
const truth = (footprint: number, profile = truthProfile): number =>
  rule3Latency(footprint, profile, BASE_US);

const FOOTPRINTS = Array.from({ length: 13 }, (_, k) => 2 ** (16 + k)); // 64 KiB .. 256 MiB

function runs(t: (f: number) => number, noise: number, seed: number, count = 200): FootprintMeasurement[] {
  const rng = seededRng(seed);
  return FOOTPRINTS.map((footprint) => ({
    footprint,
    us: t(footprint),
    samples_us: noisySamples(t(footprint), count, noise, rng),
  }));
}

describe('fitIommu: latency against registered footprint, rule 3', () => {
  it('the synthetic truth is rule 3: flat to the reach, then dmas x (1 - reach/F) x cost above base', () => {
    expect(truth(TRUE_REACH / 2)).toBe(BASE_US);
    expect(truth(4 * TRUE_REACH)).toBeCloseTo(BASE_US + DMAS * 0.75 * TRUE_COST, 12);
  });

  it('is exact on noiseless data', () => {
    const fit = fitIommu(runs(truth, 0, 1, 3), { draws: 0 });
    expect(fit.reach / TRUE_REACH).toBeCloseTo(1, 4);
    expect(fit.product).toBeCloseTo(DMAS * TRUE_COST, 6);
    expect(fit.base).toBeCloseTo(BASE_US, 6);
    expect(fit.noRise).toBe(false);
    expect(fit.interval.reach).toBeNull();
    expect(Math.max(...fit.residuals.map(Math.abs))).toBeLessThan(1e-6);
  });

  it('recovers reach and dmas x cost at 2% noise per sample, its intervals covering them, over seeds', () => {
    let covered = 0;
    for (const seed of seeds(8)) {
      const fit = fitIommu(runs(truth, 0.02, seed), { seed, draws: 200 });
      expect(fit.noRise).toBe(false);
      expect(Math.abs(fit.reach / TRUE_REACH - 1)).toBeLessThan(0.15);
      expect(Math.abs(fit.product / (DMAS * TRUE_COST) - 1)).toBeLessThan(0.1);
      expect(fit.intervals.method).toBe('bootstrap');
      expect(fit.draws).toHaveLength(200);
      if (contains(fit.interval.reach!, TRUE_REACH) && contains(fit.interval.product!, DMAS * TRUE_COST))
        covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(6);
  });

  it('pools repeated runs of one region', () => {
    const twice = [...runs(truth, 0.02, 1), ...runs(truth, 0.02, 2)];
    const fit = fitIommu(twice, { draws: 100 });
    expect(fit.footprints).toEqual(FOOTPRINTS);
    expect(Math.abs(fit.reach / TRUE_REACH - 1)).toBeLessThan(0.15);
  });

  it('says no rise when the latency is flat (no IOMMU, or pass-through)', () => {
    const flat = fitIommu(
      runs(() => BASE_US, 0.02, 3),
      { draws: 200 },
    );
    expect(flat.noRise).toBe(true);
    // the IOMMU on, but every region within the reach: no miss seen either
    const within = structuredClone(truthProfile);
    within.virtualization.iommuReach.value = 2 ** 30;
    expect(
      fitIommu(
        runs((f) => truth(f, within), 0.02, 4),
        { draws: 200 },
      ).noRise,
    ).toBe(true);
  });

  it('warns when even the smallest region misses', () => {
    const small = structuredClone(truthProfile);
    small.virtualization.iommuReach.value = 16 * 1024;
    const fit = fitIommu(
      runs((f) => truth(f, small), 0, 1, 3),
      { draws: 0 },
    );
    expect(fit.warnings[0]).toMatch(/the smallest region .* already misses/);
  });

  it(`refuses fewer than ${MIN_FOOTPRINTS} region sizes and a footprint that is not positive`, () => {
    expect(() => fitIommu(runs(truth, 0, 1, 3).slice(0, 3))).toThrow(/3 region size\(s\); .* need 4 or more/);
    expect(() => fitIommu([{ footprint: 0, us: 1 }])).toThrow(/footprint is 0 bytes/);
  });
});
