import { readFileSync } from 'node:fs';
import path from 'node:path';
import { quantile } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { calibrateProfile } from '../../src/calibrate/calibrate.js';
import { validateProbeResult } from '../../src/probe/validate.js';
import { builtinProfile } from '../../src/profiles/builtin.js';
import { profileFits, type ReportData } from '../../src/report/report-data.js';
import { reportHtml } from '../../src/report/report-html.js';
import { fixtureDir } from '../fixtures.js';

const builtin = builtinProfile('cx3-fdr-kvm-2013')!;
const file = path.join(fixtureDir('probe'), 'shm-loggp-poll.json');
// The shm probe fixture's PRTT runs fitted through LogGP: a profile with a joint-draws group.
const { profile } = calibrateProfile(
  [
    {
      kind: 'probe',
      file,
      path: 'shm',
      result: validateProbeResult(JSON.parse(readFileSync(file, 'utf8')), file),
    },
  ],
  { name: 'build-vm-shm', base: builtin, draws: 100 },
);

const page = (data: Partial<ReportData>) =>
  reportHtml(
    { profile: 'p', parameters: [], grid: [], assumptions: [], setting: '', assumptionSetting: '', ...data },
    { whatif: {} as never, assumptions: {} as never },
    { vega: '', vegaLite: '', vegaEmbed: '' },
  );

describe("the report's fit section for a profile other than the built-in one", () => {
  it("lists the fitted parameters with what they were fitted to, and summarises each group's joint draws", () => {
    const fits = profileFits(profile);
    const names = fits.fitted.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['paths.shm.o_s', 'paths.shm.g', 'paths.shm.G']));
    // The shm path's from the probe file; the base's fitted ones say they come from the base.
    for (const f of fits.fitted)
      expect(f.ref).toMatch(
        f.name.startsWith('paths.shm.') ? /shm-loggp-poll\.json/ : /^from base profile cx3-fdr-kvm-2013: /,
      );
    expect(fits.groups).toHaveLength(1);
    const [group] = fits.groups;
    const kept = profile.fits![0];
    expect(group.draws).toBe(kept.draws.length);
    const g = kept.params.indexOf('paths.shm.g');
    const summary = group.params.find((p) => p.name === 'paths.shm.g')!;
    expect(summary.value).toBe(profile.paths.shm.g.value);
    expect(summary.lo).toBe(
      quantile(
        kept.draws.map((row) => row[g]),
        0.025,
      ),
    );
    expect(summary.hi).toBe(
      quantile(
        kept.draws.map((row) => row[g]),
        0.975,
      ),
    );
    // A parameter that never varies (O = 0 in a LogGP fit) is left out of the correlations.
    expect(group.strongest).not.toBeNull();
    expect(Math.abs(group.strongest!.r)).toBeLessThanOrEqual(1);
    expect([group.strongest!.a, group.strongest!.b]).not.toContain('paths.shm.O');
  });

  it('says the profile carries no residuals, and where they are, instead of showing none as a perfect fit', () => {
    const html = page({ profileFits: profileFits(profile) });
    expect(html).toContain('Residuals: none in this profile');
    expect(html).toContain('<code>ibvf calibrate</code> prints the residuals');
    expect(html).toMatch(/<td>paths\.shm\.g<\/td><td>[\d.e-]+ us<\/td><td>[^<]*shm-loggp-poll\.json/);
    expect(html).toContain('strongest correlation');
    // A profile with nothing fitted says that too.
    const unfitted = page({ profileFits: { fitted: [], groups: [] } });
    expect(unfitted).toContain('No parameter of this profile is fitted.');
  });
});
