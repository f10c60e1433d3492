import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir } from '../fixtures.js';
import { runIbvf } from './run.js';

const MATRIX = path.join(fixtureDir('probe'), 'shm-matrix-4.json');
const QUICK = path.join(fixtureDir('probe'), 'shm-quick-poll.json');

describe('ibvf probe show', () => {
  it('a matrix file: ranks, one row per pair, both matrices and the outliers', async () => {
    const r = await runIbvf('probe', 'show', MATRIX);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# ibvf probe --matrix, shm, 4 ranks \(mpich\), 6 pairs$/m);
    expect(r.out).toMatch(/^ {5}3 {2}\S+\s+none\s+transport shm/m);
    const rows = r.out.split('\n').filter((l) => /^\s+\d-\d {2}same-host/.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/)[0])).toEqual(['0-1', '0-2', '0-3', '1-2', '1-3', '2-3']);
    expect(r.out).toMatch(/one-way latency \(us\), median at 1 B, poll mode, rank x rank:/);
    expect(r.out).toMatch(/bandwidth \(MB\/s\) at 65536 B, window 64, poll mode:/);
    // the matrix row of rank 2 holds its three pairs' latencies, '-' on the diagonal
    const m = JSON.parse(readFileSync(MATRIX, 'utf8'));
    const row2 = r.out.split('\n').find((l) => /^ {5}2 /.test(l) && l.includes(' - '))!;
    expect(row2.trim().split(/\s+/)).toEqual([
      '2',
      ...[0, 1].map((j) => m.latency_us[2][j].toFixed(2)),
      '-',
      m.latency_us[2][3].toFixed(2),
    ]);
    expect(r.out).toMatch(/^ {2}ranks 0-1 \(same-host\): latency 520\.9 us is \d+% above the class median/m);
  });

  it('an ibvf.probe/1 file: its latency and streaming tables', async () => {
    const r = await runIbvf('probe', 'show', QUICK);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/shm ping-pong, poll mode: one-way latency = half round trip \(usec\)/);
    expect(r.out).toMatch(/^\s+16384\s+\d+/m);
  });

  it('--json prints the validated file', async () => {
    const r = await runIbvf('probe', 'show', MATRIX, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(readFileSync(MATRIX, 'utf8')));
  });

  it('bad files: one line naming the file and what is wrong, exit 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-show-'));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...JSON.parse(readFileSync(MATRIX, 'utf8')), latency_us: 'x' }));
    const r = await runIbvf('probe', 'show', bad);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/bad\.json: field latency_us: /);
    const missing = await runIbvf('probe', 'show', path.join(dir, 'none.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/none\.json: cannot read the file \(ENOENT\)/);
  });
});
