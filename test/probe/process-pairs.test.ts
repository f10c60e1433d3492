/**
 * --pairs across processes under a launcher (osu_mbw_mr): 2N ranks, rank i sends to
 * rank i + N, rank 0 gathers every pair into one file. Real processes, small sizes and
 * few iterations; structure and sanity only, never timings.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../src/probe/result.js';
import { validateProbeResult } from '../../src/probe/validate.js';
import { hasTool } from '../requirements.js';
import { start, tempDir, throughWrapper, waitFor, type Done } from './helpers.js';

function load(file: string): ProbeResult {
  return validateProbeResult(JSON.parse(readFileSync(file, 'utf8')), file);
}

/** One result file from N process pairs: per-pair and aggregate numbers, layout by ranks. */
function expectPairs(r: ProbeResult, pairs: number, launcher: string, modes: string[]): void {
  expect(r.partial).toBe(false);
  expect(r.options.pairs).toBe(pairs);
  expect(r.options.pairing).toMatch(new RegExp(`^launcher ${launcher} rank 0 of ${2 * pairs}`));
  expect(r.pair_layout?.by).toBe('processes');
  expect(r.pair_layout?.launcher).toBe(launcher);
  expect(r.pair_layout?.pairs).toHaveLength(pairs);
  r.pair_layout!.pairs.forEach((p, i) => {
    expect(p.pair).toBe(i);
    expect(p.sender.rank).toBe(i);
    expect(p.receiver.rank).toBe(i + pairs);
    expect(p.sender.host.length).toBeGreaterThan(0);
  });
  const pids = r.pair_layout!.pairs.flatMap((p) => [p.sender.pid, p.receiver.pid]);
  expect(new Set(pids).size).toBe(2 * pairs);
  for (const mode of modes) {
    const runs = r.latency.filter((l) => l.mode === mode);
    expect(runs.map((l) => l.pair)).toEqual(Array.from({ length: pairs }, (_, i) => i));
    for (const run of runs) {
      for (const p of run.sizes) {
        expect(p.samples_us).toHaveLength(p.iterations);
        expect(p.min_us).toBeGreaterThan(0);
      }
    }
  }
  expect(r.streaming.length).toBeGreaterThan(0);
  for (const s of r.streaming) {
    expect(s.pairs).toBe(pairs);
    expect(s.per_pair.map((p) => p.pair)).toEqual(Array.from({ length: pairs }, (_, i) => i));
    for (const p of s.per_pair) {
      expect(p.messages).toBeGreaterThan(0);
      expect(p.msg_rate).toBeGreaterThan(0);
      expect(p.bandwidth_MBps).toBeGreaterThan(0);
    }
    expect(s.aggregate.msg_rate).toBeCloseTo(
      s.per_pair.reduce((a, p) => a + p.msg_rate, 0),
      3,
    );
    expect(s.aggregate.bandwidth_MBps).toBeGreaterThan(0);
  }
}

/** Starts `size` ranks with a launcher's environment (as Open MPI, PMIx or Slurm would set it). */
function ranks(
  size: number,
  envOf: (rank: number) => Record<string, string>,
  args: string[],
): (ReturnType<typeof start> & { done: Promise<Done> })[] {
  return Array.from({ length: size }, (_, r) => start(args, envOf(r)));
}

const hasMpiexec = hasTool('mpiexec', ['--version'], 'mpich');

