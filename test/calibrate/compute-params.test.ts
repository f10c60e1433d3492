import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrateProfile } from '../../src/calibrate/calibrate.js';
import { fitComputeParams } from '../../src/calibrate/compute-params.js';
import { pathOfProbe } from '../../src/calibrate/probe-inputs.js';
import { validateProbeResult } from '../../src/probe/validate.js';
import type { ComputeInput } from '../../src/calibrate/input.js';
import type { ProbeComputeResult } from '../../src/probe/compute-result.js';
import { validateComputeResult } from '../../src/probe/compute-validate.js';
import { builtinProfile } from '../../src/profiles/builtin.js';
import { fixtureDir } from '../fixtures.js';

const FILE = path.join(fixtureDir('probe'), 'compute-build-vm.json');
const result = () => validateComputeResult(JSON.parse(readFileSync(FILE, 'utf8')), FILE);
const input = (r: ProbeComputeResult = result(), file = 'c.json'): ComputeInput => ({
  kind: 'compute',
  file,
  result: r,
});
const base = builtinProfile('cx3-fdr-kvm-2013')!;
const settings = { draws: 200, seed: 1 };

describe('fitComputeParams: the node costs of ibvf probe compute files', () => {
  it('fits both from the build VM run: fit sources naming the file and fitter, intervals around the values', () => {
    const fit = fitComputeParams([input()], { eagerThreshold: 12288 }, settings);
    expect(fit.params.map((p) => p.field)).toEqual(['mpi.copyPerByte', 'compute.reducePerByte']);
    for (const { param } of fit.params) {
      expect(param.unit).toBe('us/B');
      expect(param.value).toBeGreaterThan(0);
      expect(param.interval![0]).toBeLessThanOrEqual(param.value);
      expect(param.interval![1]).toBeGreaterThanOrEqual(param.value);
      expect(param.source.kind).toBe('fit');
      expect(param.source.ref).toContain('c.json');
      expect(param.source.ref).toContain('seeded bootstrap over the raw samples');
    }
    expect(fit.params[0].param.source.ref).toMatch(
      /^fitCopyPerByte on c\.json: .* 1024\.\.8192 B \(warm memcpy/,
    );
    expect(fit.params[1].param.source.ref).toMatch(
      /^fitReducePerByte on c\.json: .* 256\.\.524288 B .*half the L2 cache/,
    );
    // The file's own warnings, and that it is a guest's measurement, are passed on.
    expect(fit.warnings.some((w) => w.startsWith('c.json: load average'))).toBe(true);
    expect(fit.warnings.some((w) => /c\.json was measured in a VM/.test(w))).toBe(true);
  });

  it('keeps the base value with a warning naming the parameter when a run is missing or cannot pin it down', () => {
    const copyOnly = result();
    copyOnly.runs = copyOnly.runs.filter((r) => r.op === 'copy');
    const fit = fitComputeParams([input(copyOnly)], { eagerThreshold: 12288 }, settings);
    expect(fit.params.map((p) => p.field)).toEqual(['mpi.copyPerByte']);
    expect(fit.warnings).toContain(
      'compute.reducePerByte: the compute probe files have no warm reduce run (ibvf probe compute --op reduce --cache warm); kept from the base profile',
    );
    const small = result();
    for (const run of small.runs) run.sizes = run.sizes.filter((p) => p.bytes <= 1024);
    const few = fitComputeParams([input(small)], { eagerThreshold: 12288 }, settings);
    expect(few.params.map((p) => p.field)).toEqual(['compute.reducePerByte']);
    expect(few.warnings.join('\n')).toMatch(
      /mpi\.copyPerByte: 1 measured size\(s\) between 1024 and 12288 B .*; kept from the base profile/,
    );
  });
});

describe('calibrateProfile with a compute probe file', () => {
  it('puts the fitted values in the profile, counted as fitted in the report; the rest stays the base', () => {
    const { profile, report } = calibrateProfile([input()], { name: 'node', base, ...settings });
    expect(profile.mpi.copyPerByte.source.kind).toBe('fit');
    expect(profile.compute.reducePerByte.source.kind).toBe('fit');
    expect(profile.paths.shm.L.source.ref).toMatch(/^from base profile cx3-fdr-kvm-2013/);
    expect(report.params.filter((p) => p.fitted).map((p) => p.field)).toEqual([
      'mpi.copyPerByte',
      'compute.reducePerByte',
    ]);
    expect(report.inputs[0]).toMatchObject({ file: 'c.json', path: '(node)', kind: 'compute' });
  });

  it('fits a path and the node together: an shm probe file beside a compute file', () => {
    const shmFile = path.join(fixtureDir('probe'), 'shm-quick-poll.json');
    const shm = validateProbeResult(JSON.parse(readFileSync(shmFile, 'utf8')), shmFile);
    const { profile, report } = calibrateProfile(
      [{ kind: 'probe', file: 'shm.json', path: pathOfProbe(shm)!, result: shm }, input()],
      { name: 'node', base, ...settings },
    );
    expect(profile.paths.shm.L.source.kind).toBe('fit');
    expect(profile.mpi.copyPerByte.source.ref).toMatch(/^fitCopyPerByte on c\.json/);
    expect(report.inputs.map((i) => i.path)).toEqual(['shm', '(node)']);
  });

  it('uses a partial file with a warning naming what it misses, and refuses a test double and a held-out compute file', () => {
    const partial = result();
    partial.partial = true;
    partial.stopped = 'interrupted by SIGINT';
    partial.runs = partial.runs.slice(0, 3);
    partial.runs[2].sizes = partial.runs[2].sizes.slice(0, 12);
    const { report } = calibrateProfile([input(partial)], { name: 'node', base, ...settings });
    expect(report.warnings[0]).toBe(
      'c.json is partial (stopped: interrupted by SIGINT): used as it is, missing reduce warm at 262144, 524288, 1048576 B; reduce cold (all sizes)',
    );
    const double = { ...result(), test_double: true } as ProbeComputeResult;
    expect(() => calibrateProfile([input(double)], { name: 'node', base })).toThrow(
      /c\.json: marked as produced by a test double/,
    );
    expect(() =>
      calibrateProfile([input()], { name: 'node', base, holdout: [input(result(), 'h.json')], ...settings }),
    ).toThrow(/h\.json: a compute probe file cannot be held out/);
  });
});
