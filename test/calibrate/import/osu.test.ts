import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir } from '../../fixtures.js';
import { InputError } from '../../../src/errors.js';
import { importOsu } from '../../../src/calibrate/import/osu.js';
import { inputErrorOf } from '../../input-error.js';

/** Real OSU Micro-Benchmarks 5.3 outputs (MPICH, shared memory, 2 ranks): test/fixtures/osu. */
const OSU_DIR = fixtureDir('osu');

function importFixture(name: string) {
  const file = path.join(OSU_DIR, name);
  return importOsu(readFileSync(file, 'utf8'), file);
}

/** The error importOsu throws for `text`, which must be an InputError. */
function errorOf(text: string): InputError {
  return inputErrorOf(() => importOsu(text, 'run.txt'));
}

describe('importOsu on the real MPICH outputs', () => {
  it('reads every file of validation/osu into one run with a row per size', () => {
    const files = readdirSync(OSU_DIR).filter((f) => f.endsWith('.txt'));
    expect(files.length).toBe(8);
    for (const f of files) {
      const runs = importFixture(f);
      expect(runs).toHaveLength(1);
      const test = /osu_\w+?(?=(-f)?\.txt)/.exec(f)![0];
      expect(runs[0].test).toBe(test);
      expect(runs[0].points.length).toBeGreaterThan(15);
      for (const p of runs[0].points) expect(Number.isInteger(p.bytes)).toBe(true);
    }
  });

  it('osu_latency: one-way latency in us per size, 0 B to 4 MB', () => {
    const [run] = importFixture('mpich-shm-np2-osu_latency.txt');
    expect(run).toMatchObject({
      tool: 'osu',
      test: 'osu_latency',
      metric: 'latency',
      latency: 'one-way',
      line: 1,
    });
    expect(run.points[0]).toEqual({ bytes: 0, latency_us: 0.13 });
    expect(run.points.at(-1)).toEqual({ bytes: 4194304, latency_us: 276.04 });
  });

  it('osu_bw: bandwidth in MB/s = 10^6 B/s, as OSU prints it', () => {
    const [run] = importFixture('mpich-shm-np2-osu_bw.txt');
    expect(run.metric).toBe('bandwidth');
    expect(run.latency).toBeUndefined();
    expect(run.points[0]).toEqual({ bytes: 1, bandwidth_MBps: 23.85 });
    expect(run.points.at(-1)).toEqual({ bytes: 4194304, bandwidth_MBps: 15886.4 });
    expect(run.notes.join(' ')).toContain('10^6');
  });

  it('collectives with -f: average, min, max and iterations; without -f: the average alone', () => {
    const [full] = importFixture('mpich-shm-np2-osu_bcast-f.txt');
    expect(full).toMatchObject({ test: 'osu_bcast', latency: 'collective-average', line: 2 });
    expect(full.points.at(-1)).toEqual({
      bytes: 1048576,
      latency_us: 66.01,
      min_us: 65.89,
      max_us: 66.12,
      iterations: 100,
    });
    const [plain] = importFixture('mpich-shm-np2-osu_alltoall.txt');
    expect(plain.test).toBe('osu_alltoall');
    expect(plain.points.at(-1)).toEqual({ bytes: 1048576, latency_us: 93.09 });
  });
});

describe('importOsu on other OMB shapes', () => {
  it('reads a version, settings lines, osu_mbw_mr and osu_barrier, several runs in one file, and skips launcher noise', () => {
    const text = [
      'Warning: Permanently added node2 to the list of known hosts.',
      '# OSU MPI Multiple Bandwidth / Message Rate Test v7.2',
      '# [ pairs: 4 ] [ window size: 64 ]',
      '# Size                  MB/s        Messages/s',
      '1                       3.57        3567422.10',
      '2                       7.31        3655210.44',
      '',
      '# OSU MPI Barrier Latency Test v7.2',
      '# Datatype: MPI_CHAR.',
      '# Avg Latency(us)',
      '             1.93',
    ].join('\n');
    const [mr, barrier] = importOsu(text, 'mixed.txt');
    expect(mr).toMatchObject({ test: 'osu_mbw_mr', metric: 'bandwidth', line: 2 });
    expect(mr.settings).toEqual({ version: '7.2', pairs: 4, 'window size': 64 });
    expect(mr.points[1]).toEqual({ bytes: 2, bandwidth_MBps: 7.31, msg_rate: 3655210.44 });
    expect(barrier).toMatchObject({ test: 'osu_barrier', latency: 'collective-average', line: 8 });
    expect(barrier.settings.datatype).toBe('MPI_CHAR');
    expect(barrier.points).toEqual([{ bytes: 0, latency_us: 1.93 }]);
    expect(barrier.notes.join(' ')).toContain('no Size column');
  });
});

describe('importOsu on bad input', () => {
  it('names the file and line of a row that does not fit its header', () => {
    const e = errorOf('# OSU MPI Latency Test\n# Size  Latency (us)\n1  0.5\n2  0.5  7\n');
    expect(e.message).toMatch(/^run\.txt:4: 3 values where the header names 2 columns/);
  });

  it('rejects a value that is not a number, with its line', () => {
    const e = errorOf('# OSU MPI Latency Test\n# Size  Latency (us)\n1  0.5\n2  0.x5\n');
    expect(e.message).toMatch(/^run\.txt:4: "0\.x5" is not a number/);
  });

  it('says when a run was cut short: a header and no rows, or no header at all', () => {
    expect(errorOf('# OSU MPI Bandwidth Test\n# Size   Bandwidth (MB/s)\n').message).toMatch(
      /^run\.txt:2: .*header but no rows/,
    );
    expect(errorOf('# OSU MPI Bandwidth Test\n').message).toMatch(
      /^run\.txt:1: .*no "# Size \.\.\." column header/,
    );
  });

  it('says when the file is not OSU output, and names an unknown column', () => {
    expect(errorOf('hello\nworld\n').message).toMatch(/^run\.txt:1: no "# OSU \.\.\. Test" title/);
    expect(errorOf('1  0.5\n').message).toMatch(/^run\.txt:1: a row of numbers before any/);
    expect(errorOf('# OSU MPI Latency Test\n# Size  Latency (ms)\n').message).toMatch(
      /^run\.txt:2: unknown OSU column "latency \(ms\)"/,
    );
  });
});
