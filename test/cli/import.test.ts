import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir } from '../fixtures.js';
import { runIbvf } from './run.js';

const OSU = fixtureDir('osu');
const FIXTURES = fixtureDir('.');

describe('ibvf import', () => {
  it('recognises each tool and prints what it read as an OSU-style table', async () => {
    const r = await runIbvf(
      'import',
      path.join(OSU, 'mpich-shm-np2-osu_latency.txt'),
      path.join(FIXTURES, 'perftest/ib_write_bw.txt'),
      path.join(FIXTURES, 'qperf/tcp_lat_bw.txt'),
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('osu osu_latency (latency, one-way)');
    expect(r.out).toMatch(/\n {2}4194304 +276\.04\n/);
    expect(r.out).toContain('perftest ib_write_bw (bandwidth)');
    expect(r.out).toContain('qperf tcp_lat (latency, one-way)');
    expect(r.out).toContain('# note: ');
  });

  it('--json gives the runs; --csv one row per size with full precision', async () => {
    const file = path.join(OSU, 'mpich-shm-np2-osu_bw.txt');
    const json = await runIbvf('import', file, '--json');
    const runs = JSON.parse(json.out) as { tool: string; test: string; points: { bytes: number }[] }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ tool: 'osu', test: 'osu_bw', metric: 'bandwidth' });
    const csv = await runIbvf('import', file, '--csv');
    const lines = csv.out.trim().split('\n');
    expect(lines[0]).toBe(
      'file,line,tool,test,metric,latency,bytes,latency_us,min_us,median_us,max_us,p99_us,p99_9_us,stdev_us,bandwidth_MBps,msg_rate,iterations,validation',
    );
    expect(lines).toHaveLength(1 + runs[0].points.length);
    expect(lines.at(-1)).toBe(`${file},1,osu,osu_bw,bandwidth,,4194304,,,,,,,,15886.4,,,`);
  });

  it('takes the sockperf message size it cannot read from the output', async () => {
    const file = path.join(FIXTURES, 'sockperf/ping-pong-m14.txt');
    const without = await runIbvf('import', file);
    expect(without.code).toBe(2);
    expect(without.err).toMatch(/ping-pong-m14\.txt:1: .*--msg-size/);
    const given = await runIbvf('import', file, '--msg-size', '14', '--json');
    expect(given.code).toBe(0);
    expect((JSON.parse(given.out) as { points: { bytes: number }[] }[])[0].points[0].bytes).toBe(14);
  });

  it('bad input: one line saying what and where, exit 2', async () => {
    const notBench = await runIbvf('import', path.join(OSU, 'README.md'));
    expect(notBench.code).toBe(2);
    expect(notBench.err).toMatch(/README\.md: not output of a tool ibvf imports/);
    expect(notBench.err.trim().split('\n')).toHaveLength(1);
    const missing = await runIbvf('import', 'no-such-file.txt');
    expect(missing.err).toMatch(/no-such-file\.txt: cannot read the file \(ENOENT\)/);
    const tool = await runIbvf('import', '--tool', 'netperf', 'x.txt');
    expect(tool.code).toBe(2);
    expect(tool.err).toMatch(/--tool netperf: expected one of osu, perftest, qperf, sockperf/);
    const both = await runIbvf('import', 'x.txt', '--json', '--csv');
    expect(both.err).toMatch(/choose one/);
  });

  it('shows OSU -c validation per size and warns on stderr about a Fail', async () => {
    const pass = await runIbvf('import', path.join(OSU, 'constructed-osu_allreduce-c.txt'));
    expect(pass.code).toBe(0);
    expect(pass.err).toBe('');
    expect(pass.out).toMatch(/Validation\n {2}1 +1\.62 +pass\n/);
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-import-'));
    const failing = path.join(dir, 'fail.txt');
    writeFileSync(
      failing,
      readFileSync(path.join(OSU, 'constructed-osu_allreduce-c.txt'), 'utf8').replace(
        /^(64\s+1\.84\s+)Pass$/m,
        '$1Fail',
      ),
    );
    const fail = await runIbvf('import', failing, '--csv');
    expect(fail.code).toBe(0);
    expect(fail.err).toBe(
      `ibvf import: warning: ${failing}:2: osu_allreduce failed its own data validation (-c) at 64 bytes\n`,
    );
    expect(fail.out).toMatch(/,64,1\.84,.*fail\n/);
  });
});
