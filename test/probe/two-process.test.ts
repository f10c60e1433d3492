/**
 * Real two-process probe runs. They measure, so they run one at a time
 * (describe.sequential) with small sizes and few iterations; they check structure and
 * sanity (schema, every size, positive numbers), never timings.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateProbeResult } from '../../src/probe/validate.js';
import type { ProbeResult } from '../../src/probe/result.js';
import { encodeFrame } from '../../src/probe/protocol.js';
import { readTopology } from '../../src/probe/topology.js';
import { canUseNetns, hasTool } from '../requirements.js';
import { ibvf, start, tempDir, throughWrapper, waitFor } from './helpers.js';

const SMALL = ['--sizes', '1:1K', '--iters', '20'];

function load(file: string): ProbeResult {
  return validateProbeResult(JSON.parse(readFileSync(file, 'utf8')), file);
}

function expectComplete(r: ProbeResult, sizes: number[], modes: string[]): void {
  expect(r.partial).toBe(false);
  expect(r.latency_kind).toBe('half round trip');
  for (const mode of modes) {
    const run = r.latency.find((l) => l.mode === mode);
    expect(run?.sizes.map((s) => s.bytes)).toEqual(sizes);
    for (const p of run!.sizes) {
      expect(p.samples_us).toHaveLength(p.iterations);
      expect(p.min_us).toBeGreaterThan(0);
      expect(p.median_us).toBeGreaterThanOrEqual(p.min_us);
      expect(p.p99_9_us).toBeGreaterThanOrEqual(p.p99_us);
    }
  }
  for (const s of r.streaming) {
    expect(s.aggregate.msg_rate).toBeGreaterThan(0);
    expect(s.aggregate.bandwidth_MBps).toBeGreaterThan(0);
    expect(s.per_pair).toHaveLength(s.pairs);
  }
}

const SIZES_1K = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

describe.sequential('probe between two real processes', () => {
  it('shm quick: spawns its own peer, writes a complete file, prints tables and the next step', async () => {
    const dir = tempDir();
    const out = join(dir, 'shm.json');
    const r = await ibvf(['probe', 'run', '--transport', 'shm', '--suite', 'quick', ...SMALL, '--out', out]);
    expect(r.stderr).toContain(`next: ibvf calibrate ${out}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/shm ping-pong, poll mode: one-way latency = half round trip/);
    const res = load(out);
    expect(res.transport).toBe('shm');
    expect(res.options.pairing).toBe('spawned peer on this host');
    expect(['tsc', 'clock_gettime']).toContain(res.timer.source);
    expectComplete(res, SIZES_1K, ['poll', 'event']);
    expect(res.streaming.length).toBeGreaterThan(0);
    // checked for disturbance: the warnings (none on a quiet host) are in the JSON and under the tables
    expect(Array.isArray(res.warnings)).toBe(true);
    for (const w of res.warnings!) expect(r.stdout).toContain(` ! ${w.message}\n`);
    expect(r.stdout.includes('warnings: this measurement looks disturbed')).toBe(res.warnings!.length > 0);
  });

  it('shm pinned to one CPU (spin then yield lets both progress)', async () => {
    const out = join(tempDir(), 'pin.json');
    const r = await ibvf([
      'probe',
      'run',
      '--transport',
      'shm',
      '--progress',
      'poll',
      '--sizes',
      '1:64',
      '--iters',
      '50',
      '--pin',
      'same-cpu',
      '--out',
      out,
    ]);
    expect(r.stderr).not.toMatch(/ibvf: /);
    expect(r.code).toBe(0);
    const res = load(out);
    expect(res.placement.relation).toBe('same-cpu');
    expect(res.latency[0].cpu).toBe(0);
  });

  it('shm --pairs 2 --pin same-socket: every pair on one socket, recorded per pair', async () => {
    // 2 pairs need 4 cores on one socket; a smaller host (the build VM has 2) refuses them
    // unless --oversubscribe reuses CPUs in turn.
    const cores = new Map<number, Set<number>>();
    for (const c of readTopology()) cores.set(c.socket, (cores.get(c.socket) ?? new Set()).add(c.core));
    if (Math.max(...[...cores.values()].map((s) => s.size)) < 4) {
      const refused = await ibvf([
        'probe',
        'run',
        '--transport',
        'shm',
        '--pairs',
        '2',
        '--pin',
        'same-socket',
      ]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        /--pairs 2 --pin same-socket: this host has .* need 4 cores on one socket/,
      );
    }
    const out = join(tempDir(), 'pairs-pinned.json');
    const r = await ibvf([
      'probe',
      'run',
      '--transport',
      'shm',
      '--pairs',
      '2',
      '--pin',
      'same-socket',
      '--oversubscribe',
      '--progress',
      'poll',
      '--sizes',
      '1:8',
      '--iters',
      '20',
      '--out',
      out,
    ]);
    expect(r.stderr).not.toMatch(/ibvf: /);
    expect(r.code).toBe(0);
    const res = load(out);
    expect(res.placement.relation).toBe('same-socket');
    expect(res.placement.pair_cpus).toHaveLength(2);
    for (const [a, b] of res.placement.pair_cpus!) expect(a).not.toBe(b);
    // Each pair's measuring thread ran where it was put.
    expect(res.latency.map((l) => l.cpu)).toEqual(res.placement.pair_cpus!.map(([a]) => a));
  });

  it('tcp loggp with --pairs 2: PRTT(1,0,s), PRTT(n,0,s), PRTT(n,d,s) per pair', async () => {
    const out = join(tempDir(), 'loggp.json');
    const r = await ibvf([
      'probe',
      'run',
      '--transport',
      'tcp',
      '--suite',
      'loggp',
      '--pairs',
      '2',
      '--sizes',
      '1:16',
      '--iters',
      '10',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const res = load(out);
    expect(res.partial).toBe(false);
    // sizes 1, 4, 16 x modes 2 x four PRTT kinds (n = 1, 8, 128 back to back, 8 delayed) x 2 pairs
    expect(res.prtt).toHaveLength(3 * 2 * 4 * 2);
    for (const p of res.prtt) {
      expect(p.samples_us).toHaveLength(10);
      expect(p.min_us).toBeGreaterThan(0);
    }
    expect(res.prtt.filter((p) => p.n === 8 && p.d_us > 0).length).toBe(12);
  });

  it('tcp quick with --pairs 2 reports per-pair and aggregate streaming', async () => {
    const out = join(tempDir(), 'pairs.json');
    const r = await ibvf([
      'probe',
      'run',
      '--transport',
      'tcp',
      '--pairs',
      '2',
      '--progress',
      'event',
      '--sizes',
      '1:8',
      '--iters',
      '10',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const res = load(out);
    expect(res.latency.map((l) => l.pair)).toEqual([0, 1]);
    expectComplete(res, [1, 2, 4, 8], ['event']);
    expect(res.streaming.every((s) => s.pairs === 2)).toBe(true);
    expect(res.pair_layout?.by).toBe('threads');
    expect(res.pair_layout?.pairs.map((p) => p.pair)).toEqual([0, 1]);
    expect(res.pair_layout?.pairs[0].sender.pid).not.toBe(res.pair_layout?.pairs[0].receiver.pid);
  });

  it('serve / run --peer, and a wrong token is turned away with a clear message', async () => {
    const server = start(['probe', 'serve', '--port', '0', '--bind', '127.0.0.1', '--token', 'right']);
    let err = '';
    server.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const port = (await waitFor(() => err, /listening on 127\.0\.0\.1:(\d+)/))[1];
    const bad = await ibvf([
      'probe',
      'run',
      '--peer',
      `127.0.0.1:${port}`,
      '--transport',
      'tcp',
      ...SMALL,
      '--token',
      'wrong',
      '--out',
      join(tempDir(), 'x.json'),
    ]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/the peer rejected this run: wrong token/);
    const out = join(tempDir(), 'ok.json');
    const good = await ibvf(
      [
        'probe',
        'run',
        '--peer',
        `127.0.0.1:${port}`,
        '--transport',
        'tcp',
        '--progress',
        'poll',
        ...SMALL,
        '--out',
        out,
      ],
      { IBVF_TOKEN: 'right' },
    );
    expect(good.code).toBe(0);
    expectComplete(load(out), SIZES_1K, ['poll']);
    server.kill('SIGINT');
    const s = await server.done;
    expect(s.code).not.toBeNull();
  });

  it('a silent connection does not hold probe serve: a real client is served, the stranger dropped after --handshake-timeout', async () => {
    const server = start([
      'probe',
      'serve',
      '--port',
      '0',
      '--bind',
      '127.0.0.1',
      '--once',
      '--handshake-timeout',
      '1',
    ]);
    const port = Number((await waitFor(() => server.stderrSoFar(), /listening on 127\.0\.0\.1:(\d+)/))[1]);
    // a stranger connects first and says nothing (as `exec 3<>/dev/tcp/127.0.0.1/PORT`)
    const idle = net.connect(port, '127.0.0.1');
    idle.on('error', () => undefined);
    const t0 = Date.now();
    const idleClosed = new Promise<number>((r) => idle.on('close', () => r(Date.now() - t0)));
    await new Promise((r) => idle.once('connect', r));
    const out = join(tempDir(), 'idle.json');
    const good = await ibvf(
      ['probe', 'run', '--peer', `127.0.0.1:${port}`, '--transport', 'tcp', '--progress', 'event'].concat([
        '--sizes',
        '1:8',
        '--iters',
        '10',
        '--out',
        out,
      ]),
    );
    expect(good.stderr).not.toMatch(/busy/);
    expect(good.code).toBe(0);
    expect(load(out).partial).toBe(false);
    expect(await idleClosed).toBeLessThan(10000);
    const s = await server.done;
    expect(s.code).toBe(0);
    expect(s.stderr).toMatch(/dropped an idle connection from 127\.0\.0\.1: no hello within 1 s/);
  });

  it('an option mismatch with the server names the option', async () => {
    const server = start([
      'probe',
      'serve',
      '--port',
      '0',
      '--bind',
      '127.0.0.1',
      '--once',
      '--pairs',
      '2',
      '--timeout',
      '5',
    ]);
    let err = '';
    server.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const port = (await waitFor(() => err, /listening on 127\.0\.0\.1:(\d+)/))[1];
    const r = await ibvf([
      'probe',
      'run',
      '--peer',
      `127.0.0.1:${port}`,
      '--transport',
      'tcp',
      ...SMALL,
      '--out',
      join(tempDir(), 'm.json'),
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/option mismatch: --pairs is 2 on the server but 1 on the client/);
    server.kill();
    await server.done;
  });

  it('a port in use fails at once with a one-line message', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as net.AddressInfo).port;
    const r = await ibvf(['probe', 'serve', '--port', String(port), '--bind', '127.0.0.1']);
    blocker.close();
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`port ${port} on 127.0.0.1 is in use`));
  });

  it('a peer speaking another protocol version is named', async () => {
    const fake = net.createServer((s) => s.write(encodeFrame({ type: 'welcome' }, 9)));
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()));
    const port = (fake.address() as net.AddressInfo).port;
    const r = await ibvf([
      'probe',
      'run',
      '--peer',
      `127.0.0.1:${port}`,
      '--transport',
      'tcp',
      ...SMALL,
      '--timeout',
      '5',
      '--out',
      join(tempDir(), 'v.json'),
    ]);
    fake.close();
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/protocol version mismatch: the peer speaks version 9, this ibvf speaks 2/);
  });

  it('a silent peer times out after --timeout', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as net.AddressInfo).port;
    const t0 = Date.now();
    const r = await ibvf([
      'probe',
      'run',
      '--peer',
      `127.0.0.1:${port}`,
      '--transport',
      'tcp',
      ...SMALL,
      '--timeout',
      '1',
      '--out',
      join(tempDir(), 't.json'),
    ]);
    silent.close();
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/timed out after 1 s waiting for the peer to answer the handshake/);
    expect(Date.now() - t0).toBeLessThan(15000);
  });

  it('a peer that dies mid-run leaves a valid partial file and a clear message', async () => {
    const server = start(['probe', 'serve', '--port', '0', '--bind', '127.0.0.1', '--once']);
    let err = '';
    server.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const port = (await waitFor(() => err, /listening on 127\.0\.0\.1:(\d+)/))[1];
    const out = join(tempDir(), 'dead.json');
    const client = start([
      'probe',
      'run',
      '--peer',
      `127.0.0.1:${port}`,
      '--transport',
      'tcp',
      '--suite',
      'full',
      '--sizes',
      '1:4K',
      '--out',
      out,
    ]);
    await waitFor(() => (existsSync(out) ? readFileSync(out, 'utf8') : ''), /"latency":\[\{/, 30000);
    server.kill('SIGKILL');
    const r = await client.done;
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/peer.*(closed|gone|reset)/);
    expect(r.stderr).toContain(`partial results kept in ${out}`);
    const res = load(out);
    expect(res.partial).toBe(true);
    expect(res.stopped).toMatch(/peer/);
  });

  it('SIGINT stops the run, keeps partial results, exits non-zero', async () => {
    const out = join(tempDir(), 'int.json');
    const client = start([
      'probe',
      'run',
      '--transport',
      'shm',
      '--suite',
      'full',
      '--sizes',
      '1:4K',
      '--out',
      out,
    ]);
    await waitFor(() => (existsSync(out) ? readFileSync(out, 'utf8') : ''), /"latency":\[\{/, 30000);
    client.kill('SIGINT');
    const r = await client.done;
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/interrupted by SIGINT; partial results kept/);
    const res = load(out);
    expect(res.partial).toBe(true);
    expect(res.stopped).toBe('interrupted by SIGINT');
  });

  /** Starts a full shm run and resolves once its file holds a finished measurement. */
  async function startMeasuring(out: string) {
    const client = start([
      'probe',
      'run',
      '--transport',
      'shm',
      '--suite',
      'full',
      '--sizes',
      '1:4K',
      '--out',
      out,
    ]);
    // generous: on a loaded 2-vCPU machine the first full-suite step can take a minute
    await waitFor(() => (existsSync(out) ? readFileSync(out, 'utf8') : ''), /"latency":\[\{/, 120000);
    return client;
  }

  it(
    'SIGTERM ends the run at once with a message, the reason in the file and every finished measurement',
    { timeout: 180_000 },
    async () => {
      const out = join(tempDir(), 'term.json');
      const client = await startMeasuring(out);
      const before = load(out);
      client.kill('SIGTERM');
      const r = await client.done;
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`ibvf: terminated by SIGTERM; partial results kept in ${out}`);
      const res = load(out);
      expect(res.partial).toBe(true);
      expect(res.stopped).toBe('terminated by SIGTERM');
      expect(res.latency.length).toBeGreaterThanOrEqual(before.latency.length);
      expect(res.latency[0].sizes[0].samples_us.length).toBeGreaterThan(0);
    },
  );

  it(
    'a second Ctrl-C stops at once, keeping the stop reason and the results',
    { timeout: 180_000 },
    async () => {
      const out = join(tempDir(), 'int2.json');
      const client = await startMeasuring(out);
      client.kill('SIGINT');
      await waitFor(() => client.stderrSoFar(), /press Ctrl-C again to stop at once/, 10000);
      client.kill('SIGINT');
      const r = await client.done;
      expect(r.code).toBe(3);
      const res = load(out);
      expect(res.partial).toBe(true);
      // the first Ctrl-C may have finished the stop just before the second arrived
      expect(res.stopped).toMatch(/^interrupted by SIGINT( twice)?$/);
      expect(r.stderr).toMatch(/ibvf: interrupted by SIGINT( twice)?; partial results kept in /);
      expect(res.latency.length).toBeGreaterThan(0);
    },
  );

  it("SIGTERM to a launcher's rank 0 waiting for its partner removes the rendezvous file", async () => {
    const dir = tempDir();
    const env = { OMPI_COMM_WORLD_RANK: '0', OMPI_COMM_WORLD_SIZE: '2', IBVF_RENDEZVOUS_DIR: dir };
    const rank0 = start(['probe', 'run', '--transport', 'tcp', '--out', join(dir, 'r.json')], {
      ...env,
      IBVF_RENDEZVOUS_KEY: 'term-test',
    });
    const file = join(dir, '.ibvf-rendezvous-term-test.json');
    await waitFor(() => (existsSync(file) ? 'there' : ''), /there/, 20000);
    rank0.kill('SIGTERM');
    const r = await rank0.done;
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('ibvf: terminated by SIGTERM');
    expect(readdirSync(dir)).toEqual([]);
  });

  const hasMpiexec = hasTool('mpiexec', ['--version'], 'mpich');

  it("a launcher's rank 0 serves a run longer than --timeout: the timeout bounds the wait for the partner, not the run", async (ctx) => {
    const dir = tempDir();
    const env = (r: number) => ({
      OMPI_COMM_WORLD_RANK: String(r),
      OMPI_COMM_WORLD_SIZE: '2',
      IBVF_RENDEZVOUS_DIR: dir,
      IBVF_RENDEZVOUS_KEY: 'long-run',
    });
    // 24 short steps (PRTT, 4 sizes x 3 x 2 modes): each well within 3 s, all of them not
    const args = ['probe', 'run', '--transport', 'tcp', '--suite', 'loggp', '--sizes', '1:64'].concat([
      '--iters',
      '300',
      '--timeout',
      '3',
      '--out',
      join(dir, 'long.json'),
    ]);
    const started = Date.now();
    const [r0, r1] = await Promise.all([start(args, env(0)).done, start(args, env(1)).done]);
    expect(r0.stderr).not.toMatch(/no peer connected/);
    expect(r0.code).toBe(0);
    expect(r1.code).toBe(0);
    expect(load(join(dir, 'long.json')).partial).toBe(false);
    // The point of the test is a run that outlasts the timeout; a machine that ran it
    // faster proved nothing about that, and says so (skipped) instead of passing.
    if (Date.now() - started <= 3000) ctx.skip();
  });

  /** A launcher's rank 0 killed with SIGKILL while it waits: no handler runs, its rendezvous file stays. */
  async function killedRank0(dir: string, key: string): Promise<string> {
    const rank0 = start(['probe', 'run', '--transport', 'tcp', '--timeout', '60'], {
      OMPI_COMM_WORLD_RANK: '0',
      OMPI_COMM_WORLD_SIZE: '2',
      IBVF_RENDEZVOUS_DIR: dir,
      IBVF_RENDEZVOUS_KEY: key,
    });
    const file = join(dir, `.ibvf-rendezvous-${key}.json`);
    await waitFor(() => (existsSync(file) ? 'there' : ''), /there/, 20000);
    rank0.kill('SIGKILL');
    expect((await rank0.done).code).toBeNull();
    expect(existsSync(file)).toBe(true);
    return file;
  }

  it.skipIf(!hasMpiexec)(
    'a rendezvous file left by a rank 0 killed with SIGKILL is removed by the next mpiexec -n 2 run, which succeeds',
    async () => {
      const dir = tempDir();
      await killedRank0(dir, 'killed-job');
      const r = await start(
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
        ].concat(['--out', join(dir, 'after.json')]),
        { IBVF_RENDEZVOUS_DIR: dir },
        ['mpiexec', '-n', '2'],
      ).done;
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(
        'ibvf probe: removed .ibvf-rendezvous-killed-job.json, left by a run whose rank 0 is gone',
      );
      expect(readdirSync(dir)).toEqual(['after.json']);
      expectComplete(load(join(dir, 'after.json')), [1, 2, 4, 8], ['poll']);
    },
  );

  it('a later launch under the same job key is not misled by the file a SIGKILLed rank 0 left', async () => {
    const dir = tempDir();
    await killedRank0(dir, 'same-key');
    const env = (r: number) => ({
      OMPI_COMM_WORLD_RANK: String(r),
      OMPI_COMM_WORLD_SIZE: '2',
      IBVF_RENDEZVOUS_DIR: dir,
      IBVF_RENDEZVOUS_KEY: 'same-key',
    });
    const args = [
      'probe',
      'run',
      '--transport',
      'shm',
      '--progress',
      'poll',
      '--sizes',
      '1:8',
      '--iters',
      '10',
    ];
    // rank 1 first: it must wait for the new rank 0, not connect to the dead one's port
    const r1 = start([...args, '--out', join(dir, 'r.json')], env(1));
    await new Promise((r) => setTimeout(r, 1000));
    const r0 = start([...args, '--out', join(dir, 'r.json')], env(0));
    const [d0, d1] = await Promise.all([r0.done, r1.done]);
    expect(d0.code).toBe(0);
    expect(d1.code).toBe(0);
    expect(readdirSync(dir)).toEqual(['r.json']);
  });
  it.skipIf(!hasMpiexec)(
    'mpiexec -n 2 (MPICH Hydra): ranks pair themselves and one file is written',
    async () => {
      const dir = tempDir();
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const c = start(
          [
            'probe',
            'run',
            '--transport',
            'tcp',
            '--progress',
            'event',
            ...SMALL,
            '--out',
            join(dir, 'mpi.json'),
          ],
          { IBVF_RENDEZVOUS_DIR: dir },
          ['mpiexec', '-n', '2'],
        );
        c.done.then(resolve);
      });
      expect(r.stderr).not.toMatch(/ibvf: /);
      expect(r.code).toBe(0);
      const files = readdirSync(dir);
      expect(files).toEqual(['mpi.json']);
      const res = load(join(dir, 'mpi.json'));
      expect(res.options.pairing).toMatch(/^launcher mpich rank 1 of 2/);
      expect(res.pair_layout).toMatchObject({ by: 'threads', launcher: 'mpich' });
      expect(res.pair_layout?.pairs[0]).toMatchObject({ sender: { rank: 1 }, receiver: { rank: 0 } });
      expectComplete(res, SIZES_1K, ['event']);
    },
  );

  it.skipIf(!hasMpiexec)(
    'mpiexec -n 2 through a wrapper process per rank (as npx): the ranks still meet, no file is left',
    async () => {
      const dir = tempDir();
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
        ].concat(['--out', join(dir, 'npx.json'), '--timeout', '10']),
        { IBVF_RENDEZVOUS_DIR: dir },
        throughWrapper(['mpiexec', '-n', '2']),
      ).done;
      expect(r.stderr).not.toMatch(/ibvf: /);
      expect(r.code).toBe(0);
      expect(readdirSync(dir)).toEqual(['npx.json']);
      const res = load(join(dir, 'npx.json'));
      expect(res.options.pairing).toMatch(/^launcher mpich rank 1 of 2/);
      expectComplete(res, [1, 2, 4, 8], ['event']);
    },
  );

  for (const [kind, rank] of [
    ['openmpi', 'OMPI_COMM_WORLD_RANK'],
    ['pmix', 'PMIX_RANK'],
    ['slurm', 'SLURM_PROCID'],
  ] as const) {
    it(`${kind} environment (${rank}): two ranks pair through a rendezvous file`, async () => {
      const dir = tempDir();
      const env = (r: number) => ({
        [rank]: String(r),
        IBVF_RENDEZVOUS_DIR: dir,
        IBVF_RENDEZVOUS_KEY: `test-${kind}`,
        OMPI_COMM_WORLD_SIZE: '2',
        SLURM_NTASKS: '2',
      });
      const args = [
        'probe',
        'run',
        '--transport',
        'shm',
        '--progress',
        'poll',
        '--sizes',
        '1:8',
        '--iters',
        '10',
        '--out',
        join(dir, 'r.json'),
      ];
      const [r0, r1] = await Promise.all([start(args, env(0)).done, start(args, env(1)).done]);
      expect(r0.code).toBe(0);
      expect(r1.code).toBe(0);
      expect(readdirSync(dir)).toEqual(['r.json']);
      expect(load(join(dir, 'r.json')).options.pairing).toMatch(new RegExp(`^launcher ${kind} rank 1 of 2`));
    });
  }

  const netnsOk = canUseNetns();
  it.skipIf(!netnsOk)(
    'two hosts: serve and run in two network namespaces joined by a veth pair (skipped without root/ip netns)',
    async () => {
      const a = `ibvfA${process.pid}`;
      const b = `ibvfB${process.pid}`;
      const ip = (...args: string[]) => execFileSync('ip', args);
      try {
        ip('netns', 'add', a);
        ip('netns', 'add', b);
        ip(
          'link',
          'add',
          `va${process.pid % 10000}`,
          'type',
          'veth',
          'peer',
          'name',
          `vb${process.pid % 10000}`,
        );
        ip('link', 'set', `va${process.pid % 10000}`, 'netns', a);
        ip('link', 'set', `vb${process.pid % 10000}`, 'netns', b);
        ip('-n', a, 'addr', 'add', '10.77.0.1/24', 'dev', `va${process.pid % 10000}`);
        ip('-n', b, 'addr', 'add', '10.77.0.2/24', 'dev', `vb${process.pid % 10000}`);
        for (const [ns, dev] of [
          [a, `va${process.pid % 10000}`],
          [b, `vb${process.pid % 10000}`],
        ]) {
          ip('-n', ns, 'link', 'set', dev, 'up');
          ip('-n', ns, 'link', 'set', 'lo', 'up');
        }
        const server = start(
          ['probe', 'serve', '--bind', '10.77.0.1', '--port', '18519', '--once', '--timeout', '30'],
          {},
          ['ip', 'netns', 'exec', a],
        );
        let err = '';
        server.stderr?.on('data', (d: Buffer) => (err += d.toString()));
        await waitFor(() => err, /listening on 10\.77\.0\.1:18519/);
        const out = join(tempDir(), 'netns.json');
        const client = start(
          [
            'probe',
            'run',
            '--peer',
            '10.77.0.1',
            '--transport',
            'tcp',
            '--progress',
            'poll',
            ...SMALL,
            '--out',
            out,
          ],
          {},
          ['ip', 'netns', 'exec', b],
        );
        const r = await client.done;
        expect(r.stderr).not.toMatch(/ibvf: /);
        expect(r.code).toBe(0);
        expect((await server.done).code).toBe(0);
        const res = load(out);
        expect(res.options.pairing).toBe('peer 10.77.0.1:18519');
        expectComplete(res, SIZES_1K, ['poll']);
      } finally {
        spawnSync('ip', ['netns', 'del', a]);
        spawnSync('ip', ['netns', 'del', b]);
      }
    },
  );
});
