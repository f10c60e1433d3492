import { describe, expect, it } from 'vitest';
import { degreeOf } from '../../../src/model/graph500/csr.js';
import { CHUNK_EDGES } from '../../../src/model/graph500/kronecker-pass.js';
import { chunkRanges } from '../../../src/model/graph500/kronecker-threads.js';
import { generateCsr, INITIATOR, vertexPermutation } from '../../../src/model/graph500/kronecker.js';

/** Binomial coefficient C(n, k) as a float. */
function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/**
 * What the specification's generator implies, from the initiator alone: a vertex whose
 * label (before permutation) has k one-bits is an edge's source with probability
 * q_k = (A+B)^(S-k) (C+D)^k, its target with (A+C)^(S-k) (B+D)^k (the same, B = C), and
 * both with l_k = A^(S-k) D^k. Edges are independent, so with m edges it is isolated
 * with probability (1 - 2 q_k + l_k)^m, and its expected degree in the CSR (loops
 * dropped) is 2 m (q_k - l_k).
 */
function expectations(scale: number, edgeFactor: number) {
  const { A, B, C, D } = INITIATOR;
  const m = edgeFactor * 2 ** scale;
  let isolated = 0;
  for (let k = 0; k <= scale; k++) {
    const q = (A + B) ** (scale - k) * (C + D) ** k;
    const loop = A ** (scale - k) * D ** k;
    isolated += choose(scale, k) * (1 - 2 * q + loop) ** m;
  }
  const q0 = (A + B) ** scale;
  const loop0 = A ** scale;
  const loops = m * (A + D) ** scale; // P(u = v) = sum over bits of A + D
  return { isolatedShare: isolated / 2 ** scale, maxDegree: 2 * m * (q0 - loop0), loops };
}

describe('Kronecker generator', () => {
  it('makes edgeFactor x 2^scale edges: twice each non-loop edge in the CSR, sorted offsets', () => {
    const g = generateCsr({ scale: 10, edgeFactor: 16, seed: 1 });
    expect(g.vertices).toBe(1024);
    expect(g.inputEdges).toBe(16 * 1024);
    expect(g.adjacency.length).toBe(2 * (g.inputEdges - g.selfLoops));
    expect(g.offsets[g.vertices]).toBe(g.adjacency.length);
    for (let v = 0; v < g.vertices; v++) expect(degreeOf(g, v)).toBeGreaterThanOrEqual(0);
    // Undirected: u in N(v) as often as v in N(u).
    const count = new Map<string, number>();
    for (let v = 0; v < g.vertices; v++)
      for (let k = g.offsets[v]; k < g.offsets[v + 1]; k++) {
        const key = `${Math.min(v, g.adjacency[k])}-${Math.max(v, g.adjacency[k])}`;
        count.set(key, (count.get(key) ?? 0) + 1);
      }
    for (const c of count.values()) expect(c % 2).toBe(0);
  });

  it('is reproducible from its seed and differs between seeds', () => {
    const a = generateCsr({ scale: 8, edgeFactor: 16, seed: 7 });
    const b = generateCsr({ scale: 8, edgeFactor: 16, seed: 7 });
    const c = generateCsr({ scale: 8, edgeFactor: 16, seed: 8 });
    expect(b.adjacency).toEqual(a.adjacency);
    expect(b.offsets).toEqual(a.offsets);
    expect(c.adjacency).not.toEqual(a.adjacency);
  });

  it('permutes labels: a permutation of all vertices', () => {
    const p = vertexPermutation(4096, 3);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 4096 }, (_, i) => i));
    expect(p.filter((v, i) => v === i).length).toBeLessThan(20); // about 1 fixed point expected
  });

  it("matches the initiator's isolated-vertex share, degree skew and self-loops at scales 10-12", () => {
    const rows: string[] = [];
    for (const scale of [10, 12]) {
      const g = generateCsr({ scale, edgeFactor: 16, seed: 42 });
      const expect_ = expectations(scale, 16);
      let isolated = 0;
      let max = 0;
      for (let v = 0; v < g.vertices; v++) {
        const d = degreeOf(g, v);
        if (d === 0) isolated++;
        if (d > max) max = d;
      }
      const share = isolated / g.vertices;
      rows.push(
        `scale ${scale}: isolated ${(100 * share).toFixed(1)}% (expected ${(100 * expect_.isolatedShare).toFixed(1)}%), ` +
          `max degree ${max} (expected ${expect_.maxDegree.toFixed(0)}), self-loops ${g.selfLoops} (expected ${expect_.loops.toFixed(0)})`,
      );
      // Sampling noise: binomial counts over 2^scale vertices; a few standard deviations.
      expect(Math.abs(share - expect_.isolatedShare)).toBeLessThan(
        4 * Math.sqrt(expect_.isolatedShare / g.vertices) + 0.005,
      );
      expect(Math.abs(max - expect_.maxDegree) / expect_.maxDegree).toBeLessThan(0.15);
      expect(Math.abs(g.selfLoops - expect_.loops)).toBeLessThan(5 * Math.sqrt(expect_.loops) + 5);
      // Skew: the mean degree is 2 x 16, the hub's a large multiple of it.
      expect(max / ((2 * g.adjacency.length) / 2 / g.vertices)).toBeGreaterThan(10);
    }
    console.log(rows.join('\n'));
  });
});

const bytes = (a: Float64Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('Kronecker generator on threads', () => {
  it('makes the same CSR on 1, 2 and 3 threads (chunks of independent streams)', () => {
    // 2^17 edges: 8 chunks, shared 8 / 4+4 / 2+3+3 (chunkRanges), so every thread count
    // cuts the edge list differently.
    const spec = { scale: 13, edgeFactor: 16, seed: 9 };
    const one = generateCsr(spec, 1);
    for (const threads of [2, 3]) {
      const many = generateCsr(spec, threads);
      expect(many.selfLoops).toBe(one.selfLoops);
      // Byte comparison: vitest's element-wise toEqual takes seconds on a megabyte.
      expect(Buffer.compare(bytes(many.offsets), bytes(one.offsets))).toBe(0);
      expect(Buffer.compare(bytes(many.adjacency), bytes(one.adjacency))).toBe(0);
    }
  });

  it('shares the chunks out in contiguous ranges that cover them all', () => {
    expect(chunkRanges(8 * CHUNK_EDGES, 3)).toEqual([0, 2, 5, 8]);
    expect(chunkRanges(8 * CHUNK_EDGES + 1, 2)).toEqual([0, 4, 9]);
  });

  it('refuses a thread count that is not a whole number of at least 1', () => {
    expect(() => generateCsr({ scale: 4, edgeFactor: 16, seed: 1 }, 0)).toThrow(/threads/);
  });
});
