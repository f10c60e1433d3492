import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, REPO_ROOT } from '../fixtures.js';

const G500 = fixtureDir('graph500');
const OSU = fixtureDir('osu');
const BIN = path.join(REPO_ROOT, 'bin', 'ibvf.js');
const node = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });

describe('ibvf calibrate with the Graph500 reference output', () => {
  it('fits compute.bfsPerEdgeCost from one process, and ibvf graph500 predicts with it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-g500-'));
    const r = node(
      dir,
      'calibrate',
      path.join(G500, 'reference-v3-np1-scale18.txt'),
      path.join(OSU, 'mpich-shm-np2-osu_latency.txt'),
      '--path',
      'shm',
      '--name',
      'here',
      '--out',
      'here.json',
      '--json',
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status, r.stderr).toBe(0);
    const profile = JSON.parse(readFileSync(path.join(dir, 'here.json'), 'utf8'));
    const cost = profile.compute.bfsPerEdgeCost;
    // The file's own numbers: 0.0471364 s per BFS over 2 x 4193472 entries.
    expect(cost.value).toBeCloseTo((0.0471364 / (2 * 4193472)) * 1e6, 5);
    expect(cost.source.kind).toBe('fit');
    expect(cost.source.ref).toMatch(
      /^fitBfsPerEdgeCost on .*reference-v3-np1-scale18\.txt: T \/ \(2 E\) with SCALE 18/,
    );
    expect(cost.interval[0]).toBeLessThan(cost.value);
    expect(cost.interval[1]).toBeGreaterThan(cost.value);
    const { report } = JSON.parse(r.stdout);
    expect(report.warnings.join('\n')).toMatch(/skipped validation/);
    expect(report.inputs.find((i: { kind: string }) => i.kind === 'graph500').path).toBe('(node)');
    // One rank on one node is all scan: its BFS time scales with the cost per entry (the
    // built-in profile's is 9 ns), so the two predictions differ by exactly that ratio.
    const oneRankTime = (profileArg: string): number => {
      const g = node(
        dir,
        'graph500',
        '--profile',
        profileArg,
        '--scale',
        '10',
        '--nodes',
        '1',
        '--per-node',
        '1',
        '--json',
      );
      expect(g.status, g.stderr).toBe(0);
      return JSON.parse(g.stdout).rows[0].time_s;
    };
    const builtIn = oneRankTime('cx3-fdr-kvm-2013');
    expect(oneRankTime('here.json') / builtIn).toBeCloseTo(cost.value / 0.009, 6);
  });

  it('refuses a run of two processes in one line, exit 2', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-g500-'));
    const r = node(dir, 'calibrate', path.join(G500, 'reference-v3-np2-scale16.txt'), '--name', 'x');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /cannot fit compute\.bfsPerEdgeCost from .*reference-v3-np2-scale16\.txt: a run of 2 MPI processes times the exchange between them too/,
    );
  });
});
