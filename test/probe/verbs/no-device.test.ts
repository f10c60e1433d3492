/**
 * On a machine without RDMA (this build VM: libibverbs installed, no kernel support)
 * `ibvf devices` says so and exits 0, and `probe run --transport verbs` says the same
 * and exits 3, in one line without a stack trace.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ibvf } from '../helpers.js';

const noRdma = !existsSync('/sys/class/infiniband');

describe('no RDMA devices', () => {
  it.skipIf(!noRdma)('ibvf devices says there are none and why, exit 0 (text and --json)', async () => {
    const text = await ibvf(['devices']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/no RDMA devices/);
    const json = await ibvf(['devices', '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { devices: unknown[]; why: string; test_double: boolean };
    expect(report.devices).toEqual([]);
    expect(report.test_double).toBe(false);
    expect(report.why).toMatch(/no RDMA devices/);
  });

  it.skipIf(!noRdma)(
    'probe run --transport verbs says the same and exits 3 without a stack trace',
    async () => {
      const r = await ibvf(['probe', 'run', '--transport', 'verbs', '--json']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/--transport verbs: no RDMA devices/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  it('a libibverbs that cannot be loaded is named, with what to install (devices: exit 0; probe: exit 3)', async () => {
    const env = { IBVF_TEST_LIBIBVERBS: '/nonexistent/libibverbs.so.1' };
    const d = await ibvf(['devices'], env);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/libibverbs is not installed or not loadable .*nonexistent/);
    const r = await ibvf(['probe', 'run', '--transport', 'verbs'], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--transport verbs: libibverbs is not installed/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('verbs options are refused where they make no sense, exit 2', async () => {
    const write = await ibvf([
      'probe',
      'run',
      '--transport',
      'verbs',
      '--op',
      'write',
      '--progress',
      'event',
    ]);
    expect(write.code).toBe(2);
    expect(write.stderr).toMatch(/ib_write_lat refuses -e/);
    const tcp = await ibvf(['probe', 'run', '--transport', 'tcp', '--inline', '0']);
    expect(tcp.code).toBe(2);
    expect(tcp.stderr).toMatch(/--op, --inline, --region, --device and --ib-port are for --transport verbs/);
    const read = await ibvf(['probe', 'run', '--transport', 'verbs', '--op', 'read', '--inline', '64']);
    expect(read.code).toBe(2);
    // PRTT needs the peer's answer: a read has none (write and send run the loggp suite)
    const loggp = await ibvf(['probe', 'run', '--transport', 'verbs', '--op', 'read', '--suite', 'loggp']);
    expect(loggp.code).toBe(2);
    expect(loggp.stderr).toMatch(/--op read with --suite loggp: .*an RDMA read has no answer from the peer/);
    const place = await ibvf(['probe', 'run', '--transport', 'verbs', '--cpus', '0']);
    expect(place.code).toBe(2);
    expect(place.stderr).toMatch(/--cpus: '0' is not two CPU numbers A,B \(this side, the peer\)/);
  });
});
