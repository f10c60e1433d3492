import { describe, expect, it } from 'vitest';
import { detectLauncher } from '../../src/probe/launcher.js';
import { summarize } from '../../src/probe/stats.js';
import { planSuite, stepWork } from '../../src/probe/suites.js';
import { choosePair, choosePairs, parseCpuList, type Cpu } from '../../src/probe/topology.js';
import { parsePeer } from '../../src/probe/run.js';
import { pairOf, processPairCount } from '../../src/probe/process-pairs.js';
import { UsageError } from '../../src/errors.js';
import { howToBuild } from '../../src/probe/native.js';
import path from 'node:path';

describe('launcher detection (no MPI linked)', () => {
  it('reads MPICH Hydra, Open MPI, PMIx and Slurm variables', () => {
    expect(detectLauncher({ PMI_RANK: '1', PMI_SIZE: '2' }, 42, () => 'hydra-vm:41189-pg0')).toEqual({
      kind: 'mpich',
      rank: 1,
      size: 2,
      jobKey: 'hydra-vm:41189-pg0',
    });
    // no proxy found and no PMI: the parent pid, as a last resort
    expect(detectLauncher({ PMI_RANK: '1', PMI_SIZE: '2' }, 42, () => undefined)).toMatchObject({
      jobKey: 'ppid-42',
    });
    expect(
      detectLauncher({ OMPI_COMM_WORLD_RANK: '0', OMPI_COMM_WORLD_SIZE: '2', OMPI_MCA_ess_base_jobid: '77' }),
    ).toMatchObject({ kind: 'openmpi', rank: 0, jobKey: '77' });
    expect(detectLauncher({ PMIX_RANK: '1', PMIX_NAMESPACE: 'ns1' })).toMatchObject({
      kind: 'pmix',
      rank: 1,
      size: 2,
      jobKey: 'ns1',
    });
    expect(
      detectLauncher({ SLURM_PROCID: '1', SLURM_NTASKS: '2', SLURM_JOB_ID: '9', SLURM_STEP_ID: '3' }),
    ).toMatchObject({ kind: 'slurm', jobKey: '9.3' });
    expect(
      detectLauncher({ PMI_RANK: '0', IBVF_RENDEZVOUS_KEY: 'k' }, 1, () => {
        throw new Error('not asked when IBVF_RENDEZVOUS_KEY is set');
      }),
    ).toMatchObject({ jobKey: 'k' });
    expect(detectLauncher({ PMI_RANK: '' })).toBeUndefined();
    expect(detectLauncher({})).toBeUndefined();
  });
});

