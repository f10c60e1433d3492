import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cx3FdrKvm2013 } from '../../src/profiles/cx3-fdr-kvm-2013.js';
import { fixtureDir, REPO_ROOT } from '../fixtures.js';
import { runIbvf } from './run.js';

/** Issue 12: each reproduction is a one-line error with exit 2, never NaN, Infinity or a stack. */
describe('ibvf refuses in one line what it cannot answer', () => {
  it('a collective on one rank is refused (was NaN-NaN, and NaNx in whatif)', async () => {
    for (const args of [
      ['predict', '--op', 'bcast', '--procs', '1', '--nodes', '1'],
      ['whatif', '--op', 'bcast', '--procs', '1', '--nodes', '1'],
    ]) {
      const { code, out, err } = await runIbvf(...args);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toBe(
        "ibvf: --procs 1: a collective needs at least 2 ranks (OSU's collective benchmarks refuse fewer too)\n",
      );
    }
  });

  it('a repeated item in a comma list is refused, naming the option and the value', async () => {
    const placements = await runIbvf('whatif', '--placements', 'native,native');
    expect(placements.code).toBe(2);
    expect(placements.err).toBe("ibvf: --placements: 'native' is repeated in 'native,native'\n");
    const shm = await runIbvf('whatif', '--shm', 'on,off,on');
    expect(shm.code).toBe(2);
    expect(shm.err).toBe("ibvf: --shm: 'on' is repeated in 'on,off,on'\n");
    const ops = await runIbvf('whatif', '--op', 'bcast, bcast');
    expect(ops.err).toBe("ibvf: --op: 'bcast' is repeated in 'bcast, bcast'\n");
  });

  it('profile show refuses --json with --csv, as the other commands do', async () => {
    const { code, out, err } = await runIbvf('profile', 'show', 'cx3-fdr-kvm-2013', '--json', '--csv');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe('ibvf: choose one of --json and --csv\n');
  });
});

describe('whatif with blocking progress', () => {
  it('prints native once when blocking turns shm off and native on and off become one case', async () => {
    const { code, out } = await runIbvf(
      ...['whatif', '--op', 'allreduce', '--progress', 'blocking', '--sensitivity'],
      ...['--engine', 'analytic', '--json'],
    );
    expect(code).toBe(0);
    const rows = JSON.parse(out).rows as { placement: string; shm: boolean }[];
    expect(rows.map((r) => `${r.placement} ${r.shm ? 'on' : 'off'}`)).toEqual([
      'native off',
      'vm-per-core off',
      'vm-per-socket off',
      'vm-per-node off',
    ]);
  });
});

describe('a profile that divides by zero', () => {
  it('is refused when loaded, naming file and field (predict printed Infinity)', async () => {
    const p = JSON.parse(JSON.stringify(cx3FdrKvm2013));
    for (const f of ['pcieBandwidth', 'linkBandwidth'])
      p.hca[f] = { ...p.hca[f], value: 0, interval: undefined };
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ibvf-hardening-')), 'zero.json');
    writeFileSync(file, JSON.stringify(p));
    const { code, out, err } = await runIbvf(
      'predict',
      '--op',
      'alltoall',
      '--profile',
      file,
      '--sizes',
      '8K:8K',
    );
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(
      `ibvf: ${file}: field hca.linkBandwidth.value: expected a number > 0 (the link bandwidth divides each byte), found 0\n`,
    );
  });
});

describe('a simulation too large for memory', () => {
  it('is refused before it starts, with the estimate and --max-memory', async () => {
    const args = ['predict', '--op', 'alltoall', '--nodes', '4', '--procs', '32', '--sizes', '8K:8K'];
    const { code, out, err } = await runIbvf(...args, '--max-memory', '100K');
    expect(code).toBe(2);
    expect(out).toBe('');
    // counting stops just past the limit (a schedule of 5 x 10^8 operations took a minute to count)
    expect(err).toMatch(
      /^ibvf: simulating alltoall \(\w+\) of 8192 bytes on 32 ranks needs more than the limit of 100 KB \(its schedule passed 1345 operations of about 64 bytes, where counting stopped\): raise it with --max-memory, or use --engine analytic\n$/,
    );
    expect((await runIbvf(...args, '--max-memory', '1M')).code).toBe(0);
    const whatif = await runIbvf('whatif', '--op', 'alltoall', '--max-memory', '100K', '--json');
    expect(whatif.code).toBe(2);
    expect(whatif.err).toMatch(/raise it with --max-memory/);
  });

  it('a layout of 10^8 ranks is refused before it is built (took 3.1 GB and 30 s)', async () => {
    const { code, out, err } = await runIbvf(
      ...['predict', '--op', 'bcast', '--nodes', '100000000', '--procs', '100000000', '--sizes', '8:8'],
    );
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(
      'ibvf: 100000000 ranks need about 47.7 GB (about 512 bytes per rank for the layout, the network and the engine), more than the limit of 2.0 GB: raise it with --max-memory\n',
    );
  });
});

describe('inputs that are not regular files: refused at once in one line (calibrate, --profile, import)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-special-'));
  const fifo = path.join(dir, 'fifo');
  const rowsFifo = path.join(dir, 'rows.csv');
  execFileSync('mkfifo', [fifo]);
  execFileSync('mkfifo', [rowsFifo]);
  const out = ['--name', 'x', '--out', path.join(dir, 'x.json')];
  const lat = path.join(fixtureDir('osu'), 'mpich-shm-np2-osu_latency.txt');

  it.each([
    // each grew without limit (/dev/zero) or blocked forever (a FIFO)
    [['calibrate', '/dev/zero', '--path', 'shm', ...out], '/dev/zero: cannot read the file: it is a device'],
    [['calibrate', fifo, '--path', 'shm', ...out], `${fifo}: cannot read the file: it is a FIFO`],
    [['predict', '--profile', '/dev/zero'], '/dev/zero: cannot read the profile file: it is a device'],
    [['predict', '--profile', fifo], `${fifo}: cannot read the profile file: it is a FIFO`],
    [['import', '/dev/zero'], '/dev/zero: cannot read the file: it is a device'],
    [
      [
        'calibrate',
        '--base',
        'none',
        rowsFifo,
        path.join(REPO_ROOT, 'calibration', 'cx3-fdr-kvm-2013', 'constants.json'),
        ...out,
      ],
      `${rowsFifo}: cannot read the file: it is a FIFO`,
    ],
  ])('%j', async (args, message) => {
    const { code, out, err } = await runIbvf(...args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.split('\n')).toHaveLength(2);
    expect(err).toContain(message);
  });

  it('a sidecar that is a directory (was an uncaught EISDIR with a stack trace)', async () => {
    const input = path.join(dir, 'in');
    mkdirSync(input);
    copyFileSync(lat, path.join(input, 'lat.txt'));
    mkdirSync(path.join(input, 'lat.txt.ibvf.json'));
    const { code, err } = await runIbvf('calibrate', input, ...out);
    expect(code).toBe(2);
    expect(err).toBe(
      `ibvf: ${path.join(input, 'lat.txt.ibvf.json')}: cannot read the sidecar: it is a directory, not a regular file\n`,
    );
  });
});
