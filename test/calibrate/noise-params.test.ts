/**
 * The host-CPU parameters from noise runs, end to end through the pure pipeline, on
 * synthetic files whose stretches come from the model's own rule 1
 * (src/model/virtualization.ts) with known parameters: the fit must give them back. The
 * guest runs are synthetic only (no VM here).
 */
import { describe, expect, it } from 'vitest';
import { calibrateProfile } from '../../src/calibrate/calibrate.js';
import type { NoiseInput } from '../../src/calibrate/input.js';
import { fitNoiseParams } from '../../src/calibrate/noise-params.js';
import { oversubscription } from '../../src/model/virtualization.js';
import { builtinProfile } from '../../src/profiles/builtin.js';
import { validateProfile } from '../../src/profiles/validate.js';
import { inputErrorOf } from '../input-error.js';
import { syntheticNoise, type SyntheticNoise } from './synthetic-noise.js';

const base = builtinProfile('cx3-fdr-kvm-2013')!;
const C = base.node.sockets.value * base.node.coresPerSocket.value; // 16
const truth = { p: 1.2, t: 0.01, reserved: 2, hostWork: 0.25 };
const model = structuredClone(base);
model.virtualization.subscriptionPenalty.value = truth.p;

/** Rule 1 in a guest: K VMs of W busy vCPUs each. */
const guestStretch = (k: number, w: number) =>
  (1 + truth.t) * oversubscription(model, k * w + truth.reserved + k * truth.hostWork);

let seed = 1;
const noise = (file: string, o: SyntheticNoise): NoiseInput => ({
  kind: 'noise',
  file,
  result: syntheticNoise({ seed: seed++, ...o }),
});
const settings = { draws: 400, seed: 3 };

const host = noise('host.json', { workers: C, stretch: 1, cpus: C, loops: 90_000 });
const over = noise('over.json', {
  workers: 2 * C,
  stretch: oversubscription(model, 2 * C),
  cpus: C,
  loops: 110_000,
});
const guest = (k: number, w: number, vm = 0) =>
  noise(`k${k}-vm${vm}.json`, {
    workers: w,
    vms: k,
    hostCores: C,
    stretch: guestStretch(k, w),
    loops: 95_000 + vm,
  });
const campaign = [
  host,
  over,
  guest(1, 4),
  guest(2, 8, 0),
  guest(2, 8, 1),
  ...[0, 1, 2, 3].map((vm) => guest(4, 4, vm)),
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((vm) => guest(8, 2, vm)),
];

const byField = (fit: ReturnType<typeof fitNoiseParams>) =>
  Object.fromEntries(fit.params.map((p) => [p.field.split('.')[1], p.param]));

describe('fitNoiseParams: the campaign (host, oversubscribed host, guests at K = 1, 2, 4, 8)', () => {
  const fit = fitNoiseParams(campaign, base, settings);
  const got = byField(fit);

  it('gives back the four parameters rule 1 made the stretches from', () => {
    expect(got.subscriptionPenalty.value).toBeCloseTo(truth.p, 3);
    expect(got.tickOverhead.value).toBeCloseTo(truth.t, 4);
    expect(got.hostCoresReserved.value).toBe(truth.reserved);
    expect(got.hostWorkPerVm.value).toBeCloseTo(truth.hostWork, 3);
  });

  it('gives each a 95% interval from the bootstrap that holds the true value', () => {
    const within = (name: string, x: number) => {
      const iv = got[name].interval!;
      expect(iv[0]).toBeLessThanOrEqual(x);
      expect(iv[1]).toBeGreaterThanOrEqual(x);
    };
    within('subscriptionPenalty', truth.p);
    within('tickOverhead', truth.t);
    within('hostCoresReserved', truth.reserved);
    within('hostWorkPerVm', truth.hostWork);
    expect(got.hostCoresReserved.interval!.every(Number.isInteger)).toBe(true);
  });

  it('names the files, the fitter and the reference in each source, and warns of nothing', () => {
    expect(got.subscriptionPenalty.source.kind).toBe('fit');
    expect(got.subscriptionPenalty.source.ref).toMatch(
      /fitSubscriptionPenalty on over\.json.*reference: the mean quantum.*host\.json/,
    );
    expect(got.tickOverhead.source.ref).toMatch(/fitTickOverhead on k1-vm0\.json/);
    expect(got.hostWorkPerVm.source.ref).toMatch(/K = 2, 4, 8/);
    expect(fit.warnings).toEqual([]);
  });

  it('keeps the four draws together as one fits group that the profile validator accepts', () => {
    const out = calibrateProfile([], { name: 'node', base, noise: campaign, ...settings });
    expect(
      out.profile.fits?.some(
        (g) => g.params.length === 4 && g.params.includes('virtualization.tickOverhead'),
      ),
    ).toBe(true);
    expect(() => validateProfile(out.profile, 'the calibrated profile')).not.toThrow();
    expect(out.report.params.filter((p) => p.fitted).map((p) => p.field)).toEqual([
      'virtualization.hostCoresReserved',
      'virtualization.subscriptionPenalty',
      'virtualization.hostWorkPerVm',
      'virtualization.tickOverhead',
    ]);
    expect(out.report.inputs[0]).toMatchObject({ file: 'host.json', path: '-', kind: 'noise' });
  });
});

