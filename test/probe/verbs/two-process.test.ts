/**
 * The verbs probe end to end between two processes (ibvf probe run spawning its peer)
 * against the libibverbs test double: the real verbs code paths of the probe (device
 * open, inline search, QP transitions, send/write/read ping-pong, event mode,
 * streaming, errors), with results labelled as the double's.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateProbeResult } from '../../../src/probe/validate.js';
import { ibvf, start, waitFor } from '../helpers.js';
import { buildDouble, fakeSysfs, haveVerbsHeader } from './double.js';

const enabled = haveVerbsHeader();
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
    expect(res.partial).toBe(false);
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
    expect(res.streaming).toEqual([]);
    expect(res.latency_kind).toBe('half round trip');
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
