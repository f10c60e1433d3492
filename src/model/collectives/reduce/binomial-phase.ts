import { Clocks, rendezvous, wireBytes } from '../cost.js';
import { RankPrograms } from '../program.js';
import type { PairParams } from '../../sim/contract.js';

/**
 * The binomial gathering tree shared by reduce and gather (MPICH's
 * MPIR_Reduce_intra_binomial and MPIR_Gather_intra_binomial): relative rank `rel`, for
 * mask = 1, 2, 4, ...: if its bit `mask` is clear it receives from rel | mask (when that
 * exists) and combines; at its lowest set bit it sends what it holds to rel - mask and
 * stops. `bytes(rel)` is what rel sends up, `calcNs(src)` what combining src's message costs.
 */
export function binomialUpProgram(
  prog: RankPrograms,
  group: readonly number[],
  bytes: (rel: number) => number,
  calcNs: (src: number) => number,
  tag: number,
): void {
  const P = group.length;
  for (let rel = 0; rel < P; rel++) {
    for (let mask = 1; mask < P; mask *= 2) {
      if ((rel & mask) === 0) {
        const src = rel | mask;
        if (src >= P) continue;
        prog.recv(group[rel], group[src], bytes(src), tag);
        prog.calc(group[rel], calcNs(src));
      } else {
        prog.send(group[rel], group[rel - mask], bytes(rel), tag);
        break;
      }
    }
  }
}

/**
 * The same tree on clocks, children before parents (descending relative rank). Each
 * rank takes its children's messages in program order (smallest subtree first); that is
 * the order they arrive in when every subtree is complete (P a power of two), so the
 * result is exact then; with truncated subtrees a later child can arrive first and the
 * simulator takes it earlier (approximate).
 */
export function binomialUpClocks(
  c: Clocks,
  group: readonly number[],
  bytes: (rel: number) => number,
  calcNs: (src: number) => number,
  p: PairParams,
): void {
  const P = group.length;
  const arrival = new Float64Array(P);
  for (let rel = P - 1; rel >= 0; rel--) {
    const r = group[rel];
    for (let mask = 1; mask < P; mask *= 2) {
      if ((rel & mask) === 0) {
        const src = rel | mask;
        if (src >= P) continue;
        const s = wireBytes(bytes(src));
        const t = c.take(r, arrival[src], s, p);
        if (rendezvous(s, p)) c.settle(group[src], t);
        c.calc(r, calcNs(src));
      } else {
        arrival[rel] = c.send(r, wireBytes(bytes(rel)), p);
        break;
      }
    }
  }
}
