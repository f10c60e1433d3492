/**
 * `ibvf calibrate` from an `ibvf.probe-matrix/1` file: pairs grouped by path, outliers
 * left out with a warning naming them. The fixture is a real 4-rank shm matrix of the
 * build VM (test/fixtures/probe/README.md) in which two pairs were descheduled by other
 * jobs (latency near 1 ms instead of 0.5 us): the outlier rule flags them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrateProfile } from '../../src/calibrate/calibrate.js';
import { matrixInputs, pathOfPair } from '../../src/calibrate/matrix-inputs.js';
import type { MatrixRank, ProbeMatrix } from '../../src/probe/matrix-result.js';
import { validateProbeMatrix } from '../../src/probe/validate.js';
import { builtinProfile, DEFAULT_PROFILE } from '../../src/profiles/builtin.js';
import { runIbvf } from '../cli/run.js';
import { fixtureDir } from '../fixtures.js';

const FILE = path.join(fixtureDir('probe'), 'shm-matrix-4.json');
const QUICK = path.join(fixtureDir('probe'), 'shm-quick-poll.json');
const load = (): ProbeMatrix => validateProbeMatrix(JSON.parse(readFileSync(FILE, 'utf8')), FILE);

function rank(r: number, host: string, fn: MatrixRank['function'], isVm = false): MatrixRank {
  return {
    rank: r,
    host: { name: host, kernel: 'k', cpu: 'c', cpus: 2, is_vm: isVm, vm_evidence: '' },
    pid: 100 + r,
    function: fn,
    function_evidence: 'test',
    device: fn === 'none' ? null : 'mlx4_0',
    test_double: false,
  };
}

/** The fixture's pairs re-labelled onto other ranks and transports (paths only, not numbers). */
function relabel(transport: ProbeMatrix['transport'], ranks: MatrixRank[]): ProbeMatrix {
  const m = load();
  const pairs = m.pairs.map((p) => ({
    ...p,
    class: ranks[p.a].host.name === ranks[p.b].host.name ? ('same-host' as const) : ('cross-host' as const),
  }));
  return { ...m, transport, ranks, pairs, outliers: [] };
}

