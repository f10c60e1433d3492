import type { InterruptVectorsSpec } from './contract.js';

/**
 * Completion interrupt vectors as resources (docs/virtualization.md, rule 6): the ranks of
 * one function (a VM's VF, or the PF) deliver their wake-ups through its few vectors, and
 * a vector serves one interrupt at a time, first come first served, each for its service
 * time (the handler on bare metal, plus the exits of delivery and EOI in a guest). FIFO
 * because an interrupt stays in service on its CPU until its EOI: the next one on the
 * vector is delivered after it.
 *
 * A lone wake-up's cost (the path's eventExtra, measured) already holds its own service,
 * so only the wait for the interrupts ahead of it is added. The driver's handler drains
 * every event queued on its EQ in one interrupt, so completions close together may share
 * one; serving each on its own is the upper bound of that (an assumption).
 *
 * Called in event order (nondecreasing t), so the order of calls is the order of arrival.
 */
export class InterruptVectors {
  private readonly freeAt: Float64Array;

  constructor(private readonly spec: InterruptVectorsSpec) {
    this.freeAt = new Float64Array(spec.serviceNs.length);
  }

  /** How long (ns) an interrupt raised at t for `rank` waits for its vector; the vector is then held for its service. */
  waitAt(rank: number, t: number): number {
    const v = this.spec.vectorOf[rank];
    if (v < 0) return 0;
    const start = Math.max(t, this.freeAt[v]);
    this.freeAt[v] = start + this.spec.serviceNs[v];
    return start - t;
  }
}
