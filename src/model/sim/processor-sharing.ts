/**
 * A fluid processor-sharing server (Kleinrock, Queueing Systems Vol. 2: Computer
 * Applications, Wiley 1976, ch. 4, processor sharing), with per-job rate caps as in the
 * max-min fair flow-level sharing of SimGrid (Velho, Schnorr, Casanova, Legrand, "On the
 * validity of flow-level TCP network models for grid and cloud simulations", ACM TOMACS
 * 23(4), 2013). The server does `capacity` units of work per ns; a job's own rate is at
 * most its cap. Between two events the rates are max-min fair (water-filling: in order of
 * cap, each job gets min(cap, what is left / jobs left)); without caps, m jobs each get
 * capacity / m (egalitarian processor sharing):
 *
 *   k jobs of work W joining at T, no caps, capacity 1  ->  all leave at T + kW
 *
 * Work is conserved while some job can use it, and a departure is continuous in the
 * arrival times, works and caps: nothing depends on the order in which jobs join at one
 * instant, and adding a job never speeds another one up.
 *
 * Besides departures the server reports a *mark*: the time at which a job has progressed
 * as far as it would have, alone, `markAt` ns after it joined (alone its rate is
 * min(cap, capacity)); a mark beyond the job's work is its departure plus the rest at that
 * rate. A job alone reaches its mark at t + markAt. A mark is known only once no later
 * arrival can change it: when the server reaches it, or at the job's departure. Departures
 * are reported too.
 *
 * Pure: no engine, no I/O. Times in ns.
 */
export class ProcessorSharingServer {
  private now = 0;
  /** Jobs in service: the first n slots of the arrays below. */
  private n = 0;
  private ids = new Int32Array(8);
  private left = new Float64Array(8);
  /** Work done so far per job (to place its mark). */
  private done = new Float64Array(8);
  /** Work done at which the mark is reached (may exceed the work); NaN once reported. */
  private markWork = new Float64Array(8);
  /** The same for a job's second mark (NaN: none, or reported), reported as ~id. */
  private markWork2 = new Float64Array(8);
  private caps = new Float64Array(8);
  private rates = new Float64Array(8);
  /** Marks reached, waiting for the caller: ids and times (cleared by clearReports). */
  readonly reportedIds: number[] = [];
  readonly reportedTimes: number[] = [];
  /** Departures, waiting for the caller: ids and times. */
  readonly departedIds: number[] = [];
  readonly departedTimes: number[] = [];

  constructor(private readonly capacity = 1) {}

  /** Jobs in service now. */
  get load(): number {
    return this.n;
  }

  /** A job's rate alone. */
  private aloneRate(cap: number): number {
    return Math.min(cap, this.capacity);
  }

  private grow(): void {
    const size = 2 * this.ids.length;
    const f = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    const ids = new Int32Array(size);
    ids.set(this.ids);
    this.ids = ids;
    this.left = f(this.left);
    this.done = f(this.done);
    this.markWork = f(this.markWork);
    this.markWork2 = f(this.markWork2);
    this.caps = f(this.caps);
    this.rates = f(this.rates);
  }

  /**
   * Job `id` joins at `t` (not before the last call's time) with `work` to do at a rate of
   * at most `cap`, and asks for its mark `markAt` ns of its own time alone after t. A mark
   * at or below 0 is reported at once. An optional second mark `markAt2` (> markAt) is
   * reported likewise, as ~id.
   */
  add(t: number, id: number, work: number, markAt: number, cap = Infinity, markAt2 = NaN): void {
    this.advance(t);
    const w = work > 0 ? work : 0;
    if (!(markAt > 0)) {
      this.reportedIds.push(id);
      this.reportedTimes.push(t);
    }
    if (w === 0) {
      // No work: it leaves at once, its mark markAt later.
      this.departedIds.push(id);
      this.departedTimes.push(t);
      if (markAt > 0) {
        this.reportedIds.push(id);
        this.reportedTimes.push(t + markAt);
      }
      if (markAt2 > 0) {
        this.reportedIds.push(~id);
        this.reportedTimes.push(t + markAt2);
      }
      return;
    }
    if (this.n === this.ids.length) this.grow();
    const j = this.n++;
    this.ids[j] = id;
    this.left[j] = w;
    this.done[j] = 0;
    this.markWork[j] = markAt > 0 ? markAt * this.aloneRate(cap) : NaN;
    this.markWork2[j] = markAt2 > 0 ? markAt2 * this.aloneRate(cap) : NaN;
    this.caps[j] = cap;
    this.share();
  }

