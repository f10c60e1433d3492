/**
 * An undirected graph in compressed sparse row form: the neighbours of vertex v are
 * `adjacency[offsets[v] .. offsets[v + 1])`. Each input edge {u, v} with u != v appears
 * twice (u -> v and v -> u); self-loops are dropped (a BFS never follows them) but
 * counted; repeated edges are kept, as the Graph500 edge list keeps them.
 */
export interface Csr {
  readonly vertices: number;
  /** Input edges generated (scale-free edge list length, self-loops included). */
  readonly inputEdges: number;
  readonly selfLoops: number;
  /** vertices + 1 entries; Float64Array so that offsets past 2^32 stay exact. */
  readonly offsets: Float64Array;
  readonly adjacency: Int32Array;
}

export function degreeOf(g: Csr, v: number): number {
  return g.offsets[v + 1] - g.offsets[v];
}

/**
 * Bytes a run at this scale holds at its peak: the CSR (offsets 8 B per vertex,
 * adjacency 4 B per directed entry, 2 per input edge), during generation the vertex
 * permutation and its shared copy (8 B per vertex) and each thread's degree counts and
 * write cursors (8 B per vertex per thread, up to 4 threads: kronecker-threads.ts), and
 * the BFS's parent, level and two queues (16 B per vertex).
 */
export function graphMemoryBytes(scale: number, edgeFactor: number, threads = 4): number {
  const n = 2 ** scale;
  return n * 8 + 2 * edgeFactor * n * 4 + n * 8 + threads * n * 8 + n * 16;
}
