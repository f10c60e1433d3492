/**
 * The BFS level profile computed by P cooperating ranks, each holding only the vertices
 * it owns under the reference `bfs_simple`'s 1-D distribution (Graph500 2.1.x,
 * mpi/bfs_simple.c: owner(v) = v mod P, local index v div P). Pure steps; the exchange
 * between ranks is the caller's (src/cli/graph500-ranks.ts):
 *
 * 1. `splitByOwner`: a rank's share of the generated edges (kronecker-pass.ts, PASS_LIST)
 *    becomes, per destination rank, (owned endpoint, other endpoint) pairs, each edge
 *    going to the owners of both ends, as the undirected CSR holds it both ways.
 * 2. `ownedGraph`: the pairs a rank received (in source-rank order) become its rows of
 *    the CSR.
 * 3. per level, `scanOwnedFrontier`: the rank scans its frontier as bfs.ts does (entries
 *    scanned, the pair matrix rows of its own classes, first visits of owned targets) and
 *    lists the targets other ranks own; `receiveTargets` marks those that reach it.
 *
 * Frontier, entries scanned, discovered vertices and pairs summed over the ranks equal
 * the single-process BFS's (bfs.ts): each is a sum over frontier vertices or over
 * scanned entries, and the set of vertices at each level does not depend on who scans.
 */

/** A rank's rows: the neighbours of owned vertex v are adjacency[offsets[v div P] .. offsets[v div P + 1]). */
export interface OwnedGraph {
  rank: number;
  size: number;
  vertices: number;
  offsets: Float64Array;
  adjacency: Int32Array;
}

/** Owned vertices of `rank` among `vertices`: those v with v mod size = rank. */
export function ownedCount(vertices: number, rank: number, size: number): number {
  return rank < vertices ? Math.floor((vertices - 1 - rank) / size) + 1 : 0;
}

/** Per destination rank, the (owned, other) pairs of `edges` (pairs a, b at 2i, 2i + 1; `count` of them). */
export function splitByOwner(edges: Int32Array, count: number, size: number): Int32Array[] {
  const lengths = new Float64Array(size);
  for (let i = 0; i < 2 * count; i++) lengths[edges[i] % size] += 2;
  const out = Array.from(lengths, (l) => new Int32Array(l));
  const cursor = new Float64Array(size);
  for (let i = 0; i < count; i++) {
    const a = edges[2 * i];
    const b = edges[2 * i + 1];
    const da = a % size;
    const db = b % size;
    out[da][cursor[da]++] = a;
    out[da][cursor[da]++] = b;
    out[db][cursor[db]++] = b;
    out[db][cursor[db]++] = a;
  }
  return out;
}

/** The CSR rows of `rank` from the pair lists it received, in the order given. */
export function ownedGraph(vertices: number, rank: number, size: number, parts: Int32Array[]): OwnedGraph {
  const local = ownedCount(vertices, rank, size);
  const offsets = new Float64Array(local + 1);
  for (const p of parts) for (let i = 0; i < p.length; i += 2) offsets[Math.floor(p[i] / size) + 1]++;
  for (let i = 0; i < local; i++) offsets[i + 1] += offsets[i];
  const adjacency = new Int32Array(offsets[local]);
  const cursor = offsets.slice(0, local);
  for (const p of parts)
    for (let i = 0; i < p.length; i += 2) adjacency[cursor[Math.floor(p[i] / size)]++] = p[i + 1];
  return { rank, size, vertices, offsets, adjacency };
}

/** One rank's state for one root: which owned vertices are visited, and its frontier. */
export interface OwnedSearch {
  seen: Uint8Array;
  frontier: number[];
  /** Owned vertices reached so far, and the degrees of those scanned (TEPS's numerator x 2). */
  visited: number;
  degreeSum: number;
}

export function startOwnedSearch(g: OwnedGraph, root: number): OwnedSearch {
  const seen = new Uint8Array(g.offsets.length - 1);
  const mine = root % g.size === g.rank;
  if (mine) seen[Math.floor(root / g.size)] = 1;
  return { seen, frontier: mine ? [root] : [], visited: mine ? 1 : 0, degreeSum: 0 };
}

export interface OwnedLevel {
  frontier: number;
  scanned: number;
  /** modulus x modulus, only the rows of this rank's vertices filled. */
  pairs: Float64Array;
  /** Targets owned by each other rank (possibly visited there already: the owner decides). */
  outgoing: Int32Array[];
  /** Owned vertices first reached by this rank's own scan. */
  next: number[];
}

export function scanOwnedFrontier(g: OwnedGraph, s: OwnedSearch, modulus: number): OwnedLevel {
  const { size, rank, offsets, adjacency } = g;
  const pairs = new Float64Array(modulus * modulus);
  const outgoing: number[][] = Array.from({ length: size }, () => []);
  const next: number[] = [];
  let scanned = 0;
  for (const u of s.frontier) {
    const lu = Math.floor(u / size);
    const start = offsets[lu];
    const end = offsets[lu + 1];
    scanned += end - start;
    const row = (u % modulus) * modulus;
    for (let k = start; k < end; k++) {
      const v = adjacency[k];
      pairs[row + (v % modulus)]++;
      const owner = v % size;
      if (owner !== rank) outgoing[owner].push(v);
      else {
        const lv = Math.floor(v / size);
        if (!s.seen[lv]) {
          s.seen[lv] = 1;
          next.push(v);
        }
      }
    }
  }
  s.degreeSum += scanned;
  return {
    frontier: s.frontier.length,
    scanned,
    pairs,
    outgoing: outgoing.map((o) => Int32Array.from(o)),
    next,
  };
}

/** Marks the targets other ranks sent; the new owned frontier is `next` plus the first visits here. */
export function receiveTargets(g: OwnedGraph, s: OwnedSearch, next: number[], incoming: Int32Array[]): void {
  for (const part of incoming)
    for (const v of part) {
      const lv = Math.floor(v / g.size);
      if (!s.seen[lv]) {
        s.seen[lv] = 1;
        next.push(v);
      }
    }
  s.visited += next.length;
  s.frontier = next;
}
