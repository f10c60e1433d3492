/**
 * BFS level profiles of a generated graph: Graph500 samples its search keys at random
 * among the vertices of degree at least 1 (specification, "Search keys": 64 roots,
 * distinct), runs a BFS from each, and reports each. Here each run keeps, per level,
 * the frontier, the edges scanned and the pair matrix for the modulus (bfs.ts).
 */
import { bfs, type BfsRun } from './bfs.js';
import { degreeOf, type Csr } from './csr.js';
import { generateCsr, type KroneckerSpec } from './kronecker.js';
import { xoshiro128 } from './rng.js';
import { validateBfs } from './validate.js';

export const GRAPH500_ROOTS = 64;

export interface GraphProfileKey extends KroneckerSpec {
  roots: number;
  /** Rank classes the pair matrices are counted for: any P dividing it can be folded out. */
  modulus: number;
}

export interface GraphProfile {
  key: GraphProfileKey;
  vertices: number;
  inputEdges: number;
  runs: BfsRun[];
}

/** Least common multiple of rank counts: the modulus a profile needs to serve all of them. */
export function modulusFor(procs: readonly number[]): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  return procs.reduce((m, p) => (m / gcd(m, p)) * p, 1);
}

/**
 * `count` distinct roots of degree >= 1, drawn with a seeded stream of their own. Fewer
 * when the graph has fewer non-isolated vertices.
 */
export function sampleRoots(g: Csr, count: number, seed: number): number[] {
  return sampleRootsAmong(g.vertices, (v) => degreeOf(g, v) > 0, count, seed);
}

/** `sampleRoots` from a test of degree >= 1 (ranks that each hold part of the graph share one). */
export function sampleRootsAmong(
  vertices: number,
  hasEdges: (v: number) => boolean,
  count: number,
  seed: number,
): number[] {
  const rng = xoshiro128((seed ^ 0x2545f491) >>> 0);
  let candidates = 0;
  for (let v = 0; v < vertices; v++) if (hasEdges(v)) candidates++;
  const want = Math.min(count, candidates);
  const roots = new Set<number>();
  while (roots.size < want) {
    const v = Math.floor((rng.next() / 4294967296) * vertices);
    if (hasEdges(v)) roots.add(v);
  }
  return [...roots];
}

export interface ProfileProgress {
  (done: number, total: number, what: string): void;
}

/**
 * Generates the graph and runs the BFS from each sampled root, validating every tree
 * with the five Graph500 checks (a failure is a bug: it throws).
 */
export function profileGraph(key: GraphProfileKey, progress?: ProfileProgress): GraphProfile {
  progress?.(0, key.roots + 1, 'generating');
  const g = generateCsr(key);
  const roots = sampleRoots(g, key.roots, key.seed);
  const parent = new Int32Array(g.vertices);
  const level = new Int32Array(g.vertices);
  const runs = roots.map((root, i) => {
    progress?.(i + 1, key.roots + 1, 'searching');
    const run = bfs(g, root, key.modulus, { parent, level });
    const check = validateBfs(g, root, run.parent);
    if (!check.ok) throw new Error(`BFS from ${root} failed Graph500 validation: ${check.failure}`);
    return { root: run.root, levels: run.levels, visited: run.visited, edges: run.edges };
  });
  progress?.(key.roots + 1, key.roots + 1, 'done');
  return { key: { ...key }, vertices: g.vertices, inputEdges: g.inputEdges, runs };
}
