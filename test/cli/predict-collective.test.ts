import { describe, expect, it } from 'vitest';
import { runIbvf } from './run.js';

describe('ibvf predict for collectives', () => {
  it("a bcast between two nodes is one MPI message: its max is the paper's native 1 B MPI latency", async () => {
    const collective = await runIbvf(
      ...['predict', '--op', 'bcast', '--nodes', '2', '--procs', '2', '--placement', 'native'],
      ...['--shm', 'off', '--sizes', '1:1', '--json'],
    );
    const p2p = await runIbvf('predict', '--path', 'native', '--op', 'mpi', '--sizes', '1:1', '--json');
    expect(collective.code).toBe(0);
    const [row] = JSON.parse(collective.out).rows;
    // The root's send completes locally and the receiver's finishes one message later.
    expect(row.max_us).toBeCloseTo(JSON.parse(p2p.out).rows[0].latency_us, 9);
    // Jose et al., CCGrid 2013, Fig. 3(a): 1.02 us natively (the paper table's 5%).
    expect(Math.abs(row.max_us - 1.02) / 1.02).toBeLessThan(0.05);
  });

  it('prints JSON with the latency of an 8 KB alltoall among 32 ranks, one VM per core', async () => {
    const { code, out, err } = await runIbvf(
      'predict',
      '--op',
      'alltoall',
      '--nodes',
      '4',
      '--procs',
      '32',
      '--placement',
      'vm-per-core',
      '--shm',
      'off',
      '--sizes',
      '8K:8K',
      '--json',
    );
    expect(code).toBe(0);
    expect(err).toBe('');
    const result = JSON.parse(out);
    expect(result.rows).toHaveLength(1);
    const row = result.rows[0];
    expect(Object.keys(row).sort()).toEqual(
      ['algorithm', 'bytes', 'latency_hi_us', 'latency_lo_us', 'latency_us', 'max_us'].sort(),
    );
    expect(row.bytes).toBe(8192);
    expect(row.latency_us).toBeGreaterThan(0);
    expect(row.latency_lo_us).toBeLessThanOrEqual(row.latency_us);
    expect(row.latency_hi_us).toBeGreaterThanOrEqual(row.latency_us);
    expect(result.layout).toMatchObject({ placement: 'vm-per-core', nodes: 4, procs: 32, shm: false });
    // MVAPICH2 in a 1-vCPU guest: one core in one socket, a generic Intel, the default tables
    expect(result.mpi).toMatchObject({
      arch: 'MV2_ARCH_INTEL_GENERIC',
      hca: 'MV2_HCA_MLX_CX_FDR',
      cores: 1,
      sockets: 1,
      table: 'default',
    });
  });

  it('prints an OSU-like table over sizes, with the algorithm changing with size', async () => {
    const { code, out } = await runIbvf(
      'predict',
      '--op',
      'bcast',
      '--placement',
      'native',
      '--shm',
      'off',
      '--sizes',
      '1:1M',
    );
    expect(code).toBe(0);
    expect(out).toMatch(/# Size\s+Avg Latency\(us\)\s+95% range \(us\)\s+Max Latency\(us\)\s+Algorithm/);
    const algorithms = new Set(
      out
        .split('\n')
        .filter((l) => /^ {2}\d/.test(l))
        .map((l) => l.trim().split(/\s+/).at(-1)),
    );
    expect(algorithms.size).toBeGreaterThan(1);
  });

  it('honours --algorithm and the analytic engine; --draws gives a simulated range', async () => {
    const sim = JSON.parse(
      (
        await runIbvf(
          'predict',
          '--op',
          'allreduce',
          '--placement',
          'vm-per-node',
          '--sizes',
          '64K:64K',
          '--algorithm',
          'ring',
          '--json',
        )
      ).out,
    );
    expect(sim.rows[0].algorithm).toBe('ring');
    const analytic = JSON.parse(
      (
        await runIbvf(
          'predict',
          '--op',
          'allreduce',
          '--placement',
          'vm-per-node',
          '--sizes',
          '64K:64K',
          '--algorithm',
          'ring',
          '--engine',
          'analytic',
          '--json',
        )
      ).out,
    );
    expect(analytic.engine).toBe('analytic');
    expect(analytic.rows[0].latency_us).toBeGreaterThan(0);
    const drawn = JSON.parse(
      (await runIbvf('predict', '--op', 'barrier', '--placement', 'vm-per-core', '--draws', '20', '--json'))
        .out,
    );
    expect(drawn.rows[0].latency_hi_us).toBeGreaterThan(drawn.rows[0].latency_lo_us);
  });

  it.each([
    [
      ['--op', 'alltoall', '--algorithm', 'telepathy'],
      /--algorithm: 'telepathy' is not an algorithm for alltoall; valid: bruck, scattered, pairwise/,
    ],
    [
      ['--op', 'bcast', '--algorithm', 'shmem-knomial', '--shm', 'off'],
      /shmem-knomial is a shared-memory algorithm of MVAPICH2: it needs --shm on/,
    ],
    [['--op', 'alltoall', '--path', 'vf'], /--path is for point-to-point operations/],
    [['--op', 'send', '--placement', 'vm-per-core'], /--placement is for collective operations/],
    [['--op', 'alltoall', '--procs', '0'], /--procs: must be at least 1/],
    [
      ['--op', 'alltoall', '--nodes', '2', '--procs', '48'],
      /24 ranks per node .* exceed the node's 16 cores/,
    ],
    [['--op', 'alltoall', '--sizes', '0:8'], /start at 1 byte/],
  ])('rejects %j with one line and exit 2', async (args, message) => {
    const { code, out, err } = await runIbvf('predict', ...args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});
