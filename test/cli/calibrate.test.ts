import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAddon } from '../../src/probe/native.js';
import { validateProfile } from '../../src/profiles/validate.js';
import { fixtureDir, REPO_ROOT } from '../fixtures.js';
import { runIbvf } from './run.js';

const OSU = fixtureDir('osu');
const PROBE = fixtureDir('probe');
const LAT = path.join(OSU, 'mpich-shm-np2-osu_latency.txt');
const BW = path.join(OSU, 'mpich-shm-np2-osu_bw.txt');
const BIN = path.join(REPO_ROOT, 'bin', 'ibvf.js');

const scratch = () => mkdtempSync(path.join(tmpdir(), 'ibvf-calibrate-'));
const node = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });

function addonBuilt(): boolean {
  try {
    loadAddon();
    return true;
  } catch (e) {
    console.warn(`skipping the end-to-end probe test: ${(e as Error).message}`);
    return false;
  }
}

/** An input error: exit 2, one line on stderr, matching `where`. */
function expectOneLine(r: { code: number; err: string; out: string }, where: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(where);
  expect(r.err).not.toMatch(/\n\s+at /);
}

describe('ibvf calibrate: acceptance', () => {
  it('writes a valid profile from osu_latency and osu_bw, and predict runs on it', () => {
    const dir = scratch();
    const r = node(dir, 'calibrate', LAT, BW, '--name', 'host', '--path', 'shm', '--out', 'host.json');
    expect(r.stderr).not.toMatch(/Error|\n\s+at /);
    expect(r.status).toBe(0);
    const profile = validateProfile(
      JSON.parse(readFileSync(path.join(dir, 'host.json'), 'utf8')),
      'host.json',
    );
    expect(profile.name).toBe('host');
    expect(profile.paths.shm.L.source).toMatchObject({ kind: 'fit' });
    expect(profile.paths.shm.G.source.ref).toContain('mpich-shm-np2-osu_bw.txt');
    expect(profile.paths.vf.L.source.ref).toMatch(/^from base profile cx3-fdr-kvm-2013: /);
    expect(r.stdout).toContain('# path shm');
    expect(r.stdout).toMatch(/# worst point: /);
    const p = node(dir, 'predict', '--profile', 'host.json', '--path', 'shm', '--op', 'mpi');
    expect(p.stderr).toBe('');
    expect(p.status).toBe(0);
    expect(p.stdout).toContain('profile host, path shm, op mpi');
    // The calibrated profile reproduces the fitted latency plateau (in sample, a sanity check).
    const first = /\n {2}1 +(\d+\.\d+) +/.exec(p.stdout);
    expect(Number(first![1])).toBeCloseTo(0.13, 2);
  });

  it('--holdout prints predicted vs measured with relative errors and the median', async () => {
    const dir = scratch();
    const r = await runIbvf(
      'calibrate',
      LAT,
      '--name',
      'host',
      '--path',
      'shm',
      '--out',
      path.join(dir, 'h.json'),
      '--holdout',
      BW,
    );
    expect(r.code).toBe(0);
    console.log(r.out.slice(r.out.indexOf('# held out')));
    expect(r.out).toContain('# held out (not fitted): predicted with the calibrated profile vs measured');
    expect(r.out).toMatch(/Predicted +Measured +Error \(%\)/);
    expect(r.out).toMatch(/# median \|error\| \d+\.\d%, worst -?\d+\.\d%/);
    const rows = r.out.split('\n').filter((l) => l.startsWith('  ') && l.includes('mpi bandwidth'));
    expect(rows).toHaveLength(23);
  });

  it('--json gives the report: parameters, fit quality and the held-out rows', async () => {
    const dir = scratch();
    const r = await runIbvf(
      'calibrate',
      LAT,
      '--name',
      'h',
      '--path',
      'shm',
      '--out',
      path.join(dir, 'h.json'),
      '--holdout',
      BW,
      '--json',
    );
    expect(r.code).toBe(0);
    const { report } = JSON.parse(r.out) as {
      report: { params: { field: string }[]; holdout: { rows: unknown[]; medianAbsRelError: number } };
    };
    expect(report.params.map((p) => p.field)).toContain('paths.shm.L');
    expect(report.holdout.rows).toHaveLength(23);
    expect(Number.isFinite(report.holdout.medianAbsRelError)).toBe(true);
  });

  it('reads a folder and the sidecars next to foreign files', async () => {
    const dir = scratch();
    const inputs = path.join(dir, 'in');
    mkdirSync(inputs);
    copyFileSync(LAT, path.join(inputs, 'lat.txt'));
    copyFileSync(BW, path.join(inputs, 'bw.txt'));
    for (const f of ['lat.txt', 'bw.txt'])
      writeFileSync(path.join(inputs, `${f}.ibvf.json`), '{"path": "shm", "progress": "poll"}');
    const r = await runIbvf(
      'calibrate',
      inputs,
      '--name',
      'h',
      '--sidecar',
      '--out',
      path.join(dir, 'h.json'),
    );
    expect(r.err).toMatch(/^(ibvf calibrate: warning: .*\n)*$/);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(dir, 'h.json'))).toBe(true);
    const clash = await runIbvf(
      'calibrate',
      path.join(inputs, 'lat.txt'),
      '--name',
      'h',
      '--path',
      'vf',
      '--out',
      path.join(dir, 'x.json'),
    );
    expectOneLine(clash, /lat\.txt: contradicting paths: the sidecar says shm, --path says vf/);
  });

  it('calibrates a committed probe loggp result (the path comes from the file)', async () => {
    const dir = scratch();
    const r = await runIbvf(
      'calibrate',
      path.join(PROBE, 'shm-loggp-poll.json'),
      '--name',
      'here',
      '--out',
      path.join(dir, 'here.json'),
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\n {2}L +[\d.e-]+ +us +\[[\d.e-]+, [\d.e-]+\] +FIT: fitLogGP/);
    expect(r.out).toContain('PRTT(n,d,s) fitted through LogGP (in sample)');
  });

  it('fits the TCP stack cost of an IPoIB path from a qperf sweep (the model has no L there)', async () => {
    const dir = scratch();
    const out = path.join(dir, 'q.json');
    const r = await runIbvf(
      'calibrate',
      path.join(fixtureDir('qperf'), 'tcp_sweep_vu.txt'),
      '--name',
      'q',
      '--path',
      'ipoib-native',
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    const profile = validateProfile(JSON.parse(readFileSync(out, 'utf8')), out);
    expect(profile.paths['ipoib-native'].o_s.source.ref).toContain(
      "o_s + o_r set so the model's 0-byte TCP latency",
    );
    expect(profile.paths['ipoib-native'].L.source.ref).toMatch(/^from base profile/);
  });

  it.skipIf(!addonBuilt())('end to end: ibvf probe run (shm, loggp) then calibrate', () => {
    const dir = scratch();
    const probe = node(
      dir,
      'probe',
      'run',
      '--transport',
      'shm',
      '--suite',
      'loggp',
      '--progress',
      'poll',
      '--sizes',
      '1:4K',
      '--iters',
      '50',
      '--out',
      's.json',
    );
    expect(probe.status).toBe(0);
    const r = node(dir, 'calibrate', 's.json', '--name', 'here');
    expect(r.status).toBe(0);
    const profile = validateProfile(
      JSON.parse(readFileSync(path.join(dir, 'here.json'), 'utf8')),
      'here.json',
    );
    expect(profile.paths.shm.g.source.ref).toContain('s.json');
  });
});

describe('ibvf calibrate: bad input is one line with file and line, exit 2', () => {
  const dir = scratch();
  const file = (name: string, text: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const head = '# OSU MPI Latency Test\n# Size            Latency (us)\n';
  const run = (...args: string[]) =>
    runIbvf('calibrate', ...args, '--name', 'x', '--path', 'shm', '--out', path.join(dir, 'x.json'));

  it('an empty file', async () => {
    expectOneLine(await run(file('empty.txt', '')), /empty\.txt: empty file: nothing to calibrate from/);
  });

  it('a file of another benchmark (a collective, or not a benchmark at all)', async () => {
    expectOneLine(
      await run(path.join(OSU, 'mpich-shm-np2-osu_bcast.txt')),
      /osu_bcast\.txt:2: osu osu_bcast: a collective/,
    );
    expectOneLine(await run(path.join(OSU, 'README.md')), /README\.md: not output of a tool ibvf imports/);
  });

  it('NaN or negative numbers', async () => {
    expectOneLine(
      await run(file('nan.txt', `${head}0  0.13\n1  nan\n`)),
      /nan\.txt:4: "nan" is not a number/,
    );
    expectOneLine(
      await run(file('neg.txt', `${head}0  0.13\n1  -0.5\n`)),
      /neg\.txt:4: "-0\.5" is not a number >= 0/,
    );
  });

  it('sizes out of order or repeated', async () => {
    expectOneLine(
      await run(file('order.txt', `${head}0  0.13\n1  0.14\n4  0.13\n2  0.14\n8  0.13\n`)),
      /order\.txt:6: message size 2 comes after 4/,
    );
    expectOneLine(
      await run(file('rep.txt', `${head}0  0.13\n1  0.14\n1  0.14\n`)),
      /rep\.txt:5: message size 1 appears twice/,
    );
  });

  it('too few points to fit', async () => {
    expectOneLine(
      await run(file('short.txt', `${head}0  0.13\n1  0.14\n`)),
      /cannot fit path shm from .*short\.txt: .*add the missing measurements/,
    );
  });

  it('two inputs that contradict each other about one path', async () => {
    const text = readFileSync(LAT, 'utf8').replace(/(\d+\.\d+)$/gm, (v) => (3 * Number(v)).toFixed(2));
    expectOneLine(
      await run(LAT, file('slow.txt', text)),
      /osu_latency\.txt:1: contradicts .*slow\.txt about path shm: its mpi latencies are 0\.33 times/,
    );
  });

  it('a run whose path cannot be told', async () => {
    const r = await runIbvf('calibrate', LAT, '--name', 'x', '--out', path.join(dir, 'y.json'));
    expectOneLine(
      r,
      /osu_latency\.txt: cannot tell which path this run measured: add --path NAME or a sidecar mpich-shm-np2-osu_latency\.txt\.ibvf\.json/,
    );
  });

  it('a probe result of the verbs test double is refused', async () => {
    const result = JSON.parse(readFileSync(path.join(PROBE, 'shm-loggp-poll.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const double = file(
      'double.json',
      JSON.stringify({
        ...result,
        transport: 'verbs',
        host: { ...(result.host as object), name: 'verbs test double' },
      }),
    );
    expectOneLine(await run(double), /double\.json: produced on the verbs test double, not on hardware/);
  });

  it('a partial probe result is used, with a warning naming what is missing', async () => {
    const result = JSON.parse(readFileSync(path.join(PROBE, 'shm-loggp-poll.json'), 'utf8')) as {
      prtt: { bytes: number }[];
    };
    const partial = file(
      'partial.json',
      JSON.stringify({
        ...result,
        partial: true,
        stopped: 'interrupted (SIGINT)',
        prtt: result.prtt.filter((r) => r.bytes <= 1024),
      }),
    );
    const r = await runIbvf('calibrate', partial, '--name', 'x', '--out', path.join(dir, 'p.json'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /warning: .*partial\.json: partial probe result \(stopped: interrupted \(SIGINT\)\); used as far as it goes, missing poll PRTT at 4096, 16384 B/,
    );
  });

  it('a held-out file that is also an input is a usage error', async () => {
    expectOneLine(await run(LAT, '--holdout', LAT), /--holdout .*osu_latency\.txt is also an input/);
  });
});

describe('ibvf calibrate --base none: the built-in profile from its committed inputs', () => {
  const CALIBRATION = path.join(REPO_ROOT, 'calibration', 'cx3-fdr-kvm-2013');
  const SHIPPED = path.join(REPO_ROOT, 'src', 'profiles', 'cx3-fdr-kvm-2013.json');

  it('writes the shipped profile byte for byte and prints each row with its leave-one-out error', async () => {
    const out = path.join(scratch(), 'p.json');
    const r = await runIbvf(
      'calibrate',
      CALIBRATION,
      '--base',
      'none',
      '--name',
      'cx3-fdr-kvm-2013',
      '--out',
      out,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(SHIPPED, 'utf8'));
    expect(r.out).toMatch(/LOO/);
    expect(r.out).toMatch(/send-2-native/);
    expect(r.out).toMatch(/worst leave-one-out error: \d+\.\d%/);
  });

  it('refuses other inputs and flags that do not apply, in one line', async () => {
    expectOneLine(
      await runIbvf('calibrate', LAT, '--name', 'x', '--base', 'none'),
      /osu_latency\.txt: not a paper-rows CSV or constants JSON/,
    );
    expectOneLine(
      await runIbvf('calibrate', CALIBRATION, '--name', 'x', '--base', 'none', '--path', 'shm'),
      /--base none fits a paper-rows CSV .*--path/,
    );
    const dir = scratch();
    const rows = path.join(dir, 'rows.csv');
    writeFileSync(rows, 'id,role\nx,fit\n');
    copyFileSync(path.join(CALIBRATION, 'constants.json'), path.join(dir, 'constants.json'));
    const bad = await runIbvf(
      'calibrate',
      dir,
      '--name',
      'x',
      '--base',
      'none',
      '--out',
      path.join(dir, 'p.json'),
    );
    expectOneLine(bad, /rows\.csv(:\d+)?: /);
  });
});
