import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir } from '../../fixtures.js';
import { InputError } from '../../../src/errors.js';
import { importQperf } from '../../../src/calibrate/import/qperf.js';
import { inputErrorOf } from '../../input-error.js';

/** Real qperf 0.4.11 outputs over loopback on a 2-vCPU VM (see the folder's README.md). */
const QPERF_DIR = fixtureDir('qperf');

/** The one fixture that cannot be read: a size loop run without -vu states no sizes. */
const UNSIZED_SWEEP = 'tcp_lat_sweep.txt';

function importFixture(name: string) {
  const file = path.join(QPERF_DIR, name);
  return importQperf(readFileSync(file, 'utf8'), file);
}

/** The error importQperf throws for `text`, which must be an InputError. */
function errorOf(text: string, file = 'run.txt'): InputError {
  return inputErrorOf(() => importQperf(text, file));
}

describe('importQperf on the real outputs', () => {
  it('reads every fixture but the unsized loop, each run with points of whole bytes', () => {
    const files = readdirSync(QPERF_DIR).filter((f) => f.endsWith('.txt'));
    expect(files).toHaveLength(11);
    for (const f of files.filter((f) => f !== UNSIZED_SWEEP)) {
      const runs = importFixture(f);
      expect(runs.length).toBeGreaterThan(0);
      for (const run of runs) {
        expect(run.tool).toBe('qperf');
        expect(run.points.length).toBeGreaterThan(0);
        for (const p of run.points) expect(Number.isInteger(p.bytes) && p.bytes > 0).toBe(true);
      }
    }
  });

  it('tcp_lat tcp_bw: one run each, one-way us and 10^6 B/s at qperf default sizes', () => {
    const [lat, bw] = importFixture('tcp_lat_bw.txt');
    expect(lat).toMatchObject({ test: 'tcp_lat', metric: 'latency', latency: 'one-way', line: 1 });
    expect(lat.points).toEqual([{ bytes: 1, latency_us: 18.3 }]);
    expect(lat.notes.join('\n')).toMatch(/no msg_size/);
    expect(bw).toMatchObject({ test: 'tcp_bw', metric: 'bandwidth', line: 3 });
    expect(bw.latency).toBeUndefined();
    // 2.28 GB/sec, GB = 10^9 bytes
    expect(bw.points).toEqual([{ bytes: 65536, bandwidth_MBps: 2280 }]);
    expect(bw.notes.join('\n')).toMatch(/powers of 1000/);
  });

  it('-vu size loop: one run per test with a point per size, KiB read from the exact count', () => {
    const [lat, bw] = importFixture('tcp_sweep_vu.txt');
    const sizes = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536];
    expect(lat.points.map((p) => p.bytes)).toEqual(sizes);
    expect(lat.points.map((p) => p.latency_us)).toEqual([
      13.6, 13.6, 17.6, 18.8, 18.2, 18.9, 14.1, 14.2, 18.6,
    ]);
    expect(lat.settings).toEqual({});
    expect(bw.line).toBe(28);
    expect(bw.points.map((p) => p.bytes)).toEqual(sizes);
    // 218 KB/sec, 1.05 MB/sec, ..., 1.14 GB/sec, ..., 2.54 GB/sec
    expect(bw.points.map((p) => p.bandwidth_MBps)).toEqual([
      0.218, 1.05, 3.7, 16.3, 53.7, 223, 1140, 2060, 2540,
    ]);
  });

  it('-v: msg_rate goes to the point, cpu use to settings', () => {
    const [run] = importFixture('tcp_lat_verbose.txt');
    expect(run.points).toEqual([{ bytes: 1, latency_us: 18.1, msg_rate: 55300 }]);
    expect(run.settings).toEqual({ loc_cpus_used_pct: 95.5, rem_cpus_used_pct: 95.5 });
  });

  it('-vv: everything qperf states lands in settings, with its unit in the name', () => {
    const [lat, bw] = importFixture('tcp_lat_bw_vv.txt');
    expect(lat.points).toEqual([{ bytes: 1, latency_us: 18.9, msg_rate: 52900 }]);
    expect(lat.settings).toMatchObject({
      msg_size_bytes: 1,
      time_s: 2,
      timeout_s: 5,
      loc_cpus_used_pct: 101,
      loc_cpu_time_s: 2.02,
      loc_send_bytes: 53000,
      loc_send_msgs: 52998,
      rem_recv_msgs: 52997,
    });
    expect(lat.notes.join('\n')).not.toMatch(/no msg_size/);
    expect(bw.line).toBe(27);
    expect(bw.points).toEqual([{ bytes: 65536, bandwidth_MBps: 2450, msg_rate: 37400 }]);
    expect(bw.settings).toMatchObject({
      msg_size_bytes: 65536,
      send_cost_s_per_GB: 0.607,
      send_bytes: 4.91e9,
      recv_msgs: 74774,
    });
  });

  it('udp_bw: the point is recv_bw, send_bw is a setting', () => {
    const [lat, bw] = importFixture('udp_lat_bw.txt');
    expect(lat.points).toEqual([{ bytes: 1, latency_us: 16.6 }]);
    expect(lat.latency).toBe('one-way');
    expect(bw.points).toEqual([{ bytes: 32768, bandwidth_MBps: 2900 }]);
    expect(bw.settings).toEqual({ send_bw_MBps: 4120 });
    expect(bw.notes.join('\n')).toMatch(/recv_bw/);
  });

  it('-vv udp: the default sizes are stated and agree with the defaults assumed', () => {
    const [lat, bw] = importFixture('udp_lat_bw_vv.txt');
    expect(lat.points).toEqual([{ bytes: 1, latency_us: 13.9, msg_rate: 72200 }]);
    expect(bw.points).toEqual([{ bytes: 32768, bandwidth_MBps: 3650, msg_rate: 111000 }]);
    expect(bw.settings).toMatchObject({ send_bw_MBps: 4180, send_cpus_iowait_pct: 0.5, recv_bytes: 7.3e9 });
  });

  it('a size that moved nothing (0 ns, 0 bytes/sec at 64 KiB over UDP) is left out and noted', () => {
    const [lat, bw] = importFixture('udp_sweep_vu.txt');
    expect(lat.points.map((p) => p.bytes)).toEqual([1, 16, 256, 4096]);
    expect(lat.points.map((p) => p.latency_us)).toEqual([10.4, 14.8, 13.5, 16]);
    expect(lat.notes.join('\n')).toMatch(/left out 1 block.*line\(s\) 13/);
    expect(bw.points.map((p) => p.bandwidth_MBps)).toEqual([0.195, 1.37, 46.2, 783]);
    expect(bw.notes.join('\n')).toMatch(/left out 1 block.*line\(s\) 32/);
    expect(bw.notes.join('\n')).toMatch(/not in settings: send_bw/);
  });

  it('-uu -ub: ns and bits/sec converted', () => {
    const [lat, bw] = importFixture('tcp_uu_ub.txt');
    expect(lat.points).toEqual([{ bytes: 1, latency_us: 18.14 }]);
    expect(bw.points).toEqual([{ bytes: 65536, bandwidth_MBps: 17941397504 / 8 / 1e6 }]);
    expect(bw.notes.join('\n')).toMatch(/divided by 8/);
  });

  it('-ub: Gb/sec is 10^9 bits/s', () => {
    const [tcp, udp] = importFixture('bits_per_sec.txt');
    expect(tcp.points).toEqual([{ bytes: 65536, bandwidth_MBps: 2025 }]);
    expect(udp.points).toEqual([{ bytes: 32768, bandwidth_MBps: 2775 }]);
    expect(udp.settings).toEqual({ send_bw_MBps: 2825 });
  });

  it('-m 16M: ms latency and MiB size', () => {
    const [run] = importFixture('tcp_lat_16M.txt');
    expect(run.points).toEqual([{ bytes: 16777216, latency_us: 6620 }]);
    expect(run.settings).toEqual({ msg_size_bytes: 16777216 });
  });

  it('a -oo loop printed without -vu is refused at its second block, asking for -vu', () => {
    const file = path.join(QPERF_DIR, UNSIZED_SWEEP);
    const e = errorOf(readFileSync(file, 'utf8'), file);
    expect(e.message).toContain(`${file}:3:`);
    expect(e.message).toMatch(/-vu/);
    expect(e.line).toBe(3);
  });
});

