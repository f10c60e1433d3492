import { Clocks, rendezvous, wireBytes } from '../cost.js';
import { relativeOrder } from '../groups.js';
import { RankPrograms } from '../program.js';
import { knomialChildren, knomialParent } from '../tree.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';

/** MVAPICH2's default k-nomial factor for intra- and inter-node bcast trees (MV2_KNOMIAL_*_FACTOR = 4). */
export const KNOMIAL_FACTOR = 4;

/**
 * k-nomial tree broadcast as MVAPICH2 runs it (MPIR_Knomial_Bcast_intra_MV2 in
 * src/mpi/coll/bcast_osu.c; k = 4 by default, MV2_KNOMIAL_INTER_NODE_FACTOR): a rank
 * receives from its parent (its relative rank with the lowest nonzero base-k digit
 * cleared), then posts nonblocking sends to its children, largest subtree first
 * (rel + j*mask, mask = k^i descending, j = 1..k-1), and waits for all of them.
 * ceil(log_k P) levels of up to k-1 children.
 *
 * LogGOPS cost (uniform parameters): sends to the children start D = max(o_s + (n-1)O,
 * g + (n-1)G) apart, back to back even under rendezvous (the sends are nonblocking); the
 * j-th child takes the message at t0 + (j-1)D + o_s + L; a sender under rendezvous
 * finishes no earlier than its last match. The closed form walks the tree parents first:
 * O(P), exact for every P.
 */
export function bcastKnomial(b: ScheduleBuilder, input: CollectiveInput, k = KNOMIAL_FACTOR): void {
  const P = input.procs;
  const order = relativeOrder(P, input.root ?? 0);
  const prog = new RankPrograms(b);
  for (let rel = 0; rel < P; rel++) {
    const r = order[rel];
    if (rel > 0) prog.recv(r, order[knomialParent(rel, k)], input.bytes);
    const sends = knomialChildren(rel, P, k).map((ch) => ({ peer: order[ch], bytes: input.bytes }));
    prog.batch(r, [], sends);
  }
}

export function bcastKnomialClosed(
  net: ClosedFormNet,
  input: CollectiveInput,
  k = KNOMIAL_FACTOR,
): CollectiveCost {
  const P = input.procs;
  const c = new Clocks(P);
  const s = wireBytes(input.bytes);
  const p = net.inter;
  const arrival = new Float64Array(P);
  for (let rel = 0; rel < P; rel++) {
    if (rel > 0) c.take(rel, arrival[rel], s, p);
    let lastMatch = 0;
    for (const child of knomialChildren(rel, P, k)) {
      arrival[child] = c.send(rel, s, p);
      // The child has been idle with its receive posted: it takes the message on arrival.
      lastMatch = c.takeTime(child, arrival[child], s, p);
    }
    if (rendezvous(s, p)) c.settle(rel, lastMatch);
  }
  return c.result();
}
