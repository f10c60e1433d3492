import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cx3FdrKvm2013 } from '../../src/profiles/cx3-fdr-kvm-2013.js';
import { runIbvf } from './run.js';

const BIN = fileURLToPath(new URL('../../bin/ibvf.js', import.meta.url));

describe('ibvf predict (point-to-point)', () => {
  it('prints JSON whose 2 B row is within 5% of the paper (1.53 us over the VF)', async () => {
    const { code, out, err } = await runIbvf(
      'predict',
      '--profile',
      'cx3-fdr-kvm-2013',
      '--path',
      'vf',
      '--op',
      'send',
      '--sizes',
      '1:4M',
      '--json',
    );
    expect(code).toBe(0);
    expect(err).toBe('');
    const result = JSON.parse(out);
    expect(result).toMatchObject({ profile: 'cx3-fdr-kvm-2013', path: 'vf', op: 'send', progress: 'poll' });
    expect(result.rows.map((r: { bytes: number }) => r.bytes)).toEqual(
      Array.from({ length: 23 }, (_, i) => 2 ** i),
    );
    const two = result.rows.find((r: { bytes: number }) => r.bytes === 2);
    expect(Math.abs(two.latency_us - 1.53) / 1.53).toBeLessThan(0.05);
    for (const r of result.rows) {
      expect(r.latency_us).toBeGreaterThan(0);
      expect(r.bandwidth_MBps).toBeGreaterThan(0);
    }
    // Latency grows with size; bandwidth approaches but never exceeds 1/G.
    const lat = result.rows.map((r: { latency_us: number }) => r.latency_us);
    expect([...lat].sort((a, b) => a - b)).toEqual(lat);
    expect(result.rows.at(-1).bandwidth_MBps).toBeLessThanOrEqual(1 / cx3FdrKvm2013.paths.vf.G.value);
    expect(result.rows.at(-1).bandwidth_MBps).toBeGreaterThan(6000);
  });

  it('prints an OSU-like table by default and CSV with --csv', async () => {
    const table = await runIbvf('predict', '--sizes', '2:8');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/# Size\s+Latency \(us\)\s+Bandwidth \(MB\/s\)/);
    expect(table.out.trim().split('\n')).toHaveLength(5);
    const csv = await runIbvf('predict', '--path', 'native', '--op', 'mpi', '--sizes', '1:4', '--csv');
    expect(csv.out.split('\n')[0]).toBe('bytes,latency_us,bandwidth_MBps');
    expect(csv.out.trim().split('\n')).toHaveLength(4);
  });

  it('answers event and blocking modes where they exist', async () => {
    const poll = JSON.parse((await runIbvf('predict', '--path', 'vf', '--sizes', '1:1', '--json')).out);
    const event = JSON.parse(
      (await runIbvf('predict', '--path', 'vf', '--sizes', '1:1', '--progress', 'event', '--json')).out,
    );
    expect(event.rows[0].latency_us).toBeGreaterThan(10 * poll.rows[0].latency_us);
    const tcp = JSON.parse(
      (await runIbvf('predict', '--path', 'ipoib-vf', '--op', 'tcp', '--sizes', '1:1', '--json')).out,
    );
    expect(tcp.progress).toBe('event');
  });

  it.each([
    [['--sizes', '8:1'], /MIN 8 is larger than MAX 1/],
    [['--sizes', 'abc'], /'abc' is not a size/],
    [['--sizes', '-4:8'], /not a size/],
    [['--sizes', '1:2:3'], /not MIN:MAX/],
    [['--path', 'nowhere'], /no path 'nowhere'.*paths: native, vf/],
    [['--op', 'teleport'], /--op: 'teleport' is not one of send, write/],
    [['--op', 'write', '--progress', 'event'], /RDMA write gives the target no completion/],
    [['--op', 'mpi', '--progress', 'sometimes'], /--progress: 'sometimes' is not one of/],
    [['--path', 'shm', '--op', 'send'], /use --op mpi/],
    [['--path', 'vf', '--op', 'tcp'], /IPoIB path/],
    [['--profile', 'no-such-profile'], /no built-in profile or file named 'no-such-profile'/],
    [['--bogus'], /unknown option '--bogus'/],
    [['--path'], /argument missing/],
    [['--json', '--csv'], /choose one of --json and --csv/],
  ])('rejects %j with one line and exit 2', async (args, message) => {
    const { code, out, err } = await runIbvf('predict', ...args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('works as the installed command: `ibvf predict --sizes 8:1` exits 2 with one line', () => {
    const bad = spawnSync(process.execPath, [BIN, 'predict', '--sizes', '8:1'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const ok = execFileSync(
      process.execPath,
      [BIN, 'predict', '--path', 'vf', '--op', 'send', '--sizes', '2:2', '--json'],
      {
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(ok).rows[0].bytes).toBe(2);
  });

  it('has help that explains each option with an example', async () => {
    const { code, out } = await runIbvf('predict', '--help');
    expect(code).toBe(0);
    for (const option of ['--profile', '--path', '--op', '--sizes', '--progress', '--json', '--csv'])
      expect(out).toContain(option);
    expect(out).toMatch(/Examples:/);
  });
});
