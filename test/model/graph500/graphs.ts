import type { Csr } from '../../../src/model/graph500/csr.js';

/** A CSR from an undirected edge list (loops dropped). */
export function csrOf(n: number, edges: [number, number][]): Csr {
  const lists: number[][] = Array.from({ length: n }, () => []);
  let loops = 0;
  for (const [u, v] of edges) {
    if (u === v) loops++;
    else {
      lists[u].push(v);
      lists[v].push(u);
    }
  }
  const offsets = new Float64Array(n + 1);
  lists.forEach((l, v) => (offsets[v + 1] = offsets[v] + l.length));
  return {
    vertices: n,
    inputEdges: edges.length,
    selfLoops: loops,
    offsets,
    adjacency: Int32Array.from(lists.flat()),
  };
}
