import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrateProfile } from '../../src/calibrate/calibrate.js';
import { importBenchmarkFile } from '../../src/calibrate/import/index.js';
import type { ImportedInput } from '../../src/calibrate/input.js';
import { drawProfile, range95 } from '../../src/model/uncertainty/draw.js';
import { seededRng } from '../../src/model/uncertainty/rng.js';
import { builtinProfile } from '../../src/profiles/builtin.js';
import { validateProfile } from '../../src/profiles/validate.js';
import { fixtureDir } from '../fixtures.js';

const imported = (name: string): ImportedInput => {
  const file = path.join(fixtureDir('osu'), name);
  return { kind: 'imported', file, path: 'shm', progress: 'poll', runs: importBenchmarkFile(file) };
};

describe('a segmented latency fit keeps its joint draws (osu_latency on MPICH shm)', () => {
  const { profile } = calibrateProfile([imported('mpich-shm-np2-osu_latency.txt')], {
    name: 'host',
    base: builtinProfile('cx3-fdr-kvm-2013')!,
    draws: 400,
  });

  it('writes L and O of the shm path as one group from the same resamples', () => {
    expect(profile.fits).toHaveLength(1);
    const [group] = profile.fits!;
    expect(group.params).toEqual(['paths.shm.L', 'paths.shm.O']);
    expect(group.draws).toHaveLength(200);
    expect(group.source.ref).toMatch(
      /^fitSegmented on .*mpich-shm-np2-osu_latency\.txt .*L, O derived again/,
    );
    expect(validateProfile(JSON.parse(JSON.stringify(profile)), 'round trip').fits).toEqual(profile.fits);
  });

  it("the group's L column spreads about as the parameter's interval says, and draws take its rows", () => {
    const [group] = profile.fits!;
    const [lo, hi] = range95(group.draws.map((r) => r[0]));
    const [ilo, ihi] = profile.paths.shm.L.interval!;
    // The interval is the hull of the bootstrap and t intervals, so it is at least as wide.
    expect(lo).toBeGreaterThanOrEqual(ilo - 1e-3);
    expect(hi).toBeLessThanOrEqual(ihi + 1e-3);
    expect(hi - lo).toBeGreaterThan(0.25 * (ihi - ilo));
    const rng = seededRng(2);
    for (let i = 0; i < 10; i++) {
      const shm = drawProfile(profile, rng).paths.shm;
      expect(group.draws.some((r) => r[0] === shm.L.value && r[1] === shm.O.value)).toBe(true);
    }
  });
});
