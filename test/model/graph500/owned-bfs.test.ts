import { describe, expect, it } from 'vitest';
import { bfs } from '../../../src/model/graph500/bfs.js';
import { CHUNK_EDGES, kroneckerPass, PASS_LIST } from '../../../src/model/graph500/kronecker-pass.js';
import { chunkRanges } from '../../../src/model/graph500/kronecker-threads.js';
import { generateCsr, vertexPermutation } from '../../../src/model/graph500/kronecker.js';
import {
  ownedCount,
  ownedGraph,
  receiveTargets,
  scanOwnedFrontier,
  splitByOwner,
  startOwnedSearch,
} from '../../../src/model/graph500/owned-bfs.js';
import { sampleRoots } from '../../../src/model/graph500/profile.js';

/** P ranks in one process, the exchange done in memory: per root, the summed levels. */
function ranksProfile(scale: number, size: number, roots: number[], modulus: number) {
  const n = 2 ** scale;
  const total = 16 * n;
  const perm = vertexPermutation(n, 3);
  const ranges = chunkRanges(total, size);
  const sent = Array.from({ length: size }, (_, r) => {
    const list = new Int32Array(2 * (Math.min(ranges[r + 1] * CHUNK_EDGES, total) - ranges[r] * CHUNK_EDGES));
    const count = new Float64Array(1);
    kroneckerPass(PASS_LIST, scale, 3, ranges[r], ranges[r + 1], total, perm, count, list);
    return splitByOwner(list, count[0], size);
  });
  const graphs = Array.from({ length: size }, (_, r) =>
    ownedGraph(
      n,
      r,
      size,
      sent.map((s) => s[r]),
    ),
  );
  return roots.map((root) => {
    const searches = graphs.map((g) => startOwnedSearch(g, root));
    const levels: { frontier: number; scanned: number; discovered: number; pairs: number[] }[] = [];
    for (;;) {
      const steps = graphs.map((g, r) => scanOwnedFrontier(g, searches[r], modulus));
      graphs.forEach((g, r) =>
        receiveTargets(
          g,
          searches[r],
          steps[r].next,
          steps.map((s, from) => (from === r ? new Int32Array(0) : s.outgoing[r])),
        ),
      );
      const pairs = Array.from({ length: modulus * modulus }, (_, i) =>
        steps.reduce((a, s) => a + s.pairs[i], 0),
      );
      const discovered = searches.reduce((a, s) => a + s.frontier.length, 0);
      levels.push({
        frontier: steps.reduce((a, s) => a + s.frontier, 0),
        scanned: steps.reduce((a, s) => a + s.scanned, 0),
        discovered,
        pairs,
      });
      if (discovered === 0) break;
    }
    const visited = searches.reduce((a, s) => a + s.visited, 0);
    return { levels, visited, edges: searches.reduce((a, s) => a + s.degreeSum, 0) / 2 };
  });
}

describe('BFS levels over ranks that own v mod P', () => {
  it('sum to the single-process BFS: frontier, entries scanned, discovered, pairs, visited, edges (P = 1, 2, 3, 5)', () => {
    const scale = 9;
    const g = generateCsr({ scale, edgeFactor: 16, seed: 3 });
    const roots = sampleRoots(g, 4, 3);
    const truth = roots.map((root) => {
      const r = bfs(g, root, 4);
      return {
        levels: r.levels.map((l) => ({ ...l, pairs: [...l.pairs] })),
        visited: r.visited,
        edges: r.edges,
      };
    });
    for (const size of [1, 2, 3, 5]) expect(ranksProfile(scale, size, roots, 4)).toEqual(truth);
  });

  it('gives each rank the vertices v mod P = rank', () => {
    expect([0, 1, 2].map((r) => ownedCount(10, r, 3))).toEqual([4, 3, 3]);
    expect(ownedCount(2, 3, 4)).toBe(0);
  });
});
