/**
 * The five checks of Graph500's BFS validation (specification, "Validation"; the
 * reference's `validate_bfs_result`, mpi/validate.c), on the CSR as the input edges:
 *
 * 1. the parent array is a tree: following parents from any reached vertex ends at the
 *    root without a cycle;
 * 2. each tree edge connects vertices whose BFS levels differ by exactly one;
 * 3. every input edge connects vertices whose levels differ by at most one, or neither
 *    end is reached;
 * 4. the tree spans exactly the root's component: a vertex is reached iff it has an edge
 *    to a reached vertex (or is the root);
 * 5. each tree edge (v, parent[v]) is an input edge.
 *
 * Levels are recomputed from the parents (not trusted from the BFS), as the reference does.
 */
import type { Csr } from './csr.js';

export interface BfsValidation {
  ok: boolean;
  /** The first failure found, in check order. */
  failure?: string;
}

export function validateBfs(g: Csr, root: number, parent: Int32Array): BfsValidation {
  const n = g.vertices;
  const fail = (check: number, what: string): BfsValidation => ({
    ok: false,
    failure: `check ${check}: ${what}`,
  });
  if (parent[root] !== root) return fail(1, `root ${root} is not its own parent`);
  // 1: depth of every reached vertex by walking parents; a walk longer than n is a cycle.
  const depth = new Int32Array(n).fill(-1);
  depth[root] = 0;
  const path: number[] = [];
  for (let v = 0; v < n; v++) {
    if (parent[v] < 0 || depth[v] >= 0) continue;
    path.length = 0;
    let w = v;
    while (depth[w] < 0) {
      if (parent[w] < 0) return fail(1, `vertex ${w} on the tree has no parent`);
      path.push(w);
      if (path.length > n) return fail(1, `the parents of ${v} form a cycle`);
      w = parent[w];
    }
    for (let i = path.length - 1, d = depth[w] + 1; i >= 0; i--, d++) depth[path[i]] = d;
  }
  const { offsets, adjacency } = g;
  for (let v = 0; v < n; v++) {
    const start = offsets[v];
    const end = offsets[v + 1];
    if (depth[v] >= 0 && v !== root) {
      const p = parent[v];
      // 2
      if (depth[v] - depth[p] !== 1)
        return fail(2, `tree edge ${v}-${p} spans levels ${depth[p]} and ${depth[v]}`);
      // 5
      let found = false;
      for (let k = start; k < end && !found; k++) found = adjacency[k] === p;
      if (!found) return fail(5, `tree edge ${v}-${p} is not an input edge`);
    }
    for (let k = start; k < end; k++) {
      const w = adjacency[k];
      const a = depth[v];
      const b = depth[w];
      // 4: an edge with one end reached and the other not leaves the component
      if (a < 0 !== b < 0) return fail(4, `edge ${v}-${w} leaves the tree's component`);
      // 3
      if (a >= 0 && Math.abs(a - b) > 1) return fail(3, `edge ${v}-${w} spans levels ${a} and ${b}`);
    }
  }
  return { ok: true };
}
