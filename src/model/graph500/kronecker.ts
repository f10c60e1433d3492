/**
 * The Graph500 Kronecker graph generator (Graph500 specification, graph500.org,
 * "Kernel 1"/"Graph generation": a recursive-matrix (R-MAT / stochastic Kronecker) edge
 * list of edgeFactor x 2^scale edges with initiator A = 0.57, B = C = 0.19, D = 0.05,
 * vertex labels randomly permuted afterwards). The reference code does the same in
 * generator/graph_generator.c (`make_one_edge` picks one quadrant per level from the
 * initiator, `generate_kronecker_range` makes a range of edges, `scramble` relabels);
 * this is an independent implementation of the specification, not of that code:
 *
 * - each edge descends `scale` levels; at each level one 32-bit draw picks the quadrant
 *   (row bit, column bit) = (0,0) with probability A, (0,1) with B, (1,0) with C, (1,1)
 *   with D. The spec's Octave `kronecker_generator` draws the row bit and then the column
 *   bit given it, level by level; the bits of different levels are independent, so one
 *   draw over the four quadrants per level gives the same distribution;
 * - no clip-and-flip: the spec's generator leaves that out, and the graph is undirected
 *   anyway (each edge enters the CSR in both directions);
 * - labels are permuted by a seeded Fisher-Yates permutation of all 2^scale vertices
 *   (the spec's `randperm`; the reference replaces it by a hash, `scramble`, to save
 *   memory at large scales). The spec also shuffles the edge list's order, which a CSR
 *   does not see.
 *
 * Streaming into the CSR without two copies: the edge list is never stored. A first pass
 * generates the edges and counts degrees; a second pass regenerates the same edges from
 * the same seed and writes them into place. Generation costs twice, memory is the CSR
 * alone (what a 4 GB machine needs at scale 22).
 */
import type { Csr } from './csr.js';
import { xoshiro128, xoshiroState } from './rng.js';

export interface KroneckerSpec {
  scale: number;
  edgeFactor: number;
  seed: number;
}

/** The Graph500 initiator (specification, graph generation). */
export const INITIATOR = { A: 0.57, B: 0.19, C: 0.19, D: 0.05 } as const;
export const GRAPH500_EDGE_FACTOR = 16;

const TWO32 = 4294967296;
// Quadrant thresholds on a uniform 32-bit draw: [0, tA) -> A, [tA, tB) -> B, [tB, tC) -> C, else D.
const T_A = Math.floor(INITIATOR.A * TWO32);
const T_B = Math.floor((INITIATOR.A + INITIATOR.B) * TWO32);
const T_C = Math.floor((INITIATOR.A + INITIATOR.B + INITIATOR.C) * TWO32);

/**
 * Calls `visit(u, v)` for every generated edge (labels before permutation), in order.
 * xoshiro128** (rng.ts) is inlined on local state: through a closure it costs about
 * three times as much, and this loop draws scale x edgeFactor x 2^scale numbers.
 */
function eachEdge(spec: KroneckerSpec, visit: (u: number, v: number) => void): void {
  const s = xoshiroState(spec.seed);
  let a = s[0] | 0;
  let b = s[1] | 0;
  let c = s[2] | 0;
  let d = s[3] | 0;
  const edges = spec.edgeFactor * 2 ** spec.scale;
  const scale = spec.scale;
  for (let e = 0; e < edges; e++) {
    let u = 0;
    let v = 0;
    for (let level = 0; level < scale; level++) {
      // xoshiro128** step (Blackman and Vigna): r is the output, then the state moves.
      const m = Math.imul(b, 5);
      const r = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = (d << 11) | (d >>> 21);
      u <<= 1;
      v <<= 1;
      if (r < T_A) continue;
      if (r < T_B) v |= 1;
      else if (r < T_C) u |= 1;
      else {
        u |= 1;
        v |= 1;
      }
    }
    visit(u >>> 0, v >>> 0);
  }
}

/** A seeded random permutation of 0..n-1 (Fisher-Yates), drawn from its own stream. */
export function vertexPermutation(n: number, seed: number): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const rng = xoshiro128((seed ^ 0x5bd1e995) >>> 0);
  for (let i = n - 1; i > 0; i--) {
    // Multiply-shift on a 32-bit draw: bias below 2^-32 * n, negligible next to sampling noise.
    const j = Math.floor((rng.next() / TWO32) * (i + 1));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}

export function checkSpec(spec: KroneckerSpec): void {
  if (!Number.isSafeInteger(spec.scale) || spec.scale < 1 || spec.scale > 30) {
    throw new RangeError(`scale must be a whole number from 1 to 30, got ${spec.scale}`);
  }
  if (!Number.isSafeInteger(spec.edgeFactor) || spec.edgeFactor < 1) {
    throw new RangeError(`edge factor must be a whole number of at least 1, got ${spec.edgeFactor}`);
  }
}

/** Generates the Kronecker graph of `spec` straight into a CSR (two passes, one copy). */
export function generateCsr(spec: KroneckerSpec): Csr {
  checkSpec(spec);
  const n = 2 ** spec.scale;
  const perm = vertexPermutation(n, spec.seed);
  const offsets = new Float64Array(n + 1);
  let selfLoops = 0;
  eachEdge(spec, (u, v) => {
    if (u === v) {
      selfLoops++;
      return;
    }
    offsets[perm[u] + 1]++;
    offsets[perm[v] + 1]++;
  });
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const adjacency = new Int32Array(offsets[n]);
  // Write cursor per vertex: reuse a copy of the starts (one array of n, not of the edges).
  const cursor = offsets.slice(0, n);
  eachEdge(spec, (u, v) => {
    if (u === v) return;
    const a = perm[u];
    const b = perm[v];
    adjacency[cursor[a]++] = b;
    adjacency[cursor[b]++] = a;
  });
  return {
    vertices: n,
    inputEdges: spec.edgeFactor * n,
    selfLoops,
    offsets,
    adjacency,
  };
}
