import { Clocks, rendezvous, wireBytes } from '../cost.js';
import { binomialChildren } from '../tree.js';
import { RankPrograms } from '../program.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { PairParams, ScheduleBuilder } from '../../sim/contract.js';

/**
 * Binomial-tree broadcast, MPICH's MPIR_Bcast_intra_binomial (Thakur, Rabenseifner and
 * Gropp, "Optimization of Collective Communication Operations in MPICH", IJHPCA 19(1),
 * 2005, Sec. 4.1): a rank receives the whole buffer from its parent (relative rank minus
 * its lowest set bit), then sends it with blocking sends to its children, the farthest
 * (largest subtree) first. ceil(log2 P) steps.
 *
 * LogGOPS cost (n bytes, uniform parameters, eager n <= S): a send repeats every
 * D = max(o_s + (n-1)O, g + (n-1)G); a child takes the message o_s + L after its send
 * starts and is done with it R = o_r + (n-1)max(O, G) later. Rank r finishes at
 * T(r) + R + (c_r - 1) D + o_s + (n-1)O with c_r children (T(r) + R if a leaf), so the
 * root-to-leaf chain for P = 2^k is k (o_s + L + R) plus the waits for earlier siblings.
 * Rendezvous (n > S): each send also waits for its match o_s + L after it starts, so
 * D = max(D, o_s + L). The closed form walks the tree in relative-rank order (parents
 * first) with these rules: O(P), exact for every P.
 */
export function bcastBinomial(b: ScheduleBuilder, input: CollectiveInput): void {
  const P = input.procs;
  const root = input.root ?? 0;
  const prog = new RankPrograms(b);
  const abs = (rel: number) => (rel + root) % P;
  for (let rel = 0; rel < P; rel++) {
    if (rel > 0) prog.recv(abs(rel), abs(rel - (rel & -rel)), input.bytes);
    for (const child of binomialChildren(rel, P)) prog.send(abs(rel), abs(child), input.bytes);
  }
}

export function bcastBinomialClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const c = new Clocks(input.procs);
  binomialBroadcastClocks(c, identity(input.procs, input.root ?? 0), input.bytes, net.inter);
  return c.result();
}

/** Ranks in relative order: root first. */
const identity = (n: number, root: number) => Array.from({ length: n }, (_, i) => (i + root) % n);

/**
 * Binomial broadcast over `group` (group[0] the root) on existing clocks: every non-root
 * member's receive was posted before its message can arrive (it has nothing else to do),
 * so it takes the message on arrival when its CPU is free. Used by the flat algorithm
 * and the two-level ones.
 */
export function binomialBroadcastClocks(
  c: Clocks,
  group: readonly number[],
  bytes: number,
  p: PairParams,
): void {
  const P = group.length;
  const s = wireBytes(bytes);
  const arrival = new Float64Array(P);
  for (let rel = 0; rel < P; rel++) {
    const r = group[rel];
    if (rel > 0) c.take(r, arrival[rel], s, p);
    for (const child of binomialChildren(rel, P)) {
      arrival[child] = c.send(r, s, p);
      if (rendezvous(s, p)) {
        // The child takes it at max(arrival, its clocks); its receive was posted long before.
        c.settle(r, c.takeTime(group[child], arrival[child], s, p));
      }
    }
  }
}