describe('fitNoiseParams: what the runs cannot measure', () => {
  it('one VM count: hostCoresReserved kept from base (said), hostWorkPerVm = (y - reserved) / K', () => {
    const fit = fitNoiseParams([host, over, guest(1, 4), guest(2, 8, 0), guest(2, 8, 1)], base, settings);
    const got = byField(fit);
    expect(got.hostCoresReserved).toBeUndefined();
    // y = D - K W = reserved + K hostWork = 2.5; the base keeps 1 reserved core
    const r = base.virtualization.hostCoresReserved.value;
    expect(got.hostWorkPerVm.value).toBeCloseTo((truth.reserved + 2 * truth.hostWork - r) / 2, 3);
    expect(got.hostWorkPerVm.source.ref).toMatch(/one VM count.*hostCoresReserved stays 1 from base/);
    expect(fit.warnings.join('\n')).toMatch(/virtualization\.hostCoresReserved: .*cannot separate/);
  });

  it("compares the guest with the host run at the guest's worker count (the same busy cores, the same clock)", () => {
    // fewer busy cores, a higher turbo clock: the host at 4 workers runs 3% faster than at 16
    const host4 = noise('host4.json', { workers: 4, stretch: 0.97, cpus: C });
    const guest4 = noise('guest4.json', { workers: 4, vms: 1, hostCores: C, stretch: 0.97 * (1 + truth.t) });
    const got = byField(fitNoiseParams([host, host4, guest4], base, settings));
    expect(got.tickOverhead.value).toBeCloseTo(truth.t, 4);
    expect(got.tickOverhead.source.ref).toMatch(/against the host at 4 workers \(host4\.json\)/);
  });

  it('clamps a guest faster than its host to tickOverhead 0, naming it', () => {
    const fast = noise('fast.json', { workers: 4, vms: 1, hostCores: C, stretch: 0.98 });
    const fit = fitNoiseParams([host, fast], base, settings);
    expect(byField(fit).tickOverhead.value).toBe(0);
    expect(fit.warnings.join('\n')).toMatch(
      /virtualization\.tickOverhead: -0\.02 is outside \[0, 0\.99\].*set to 0/,
    );
  });

  it('keeps the base penalty when the oversubscribed run was no slower, naming it', () => {
    const flat = noise('flat.json', { workers: 2 * C, stretch: 0.97, cpus: C });
    const fit = fitNoiseParams([host, flat], base, settings);
    expect(byField(fit).subscriptionPenalty).toBeUndefined();
    expect(fit.warnings.join('\n')).toMatch(
      /virtualization\.subscriptionPenalty: .*no slower.*kept from the base/,
    );
  });

  it('clamps a host work per VM that falls as VMs are added to 0, naming it', () => {
    // y(2) = 3, y(4) = 1 cores beyond the busy vCPUs: the line's slope is -1
    const at = (k: number, w: number, extra: number) =>
      noise(`fall-k${k}.json`, {
        workers: w,
        vms: k,
        hostCores: C,
        stretch: (1 + truth.t) * oversubscription(base, k * w + extra),
      });
    const fit = fitNoiseParams([host, guest(1, 4), at(2, 8, 3), at(4, 4, 1)], base, settings);
    const got = byField(fit);
    expect(got.hostWorkPerVm.value).toBe(0);
    expect(got.hostCoresReserved.value).toBe(5);
    expect(got.hostWorkPerVm.source.ref).toMatch(/p from base profile cx3-fdr-kvm-2013 \(1\)/);
    expect(fit.warnings.join('\n')).toMatch(/virtualization\.hostWorkPerVm: -1 < 0 .*set to 0/);
  });

  it('a guest run that shows no oversubscription is left out, and said', () => {
    const calm = noise('calm.json', { workers: 8, vms: 2, hostCores: C, stretch: 1.005 });
    const fit = fitNoiseParams([host, guest(1, 4), calm], base, settings);
    expect(byField(fit).hostWorkPerVm).toBeUndefined();
    expect(fit.warnings.join('\n')).toMatch(/calm\.json .*showed no oversubscription.*left out/);
  });

  it('without a run at or under the cores, takes the shortest quantum and says what that costs', () => {
    const fit = fitNoiseParams([over], base, settings);
    expect(byField(fit).subscriptionPenalty.source.ref).toMatch(/shortest native quantum/);
    expect(fit.warnings.join('\n')).toMatch(/no native run with workers <= cores/);
  });

  it('a reference run alone fits nothing and says what to add', () => {
    const fit = fitNoiseParams([host], base, settings);
    expect(fit.params).toEqual([]);
    expect(fit.warnings).toEqual([
      'virtualization.subscriptionPenalty: the noise runs (host.json) have none with more workers than cores; kept from the base profile (add one: --workers 32)',
    ]);
  });

  it('guest runs without a host run fit nothing and say so', () => {
    const fit = fitNoiseParams([guest(1, 4)], base, settings);
    expect(fit.params).toEqual([]);
    expect(fit.warnings.join('\n')).toMatch(/need a run on the host/);
  });

  it('refuses runs of nodes with different cores', () => {
    const other = noise('other.json', { workers: 4, stretch: 1, cpus: 8 });
    const e = inputErrorOf(() => fitNoiseParams([host, other], base, settings));
    expect(e.message).toMatch(/different cores \(host\.json: 16, other\.json: 8\)/);
  });

  it('a VM run without --vms-per-node counts as native, with a warning', () => {
    const vmNode = noise('cloud.json', { workers: 2, stretch: 1, cpus: 2, isVm: true });
    const vmOver = noise('cloud-over.json', { workers: 4, stretch: 2, cpus: 2, isVm: true });
    const fit = fitNoiseParams([vmNode, vmOver], base, settings);
    expect(byField(fit).subscriptionPenalty.value).toBeCloseTo(1, 3);
    expect(fit.warnings[0]).toMatch(/cloud\.json: ran in a VM .* counted as a native node of 2 cores/);
  });
});
