/**
 * The verbs probe end to end between two processes (ibvf probe run spawning its peer)
 * against the libibverbs test double: the real verbs code paths of the probe (device
 * open, inline search, QP transitions, send/write/read ping-pong, event mode,
 * streaming, errors), with results labelled as the double's.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitLogGP } from '../../../src/calibrate/fit/loggp-prtt.js';
import { validateProbeResult } from '../../../src/probe/validate.js';
import { hasTool } from '../../requirements.js';
import { ibvf, start, tempDir, waitFor } from '../helpers.js';
import { buildDouble, fakeSysfs, haveVerbsHeader } from './double.js';

const enabled = haveVerbsHeader();
const hasMpiexec = hasTool('mpiexec', ['--version'], 'mpich');
let lib = '';

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { IBVF_TEST_LIBIBVERBS: lib, ...extra };
}

async function run(args: string[], extra: Record<string, string> = {}) {
  const r = await ibvf(
    [
      'probe',
      'run',
      '--transport',
      'verbs',
      '--iters',
      '20',
      '--sizes',
      '1:4K',
      '--timeout',
      '20',
      '--json',
      ...args,
    ],
    env(extra),
  );
  // Every result must hold to the ibvf.probe/1 schema (device, op and latency_kind included).
  return { ...r, result: r.code === 0 ? validateProbeResult(JSON.parse(r.stdout), 'stdout') : undefined };
}

describe.skipIf(!enabled)('verbs probe against the test double', () => {
  beforeAll(() => {
    lib = buildDouble();
  });

  it('send, poll and event: the inline search finds the double limit, the fake sysfs says VF, streaming runs', async () => {
    const sysfs = fakeSysfs(mkdtempSync(join(tmpdir(), 'ibvf-sysfs-')), 'ibvfdouble0', 'vf');
    const r = await run(['--op', 'send'], { IBVF_DOUBLE_MAX_INLINE: '100', IBVF_TEST_SYSFS: sysfs });
    expect(r.code, r.stderr).toBe(0);
    const res = r.result!;
    expect(res.transport).toBe('verbs');
    expect(res.op).toBe('send');
    expect(res.latency_kind).toBe('half round trip');
    expect(res.device?.test_double).toBe(true);
    expect(res.device?.inline.max_bytes).toBe(100);
    expect(res.device?.inline.used_bytes).toBe(100);
    expect(res.device?.inline.probes).toBeGreaterThan(5);
    expect(res.device?.function).toBe('vf');
    expect(res.device?.function_evidence).toContain('physfn');
    expect(res.device?.path_mtu).toBe(2048);
    expect(res.latency.map((l) => l.mode)).toEqual(['poll', 'event']);
    for (const l of res.latency) {
      expect(l.sizes.map((s) => s.bytes)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096]);
      for (const s of l.sizes) {
        expect(s.samples_us).toHaveLength(20);
        expect(s.min_us).toBeGreaterThan(0);
      }
    }
    expect(res.streaming.length).toBeGreaterThan(0);
    expect(res.streaming.every((s) => s.per_pair[0].messages > 0)).toBe(true);
    // perftest-style streaming: every message of every window counted, the gap is time per message
    for (const st of res.streaming) {
      const p = st.per_pair[0];
      expect(p.messages).toBe(20 * st.window);
      expect(p.gap_us).toBeCloseTo((p.seconds / p.messages) * 1e6, 9);
    }
    expect(new Set(res.streaming.map((st) => st.window))).toEqual(new Set([1, 16, 64]));
    // per-message CPU cost of the verbs calls, in steps of their own, both modes
    const ov = res.overheads ?? [];
    expect(ov.map((o) => `${o.mode} ${o.during} ${o.window} ${o.bytes}`)).toEqual([
      'poll pingpong 1 8',
      'poll pingpong 1 4096',
      'poll stream 64 8',
      'poll stream 64 4096',
      'event pingpong 1 8',
      'event pingpong 1 4096',
      'event stream 64 8',
      'event stream 64 4096',
    ]);
    for (const o of ov) {
      // one ibv_post_send timed per message sent: 20 round trips, or 20 windows of 64
      expect(o.o_send.count).toBe(o.during === 'pingpong' ? 20 : 20 * 64);
      expect(o.o_send.min_us).toBeGreaterThan(0);
      expect(o.o_send.p99_us).toBeGreaterThanOrEqual(o.o_send.median_us);
      // a receive (its poll and re-post) is timed on the timing side only in ping-pong
      if (o.during === 'pingpong') {
        expect(o.o_recv?.count).toBe(20);
        expect(o.o_recv!.min_us).toBeGreaterThan(0);
      } else {
        expect(o.o_recv).toBeNull();
      }
    }
    expect(res.partial).toBe(false);
  });

  it('tables: the overhead table names the calls timed', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ibvf-verbs-out-')), 'r.json');
    const r = await ibvf(
      [
        'probe',
        'run',
        '--transport',
        'verbs',
        '--iters',
        '5',
        '--sizes',
        '8:8',
        '--progress',
        'poll',
        '--out',
        out,
      ],
      env(),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /verbs streaming: up to window messages in flight, completions polled \(perftest's ib_\*_bw/,
    );
    expect(r.stdout).toMatch(
      /o_send = ibv_post_send; o_recv = the ibv_poll_cq that returned the receive \+ ibv_post_recv/,
    );
    expect(r.stdout).toMatch(/ {2}poll {2}pingpong {7}1 {8}8 +\d+\.\d\d +\d+\.\d\d +\d+\.\d\d/);
  });

  it.each(['send', 'write'] as const)(
    'loggp suite over %s: PRTT(1,0,s), PRTT(8,0,s), PRTT(128,0,s), PRTT(8,d,s) per size, accepted by the LogGP fitter',
    async (op) => {
      const r = await run([
        '--op',
        op,
        '--suite',
        'loggp',
        '--sizes',
        '1:64',
        '--progress',
        'poll',
        '--iters',
        '10',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const res = r.result!;
      expect(res.device?.test_double).toBe(true);
      expect(res.prtt.map((p) => `${p.bytes}/${p.n}/${p.d_us > 0 ? 'd' : 0}`)).toEqual(
        [1, 4, 16, 64].flatMap((b) => [`${b}/1/0`, `${b}/8/0`, `${b}/128/0`, `${b}/8/d`]),
      );
      for (const p of res.prtt) expect(p.samples_us).toHaveLength(10);
      // A delayed train takes at least its 7 delays: the sender really waited between messages.
      for (const p of res.prtt.filter((x) => x.d_us > 0)) expect(p.min_us).toBeGreaterThanOrEqual(7 * p.d_us);
      // The fitter takes the runs as they are (a check of the plumbing: numbers from the
      // double are never fitted into a profile, and calibrate refuses them).
      const fit = fitLogGP(
        res.prtt.map((p) => ({ ...p, us: p.median_us })),
        { draws: 0 },
      );
      expect(fit.gapBySize.map((g) => g.bytes)).toEqual([1, 4, 16, 64]);
      expect(Number.isFinite(fit.L.value)).toBe(true);
      // ping-pong and stream at 8 B, the one streaming size within 1:64
      expect(res.overheads?.map((o) => `${o.during} ${o.bytes}`)).toEqual(['pingpong 8', 'stream 8']);
      if (op === 'write') expect(res.overheads!.every((o) => o.o_recv === null)).toBe(true);
    },
  );

  it.skipIf(!hasMpiexec)(
    'mpiexec -n 4: 2 pairs of processes over verbs, each its own QP, overheads gathered per pair',
    async () => {
      const dir = tempDir();
      const out = join(dir, 'pairs.json');
      const r = await start(
        [
          'probe',
          'run',
          '--transport',
          'verbs',
          '--progress',
          'poll',
          '--sizes',
          '8:8',
          '--iters',
          '10',
          '--out',
          out,
        ],
        env({ IBVF_RENDEZVOUS_DIR: dir }),
        ['mpiexec', '-n', '4'],
      ).done;
      expect(r.code, r.stderr).toBe(0);
      const res = validateProbeResult(JSON.parse(readFileSync(out, 'utf8')), out);
      expect(res.device?.test_double).toBe(true);
      expect(res.pair_layout?.by).toBe('processes');
      expect(res.options.pairs).toBe(2);
      const pids = res.pair_layout!.pairs.flatMap((p) => [p.sender.pid, p.receiver.pid]);
      expect(new Set(pids).size).toBe(4);
      for (const st of res.streaming) {
        expect(st.per_pair.map((p) => p.messages)).toEqual([10 * st.window, 10 * st.window]);
        expect(st.aggregate.msg_rate).toBeCloseTo(st.per_pair[0].msg_rate + st.per_pair[1].msg_rate, 6);
      }
      expect(res.overheads?.map((o) => `${o.pair} ${o.during}`)).toEqual([
        '0 pingpong',
        '1 pingpong',
        '0 stream',
        '1 stream',
      ]);
      expect(res.overheads?.every((o) => o.o_send.count === (o.during === 'stream' ? 640 : 10))).toBe(true);
    },
  );

  it("pins each side to its HCA's NUMA node by default (fake sysfs), and says where", async () => {
    const sysfs = fakeSysfs(mkdtempSync(join(tmpdir(), 'ibvf-sysfs-')), 'ibvfdouble0', 'pf', {
      node: 1,
      cpus: '0-1',
    });
    const r = await run(['--sizes', '8:8', '--progress', 'poll'], { IBVF_TEST_SYSFS: sysfs });
    expect(r.code, r.stderr).toBe(0);
    const p = r.result!.placement;
    expect(p.relation).toBe('numa');
    expect(p.cpus).toEqual([0, 1]);
    expect(p.numa?.this_side).toMatchObject({ node: 1, node_cpus: [0, 1], cpus: [0] });
    expect(p.numa?.this_side.evidence).toBe(
      `${sysfs}/class/infiniband/ibvfdouble0/device/numa_node: 1; node 1 CPUs 0,1`,
    );
    expect(p.numa?.peer).toMatchObject({ node: 1, cpus: [1] });
    expect(r.result!.latency[0].cpu).toBe(0);
    expect(r.stderr).toMatch(
      /pinned to CPU 0 on ibvfdouble0's NUMA node 1 \(the peer pins on its own HCA's node/,
    );
  });

  it('a node the platform does not state (-1) pins nothing and says why; --no-pin and --cpus override', async () => {
    const sysfs = fakeSysfs(mkdtempSync(join(tmpdir(), 'ibvf-sysfs-')), 'ibvfdouble0', 'pf', {
      node: -1,
      cpus: '',
    });
    const unknown = await run(['--sizes', '8:8', '--progress', 'poll'], { IBVF_TEST_SYSFS: sysfs });
    expect(unknown.code, unknown.stderr).toBe(0);
    expect(unknown.result!.placement).toMatchObject({ relation: 'numa', cpus: [null, null] });
    expect(unknown.result!.placement.numa?.this_side.evidence).toMatch(
      /numa_node is -1: the platform does not say/,
    );
    expect(unknown.result!.latency[0].cpu).toBeNull();

    const off = await run(['--sizes', '8:8', '--progress', 'poll', '--no-pin']);
    expect(off.code, off.stderr).toBe(0);
    expect(off.result!.placement).toEqual({ relation: 'unpinned', cpus: [null, null] });

    const given = await run(['--sizes', '8:8', '--progress', 'poll', '--cpus', '1,0']);
    expect(given.code, given.stderr).toBe(0);
    expect(given.result!.placement).toEqual({ relation: 'cpus', cpus: [1, 0] });
    expect(given.result!.latency[0].cpu).toBe(1);

    const both = await run(['--cpus', '1,0', '--no-pin']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--cpus and --pin\/--no-pin: give one placement/);
  });

  /** `probe serve --once` with its own settings and environment, and a client run against it. */
  async function mismatch(serveArgs: string[], serveEnv: Record<string, string>, runArgs: string[]) {
    const server = start(
      ['probe', 'serve', '--once', '--port', '0', '--bind', '127.0.0.1', ...serveArgs],
      env(serveEnv),
    );
    let log = '';
    server.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const port = (await waitFor(() => log, /listening on [^\s]+:(\d+)/))[1];
    const client = await ibvf(
      [
        'probe',
        'run',
        '--peer',
        `127.0.0.1:${port}`,
        '--transport',
        'verbs',
        '--iters',
        '5',
        '--sizes',
        '8:8',
        '--json',
        ...runArgs,
      ],
      env(),
    );
    // a server turned a client away keeps listening, even with --once: stopped once it has said why
    await waitFor(() => log, /mismatch/);
    if (server.exitCode === null) server.kill('SIGTERM');
    await server.done;
    return { client, serverLog: log };
  }

  it('MTU mismatch: ports with different active MTUs, both sides stop before connecting and name both values', async () => {
    const r = await mismatch([], { IBVF_DOUBLE_MTU: '1024' }, []);
    const both =
      /active MTU mismatch: the client's ibvfdouble0 port 1 runs MTU 2048, the server's ibvfdouble0 port 1 runs MTU 1024; RC would connect at 1024/;
    expect(r.client.code).toBe(3);
    expect(r.client.stderr.split('\n').filter((l) => l.startsWith('ibvf:'))).toEqual([
      expect.stringMatching(both),
    ]);
    expect(r.client.stdout).toBe('');
    expect(r.serverLog).toMatch(both);
    expect(r.client.stderr + r.serverLog).not.toMatch(/\n\s+at /);
  });

  it('a server started with another --op, --inline or --progress turns the client away, naming both values', async () => {
    const op = await mismatch(['--op', 'write'], {}, ['--op', 'send']);
    expect(op.client.code).toBe(3);
    expect(op.client.stderr).toMatch(
      /the peer rejected this run: option mismatch: --op is write on the server but send on the client/,
    );
    expect(op.serverLog).toMatch(
      /turned away .*: option mismatch: --op is write on the server but send on the client/,
    );
    const inline = await mismatch(['--inline', '0'], {}, ['--inline', '64']);
    expect(inline.client.stderr).toMatch(/option mismatch: --inline is 0 on the server but 64 on the client/);
    expect(inline.serverLog).toMatch(/option mismatch: --inline is 0 on the server but 64 on the client/);
    const progress = await mismatch(['--progress', 'event'], {}, ['--progress', 'poll']);
    expect(progress.client.stderr).toMatch(
      /option mismatch: --progress is event on the server but poll on the client/,
    );
    expect(progress.serverLog).toMatch(
      /option mismatch: --progress is event on the server but poll on the client/,
    );
  });

  it('--op read with --suite loggp is refused: a read has no answer to time (exit 2)', async () => {
    const r = await run(['--op', 'read', '--suite', 'loggp']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/--op read with --suite loggp: .*an RDMA read has no answer from the peer/),
    ]);
  });

  it('--inline 0 against a device without inline (a ConnectX-3 VF), and a PF from the fake sysfs', async () => {
    const sysfs = fakeSysfs(mkdtempSync(join(tmpdir(), 'ibvf-sysfs-')), 'ibvfdouble0', 'pf');
    const r = await run(['--op', 'send', '--inline', '0', '--progress', 'poll'], {
      IBVF_DOUBLE_MAX_INLINE: '0',
      IBVF_TEST_SYSFS: sysfs,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.result!.device?.inline).toMatchObject({ max_bytes: 0, used_bytes: 0 });
    expect(r.result!.device?.function).toBe('pf');
    expect(r.result!.device?.function_evidence).toContain('sriov_numvfs');
  });

  it('--pairs 2: one QP per pair, each measured, streaming summed over the pairs', async () => {
    const r = await run([
      '--op',
      'send',
      '--pairs',
      '2',
      '--progress',
      'poll',
      '--sizes',
      '1:64',
      '--device',
      'ibvfdouble0',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const res = r.result!;
    expect(res.latency.map((l) => l.pair)).toEqual([0, 1]);
    const s = res.streaming[0];
    expect(s.per_pair).toHaveLength(2);
    expect(s.aggregate.msg_rate).toBeCloseTo(s.per_pair[0].msg_rate + s.per_pair[1].msg_rate, 6);
  });

  it('RDMA write: poll mode only, ping-pong only, half round trip', async () => {
    const r = await run(['--op', 'write']);
    expect(r.code, r.stderr).toBe(0);
    const res = r.result!;
    expect(res.op).toBe('write');
    expect(res.options.progress).toEqual(['poll']);
    expect(res.latency).toHaveLength(1);
    expect(res.latency[0].sizes).toHaveLength(13);
    expect(res.latency_kind).toBe('half round trip');
    // ib_write_bw-style streaming: the receiver takes no part, every write is counted
    expect(res.streaming.map((st) => st.window)).toEqual([1, 1, 16, 16, 64, 64]);
    expect(res.streaming.map((st) => st.bytes).slice(0, 3)).toEqual([8, 4096, 8]);
    expect(res.streaming.every((st) => st.per_pair[0].messages === 20 * st.window)).toBe(true);
    // no receive completion exists for a write: only the post is timed
    expect(res.overheads?.length).toBe(4);
    expect(res.overheads!.every((o) => o.o_send.count > 0 && o.o_recv === null)).toBe(true);
  });

  it('RDMA read in event mode: whole round trips', async () => {
    const r = await run(['--op', 'read', '--progress', 'event']);
    expect(r.code, r.stderr).toBe(0);
    const res = r.result!;
    expect(res.op).toBe('read');
    expect(res.latency_kind).toBe('round trip');
    expect(res.latency[0].mode).toBe('event');
    expect(res.latency[0].sizes.every((s) => s.samples_us.length === 20)).toBe(true);
  });

  it('an inline size the device refuses names the cap and the maximum found (exit 3)', async () => {
    const r = await run(['--op', 'send', '--inline', '300'], { IBVF_DOUBLE_MAX_INLINE: '100' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/QP creation refused: .*max_inline_data 300.*refuses 300 bytes of inline data/);
    expect(r.stderr).toMatch(/its maximum with these queue depths is 100; use --inline 100 or less/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a registration the locked-memory limit refuses says the limit and what to do, exit 3, nothing hangs', async () => {
    // The double fails ibv_reg_mr beyond IBVF_DOUBLE_MEMLOCK bytes with ENOMEM, as the
    // kernel does beyond RLIMIT_MEMLOCK: 3 x 64 KiB of buffers do not fit in 64 KiB.
    const r = await run(['--op', 'send', '--sizes', '1:64K'], { IBVF_DOUBLE_MEMLOCK: '65536' });
    expect(r.code).toBe(3);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('ibvf:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /ibv_reg_mr could not register the probe's buffers \(196608 bytes for the largest --sizes\)/,
    );
    expect(errors[0]).toMatch(
      /Cannot allocate memory; the locked-memory limit \(ulimit -l\) is (unlimited|\d+ KiB): raise it/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Within the limit the same run measures.
    const small = await run(['--op', 'send', '--sizes', '1:4K'], { IBVF_DOUBLE_MEMLOCK: '65536' });
    expect(small.code, small.stderr).toBe(0);
  });

  it('a device without completion events, in event mode, says so (exit 3)', async () => {
    const r = await run(['--op', 'send', '--progress', 'event'], { IBVF_DOUBLE_EVENTS: '0' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/ibv_req_notify_cq/);
  });

  it('a peer killed mid-run stops the run in one line, exit 3, without hanging', async () => {
    const server = start(['probe', 'serve', '--once', '--port', '0', '--bind', '127.0.0.1'], env());
    let log = '';
    server.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const port = (await waitFor(() => log, /listening on [^\s]+:(\d+)/))[1];
    const client = start(
      // --json with no --out: no result file is left behind
      ['probe', 'run', '--peer', `127.0.0.1:${port}`, '--transport', 'verbs', '--iters', '1000000', '--json'],
      env({}),
    );
    client.stdout?.resume();
    await new Promise((r) => setTimeout(r, 3000));
    server.kill('SIGKILL');
    const done = await client.done;
    expect(done.code).toBe(3);
    const errors = done.stderr.split('\n').filter((l) => l.startsWith('ibvf:'));
    expect(errors).toEqual([expect.stringMatching(/the peer closed the connection|peer/)]);
    expect(done.stderr).not.toMatch(/\n\s+at /);
  });

  it('--device names a device that does not exist: said, exit 3', async () => {
    const r = await run(['--op', 'send', '--device', 'mlx9_7']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no RDMA device named mlx9_7 \(ibvf devices lists them\)/);
  });

  it('a port that is down is named (exit 3)', async () => {
    const r = await run(['--op', 'send'], { IBVF_DOUBLE_PORT: 'down' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/port 1 is not active/);
  });

  it('ibvf devices lists the double, labelled, with the VF evidence and NUMA node from the fake sysfs', async () => {
    const sysfs = fakeSysfs(mkdtempSync(join(tmpdir(), 'ibvf-sysfs-')), 'ibvfdouble0', 'vf');
    const d = await ibvf(['devices', '--json'], env({ IBVF_TEST_SYSFS: sysfs }));
    expect(d.code).toBe(0);
    const report = JSON.parse(d.stdout);
    expect(report.test_double).toBe(true);
    expect(report.devices).toHaveLength(1);
    expect(report.devices[0]).toMatchObject({ name: 'ibvfdouble0', function: 'vf', numa_node: 1 });
    expect(report.devices[0].ports[0]).toMatchObject({ state: 'active', active_mtu: 2048 });
    expect(report.devices[0].ports[0].gids[0].type).toBe('InfiniBand');
    const text = await ibvf(['devices'], env({ IBVF_TEST_SYSFS: sysfs }));
    expect(text.stdout).toMatch(/test double loaded/);
    expect(text.stdout).toMatch(/ibvfdouble0 {2}VF/);
  });
});