describe('calibrate from a --matrix file', () => {
  it('the fixture: the two descheduled pairs are the outliers, the rest is one shm input', () => {
    const m = load();
    expect(m.outliers.map((o) => `${o.a}-${o.b} ${o.metric}`)).toEqual(['0-1 latency', '0-3 latency']);
    const inputs = matrixInputs(m, FILE);
    expect(inputs).toHaveLength(1);
    expect(inputs[0].path).toBe('shm');
    expect(inputs[0].pairs.map((p) => `${p.a}-${p.b}`)).toEqual(['0-2', '1-2', '1-3', '2-3']);
    expect(inputs[0].notes.join('\n')).toMatch(
      /2 outlying pair\(s\) left out of the fit: ranks 0-1 .*ranks 0-3/,
    );
  });

  it('fits the shm path from the pairs that are left, and warns naming the ones left out', () => {
    const { profile, report } = calibrateProfile(matrixInputs(load(), FILE), {
      name: 'matrix',
      base: builtinProfile(DEFAULT_PROFILE)!,
      draws: 50,
    });
    const fitted = report.params.filter((p) => p.fitted).map((p) => p.field);
    expect(fitted).toEqual(expect.arrayContaining(['paths.shm.L', 'paths.shm.G', 'paths.shm.g']));
    expect(profile.paths.shm.L.source.ref).toContain(FILE);
    expect(report.warnings.join('\n')).toMatch(/outlying pair\(s\) left out of the fit: ranks 0-1/);
    // the kept pairs' 1-byte latency is about 0.45 us: t0 = o_s + L + o_r must be near it, not near 1 ms
    const t0 = profile.paths.shm.o_s.value + profile.paths.shm.L.value + profile.paths.shm.o_r.value;
    expect(t0).toBeGreaterThan(0.2);
    expect(t0).toBeLessThan(1);
    expect(report.inputs[0].what).toBe('ibvf probe --matrix shm: pairs 0-2, 1-2, 1-3, 2-3');
  });

  it('paths by transport, host and function', () => {
    const hosts = [rank(0, 'a', 'none'), rank(1, 'a', 'none'), rank(2, 'b', 'none'), rank(3, 'b', 'none')];
    const tcp = relabel('tcp', hosts);
    const inputs = matrixInputs(tcp, 'm.json');
    expect(inputs.map((i) => i.path)).toEqual(['ipoib-native']);
    // the cross-host pairs are kept; 0-1 and 2-3 (one host each) go through the kernel loopback
    expect(inputs[0].pairs.map((p) => `${p.a}-${p.b}`)).toEqual(['0-2', '0-3', '1-2', '1-3']);
    expect(inputs[0].notes.join('\n')).toMatch(/same-host tcp pairs 0-1, 2-3 left out/);
    expect(
      pathOfPair(
        relabel(
          'tcp',
          hosts.map((r) => ({ ...r, host: { ...r.host, is_vm: true } })),
        ),
        tcp.pairs[0],
      ),
    ).toBe('ipoib-vf');

    const vfs = relabel('verbs', [
      rank(0, 'a', 'vf'),
      rank(1, 'a', 'vf'),
      rank(2, 'b', 'vf'),
      rank(3, 'b', 'vf'),
    ]);
    const byPath = Object.fromEntries(
      matrixInputs(vfs, 'v.json').map((i) => [i.path, i.pairs.map((p) => `${p.a}-${p.b}`)]),
    );
    expect(byPath).toEqual({ 'vf-loopback': ['0-1', '2-3'], vf: ['0-2', '0-3', '1-2', '1-3'] });
    const pfs = relabel('verbs', [
      rank(0, 'a', 'pf'),
      rank(1, 'b', 'pf'),
      rank(2, 'c', 'pf'),
      rank(3, 'd', 'pf'),
    ]);
    expect(matrixInputs(pfs, 'p.json').map((i) => i.path)).toEqual(['native']);
  });

  it('refuses what it cannot tell or must not fit: mixed functions without --path, the test double', () => {
    const mixed = relabel('verbs', [
      rank(0, 'a', 'pf'),
      rank(1, 'b', 'vf'),
      rank(2, 'c', 'vf'),
      rank(3, 'd', 'vf'),
    ]);
    expect(() => matrixInputs(mixed, 'x.json')).toThrow(
      /x\.json: cannot tell which path pair 0-1 took \(verbs, functions pf and vf, cross-host\): add --path NAME/,
    );
    expect(matrixInputs(mixed, 'x.json', 'vf-to-vf').map((i) => i.path)).toEqual(['vf-to-vf', 'vf']);
    const double = relabel(
      'verbs',
      [0, 1, 2, 3].map((r) => ({ ...rank(r, 'a', 'vf'), test_double: true })),
    );
    expect(() => matrixInputs(double, 'd.json')).toThrow(/test double, not on hardware/);
  });

  it('the command: fits from the matrix, predicts a separate probe run held out, prints the warning', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-matrix-cal-'));
    const out = path.join(dir, 'm.json');
    const r = await runIbvf('calibrate', FILE, '--name', 'm', '--out', out, '--holdout', QUICK);
    expect(r.err).not.toMatch(/^ibvf: /m);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/ibvf calibrate: warning: .*outlying pair\(s\) left out of the fit: ranks 0-1/);
    expect(r.out).toMatch(/^# held out \(not fitted\)/m);
    // out of sample: another day's two-process run on the same host, predicted from the matrix's pairs
    const json = await runIbvf('calibrate', FILE, '--name', 'm', '--out', out, '--json', '--holdout', QUICK);
    const report = JSON.parse(json.out).report;
    expect(report.holdout.rows.length).toBeGreaterThan(0);
    console.log(
      `matrix fit (4 pairs) predicting shm-quick-poll.json: median |error| ${(100 * report.holdout.medianAbsRelError).toFixed(1)}% ` +
        `over ${report.holdout.rows.length} points, worst ${report.holdout.worst.label} ${report.holdout.worst.what} ${(100 * report.holdout.worst.relError).toFixed(0)}%`,
    );
    expect(Number.isFinite(report.holdout.medianAbsRelError)).toBe(true);
  });

  it('bad input: a sidecar naming a path for a matrix file, a pair naming a rank not listed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-matrix-bad-'));
    const copy = path.join(dir, 'm.json');
    writeFileSync(copy, readFileSync(FILE));
    writeFileSync(`${copy}.ibvf.json`, '{"path": "shm"}');
    const side = await runIbvf('calibrate', copy, '--name', 'm', '--out', path.join(dir, 'p.json'));
    expect(side.code).toBe(2);
    expect(side.err.trim()).toMatch(
      /m\.json: a --matrix file says the path of each pair; its sidecar may not name one$/,
    );
    const bad = path.join(dir, 'bad.json');
    const m = load();
    writeFileSync(bad, JSON.stringify({ ...m, pairs: [{ ...m.pairs[0], b: 9 }] }));
    const r = await runIbvf('calibrate', bad, '--name', 'm', '--out', path.join(dir, 'q.json'));
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/bad\.json: field pairs\.0: ranks 0-9 are not a pair a < b of the 4 ranks listed/);
  });
});
