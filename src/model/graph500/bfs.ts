/**
 * Level-synchronous top-down BFS (Graph500 specification, "Kernel 2"), recording what
 * the reference MPI code's `bfs_simple` (Graph500 2.1.x, mpi/bfs_simple.c) would move:
 * under its 1-D distribution a vertex v is owned by rank v mod P; the owner of each
 * frontier vertex u scans all of u's edges, and every edge (u, v) whose target has
 * another owner becomes one (target, predecessor) pair sent to owner(v), visited or not
 * (the owner tests visited on receipt). So per level the pairs rank a sends rank b are
 * the scanned edges from vertices owned by a to vertices owned by b.
 *
 * The pairs are counted once for a modulus M (the least common multiple of the rank
 * counts asked for): for P dividing M, (u mod M) mod P = u mod P, so the P x P matrix is
 * the M x M one folded (`foldPairs`).
 */
import type { Csr } from './csr.js';

export interface BfsLevel {
  /** Vertices in this level's frontier. */
  frontier: number;
  /** Adjacency entries scanned from the frontier (its degrees summed). */
  scanned: number;
  /** Vertices discovered: the next frontier's size. */
  discovered: number;
  /** M x M row-major: pairs[a * M + b] = edges scanned from owner class a to owner class b. */
  pairs: Float64Array;
}

export interface BfsRun {
  root: number;
  levels: BfsLevel[];
  /** Vertices reached, the root included. */
  visited: number;
  /** Input edges of the traversed component: TEPS's numerator (see `componentEdges`). */
  edges: number;
}

export interface BfsTree {
  parent: Int32Array;
  level: Int32Array;
}

/**
 * One BFS from `root`. `parent` and `level` are reused across roots when given (n each):
 * parent[v] = -1 for unreached vertices, parent[root] = root.
 */
export function bfs(g: Csr, root: number, modulus: number, tree?: BfsTree): BfsRun & BfsTree {
  const n = g.vertices;
  const parent = tree?.parent ?? new Int32Array(n);
  const level = tree?.level ?? new Int32Array(n);
  parent.fill(-1);
  level.fill(-1);
  const { offsets, adjacency } = g;
  const M = modulus;
  const pow2 = (M & (M - 1)) === 0;
  const mask = M - 1;
  // The visited test reads a bitmap (n / 8 bytes: 512 KiB at scale 22, within the L2
  // cache) rather than parent[] (4 B per vertex, scattered over megabytes): the test runs
  // for every entry scanned, the parent write only once per vertex.
  const seen = new Uint32Array((n + 31) >>> 5);
  seen[root >>> 5] |= 1 << (root & 31);
  let frontier = new Int32Array(n);
  let next = new Int32Array(n);
  let size = 1;
  frontier[0] = root;
  parent[root] = root;
  level[root] = 0;
  const levels: BfsLevel[] = [];
  let visited = 1;
  let degreeSum = 0;
  for (let depth = 0; size > 0; depth++) {
    const pairs = new Float64Array(M * M);
    let scanned = 0;
    let found = 0;
    for (let i = 0; i < size; i++) {
      const u = frontier[i];
      const start = offsets[u];
      const end = offsets[u + 1];
      scanned += end - start;
      const row = (pow2 ? u & mask : u % M) * M;
      for (let k = start; k < end; k++) {
        const v = adjacency[k];
        pairs[row + (pow2 ? v & mask : v % M)]++;
        const word = v >>> 5;
        const bit = 1 << (v & 31);
        if ((seen[word] & bit) === 0) {
          seen[word] |= bit;
          parent[v] = u;
          level[v] = depth + 1;
          next[found++] = v;
        }
      }
    }
    degreeSum += scanned;
    levels.push({ frontier: size, scanned, discovered: found, pairs });
    visited += found;
    [frontier, next] = [next, frontier];
    size = found;
  }
  return { root, levels, visited, edges: componentEdges(degreeSum), parent, level };
}

/**
 * TEPS's numerator (Graph500 specification, "Performance metric (TEPS)": the input edges
 * within the traversed component). Every edge of the component has both ends in it, so
 * summing the degrees of its vertices counts each non-loop edge twice; repeated edges
 * count as often as the list holds them, self-loops (dropped from the CSR) not at all.
 */
export function componentEdges(degreeSum: number): number {
  return degreeSum / 2;
}

/** The P x P pair matrix of an M x M one (P must divide M). */
export function foldPairs(pairs: Float64Array, modulus: number, procs: number): Float64Array {
  if (modulus % procs !== 0)
    throw new RangeError(`${procs} ranks do not divide the profile's modulus ${modulus}`);
  const out = new Float64Array(procs * procs);
  for (let a = 0; a < modulus; a++) {
    const row = (a % procs) * procs;
    for (let b = 0; b < modulus; b++) out[row + (b % procs)] += pairs[a * modulus + b];
  }
  return out;
}
