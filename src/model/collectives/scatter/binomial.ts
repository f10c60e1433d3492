import { Clocks, rendezvous, wireBytes } from '../cost.js';
import { relativeOrder } from '../groups.js';
import { RankPrograms } from '../program.js';
import { binomialChildren, binomialLowBit, binomialSubtree } from '../tree.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';

/**
 * Binomial-tree scatter, MPICH's MPIR_Scatter_intra_binomial (Thakur, Rabenseifner,
 * Gropp, IJHPCA 2005, Sec. 4.2): the root holds P blocks of m bytes; each rank receives
 * its subtree's blocks (min(lowbit, P - rel)) from its parent, then sends each child its
 * subtree's blocks, farthest child (largest subtree) first, with blocking sends.
 *
 * LogGOPS cost (uniform parameters, P = 2^k, eager): the root sends P/2, P/4, ..., 1
 * blocks, each send starting D_s = max(o_s + (s-1)O, g + (s-1)G) after the previous; the
 * last leaf on the critical path waits sum_j (o_s + L + o_r + (2^j m - 1)max(O,G)) plus
 * the senders' gaps. The closed form walks the tree parents first (O(P)), exact for
 * every P: every rank takes one message, with its receive posted from the start.
 */
export function scatterBinomial(b: ScheduleBuilder, input: CollectiveInput): void {
  const P = input.procs;
  const group = relativeOrder(P, input.root ?? 0);
  const prog = new RankPrograms(b);
  for (let rel = 0; rel < P; rel++) {
    if (rel > 0)
      prog.recv(group[rel], group[rel - binomialLowBit(rel, P)], binomialSubtree(rel, P) * input.bytes, 9);
    for (const child of binomialChildren(rel, P)) {
      prog.send(group[rel], group[child], binomialSubtree(child, P) * input.bytes, 9);
    }
  }
}

export function scatterBinomialClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const P = input.procs;
  const p = net.inter;
  const c = new Clocks(P);
  const arrival = new Float64Array(P);
  for (let rel = 0; rel < P; rel++) {
    if (rel > 0) c.take(rel, arrival[rel], wireBytes(binomialSubtree(rel, P) * input.bytes), p);
    for (const child of binomialChildren(rel, P)) {
      const s = wireBytes(binomialSubtree(child, P) * input.bytes);
      arrival[child] = c.send(rel, s, p);
      // The child is idle with its receive posted: it takes the message on arrival.
      if (rendezvous(s, p)) c.settle(rel, c.takeTime(child, arrival[child], s, p));
    }
  }
  return c.result();
}