  /** Max-min fair rates (water-filling by cap); equal caps get equal rates whatever their order. */
  private share(): void {
    const n = this.n;
    const caps = this.caps;
    const fair = this.capacity / n;
    let binds = false;
    let alike = true;
    for (let j = 0; j < n; j++) {
      if (caps[j] < fair) binds = true;
      if (caps[j] !== caps[0]) alike = false;
    }
    // Usually no cap binds, or all caps are alike: one rate for all.
    if (!binds || alike) {
      const r = binds ? Math.min(fair, caps[0]) : fair;
      this.rates.fill(r, 0, n);
      return;
    }
    const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => caps[a] - caps[b]);
    let room = this.capacity;
    for (let k = 0; k < n; k++) {
      const j = order[k];
      const r = Math.min(caps[j], room / (n - k));
      this.rates[j] = r;
      room -= r;
    }
    // Equal caps in a row got equal shares up to rounding of `room`: give them one value.
    for (let k = 1; k < n; k++) {
      const a = order[k - 1];
      const b = order[k];
      if (caps[a] === caps[b]) this.rates[b] = this.rates[a];
    }
  }

  /** Time from now to the server's next event (a departure, or a mark before its job's departure), at current rates. */
  private untilNext(): number {
    let d = Infinity;
    for (let j = 0; j < this.n; j++) {
      const r = this.rates[j];
      const end = this.left[j] / r;
      if (end < d) d = end;
      const m = this.markWork[j] - this.done[j];
      if (m < this.left[j] && m / r < d) d = m / r; // NaN compares false
      const m2 = this.markWork2[j] - this.done[j];
      if (m2 < this.left[j] && m2 / r < d) d = m2 / r;
    }
    return d;
  }

  /** The next time something happens inside the server (a departure or a mark reached), or Infinity. */
  nextTime(): number {
    return this.now + this.untilNext();
  }

  /**
   * Serves up to time `t`: every departure and mark up to then happens, in time order;
   * marks go to `reportedIds`/`reportedTimes`, departures to `departedIds`/`departedTimes`
   * (the caller empties them).
   */
  advance(t: number): void {
    while (this.n > 0) {
      const d = this.untilNext();
      if (this.now + d > t) break;
      this.step(d);
    }
    const dt = t - this.now;
    if (dt > 0)
      for (let j = 0; j < this.n; j++) {
        const w = this.rates[j] * dt;
        this.left[j] -= w;
        this.done[j] += w;
      }
    this.now = t;
  }

  /** Moves d ns on to the next event: jobs whose event it is report or leave; the rest progress. */
  private step(d: number): void {
    this.now += d;
    let k = 0;
    const n = this.n;
    for (let j = 0; j < n; j++) {
      const r = this.rates[j];
      const m = this.markWork[j];
      const toMark = (m - this.done[j]) / r; // NaN once reported
      const toEnd = this.left[j] / r;
      if (toMark <= d && toMark < toEnd) {
        this.reportedIds.push(this.ids[j]);
        this.reportedTimes.push(this.now);
        this.markWork[j] = NaN;
      }
      const toMark2 = (this.markWork2[j] - this.done[j]) / r;
      if (toMark2 <= d && toMark2 < toEnd) {
        this.reportedIds.push(~this.ids[j]);
        this.reportedTimes.push(this.now);
        this.markWork2[j] = NaN;
      }
      if (toEnd <= d) {
        if (this.markWork[j] === this.markWork[j]) {
          // A mark beyond the work: the rest at the job's rate alone.
          const rest = this.markWork[j] - this.done[j] - this.left[j];
          this.reportedIds.push(this.ids[j]);
          this.reportedTimes.push(this.now + rest / this.aloneRate(this.caps[j]));
        }
        if (this.markWork2[j] === this.markWork2[j]) {
          const rest = this.markWork2[j] - this.done[j] - this.left[j];
          this.reportedIds.push(~this.ids[j]);
          this.reportedTimes.push(this.now + rest / this.aloneRate(this.caps[j]));
        }
        this.departedIds.push(this.ids[j]);
        this.departedTimes.push(this.now);
        continue;
      }
      const w = r * d;
      this.ids[k] = this.ids[j];
      this.left[k] = this.left[j] - w;
      this.done[k] = this.done[j] + w;
      this.markWork[k] = this.markWork[j];
      this.markWork2[k] = this.markWork2[j];
      this.caps[k] = this.caps[j];
      this.rates[k] = r;
      k++;
    }
    this.n = k;
    if (k < n && k > 0) this.share();
  }

  /** Whether some job runs below its cap (shared, or on a server slower than the job). */
  belowCap(): boolean {
    for (let j = 0; j < this.n; j++) if (this.rates[j] < this.caps[j]) return true;
    return false;
  }

  /** Whether some job runs slower than it would alone (the capacity binds). */
  shared(): boolean {
    for (let j = 0; j < this.n; j++) if (this.rates[j] < this.aloneRate(this.caps[j])) return true;
    return false;
  }

  /**
   * When each job in service would leave if no other job joined: the ids and times, from
   * a copy of the server run to its end. Arrivals only slow jobs down, so these times only
   * move later as jobs join, and are exact at the departure.
   */
  projectedDepartures(): { ids: number[]; times: number[] } {
    const ids = Array.from(this.ids.subarray(0, this.n));
    if (!this.shared()) {
      // Every job at its own rate alone: nothing to simulate.
      return { ids, times: ids.map((_, j) => this.now + this.left[j] / this.rates[j]) };
    }
    let alike = true;
    for (let j = 1; j < this.n; j++) if (this.caps[j] !== this.caps[0]) alike = false;
    if (alike) {
      // One rate for all, min(cap, capacity / jobs left): they leave in order of work left.
      const order = ids.map((_, j) => j).sort((a, b) => this.left[a] - this.left[b]);
      const times = new Array<number>(ids.length);
      let at = this.now;
      let before = 0;
      order.forEach((j, k) => {
        at += (this.left[j] - before) / Math.min(this.caps[0], this.capacity / (order.length - k));
        before = this.left[j];
        times[j] = at;
      });
      return { ids, times };
    }
    const copy = new ProcessorSharingServer(this.capacity);
    copy.now = this.now;
    copy.n = this.n;
    copy.ids = this.ids.slice();
    copy.left = this.left.slice();
    copy.done = this.done.slice();
    copy.markWork = new Float64Array(this.markWork.length).fill(NaN);
    copy.markWork2 = new Float64Array(this.markWork.length).fill(NaN);
    copy.caps = this.caps.slice();
    copy.rates = this.rates.slice();
    copy.advance(Infinity);
    return { ids: copy.departedIds, times: copy.departedTimes };
  }

  /** Empties the reported marks and departures. */
  clearReports(): void {
    if (this.reportedIds.length > 0) {
      this.reportedIds.length = 0;
      this.reportedTimes.length = 0;
    }
    if (this.departedIds.length > 0) {
      this.departedIds.length = 0;
      this.departedTimes.length = 0;
    }
  }
}