describe.sequential('probe --pairs across processes under a launcher', () => {
  it.skipIf(!hasMpiexec)('mpiexec -n 4 (MPICH Hydra): 2 process pairs, one file', async () => {
    const dir = tempDir();
    const out = join(dir, 'mpi4.json');
    const r = await start(
      [
        'probe',
        'run',
        '--transport',
        'tcp',
        '--progress',
        'event',
        '--sizes',
        '1:64',
        '--iters',
        '10',
        '--out',
        out,
      ],
      { IBVF_RENDEZVOUS_DIR: dir },
      ['mpiexec', '-n', '4'],
    ).done;
    expect(r.stderr).not.toMatch(/ibvf: /);
    expect(r.code).toBe(0);
    expect(readdirSync(dir)).toEqual(['mpi4.json']);
    expect(r.stdout).toMatch(/tcp ping-pong, event mode, pair 1/);
    const res = load(out);
    expectPairs(res, 2, 'mpich', ['event']);
    expect(res.transport).toBe('tcp');
    expect(res.latency[0].sizes.map((s) => s.bytes)).toEqual([1, 2, 4, 8, 16, 32, 64]);
  });

  it.skipIf(!hasMpiexec)(
    'mpiexec -n 4 with a wrapper process per rank (as npx ibvf): one file with two pairs',
    async () => {
      const dir = tempDir();
      const out = join(dir, 'npx4.json');
      const r = await start(
        [
          'probe',
          'run',
          '--transport',
          'tcp',
          '--progress',
          'event',
          '--sizes',
          '1:8',
          '--iters',
          '10',
        ].concat(['--out', out, '--timeout', '10']),
        { IBVF_RENDEZVOUS_DIR: dir },
        throughWrapper(['mpiexec', '-n', '4']),
      ).done;
      expect(r.stderr).not.toMatch(/ibvf: /);
      expect(r.code).toBe(0);
      expect(readdirSync(dir)).toEqual(['npx4.json']);
      expectPairs(load(out), 2, 'mpich', ['event']);
    },
  );

  it('Open MPI environment, 4 processes: rank 0 gathers both pairs into one file', async () => {
    const dir = tempDir();
    const out = join(dir, 'ompi.json');
    const procs = ranks(
      4,
      (r) => ({
        OMPI_COMM_WORLD_RANK: String(r),
        OMPI_COMM_WORLD_SIZE: '4',
        OMPI_MCA_ess_base_jobid: 'test-ompi-4',
        IBVF_RENDEZVOUS_DIR: dir,
      }),
      [
        'probe',
        'run',
        '--transport',
        'tcp',
        '--progress',
        'poll',
        '--sizes',
        '1:8',
        '--iters',
        '10',
        '--out',
        out,
      ],
    );
    const done = await Promise.all(procs.map((p) => p.done));
    done.forEach((d) => expect(d.stderr).not.toMatch(/ibvf: /));
    expect(done.map((d) => d.code)).toEqual([0, 0, 0, 0]);
    expect(readdirSync(dir)).toEqual(['ompi.json']);
    expect(done[0].stderr).toContain(`next: ibvf calibrate ${out}`);
    expectPairs(load(out), 2, 'openmpi', ['poll']);
  });

  it('Slurm environment, loggp: PRTT per pair with the same delay d on every pair', async () => {
    const dir = tempDir();
    const out = join(dir, 'slurm.json');
    const procs = ranks(
      4,
      (r) => ({
        SLURM_PROCID: String(r),
        SLURM_NTASKS: '4',
        SLURM_JOB_ID: '42',
        SLURM_STEP_ID: '0',
        IBVF_RENDEZVOUS_DIR: dir,
      }),
      [
        'probe',
        'run',
        '--transport',
        'shm',
        '--suite',
        'loggp',
        '--pairs',
        '2',
        '--progress',
        'poll',
        '--sizes',
        '1:4',
        '--iters',
        '10',
        '--out',
        out,
      ],
    );
    const done = await Promise.all(procs.map((p) => p.done));
    expect(done.map((d) => d.code)).toEqual([0, 0, 0, 0]);
    const res = load(out);
    expect(res.partial).toBe(false);
    expect(res.pair_layout?.by).toBe('processes');
    // sizes 1, 4 x four PRTT kinds (n = 1, 8, 128 back to back, 8 delayed) x 2 pairs
    expect(res.prtt).toHaveLength(2 * 4 * 2);
    for (const p of res.prtt) expect(p.min_us).toBeGreaterThan(0);
    const delayed = res.prtt.filter((p) => p.d_us > 0);
    expect(delayed).toHaveLength(4);
    for (const bytes of [1, 4]) {
      const ds = delayed.filter((p) => p.bytes === bytes);
      expect(ds.map((p) => p.pair)).toEqual([0, 1]);
      expect(ds[0].d_us).toBe(ds[1].d_us);
    }
  });

  it('an odd number of ranks, or --pairs that does not match, is a usage error (exit 2)', async () => {
    const dir = tempDir();
    const odd = await start(['probe', 'run', '--transport', 'tcp'], {
      OMPI_COMM_WORLD_RANK: '0',
      OMPI_COMM_WORLD_SIZE: '3',
      IBVF_RENDEZVOUS_DIR: dir,
    }).done;
    expect(odd.code).toBe(2);
    expect(odd.stderr).toMatch(/needs an even number of ranks \(the launcher started 3\)/);
    const wrong = await start(['probe', 'run', '--transport', 'tcp', '--pairs', '3'], {
      SLURM_PROCID: '1',
      SLURM_NTASKS: '4',
      IBVF_RENDEZVOUS_DIR: dir,
    }).done;
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--pairs 3 does not match 4 ranks/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a rank that dies mid-run stops every rank; rank 0 keeps a valid partial file', async () => {
    const dir = tempDir();
    const out = join(dir, 'lost.json');
    const procs = ranks(
      4,
      (r) => ({
        PMIX_RANK: String(r),
        PMIX_SIZE: '4',
        PMIX_NAMESPACE: 'test-lost',
        IBVF_RENDEZVOUS_DIR: dir,
      }),
      [
        'probe',
        'run',
        '--transport',
        'tcp',
        '--progress',
        'event',
        '--sizes',
        '1:4K',
        '--iters',
        '3000',
        '--out',
        out,
      ],
    );
    await waitFor(() => (existsSync(out) ? readFileSync(out, 'utf8') : ''), /"latency":\[\{/, 30000);
    procs[3].kill('SIGKILL');
    const done = await Promise.all(procs.map((p) => p.done));
    expect(done[0].code).toBe(3);
    expect(done[1].code).not.toBe(0);
    expect(done[2].code).not.toBe(0);
    expect(done[0].stderr).toMatch(/rank [13] (left the run before the end|was lost)/);
    expect(done[0].stderr).toContain(`partial results kept in ${out}`);
    const res = load(out);
    expect(res.partial).toBe(true);
    expect(res.stopped).toMatch(/rank [13]/);
  });
});
