/**
 * An egalitarian processor-sharing server without rate caps (Kleinrock, Queueing Systems
 * Vol. 2, 1976, ch. 4), for many jobs at once: a node's HCA side may hold thousands of
 * messages in a large alltoall. The server does `capacity` units of work per ns, shared
 * equally by the m jobs in it, so every job's attained work is the server's virtual time V
 * since it joined (dV/dt = capacity / m), and each job's events are fixed points of V:
 *
 *   joins at V0 with work W and marks x1, x2 (ns alone)  ->  tags V0 + W, V0 + x1 C, V0 + x2 C
 *
 * kept in one binary heap, so an event costs O(log m) instead of the O(m) of
 * ProcessorSharingServer (processor-sharing.ts, which adds per-job caps and gives the same
 * times without them). A mark beyond the job's work is its departure plus the rest at the
 * full rate, as in ProcessorSharingServer; marks are reported as id (first) and ~id
 * (second). Pure: no engine, no I/O. Times in ns.
 */
export class EgalitarianSharingServer {
  private now = 0;
  private v = 0;
  /** Jobs in service. */
  private m = 0;
  // Per job slot: its id, finish tag, mark tags (NaN: none or reported).
  private slotId: number[] = [];
  private slotFinish: number[] = [];
  private slotMark1: number[] = [];
  private slotMark2: number[] = [];
  private freeSlots: number[] = [];
  // The heap of events: tag, slot, kind (0: departure, 1: first mark, 2: second mark).
  private heapTag: number[] = [];
  private heapSlot: number[] = [];
  private heapKind: number[] = [];
  /** Marks reached, waiting for the caller: ids (~id: a second mark) and times. */
  readonly reportedIds: number[] = [];
  readonly reportedTimes: number[] = [];

  constructor(private readonly capacity = 1) {}

  get load(): number {
    return this.m;
  }

  /**
   * Job `id` joins at `t` (not before the last call's time) with `work`, and asks for its
   * marks `markAt` and (optionally) `markAt2` ns of its own time alone after t; a mark at
   * or below 0 is reported at once.
   */
  add(t: number, id: number, work: number, markAt: number, markAt2 = NaN): void {
    this.advance(t);
    const c = this.capacity;
    const w = work > 0 ? work : 0;
    if (!(markAt > 0)) this.report(id, t);
    if (w === 0) {
      if (markAt > 0) this.report(id, t + markAt);
      if (markAt2 > 0) this.report(~id, t + markAt2);
      return;
    }
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.slotId.length;
    this.slotId[slot] = id;
    this.slotFinish[slot] = this.v + w;
    this.slotMark1[slot] = markAt > 0 ? this.v + markAt * c : NaN;
    this.slotMark2[slot] = markAt2 > 0 ? this.v + markAt2 * c : NaN;
    this.m++;
    this.push(this.v + w, slot, 0);
    if (markAt > 0 && markAt * c < w) this.push(this.v + markAt * c, slot, 1);
    if (markAt2 > 0 && markAt2 * c < w) this.push(this.v + markAt2 * c, slot, 2);
  }

  /** The next time something happens inside the server, or Infinity. */
  nextTime(): number {
    if (this.heapTag.length === 0) return Infinity;
    return this.now + ((this.heapTag[0] - this.v) * this.m) / this.capacity;
  }

  /** Serves up to time `t`: every departure and mark up to then happens, in time order. */
  advance(t: number): void {
    while (this.heapTag.length > 0) {
      const tag = this.heapTag[0];
      const dt = ((tag - this.v) * this.m) / this.capacity;
      if (this.now + dt > t) break;
      this.now += dt;
      this.v = tag;
      while (this.heapTag.length > 0 && this.heapTag[0] <= this.v) this.settle();
    }
    if (this.m > 0) this.v += ((t - this.now) * this.capacity) / this.m;
    this.now = t;
  }

  /** The event at the top of the heap happens now. */
  private settle(): void {
    const slot = this.heapSlot[0];
    const kind = this.heapKind[0];
    this.pop();
    const id = this.slotId[slot];
    if (kind === 1) {
      this.slotMark1[slot] = NaN;
      return this.report(id, this.now);
    }
    if (kind === 2) {
      this.slotMark2[slot] = NaN;
      return this.report(~id, this.now);
    }
    // Departure: marks beyond the work come the rest later, at the full rate.
    const f = this.slotFinish[slot];
    const m1 = this.slotMark1[slot];
    const m2 = this.slotMark2[slot];
    if (m1 === m1 && m1 >= f) this.report(id, this.now + (m1 - f) / this.capacity);
    if (m2 === m2 && m2 >= f) this.report(~id, this.now + (m2 - f) / this.capacity);
    this.m--;
    this.freeSlots.push(slot);
  }

  private report(id: number, t: number): void {
    this.reportedIds.push(id);
    this.reportedTimes.push(t);
  }

  /** Empties the reported marks. */
  clearReports(): void {
    if (this.reportedIds.length === 0) return;
    this.reportedIds.length = 0;
    this.reportedTimes.length = 0;
  }

  // A binary min-heap on (tag, kind: marks before the departure at one tag).
  private before(i: number, j: number): boolean {
    const a = this.heapTag[i];
    const b = this.heapTag[j];
    return a < b || (a === b && this.heapKind[i] > this.heapKind[j]);
  }

  private swap(i: number, j: number): void {
    const t = this.heapTag[i];
    this.heapTag[i] = this.heapTag[j];
    this.heapTag[j] = t;
    const s = this.heapSlot[i];
    this.heapSlot[i] = this.heapSlot[j];
    this.heapSlot[j] = s;
    const k = this.heapKind[i];
    this.heapKind[i] = this.heapKind[j];
    this.heapKind[j] = k;
  }

  private push(tag: number, slot: number, kind: number): void {
    let i = this.heapTag.length;
    this.heapTag.push(tag);
    this.heapSlot.push(slot);
    this.heapKind.push(kind);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private pop(): void {
    const last = this.heapTag.length - 1;
    this.swap(0, last);
    this.heapTag.pop();
    this.heapSlot.pop();
    this.heapKind.pop();
    const n = this.heapTag.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let s = i;
      if (l < n && this.before(l, s)) s = l;
      if (r < n && this.before(r, s)) s = r;
      if (s === i) return;
      this.swap(i, s);
      i = s;
    }
  }
}
