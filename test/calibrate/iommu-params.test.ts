/**
 * `ibvf calibrate` fits virtualization.iommuReach and iommuMissCost from verbs `--region`
 * ping-pongs on a VF path (src/calibrate/iommu-params.ts). The probe files are synthetic:
 * their region runs are the latency rule 3 of the model gives (iommuExtraUs) on a truth
 * whose IOMMU values differ from the base's, with seeded noise, so the answer is known.
 * They are not measurements (nor the verbs test double's output, which calibrate refuses).
 */
import { describe, expect, it } from 'vitest';
import { calibrateProfile } from '../../src/calibrate/calibrate.js';
import type { Profile } from '../../src/profiles/types.js';
import { probeInput } from './synthetic-probe.js';
import { base, regionFile, truth } from './synthetic-region.js';

const DMAS = base.virtualization.dmasPerMessage.value;
const settings = { name: 'iommu', base, draws: 200 };
const param = (p: Profile, name: 'iommuReach' | 'iommuMissCost') => p.virtualization[name];

describe('calibrate fits the IOMMU parameters from verbs --region runs on a VF path', () => {
  it('recovers reach and miss cost (A over the base dmasPerMessage), with bootstrap intervals and joint draws', () => {
    const { profile, report } = calibrateProfile(
      [probeInput('vf-region.json', 'vf', regionFile('vf', 1, 1))],
      settings,
    );
    const reach = param(profile, 'iommuReach');
    const cost = param(profile, 'iommuMissCost');
    expect(Math.abs(reach.value / 2 ** 21 - 1)).toBeLessThan(0.15);
    expect(Math.abs(cost.value / 0.4 - 1)).toBeLessThan(0.1);
    expect(reach.interval![0]).toBeLessThan(reach.interval![1]);
    expect(reach.source.kind).toBe('fit');
    expect(reach.source.ref).toMatch(
      /^fitIommu on vf-region\.json \(vf, poll, 8 B\): latency\(F\) = base \+ A max/,
    );
    expect(cost.source.ref).toMatch(
      /A \/ dmasPerMessage; .* dmasPerMessage 3 kept from base profile cx3-fdr-kvm-2013/,
    );
    expect(profile.virtualization.dmasPerMessage.source.ref).toMatch(/^from base profile/);
    expect(profile.virtualization.registeredPerPeer.source.ref).toMatch(/^from base profile/);
    const group = profile.fits?.find((g) => g.params.includes('virtualization.iommuReach'));
    expect(group?.params).toEqual(['virtualization.iommuReach', 'virtualization.iommuMissCost']);
    expect(group?.draws).toHaveLength(200);
    expect(report.params.filter((p) => p.fitted).map((p) => p.field)).toEqual(
      expect.arrayContaining(['virtualization.iommuReach', 'virtualization.iommuMissCost']),
    );
    expect(DMAS).toBe(3);
  });

  it('counts both sides on the node for a loopback: the reach is in bytes of the node, not of one region', () => {
    const { profile } = calibrateProfile(
      [probeInput('loop.json', 'vf-loopback', regionFile('vf', 2, 2))],
      settings,
    );
    expect(Math.abs(param(profile, 'iommuReach').value / 2 ** 21 - 1)).toBeLessThan(0.15);
  });

  it('no rise: keeps the cost, raises the reach to the largest footprint measured, and warns', () => {
    const off: Profile = structuredClone(truth);
    off.virtualization.iommuMissCost.value = 0;
    const { profile, report } = calibrateProfile(
      [probeInput('flat.json', 'vf', regionFile('vf', 1, 3, off))],
      settings,
    );
    expect(param(profile, 'iommuMissCost').value).toBe(base.virtualization.iommuMissCost.value);
    expect(param(profile, 'iommuMissCost').source.ref).toMatch(/^from base profile/);
    expect(param(profile, 'iommuReach').value).toBe(2 ** 25);
    expect(param(profile, 'iommuReach').source.ref).toMatch(/no rise .* a lower bound/);
    expect(
      report.warnings.some((w) =>
        /^virtualization\.iommuMissCost: the --region runs show no rise up to 33554432 B/.test(w),
      ),
    ).toBe(true);
  });

  it('region runs on a PF path are not fitted, and say why', () => {
    const { profile, report } = calibrateProfile(
      [probeInput('pf.json', 'native', regionFile('pf', 1, 4))],
      settings,
    );
    expect(param(profile, 'iommuReach').source.ref).toMatch(/^from base profile/);
    expect(
      report.warnings.some((w) =>
        /the --region runs of path native are not fitted: rule 3 prices messages through a VF only/.test(w),
      ),
    ).toBe(true);
  });

  it('too few region sizes keep the base with a warning naming the parameters', () => {
    const few = regionFile('vf', 1, 5);
    few.region_latency = few.region_latency!.slice(0, 3);
    const { profile, report } = calibrateProfile([probeInput('few.json', 'vf', few)], settings);
    expect(param(profile, 'iommuReach').source.ref).toMatch(/^from base profile/);
    expect(
      report.warnings.some((w) =>
        /^virtualization\.iommu: 3 region size\(s\).* kept from the base profile/.test(w),
      ),
    ).toBe(true);
  });
});
