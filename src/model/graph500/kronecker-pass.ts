/**
 * One pass of the Kronecker generator over a range of edge chunks (see kronecker.ts for
 * the specification it follows). The edge list is cut into chunks of CHUNK_EDGES edges,
 * each drawn from its own xoshiro128** stream (Blackman and Vigna, ACM TOMS 2021) seeded
 * from (seed, chunk): so any thread, process or MPI rank can generate any chunk, and the
 * graph does not depend on how the chunks are shared out.
 *
 * This function runs in worker threads from its own source text (kronecker-threads.ts
 * passes `kroneckerPass.toString()` to the worker), so it must stay self-contained: no
 * imports, no helper functions, no closures, constants written inline. That also keeps
 * the inner loop free of calls.
 *
 * mode PASS_COUNT: slots[perm[u]] and slots[perm[v]] are incremented for every non-loop
 * edge (degree counts). PASS_PLACE: slots holds each vertex's write cursor;
 * adjacency[slots[a]++] = b and adjacency[slots[b]++] = a. PASS_LIST: the non-loop edges
 * (a, b) in order at adjacency[2i], adjacency[2i + 1], slots[0] counting them (an MPI
 * rank's share, graph500-ranks.ts). Returns the self-loops seen.
 */
export function kroneckerPass(
  mode: number,
  scale: number,
  seed: number,
  chunkFirst: number,
  chunkEnd: number,
  totalEdges: number,
  perm: Int32Array,
  slots: Float64Array,
  adjacency: Int32Array,
): number {
  // CHUNK_EDGES, written out because this source runs on its own.
  const chunkEdges = 16384;
  let selfLoops = 0;
  for (let chunk = chunkFirst; chunk < chunkEnd; chunk++) {
    // Chunk stream: splitmix32 from seed ^ (chunk + 1) x golden ratio (an odd multiplier,
    // so distinct chunks start distinct), four outputs as the xoshiro state.
    let x = (seed ^ Math.imul(chunk + 1, 0x9e3779b9)) >>> 0;
    x = (x + 0x9e3779b9) >>> 0;
    let z = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    let a = z ^ (z >>> 16);
    x = (x + 0x9e3779b9) >>> 0;
    z = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    let b = z ^ (z >>> 16);
    x = (x + 0x9e3779b9) >>> 0;
    z = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    let c = z ^ (z >>> 16);
    x = (x + 0x9e3779b9) >>> 0;
    z = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    let d = z ^ (z >>> 16);
    if ((a | b | c | d) === 0) a = 1;
    const first = chunk * chunkEdges;
    const end = Math.min(first + chunkEdges, totalEdges);
    for (let e = first; e < end; e++) {
      let u = 0;
      let v = 0;
      // Two levels per 32-bit draw, 16 bits each. A level's quadrant is (row bit, column
      // bit) = (0,0) with A, (0,1) with B, (1,0) with C, (1,1) with D: with h uniform in
      // 0..65535, the row bit is h >= tB and the column bit is an odd number of the
      // thresholds tA, tB, tC passed. (h + 65536 - t) >>> 16 is 1 iff h >= t: no compare,
      // no branch (a branch per level mispredicts at these odds; this loop ran twice as
      // fast as one 32-bit draw per level with compares, measured by CPU time at scale 19).
      // t = round(p x 65536): tA = 37356 (0.57), tB = 49807 (0.76), tC = 62259 (0.95),
      // each probability within 2^-17 of the initiator's.
      for (let level = 0; level < scale; level += 2) {
        const m = Math.imul(b, 5);
        const r = Math.imul((m << 7) | (m >>> 25), 9);
        const t = b << 9;
        c ^= a;
        d ^= b;
        b ^= c;
        a ^= d;
        c ^= t;
        d = (d << 11) | (d >>> 21);
        let h = r >>> 16;
        let pA = (h + 28180) >>> 16;
        let pB = (h + 15729) >>> 16;
        let pC = (h + 3277) >>> 16;
        u = (u << 1) | pB;
        v = (v << 1) | (pA ^ pB ^ pC);
        if (level + 1 < scale) {
          h = r & 0xffff;
          pA = (h + 28180) >>> 16;
          pB = (h + 15729) >>> 16;
          pC = (h + 3277) >>> 16;
          u = (u << 1) | pB;
          v = (v << 1) | (pA ^ pB ^ pC);
        }
      }
      if (u === v) {
        selfLoops++;
        continue;
      }
      const pu = perm[u];
      const pv = perm[v];
      if (mode === 1) {
        adjacency[slots[pu]++] = pv;
        adjacency[slots[pv]++] = pu;
      } else if (mode === 0) {
        slots[pu]++;
        slots[pv]++;
      } else {
        const at = 2 * slots[0]++;
        adjacency[at] = pu;
        adjacency[at + 1] = pv;
      }
    }
  }
  return selfLoops;
}

/** `kroneckerPass` modes (numbers, since the function runs from its source alone). */
export const PASS_COUNT = 0;
export const PASS_PLACE = 1;
export const PASS_LIST = 2;

/** Edges per chunk stream (the constant written inside `kroneckerPass`). */
export const CHUNK_EDGES = 16384;
