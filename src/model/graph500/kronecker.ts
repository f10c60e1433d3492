/**
 * The Graph500 Kronecker graph generator (Graph500 specification, graph500.org,
 * "Kernel 1"/"Graph generation": a recursive-matrix (R-MAT / stochastic Kronecker) edge
 * list of edgeFactor x 2^scale edges with initiator A = 0.57, B = C = 0.19, D = 0.05,
 * vertex labels randomly permuted afterwards). The reference code does the same in
 * generator/graph_generator.c (`make_one_edge` picks one quadrant per level from the
 * initiator, `generate_kronecker_range` makes a range of edges, `scramble` relabels);
 * this is an independent implementation of the specification, not of that code:
 *
 * - each edge descends `scale` levels; at each level 16 bits of a 32-bit draw (two levels
 *   per draw) pick the quadrant (row bit, column bit) = (0,0) with probability A, (0,1)
 *   with B, (1,0) with C, (1,1) with D, to within 2^-17 (kronecker-pass.ts). The spec's
 *   Octave `kronecker_generator` draws the row bit and then the column bit given it,
 *   level by level; the bits of different levels are independent, so one draw over the
 *   four quadrants per level gives the same distribution;
 * - no clip-and-flip: the spec's generator leaves that out, and the graph is undirected
 *   anyway (each edge enters the CSR in both directions);
 * - labels are permuted by a seeded Fisher-Yates permutation of all 2^scale vertices
 *   (the spec's `randperm`; the reference replaces it by a hash, `scramble`, to save
 *   memory at large scales). The spec also shuffles the edge list's order, which a CSR
 *   does not see.
 *
 * Streaming into the CSR without two copies: the edge list is never stored. A first pass
 * generates the edges and counts degrees; a second pass regenerates the same edges from
 * the same seeds and writes them into place. Generation costs twice, memory is the CSR
 * alone (what a 4 GB machine needs at scale 22). Edges come in chunks of independent
 * seeded streams (kronecker-pass.ts), so threads (kronecker-threads.ts) and MPI ranks can
 * each make their share and the graph is the same for any number of them.
 */
import { availableParallelism } from 'node:os';
import type { Csr } from './csr.js';
import { generateOnThreads } from './kronecker-threads.js';
import { xoshiro128 } from './rng.js';

export interface KroneckerSpec {
  scale: number;
  edgeFactor: number;
  seed: number;
}

/** The Graph500 initiator (specification, graph generation). */
export const INITIATOR = { A: 0.57, B: 0.19, C: 0.19, D: 0.05 } as const;
export const GRAPH500_EDGE_FACTOR = 16;

const TWO32 = 4294967296;

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

/** Below this many edges a worker thread's start-up (tens of ms) costs more than it saves. */
const THREADED_FROM_EDGES = 2 ** 20;

/** Threads generateCsr uses by default: up to 4 of the machine's, one for small graphs. */
export function defaultGeneratorThreads(spec: KroneckerSpec): number {
  if (spec.edgeFactor * 2 ** spec.scale < THREADED_FROM_EDGES) return 1;
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * Generates the Kronecker graph of `spec` straight into a CSR (two passes, one copy) on
 * `threads` threads; the CSR is the same for any thread count.
 */
export function generateCsr(spec: KroneckerSpec, threads = defaultGeneratorThreads(spec)): Csr {
  checkSpec(spec);
  if (!Number.isSafeInteger(threads) || threads < 1)
    throw new RangeError(`threads must be a whole number of at least 1, got ${threads}`);
  const n = 2 ** spec.scale;
  const totalEdges = spec.edgeFactor * n;
  const perm = vertexPermutation(n, spec.seed);
  const { offsets, adjacency, selfLoops } = generateOnThreads(
    { scale: spec.scale, seed: spec.seed, totalEdges, perm },
    threads,
  );
  return { vertices: n, inputEdges: totalEdges, selfLoops, offsets, adjacency };
}
