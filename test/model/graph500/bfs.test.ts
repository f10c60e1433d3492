import { describe, expect, it } from 'vitest';
import { bfs, foldPairs } from '../../../src/model/graph500/bfs.js';
import type { Csr } from '../../../src/model/graph500/csr.js';
import { csrOf } from './graphs.js';
import { generateCsr } from '../../../src/model/graph500/kronecker.js';
import { modulusFor, profileGraph, sampleRoots } from '../../../src/model/graph500/profile.js';
import { validateBfs } from '../../../src/model/graph500/validate.js';

/** Distances by a plain queue BFS: the simple reference. */
function distances(g: Csr, root: number): number[] {
  const d = new Array<number>(g.vertices).fill(-1);
  d[root] = 0;
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i];
    for (let k = g.offsets[u]; k < g.offsets[u + 1]; k++) {
      const v = g.adjacency[k];
      if (d[v] < 0) {
        d[v] = d[u] + 1;
        queue.push(v);
      }
    }
  }
  return d;
}

describe('level-synchronous BFS', () => {
  const g = generateCsr({ scale: 10, edgeFactor: 16, seed: 5 });
  const roots = sampleRoots(g, 8, 5);

  it('reaches what a simple BFS reaches, at the same levels, and passes the five checks', () => {
    for (const root of roots) {
      const run = bfs(g, root, 4);
      const ref = distances(g, root);
      expect(Array.from(run.level)).toEqual(ref);
      expect(run.visited).toBe(ref.filter((d) => d >= 0).length);
      expect(validateBfs(g, root, run.parent)).toEqual({ ok: true });
      expect(run.levels.reduce((s, l) => s + l.frontier, 0)).toBe(run.visited);
      // Every reached vertex's edges are scanned once: the scans are the component's degrees.
      expect(run.levels.reduce((s, l) => s + l.scanned, 0)).toBe(2 * run.edges);
    }
  });

  it('pair matrices: sums are the scanned edges, off-diagonal sums the remote ones, folding keeps them', () => {
    const root = roots[0];
    const M = modulusFor([2, 4, 8]);
    expect(M).toBe(8);
    const run = bfs(g, root, M);
    for (const P of [2, 4, 8]) {
      for (const [depth, l] of run.levels.entries()) {
        const m = foldPairs(l.pairs, M, P);
        expect(m.reduce((a, b) => a + b, 0)).toBe(l.scanned);
        // Remote edges scanned, counted directly from the graph.
        let remote = 0;
        for (let u = 0; u < g.vertices; u++) {
          if (run.level[u] !== depth) continue;
          for (let k = g.offsets[u]; k < g.offsets[u + 1]; k++) if (g.adjacency[k] % P !== u % P) remote++;
        }
        let offDiagonal = 0;
        for (let a = 0; a < P; a++) for (let b = 0; b < P; b++) if (a !== b) offDiagonal += m[a * P + b];
        expect(offDiagonal).toBe(remote);
      }
    }
    expect(() => foldPairs(run.levels[0].pairs, 8, 3)).toThrow(/do not divide/);
  });

  it('the validation catches each kind of wrong tree', () => {
    // 0-1-2-3 path plus 1-3 chord and an isolated pair 4-5.
    const h = csrOf(6, [
      [0, 1],
      [1, 2],
      [2, 3],
      [1, 3],
      [4, 5],
    ]);
    const good = Int32Array.from([0, 0, 1, 1, -1, -1]);
    expect(validateBfs(h, 0, good).ok).toBe(true);
    expect(validateBfs(h, 0, Int32Array.from([0, 2, 1, 1, -1, -1])).failure).toMatch(/^check 1/); // cycle 1-2
    expect(validateBfs(h, 0, Int32Array.from([0, 0, 1, 2, -1, -1])).failure).toMatch(/^check 3/); // 3 at level 3, edge 1-3
    expect(validateBfs(h, 0, Int32Array.from([0, 0, 1, 1, -1, 4])).failure).toMatch(/^check [15]/); // 5 hangs off unreached 4
    expect(validateBfs(h, 0, Int32Array.from([0, 0, 1, -1, -1, -1])).failure).toMatch(/^check 4/); // 3 left out
    expect(validateBfs(h, 0, Int32Array.from([0, 0, 0, 1, -1, -1])).failure).toMatch(/^check 5/); // 2's parent 0: no edge
    const h2 = csrOf(4, [
      [0, 1],
      [1, 2],
      [2, 3],
      [0, 3],
    ]);
    // A 4-cycle: 2 hung on 0 keeps every level difference legal, but 0-2 is no input edge.
    expect(validateBfs(h2, 0, Int32Array.from([0, 0, 0, 0])).failure).toMatch(/^check 5/);
  });

  it('profiles a graph: 64 distinct roots of degree >= 1, each validated', () => {
    const p = profileGraph({ scale: 9, edgeFactor: 16, seed: 2, roots: 64, modulus: 4 });
    expect(p.runs).toHaveLength(64);
    expect(new Set(p.runs.map((r) => r.root)).size).toBe(64);
    for (const r of p.runs) expect(r.edges).toBeGreaterThan(0);
  });
});
