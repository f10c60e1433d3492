import { Clocks, rendezvous } from '../cost.js';
import { RankPrograms } from '../program.js';
import { binomialChildren, binomialLowBit } from '../tree.js';
import type { PairParams } from '../../sim/contract.js';

/**
 * The scatter that opens MPICH's large-message bcasts (MPII_Scatter_for_bcast in
 * src/mpi/coll/helper_fns or bcast_utils.c): the n-byte buffer is cut in P chunks of
 * ceil(n/P) bytes (the last ones shorter or empty) and sent down the binomial tree, each
 * rank receiving its subtree's chunks from its parent and passing each child its
 * subtree's share, farthest child first; empty shares are not sent.
 */
export function scatterChunk(n: number, P: number): number {
  return Math.ceil(n / P);
}

/** Bytes of chunk j (chunks of ceil(n/P), the last ones shorter or empty). */
export function chunkBytes(n: number, P: number, j: number): number {
  const ss = scatterChunk(n, P);
  return Math.max(0, Math.min(ss, n - j * ss));
}

/** Bytes the binomial subtree at relative rank `rel` holds after the scatter. */
function subtreeBytes(n: number, P: number, rel: number, span: number): number {
  const ss = scatterChunk(n, P);
  return Math.max(0, Math.min(span * ss, n - rel * ss));
}

export function scatterForBcastProgram(prog: RankPrograms, group: readonly number[], n: number): void {
  const P = group.length;
  for (let rel = 0; rel < P; rel++) {
    const r = group[rel];
    if (rel > 0) {
      const mask = binomialLowBit(rel, P);
      const size = subtreeBytes(n, P, rel, mask);
      if (size > 0) prog.recv(r, group[rel - mask], size, 3);
    }
    for (const child of binomialChildren(rel, P)) {
      const size = subtreeBytes(n, P, child, child - rel);
      if (size > 0) prog.send(r, group[child], size, 3);
    }
  }
}

export function scatterForBcastClocks(c: Clocks, group: readonly number[], n: number, p: PairParams): void {
  const P = group.length;
  const arrival = new Float64Array(P);
  for (let rel = 0; rel < P; rel++) {
    const r = group[rel];
    if (rel > 0) {
      const size = subtreeBytes(n, P, rel, binomialLowBit(rel, P));
      if (size > 0) c.take(r, arrival[rel], size, p);
    }
    for (const child of binomialChildren(rel, P)) {
      const size = subtreeBytes(n, P, child, child - rel);
      if (size <= 0) continue;
      arrival[child] = c.send(r, size, p);
      if (rendezvous(size, p)) c.settle(r, c.takeTime(group[child], arrival[child], size, p));
    }
  }
}