describe('importQperf on other shapes qperf prints', () => {
  it('rc_rdma_read_lat is a round trip, rc_lat one-way', () => {
    const runs = importQperf(
      'rc_rdma_read_lat:\n    latency  =  2.4 us\nrc_lat:\n    latency  =  1.1 us\n',
      'r',
    );
    expect(runs.map((r) => [r.test, r.latency, r.points[0].latency_us])).toEqual([
      ['rc_rdma_read_lat', 'round-trip', 2.4],
      ['rc_lat', 'one-way', 1.1],
    ]);
  });

  it('rc_bi_bw is noted as both directions; the atomics give a message rate of 8-byte words', () => {
    const [bi, atomic] = importQperf(
      'rc_bi_bw:\n    bw  =  12.3 GB/sec\nrc_fetch_add_mr:\n    msg_rate  =  2.56 M/sec\n',
      'r',
    );
    expect(bi.points).toEqual([{ bytes: 65536, bandwidth_MBps: 12300 }]);
    expect(bi.notes.join('\n')).toMatch(/both directions/);
    expect(atomic).toMatchObject({ metric: 'message-rate', points: [{ bytes: 8, msg_rate: 2560000 }] });
  });

  it('a size qperf rounded (1.23 KB) is read to the byte and noted; CRLF lines are fine', () => {
    const [run] = importQperf('tcp_lat:\r\n    latency   =  20 us\r\n    msg_size  =  1.23 KB\r\n', 'r');
    expect(run.points).toEqual([{ bytes: 1230, latency_us: 20 }]);
    expect(run.notes.join('\n')).toMatch(/rounded/);
  });

  it('the same size twice starts a second run (a repeat, not a sweep)', () => {
    const block = 'tcp_lat:\n    latency   =  20 us\n    msg_size  =  4 bytes\n';
    const runs = importQperf(block + block, 'r');
    expect(runs.map((r) => r.line)).toEqual([1, 4]);
  });

  it('RDMA device and rate parameters are kept as text', () => {
    const [run] = importQperf('rc_bw:\n    bw  =  11 GB/sec\n    id  =  mlx5_0:1\n', 'r');
    expect(run.settings).toEqual({ id: 'mlx5_0:1' });
  });
});

