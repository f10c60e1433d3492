/**
 * `ibvf probe run --matrix` under a launcher: every rank pair in turn (or --sample K),
 * one ibvf.probe-matrix/1 file. Real processes over tcp and shm with small sizes and few
 * iterations; the structure is asserted, never the timings (the build VM is shared).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProbeMatrix } from '../../src/probe/matrix-result.js';
import { validateProbeMatrix } from '../../src/probe/validate.js';
import { hasTool } from '../requirements.js';
import { ibvf, start, tempDir, waitFor } from './helpers.js';

const hasMpiexec = hasTool('mpiexec', ['--version'], 'mpich');

function load(file: string): ProbeMatrix {
  return validateProbeMatrix(JSON.parse(readFileSync(file, 'utf8')), file);
}

const small = ['--sizes', '1:16', '--iters', '10', '--progress', 'event'];

/** A complete 4-rank matrix: ranks, the pairs planned and measured, symmetric cells. */
function expectMatrix(m: ProbeMatrix, transport: string, pairs: [number, number][]): void {
  expect(m.partial).toBe(false);
  expect(m.transport).toBe(transport);
  expect(m.launcher).toBe('mpich');
  expect(m.ranks.map((r) => r.rank)).toEqual([0, 1, 2, 3]);
  expect(new Set(m.ranks.map((r) => r.pid)).size).toBe(4);
  for (const r of m.ranks) {
    expect(r.function).toBe('none');
    expect(r.function_evidence).toContain(`transport ${transport}`);
    expect(r.test_double).toBe(false);
  }
  expect(m.planned).toEqual(pairs);
  expect(m.pairs.map((p) => [p.a, p.b])).toEqual(pairs);
  expect(m.latency_us).toHaveLength(4);
  for (const p of m.pairs) {
    expect(p.class).toBe('same-host');
    expect(p.latency_us).toBeGreaterThan(0);
    expect(p.bandwidth_MBps).toBeGreaterThan(0);
    expect(m.latency_us[p.a][p.b]).toBe(p.latency_us);
    expect(m.latency_us[p.b][p.a]).toBe(p.latency_us);
    expect(m.bandwidth_MBps[p.b][p.a]).toBe(p.bandwidth_MBps);
    expect(p.latency[0].sizes.map((s) => s.bytes)).toEqual([1, 2, 4, 8, 16]);
    expect(p.streaming.length).toBeGreaterThan(0);
  }
  for (let i = 0; i < 4; i++) expect(m.latency_us[i][i]).toBeNull();
  const measured = new Set(pairs.map(([a, b]) => `${a}-${b}`));
  for (let a = 0; a < 4; a++)
    for (let b = a + 1; b < 4; b++) if (!measured.has(`${a}-${b}`)) expect(m.latency_us[a][b]).toBeNull();
  expect(m.latency_at).toEqual({ bytes: 1, mode: 'event' });
  expect(m.bandwidth_at).toEqual({ bytes: 8, window: 64, mode: 'event' });
  expect(m.outlier_rule).toMatch(/MAD/);
  for (const o of m.outliers) expect(measured.has(`${o.a}-${o.b}`)).toBe(true);
}

const ALL: [number, number][] = [
  [0, 1],
  [0, 2],
  [0, 3],
  [1, 2],
  [1, 3],
  [2, 3],
];

