import { Clocks } from '../cost.js';
import { relativeOrder } from '../groups.js';
import { RankPrograms } from '../program.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';
import { binomialUpClocks, binomialUpProgram } from './binomial-phase.js';

/**
 * Binomial-tree reduce, MPICH's MPIR_Reduce_intra_binomial (Thakur, Rabenseifner,
 * Gropp, IJHPCA 2005, Sec. 4.3): each rank receives the n-byte vectors of its children
 * (rel | 1, rel | 2, ...) in that order, reducing each (n c), then sends the result to its
 * parent; the root ends after its last child. ceil(log2 P) levels.
 *
 * LogGOPS cost (uniform parameters, P = 2^k, eager, gaps not binding): the root's last
 * child (subtree P/2) sends at T(k-1); T(j) = T(j-1) + o_s + L + o_r + (n-1)max(O,G) + n c
 * with T(0) = 0 for a leaf's send, so the root finishes at
 *   T = log2 P (o_s + L + o_r + (n-1)max(O,G) + n c),
 * leaves at o_s + (n-1)O (or their rendezvous match). The closed form walks the tree
 * (O(P)); exact for P a power of two, approximate otherwise (see binomialUpClocks).
 */
export function reduceBinomial(b: ScheduleBuilder, input: CollectiveInput): void {
  const group = relativeOrder(input.procs, input.root ?? 0);
  const n = input.bytes;
  binomialUpProgram(
    new RankPrograms(b),
    group,
    () => n,
    () => n * input.reduceNsPerByte,
    7,
  );
}

export function reduceBinomialClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const c = new Clocks(input.procs);
  const n = input.bytes;
  binomialUpClocks(
    c,
    relativeOrder(input.procs, input.root ?? 0),
    () => n,
    () => n * input.reduceNsPerByte,
    net.inter,
  );
  return c.result();
}