describe('importQperf on malformed input', () => {
  it('an empty file', () => {
    for (const text of ['', '\n  \n\n']) {
      const e = errorOf(text);
      expect(e.message).toContain('run.txt:1:');
      expect(e.message).toMatch(/empty/);
    }
  });

  it('a block cut after its test name, at the end or before the next test', () => {
    expect(errorOf('tcp_lat:\n').message).toMatch(/^run\.txt:1: .*no "latency = \.\.\." line.*cut short/);
    const e = errorOf('tcp_lat:\n    latency  =  18.3 us\nrc_bw:\ntcp_bw:\n    bw  =  2 GB/sec\n');
    expect(e.message).toContain('run.txt:3:');
    expect(e.message).toMatch(/rc_bw block has no "bw = \.\.\." or "recv_bw = \.\.\." line/);
  });

  it("qperf's own error message where results should be", () => {
    const e = errorOf('rc_lat:\nfailed to find any InfiniBand devices: Function not implemented\n');
    expect(e.message).toContain('run.txt:2:');
    expect(e.message).toMatch(/not qperf output.*did not run/);
  });

  it('a value that is not a number', () => {
    const e = errorOf('tcp_lat:\n    latency  =  fast us\n');
    expect(e.message).toContain('run.txt:2:');
    expect(e.message).toMatch(/"fast us" is not a number/);
  });

  it('an unknown unit, and a unit of the wrong kind', () => {
    const unknown = errorOf('tcp_bw:\n    bw  =  2.28 GiB/sec\n');
    expect(unknown.message).toContain('run.txt:2:');
    expect(unknown.message).toMatch(/unknown unit "GiB\/sec".*GB\/sec/);
    const wrong = errorOf('tcp_lat:\n\n    latency  =  2.28 GB/sec\n');
    expect(wrong.message).toContain('run.txt:3:');
    expect(wrong.message).toMatch(/not a time unit/);
  });

  it('an unknown test names the tests the importer reads', () => {
    const e = errorOf('tcp_lat:\n    latency  =  18.3 us\nconf:\n    loc_node  =  vm1\n');
    expect(e.message).toContain('run.txt:3:');
    expect(e.message).toMatch(/unknown qperf test "conf"/);
    for (const t of ['tcp_lat', 'tcp_bw', 'udp_lat', 'udp_bw', 'rc_lat', 'rc_rdma_read_lat']) {
      expect(e.message).toContain(t);
    }
  });

  it('a result before any test name, and a result twice in one block', () => {
    expect(errorOf('    latency  =  18.3 us\n').message).toMatch(/^run\.txt:1: .*before any test name/);
    const twice = errorOf('tcp_lat:\n    latency  =  18.3 us\n    latency  =  18.4 us\n');
    expect(twice.message).toContain('run.txt:3:');
    expect(twice.message).toMatch(/second time/);
  });

  it('a run where no size moved a message', () => {
    const e = errorOf('udp_lat:\n    latency   =  0 ns\n    msg_size  =  64 KiB (65,536)\n');
    expect(e.message).toContain('run.txt:1:');
    expect(e.message).toMatch(/every result is 0/);
  });
});