describe.sequential('probe run --matrix under mpiexec', () => {
  for (const transport of ['tcp', 'shm']) {
    it.skipIf(!hasMpiexec)(
      `mpiexec -n 4 over ${transport}: a 4 x 4 matrix of 6 pairs in one file`,
      async () => {
        const dir = tempDir();
        const out = join(dir, 'm.json');
        const r = await start(
          ['probe', 'run', '--transport', transport, '--matrix', ...small, '--out', out],
          { IBVF_RENDEZVOUS_DIR: dir },
          ['mpiexec', '-n', '4'],
        ).done;
        expect(r.stderr).not.toMatch(/ibvf: /);
        expect(r.code).toBe(0);
        expect(readdirSync(dir)).toEqual(['m.json']);
        expect(r.stdout).toMatch(/one-way latency \(us\), median at 1 B, event mode, rank x rank:/);
        expect(r.stdout).toMatch(/^ {6}2-3 {2}same-host/m);
        expectMatrix(load(out), transport, ALL);
      },
    );
  }

  it.skipIf(!hasMpiexec)(
    '--sample 3 --seed 5 measures 3 of the 6 pairs, the same 3 for the same seed',
    async () => {
      const dir = tempDir();
      const run = async (name: string) => {
        const out = join(dir, name);
        const r = await start(
          [
            'probe',
            'run',
            '--transport',
            'tcp',
            '--matrix',
            '--sample',
            '3',
            '--seed',
            '5',
            ...small,
            '--out',
            out,
          ],
          { IBVF_RENDEZVOUS_DIR: dir },
          ['mpiexec', '-n', '4'],
        ).done;
        expect(r.code).toBe(0);
        return load(out);
      };
      const m = await run('a.json');
      expect(m.sample).toEqual({ pairs: 3, of: 6, seed: 5 });
      expect(m.pairs).toHaveLength(3);
      expectMatrix(m, 'tcp', m.planned as [number, number][]);
      expect((await run('b.json')).planned).toEqual(m.planned);
    },
  );

  it.skipIf(!hasMpiexec)('--json prints the matrix on stdout and writes no file', async () => {
    const dir = tempDir();
    const r = await start(
      ['probe', 'run', '--transport', 'tcp', '--matrix', '--sample', '1', ...small, '--json'],
      { IBVF_RENDEZVOUS_DIR: dir },
      ['mpiexec', '-n', '3'],
    ).done;
    expect(r.code).toBe(0);
    const m = validateProbeMatrix(JSON.parse(r.stdout), 'stdout');
    expect(m.ranks).toHaveLength(3);
    expect(m.pairs).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(!hasMpiexec)('--sample larger than the pairs: one clear line, exit 2', async () => {
    const dir = tempDir();
    const r = await start(
      ['probe', 'run', '--transport', 'tcp', '--matrix', '--sample', '7', ...small],
      { IBVF_RENDEZVOUS_DIR: dir },
      ['mpiexec', '-n', '4'],
    ).done;
    expect(r.code).toBe(2);
    const lines = new Set(r.stderr.trim().split('\n'));
    // every rank says the same one line
    expect([...lines]).toEqual([
      'ibvf: --sample 7: 4 ranks have only 6 pairs; give --sample 6 or less (or leave it out to measure every pair)',
    ]);
    expect(r.stderr).not.toMatch(/at .*\.js/);
  });

  it.skipIf(!hasMpiexec)('--matrix with one rank: one clear line, exit 2', async () => {
    const r = await start(['probe', 'run', '--transport', 'tcp', '--matrix', ...small], {}, [
      'mpiexec',
      '-n',
      '1',
    ]).done;
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'ibvf: --matrix measures rank pairs, but the launcher started 1 rank: run it with at least 2 (mpiexec -n 4 ibvf probe run --matrix ...)',
    );
  });
});

describe.sequential('probe run --matrix: usage and stopping', () => {
  it('without a launcher, with --peer, or --sample without --matrix: exit 2, one line', async () => {
    const none = await ibvf(['probe', 'run', '--transport', 'tcp', '--matrix']);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toMatch(
      /^ibvf: --matrix measures every pair of ranks of a launcher: run it under mpiexec or srun/,
    );
    const peer = await ibvf(['probe', 'run', '--transport', 'tcp', '--matrix', '--peer', '127.0.0.1']);
    expect(peer.code).toBe(2);
    expect(peer.stderr.trim()).toBe('ibvf: --matrix pairs the ranks of a launcher; it takes no --peer');
    const loggp = await ibvf(['probe', 'run', '--transport', 'tcp', '--matrix', '--suite', 'loggp'], {
      PMI_RANK: '0',
      PMI_SIZE: '4',
      IBVF_RENDEZVOUS_KEY: 'matrix-loggp',
    });
    expect(loggp.code).toBe(2);
    expect(loggp.stderr.trim()).toMatch(
      /^ibvf: --matrix keeps ping-pong latency and streaming per pair: use --suite quick or full/,
    );
    const sample = await ibvf(['probe', 'run', '--transport', 'tcp', '--sample', '3']);
    expect(sample.code).toBe(2);
    expect(sample.stderr.trim()).toBe('ibvf: --sample K chooses pairs of a --matrix run; add --matrix');
  });

  it('Ctrl-C on rank 0 keeps the pairs measured so far: partial, stopped, exit 3', async () => {
    const dir = tempDir();
    const out = join(dir, 'stop.json');
    const procs = [0, 1, 2, 3].map((r) =>
      start(
        [
          'probe',
          'run',
          '--transport',
          'tcp',
          '--matrix',
          '--sizes',
          '1:16',
          '--iters',
          '3000',
          '--progress',
          'event',
          '--out',
          out,
        ],
        {
          OMPI_COMM_WORLD_RANK: String(r),
          OMPI_COMM_WORLD_SIZE: '4',
          OMPI_MCA_ess_base_jobid: 'test-matrix-stop',
          IBVF_RENDEZVOUS_DIR: dir,
        },
      ),
    );
    await waitFor(() => (existsSync(out) ? readFileSync(out, 'utf8') : ''), /"pairs":\[\{"a":0,"b":1/, 60000);
    procs[0].kill('SIGINT');
    const done = await Promise.all(procs.map((p) => p.done));
    expect(done[0].code).toBe(3);
    expect(done[0].stderr).toMatch(/interrupted by SIGINT; partial results kept in/);
    for (const d of done.slice(1)) expect(d.code).not.toBe(0);
    const m = load(out);
    expect(m.partial).toBe(true);
    expect(m.stopped).toBe('interrupted by SIGINT');
    expect(m.pairs.length).toBeGreaterThanOrEqual(1);
    expect(m.pairs.length).toBeLessThan(6);
    expect(m.launcher).toBe('openmpi');
    expect(readdirSync(dir).filter((f) => f.startsWith('.ibvf-rendezvous'))).toEqual([]);
  }, 90000);
});
