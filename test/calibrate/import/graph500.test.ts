import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGraph500Output, parseGraph500Output } from '../../../src/calibrate/import/graph500.js';
import { fixtureDir } from '../../fixtures.js';
import { inputErrorOf } from '../../input-error.js';

/** Real Graph500 reference v3 outputs on the build VM (see the folder's README.md). */
const DIR = fixtureDir('graph500');
const read = (name: string) => {
  const file = path.join(DIR, name);
  return { file, text: readFileSync(file, 'utf8') };
};

describe('the Graph500 reference output', () => {
  it('reads the statistics and, with stderr kept, every root', () => {
    const { file, text } = read('reference-v3-np1-scale18.txt');
    expect(isGraph500Output(text)).toBe(true);
    const run = parseGraph500Output(text, file);
    expect(run).toMatchObject({
      scale: 18,
      edgefactor: 16,
      roots: 64,
      processes: 1,
      bfsMeanTime_s: 0.0471364,
      meanNedge: 4193472,
      harmonicMeanTeps: 8.89647e7,
      validated: false,
    });
    expect(run.perRoot).toHaveLength(64);
    expect(run.perRoot[0]).toEqual({ root: 0, time_s: 0.044484, teps: 9.42697e7 });
    // Each root traversed the same component here: TEPS x time is its nedge, to the digits printed.
    for (const r of run.perRoot) expect(Math.abs((r.teps * r.time_s) / 4193472 - 1)).toBeLessThan(1e-4);
  });

  it('reads stdout alone, without roots; and a run of two processes', () => {
    const alone = read('reference-v3-np1-scale18-stdout.txt');
    expect(parseGraph500Output(alone.text, alone.file).perRoot).toEqual([]);
    const two = read('reference-v3-np2-scale16.txt');
    expect(parseGraph500Output(two.text, two.file)).toMatchObject({ scale: 16, processes: 2 });
  });

  it('is not taken for other tools output', () => {
    for (const [folder, name] of [
      ['osu', 'mpich-shm-np2-osu_latency.txt'],
      ['osu', 'mpich-shm-np2-osu_bcast.txt'],
      ['qperf', 'tcp_lat_16M.txt'],
    ])
      expect(isGraph500Output(readFileSync(path.join(fixtureDir(folder), name), 'utf8'))).toBe(false);
  });

  it('refuses an invalid run, a missing key or a bad number, naming file and line', () => {
    const { text } = read('reference-v3-np1-scale18-stdout.txt');
    const invalid = 'SCALE: 18\nnum_mpi_processes: 1\nNo results printed for invalid run.\n';
    expect(inputErrorOf(() => parseGraph500Output(invalid, 'g.txt')).message).toMatch(
      /^g\.txt:3: the Graph500 run failed its validation and printed no results/,
    );
    const noTime = text.replace(/^bfs {2}mean_time:.*$/m, '');
    expect(inputErrorOf(() => parseGraph500Output(noTime, 'g.txt')).message).toMatch(
      /^g\.txt: no "bfs mean_time:" line: not the whole output of the Graph500 reference/,
    );
    const zero = text.replace(/^mean_nedge:.*$/m, 'mean_nedge:                     0');
    const line = zero.split('\n').findIndex((l) => l.startsWith('mean_nedge:')) + 1;
    expect(inputErrorOf(() => parseGraph500Output(zero, 'g.txt')).message).toBe(
      `g.txt:${line}: mean_nedge: 0 is not a positive number`,
    );
    const badRoot = 'Time for BFS 3 is 0\n' + text;
    expect(inputErrorOf(() => parseGraph500Output(badRoot, 'g.txt')).message).toMatch(
      /^g\.txt:1: BFS 3: time 0 is not a positive number/,
    );
  });
});
