import { Clocks } from '../cost.js';
import { relativeOrder } from '../groups.js';
import { RankPrograms } from '../program.js';
import { binomialUpClocks, binomialUpProgram } from '../reduce/binomial-phase.js';
import { binomialSubtree } from '../tree.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';

/**
 * Binomial-tree gather, MPICH's MPIR_Gather_intra_binomial (Thakur, Rabenseifner, Gropp,
 * IJHPCA 2005, Sec. 4.2): the reduce tree without computation, each rank sending its
 * whole subtree's blocks (min(lowbit, P - rel) blocks of m bytes) to its parent.
 *
 * LogGOPS cost (m bytes per block, P = 2^k, uniform parameters, eager, gaps not
 * binding): the root takes subtrees of 1, 2, ..., P/2 blocks, the last arriving after
 * the chain of the largest subtree:
 *   T = sum_{j=0}^{k-1} (o_s + L + o_r + (2^j m - 1)max(O,G)) (plus sender-side
 * (s-1)O where it exceeds L). The closed form walks the tree (O(P)); exact for P a power
 * of two, approximate otherwise.
 */
export function gatherBinomial(b: ScheduleBuilder, input: CollectiveInput): void {
  const P = input.procs;
  const m = input.bytes;
  binomialUpProgram(
    new RankPrograms(b),
    relativeOrder(P, input.root ?? 0),
    (rel) => binomialSubtree(rel, P) * m,
    () => 0,
    8,
  );
}

export function gatherBinomialClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const P = input.procs;
  const m = input.bytes;
  const c = new Clocks(P);
  binomialUpClocks(
    c,
    relativeOrder(P, input.root ?? 0),
    (rel) => binomialSubtree(rel, P) * m,
    () => 0,
    net.inter,
  );
  return c.result();
}
