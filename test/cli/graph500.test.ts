import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIbvf } from './run.js';

const cache = mkdtempSync(path.join(tmpdir(), 'ibvf-graph500-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));
const base = ['graph500', '--scale', '10', '--roots', '8', '--draws', '4', '--cache', cache];
/** A scale-8 run on 2 nodes with no draws, caching in `dir`. */
const scale8 = (dir: string) =>
  ['graph500', '--scale', '8', '--roots', '4', '--draws', '0', '--nodes', '2', '--cache', dir] as const;

describe('ibvf graph500', () => {
  it('prints both placements, one row per count, with ranges; caches the level profiles', async () => {
    const { code, out } = await runIbvf(...base, '--nodes', '2', '--per-node', '1,2,4');
    expect(code).toBe(0);
    expect(out).toMatch(/# native\n/);
    expect(out).toMatch(/# vm-per-core\n/);
    expect(out).toMatch(/scale 10 \(1024 vertices, 16384 edges\), 8 roots, bfs_simple/);
    expect(readdirSync(cache)).toEqual(['graph500-s10-ef16-seed1-r8-m8.json']);
    expect(out).toMatch(/# {3}variant = bfs_simple: the paper does not name/);
    expect(out).toMatch(/# {3}compute\.bfsPerEdgeCost = 0\.009 us: /);
    // Read back from the cache: the same answer.
    const again = await runIbvf(...base, '--nodes', '2', '--per-node', '1,2,4');
    expect(again.out).toBe(out);
  });

  it('JSON rows: ranges around the value, TEPS = harmonic mean of per-root edges / time', async () => {
    const { code, out } = await runIbvf(...base, '--nodes', '2', '--per-node', '1,2,4', '--json', '--levels');
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.rows).toHaveLength(6);
    for (const row of r.rows) {
      expect(row.procs).toBe(2 * row.perNode);
      expect(row.time_lo_s).toBeLessThanOrEqual(row.time_s);
      expect(row.time_hi_s).toBeGreaterThanOrEqual(row.time_s);
      expect(row.teps_lo).toBeLessThanOrEqual(row.teps);
      expect(row.teps_hi).toBeGreaterThanOrEqual(row.teps);
      const hm =
        row.perRoot.length /
        row.perRoot.reduce((s: number, x: { edges: number; time_s: number }) => s + x.time_s / x.edges, 0);
      expect(row.teps).toBeCloseTo(hm, 0);
      expect(row.levels.length).toBeGreaterThan(1);
      // The first root's level times add up to its BFS time.
      const sum = row.levels.reduce((s: number, l: { time: { ns: number } }) => s + l.time.ns, 0) / 1e9;
      expect(sum).toBeCloseTo(row.perRoot[0].time_s, 12);
    }
    // One VM per core costs more than native at 4 per node (VF paths, guest ticks).
    const at = (p: string) =>
      r.rows.find((x: { placement: string; perNode: number }) => x.placement === p && x.perNode === 4);
    expect(at('vm-per-core').time_s).toBeGreaterThan(at('native').time_s);
  });

  it('replicated variant and CSV', async () => {
    const { code, out } = await runIbvf(
      ...base,
      '--nodes',
      '2',
      '--per-node',
      '2',
      '--variant',
      'replicated',
      '--csv',
    );
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe(
      'placement,per_node,procs,time_s,time_lo_s,time_hi_s,teps,teps_lo,teps_hi,extrapolated_from',
    );
    expect(lines).toHaveLength(3);
  });

  it('refuses bad input with one line and exit 2', async () => {
    const bad: [string[], RegExp][] = [
      [['graph500'], /--scale is required/],
      [[...base, '--per-node', '1,x'], /--per-node: 'x' is not a whole number/],
      [[...base, '--per-node', '-2'], /--per-node: '-2' is not a whole number/],
      [[...base, '--nodes', '0'], /--nodes: must be at least 1/],
      [[...base, '--per-node', '17'], /exceed the node's 16 cores/],
      [[...base, '--variant', 'fast'], /--variant: 'fast' is not one of simple, replicated/],
      [
        ['graph500', '--scale', '27', '--cache', cache],
        /--scale 27 needs about 24\.\d+ GiB .* above --max-memory 2\.00 GiB/,
      ],
      [[...base, '--placements', 'native,native'], /'native' is repeated/],
      [[...base, '--nodes', '1', '--per-node', '7,9,11,13,16'], /needs pair counts for 144144 rank classes/],
    ];
    for (const [args, message] of bad) {
      const { code, err, out } = await runIbvf(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(err).toMatch(message);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(out).toBe('');
    }
  });

  it('above --max-memory: refused with the estimate, or extrapolated from the largest scale that fits with --extrapolate', async () => {
    const args = [
      'graph500',
      '--scale',
      '12',
      '--roots',
      '4',
      '--draws',
      '0',
      '--nodes',
      '2',
      '--per-node',
      '2',
      '--cache',
      cache,
    ];
    const refused = await runIbvf(...args, '--max-memory', '200K');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(
      /--scale 12 needs about 0\.8 MiB .* above --max-memory 0\.2 MiB: .* or add --extrapolate/,
    );
    const { code, out, err } = await runIbvf(...args, '--max-memory', '200K', '--extrapolate', '--csv');
    expect(code).toBe(0);
    expect(err).toMatch(/level profiles extrapolated from scale 10/);
    expect(out.trim().split('\n')[1]).toMatch(/,10$/);
    const json = JSON.parse((await runIbvf(...args, '--max-memory', '200K', '--extrapolate', '--json')).out);
    expect(json.extrapolatedFrom).toBe(10);
    expect(json.scale).toBe(12);
  });

  it('an unreadable cache file is regenerated with a warning', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-graph500-bad-'));
    writeFileSync(path.join(dir, 'graph500-s8-ef16-seed1-r4-m2.json'), '{"schema":');
    writeFileSync(
      path.join(dir, 'graph500-s8-ef16-seed1-r4-m4.json'),
      JSON.stringify({
        schema: 'ibvf.graph500-profile/2',
        key: { scale: 8, edgeFactor: 16, seed: 1, roots: 4, modulus: 4 },
        vertices: 256,
        inputEdges: 4096,
        runs: [{ root: 1, visited: 3, levels: [] }],
      }),
    );
    const lacking = await runIbvf(...scale8(dir), '--per-node', '2');
    expect(lacking.code).toBe(0);
    expect(lacking.err).toMatch(/m4\.json is unreadable \(a run or level without its counts\)/);
    const { code, err } = await runIbvf(...scale8(dir), '--per-node', '1');
    expect(code).toBe(0);
    expect(err).toMatch(/warning: cache file .* is unreadable .*: generating again/);
    rmSync(dir, { recursive: true, force: true });
  });
});
