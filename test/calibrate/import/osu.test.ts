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
    const files = readdirSync(OSU_DIR).filter((f) => f.startsWith('mpich-') && f.endsWith('.txt'));
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

  it('a message size twice in one run is an error with both lines', () => {
    const e = errorOf('# OSU MPI Latency Test\n# Size  Latency (us)\n1  0.50\n2  0.51\n1  0.52\n');
    expect(e.message).toMatch(/^run\.txt:5: message size 1 appears twice in one run \(first at line 3\)/);
  });

  it('a file cut mid-number (276.04 saved as 276, no newline) is truncated, not 276.00', () => {
    const file = path.join(OSU_DIR, 'mpich-shm-np2-osu_latency.txt');
    const whole = readFileSync(file, 'utf8');
    expect(whole.endsWith('276.04\n')).toBe(true);
    const cut = whole.slice(0, whole.indexOf('276.04') + 3);
    const e = inputErrorOf(() => importOsu(cut, file));
    expect(e.message).toBe(
      `${file}:26: the file ends in the middle of this row: "276" has fewer decimals than "136.73" in the row above and no newline follows, so it was cut mid-number (truncated output); re-run the benchmark or remove the partial row`,
    );
    const partial = inputErrorOf(() => importOsu(whole.slice(0, whole.indexOf('276.04') - 5), file));
    expect(partial.message).toMatch(/:26: the file ends in the middle of this row \(1 of 2 values/);
    // whole without its final newline is still whole
    expect(importOsu(whole.trimEnd(), file)[0].points.at(-1)).toEqual({ bytes: 4194304, latency_us: 276.04 });
  });
});

describe('importOsu on OMB 7.x output run with -c (validation)', () => {
  it('reads the Validation column and keeps Pass on each point (constructed fixture)', () => {
    const [run] = importFixture('constructed-osu_allreduce-c.txt');
    expect(run).toMatchObject({ test: 'osu_allreduce', latency: 'collective-average', line: 2 });
    expect(run.settings.version).toBe('7.5');
    expect(run.points).toHaveLength(11);
    expect(run.points[0]).toEqual({ bytes: 1, latency_us: 1.62, validation: 'pass' });
    expect(run.notes).toContain('validation (-c): every size passed');
  });

  it('a Fail is kept and reported in the notes', () => {
    const text = readFileSync(path.join(OSU_DIR, 'constructed-osu_allreduce-c.txt'), 'utf8').replace(
      /^(64\s+1\.84\s+)Pass$/m,
      '$1Fail',
    );
    const [run] = importOsu(text, 'c.txt');
    expect(run.points.find((p) => p.bytes === 64)?.validation).toBe('fail');
    expect(run.notes.join(' ')).toMatch(/validation \(-c\) FAILED at 1 of 11 size\(s\): 64 bytes/);
  });

  it('a Validation cell that is neither Pass nor Fail is an error', () => {
    const e = errorOf('# OSU MPI Latency Test v7.5\n# Size  Latency (us)  Validation\n1  0.50  Maybe\n');
    expect(e.message).toMatch(/^run\.txt:3: "Maybe" is not Pass or Fail/);
  });
});
