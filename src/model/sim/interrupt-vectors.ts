import type { InterruptVectorsSpec } from './contract.js';
import { EgalitarianSharingServer } from './egalitarian-sharing.js';

/** What the vectors ask of the engine: a server event queued at t (the rules' own). */
export interface InterruptVectorHooks {
  push(vector: number, t: number): void;
  /** Interrupt `id` was served: its rank's wake-up goes on at t. */
  served(id: number, t: number): void;
}

/**
 * Completion interrupt vectors as shared resources (docs/virtualization.md, rule 6): the
 * ranks of one function (a VM's VF, or the PF) deliver their wake-ups through its few
 * vectors, and a vector does one interrupt's service (the handler on bare metal, plus
 * the exits of delivery and EOI in a guest) per interrupt.
 *
 * Each vector is a fluid processor-sharing server (Kleinrock, Queueing Systems Vol. 2,
 * 1976, ch. 4; egalitarian-sharing.ts), as each HCA side is (native-engine.ts): m
 * interrupts in it each get 1/m of it, and k raised at one instant all end k services
 * later. Why not first come first served: which of simultaneous completions the driver
 * meets first on its event queue is nothing the model knows (mlx4's handler drains every
 * entry of its EQ in one pass, in the order the HCA wrote them), and FIFO in the
 * simulator's own order made that order decide which rank waited: renaming the ranks of
 * a collective moved its average by up to 24% and its maximum by up to 34%
 * (test/model/properties/tolerance.ts). Sharing is blind to that order and continuous in
 * the arrival times (a near-tie is served almost as an exact tie is), and it keeps the
 * vector's throughput and the last interrupt's end; it gives each of k simultaneous
 * interrupts the last one's wait, where FIFO gives the same total to one rank in
 * particular (an upper bound for the others: an assumption, stated in the rule).
 *
 * A lone interrupt ends its service after exactly its service time; the wake-up a lone
 * rank pays (the path's eventExtra, measured) already holds that service, so the engine
 * adds only the delay beyond it. Pure: no engine, no I/O. Times in ns.
 */
export class SharedInterruptVectors {
  private readonly servers: EgalitarianSharingServer[];
  /** Per vector: the time of its next queued event (Infinity: none). */
  private readonly eventAt: Float64Array;

  constructor(
    private readonly spec: InterruptVectorsSpec,
    private readonly hooks: InterruptVectorHooks,
  ) {
    this.servers = Array.from(spec.serviceNs, () => new EgalitarianSharingServer());
    this.eventAt = new Float64Array(spec.serviceNs.length).fill(Infinity);
  }

  /** How many event ids the vectors use (one per vector). */
  get count(): number {
    return this.servers.length;
  }

  /** The vector of `rank`'s function (-1: none: its wake-ups never wait). */
  vectorOf(rank: number): number {
    return this.spec.vectorOf[rank];
  }

  /** One interrupt's service on `rank`'s vector (ns; 0 without one). */
  serviceOf(rank: number): number {
    const v = this.spec.vectorOf[rank];
    return v < 0 ? 0 : this.spec.serviceNs[v];
  }

  /** Interrupt `id` for `rank` is raised at t (not before the last call's time). */
  raise(id: number, rank: number, t: number): void {
    const v = this.spec.vectorOf[rank];
    if (v < 0) return this.hooks.served(id, t);
    const s = this.spec.serviceNs[v];
    this.servers[v].add(t, id, s, s);
    this.after(v);
  }

  /** The earliest an interrupt still in `rank`'s vector can end its service (a lower bound of its end). */
  nextEnd(rank: number): number {
    const v = this.spec.vectorOf[rank];
    return v < 0 ? Infinity : this.servers[v].nextTime();
  }

  /** Vector event `v` at t; one superseded by a sooner one is ignored. */
  onEvent(v: number, t: number): void {
    if (this.eventAt[v] !== t) return;
    this.eventAt[v] = Infinity;
    this.servers[v].advance(t);
    this.after(v);
  }

  /** Passes on the vector's ended services, and queues its next event. */
  private after(v: number): void {
    const server = this.servers[v];
    const ids = server.reportedIds;
    const times = server.reportedTimes;
    // Copied first: a served interrupt may raise another on this vector.
    const n = ids.length;
    if (n > 0) {
      const doneIds = ids.slice();
      const doneTimes = times.slice();
      server.clearReports();
      for (let i = 0; i < n; i++) this.hooks.served(doneIds[i], doneTimes[i]);
    }
    const next = server.nextTime();
    if (next < this.eventAt[v]) {
      this.eventAt[v] = next;
      this.hooks.push(v, next);
    }
  }
}