describe('probe helpers', () => {
  it('summarizes a sample (nearest-rank percentiles, n-1 stdev)', () => {
    const s = summarize([4, 1, 3, 2]);
    expect(s).toMatchObject({ min_us: 1, max_us: 4, median_us: 2.5, mean_us: 2.5, p99_us: 4 });
    expect(s.stdev_us).toBeCloseTo(Math.sqrt(5 / 3));
  });
  it('plans every size in each mode, and per PRTT size n = 1, 8, 128 back to back and 8 delayed', () => {
    const quick = planSuite('quick', [1, 2, 4], ['poll', 'event'], null);
    expect(quick.filter((s) => s.kind === 'pingpong').map((s) => s.sizes)).toEqual([
      [1, 2, 4],
      [1, 2, 4],
    ]);
    expect(quick.every((s) => stepWork(s) > 0)).toBe(true);
    const loggp = planSuite('loggp', [1, 2, 4], ['poll'], 5);
    expect(loggp.map((s) => [s.sizes[0], s.n, s.delay])).toEqual([
      [1, 1, 0],
      [1, 8, 0],
      [1, 128, 0],
      [1, 8, 'auto'],
      [4, 1, 0],
      [4, 8, 0],
      [4, 128, 0],
      [4, 8, 'auto'],
    ]);
    // The long train keeps about the short ones' message count: fewer rounds, at least 10.
    const [short, long] = planSuite('loggp', [1024], ['poll'], null).filter((s) => s.delay === 0 && s.n! > 1);
    expect(long.iterations[0]).toBe(Math.max(10, Math.ceil((short.iterations[0] * 8) / 128)));
    // full holds the same PRTT runs after its ping-pong and streaming steps.
    const full = planSuite('full', [1, 2, 4], ['poll'], 5);
    expect(full.filter((s) => s.kind === 'prtt')).toEqual(loggp);
    expect(full.filter((s) => s.kind === 'stream').map((s) => s.window)).toEqual([
      1, 2, 4, 8, 16, 32, 64, 128,
    ]);
  });
  it('reads sysfs CPU lists and places pairs', () => {
    expect(parseCpuList('0-2,5\n')).toEqual([0, 1, 2, 5]);
    const cpus = [
      { id: 0, core: 0, socket: 0 },
      { id: 1, core: 1, socket: 0 },
    ];
    expect(choosePair(cpus, 'same-cpu')).toEqual([0, 0]);
    expect(choosePair(cpus, 'same-socket')).toEqual([0, 1]);
    expect(() => choosePair(cpus, 'other-socket')).toThrow(
      /--pin other-socket: this host has no such pair of CPUs \(2 online CPUs, 1 socket/,
    );
  });
  it('places N pairs with one relation, each CPU once', () => {
    // Two sockets of 4 cores, two hyperthreads each: CPU c on core c % 4, socket (c >> 2) & 1.
    const host: Cpu[] = Array.from({ length: 16 }, (_, id) => ({ id, core: id % 4, socket: (id >> 2) & 1 }));
    const twoPairs = choosePairs(host, 'same-socket', 2);
    expect(twoPairs).toEqual({ local: [0, 1], peer: [2, 3] });
    const all = [...twoPairs.local, ...twoPairs.peer];
    expect(new Set(all.map((c) => host[c].socket)).size).toBe(1);
    expect(new Set(all.map((c) => host[c].core)).size).toBe(4);
    expect(choosePairs(host, 'other-socket', 4)).toEqual({ local: [0, 1, 2, 3], peer: [4, 5, 6, 7] });
    expect(choosePairs(host, 'same-core', 2)).toEqual({ local: [0, 1], peer: [8, 9] });
    expect(choosePairs(host, 'same-cpu', 3)).toEqual({ local: [0, 1, 2], peer: [0, 1, 2] });
    // One pair: as --pin always placed it.
    expect(choosePairs(host, 'same-socket', 1)).toEqual({ local: [0], peer: [1] });
  });

  it('refuses pairs the host cannot place, or reuses CPUs in turn with --oversubscribe', () => {
    const small: Cpu[] = [
      { id: 0, core: 0, socket: 0 },
      { id: 1, core: 1, socket: 0 },
    ];
    expect(() => choosePairs(small, 'same-socket', 2)).toThrow(
      /--pairs 2 --pin same-socket: this host has 2 online CPUs, 1 socket\(s\), 2 cores; 2 pairs need 4 cores on one socket, each CPU used once \(fewer --pairs, or --oversubscribe/,
    );
    expect(() => choosePairs(small, 'other-socket', 2)).toThrow(/need 2 cores on each of two sockets/);
    // Reused, each pair's two sides still on two cores of the socket.
    expect(choosePairs(small, 'same-socket', 3, true)).toEqual({ local: [0, 0, 0], peer: [1, 1, 1] });
  });

  it('parses --peer', () => {
    expect(parsePeer('node1')).toEqual({ host: 'node1', port: 18519 });
    expect(parsePeer('10.0.0.1:9000')).toEqual({ host: '10.0.0.1', port: 9000 });
    expect(parsePeer('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(() => parsePeer('a:b:c')).toThrow(/--peer: 'a:b:c' is not HOST or HOST:PORT/);
  });
});

describe('process pairs under a launcher (osu_mbw_mr)', () => {
  it('pairs rank i with rank i + N, senders first', () => {
    expect(pairOf(0, 4)).toEqual({ pair: 0, role: 'sender', partner: 2 });
    expect(pairOf(1, 4)).toEqual({ pair: 1, role: 'sender', partner: 3 });
    expect(pairOf(3, 4)).toEqual({ pair: 1, role: 'receiver', partner: 1 });
    expect(pairOf(4, 6)).toEqual({ pair: 1, role: 'receiver', partner: 1 });
  });
  it('needs an even number of ranks and a --pairs that matches them', () => {
    expect(processPairCount(4, 1, 'none')).toBe(2);
    expect(processPairCount(6, 3, 'none')).toBe(3);
    expect(() => processPairCount(5, 1, 'none')).toThrow(/even number of ranks \(the launcher started 5\)/);
    expect(() => processPairCount(1, 1, 'none')).toThrow(UsageError);
    expect(() => processPairCount(4, 3, 'none')).toThrow(/--pairs 3 does not match 4 ranks/);
    expect(() => processPairCount(4, 2, 'same-core')).toThrow(/--pin same-core/);
  });
});

describe('where the native addon is missing', () => {
  it('tells a checkout to npm install, and a project that installed ibvf to npm rebuild it', () => {
    const checkout = path.join(path.sep, 'home', 'me', 'ibvf');
    expect(howToBuild(checkout)).toBe(`Run \`npm install\` in ${checkout}`);
    const project = path.join(path.sep, 'home', 'me', 'study');
    expect(howToBuild(path.join(project, 'node_modules', 'ibvf'))).toBe(
      `Run \`npm rebuild ibvf\` in ${project}`,
    );
  });
});
