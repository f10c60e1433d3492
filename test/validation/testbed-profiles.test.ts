import { describe, expect, it } from 'vitest';
import { cx3FdrKvm2013 } from '../../src/profiles/cx3-fdr-kvm-2013.js';
import { validateProfile } from '../../src/profiles/validate.js';
import { TESTBED_SPECS, testbedProfileNamed } from '../../src/validation/testbed-profiles.js';
import { readValidationRows } from '../../src/validation/load.js';

describe('testbed profiles of the validation set', () => {
  it('has a valid profile for every testbed the rows name', () => {
    for (const testbed of new Set(readValidationRows().map((r) => r.testbed))) {
      const profile = testbedProfileNamed(testbed);
      expect(profile, testbed).toBeDefined();
      expect(() => validateProfile(profile, testbed)).not.toThrow();
    }
  });

  it('changes only what a source states, and marks the seed values it keeps as carried over', () => {
    const hpchub = testbedProfileNamed('hpchub-cx3-fdr-kvm-2017')!;
    expect(hpchub.node.coresPerSocket).toMatchObject({ value: 10, source: { kind: 'citation' } });
    expect(hpchub.node.coresPerSocket.source.ref).toMatch(/hpchub-habr17/);
    expect(hpchub.paths.vf.L.value).toBe(cx3FdrKvm2013.paths.vf.L.value);
    expect(hpchub.paths.vf.L.source).toMatchObject({ kind: 'assumption' });
    expect(hpchub.paths.vf.L.source.ref).toMatch(/^carried over from cx3-fdr-kvm-2013 \(fit: /);
  });

  it("gives a faster link the seed's share of its data rate, on every InfiniBand path and nowhere else", () => {
    const hbv2 = testbedProfileNamed('azure-hbv2')!;
    const seedShare = 6283.36 / 6818;
    expect(hbv2.hca.linkBandwidth.value).toBe(25000);
    for (const name of ['native', 'vf', 'native-loopback', 'vf-loopback'])
      expect(1 / hbv2.paths[name].G.value).toBeCloseTo(25000 * seedShare, 6);
    expect(hbv2.paths.shm.G.value).toBe(cx3FdrKvm2013.paths.shm.G.value);
  });

  it('names each testbed once', () => {
    const names = TESTBED_SPECS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
