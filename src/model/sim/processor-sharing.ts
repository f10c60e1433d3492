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
  // Jobs in service, side by side.
  private ids: number[] = [];
  private left: number[] = [];
  /** Work done so far at which the mark is reached (may exceed the work); NaN once reported. */
  private markWork: number[] = [];
  private caps: number[] = [];
  private rates: number[] = [];
  /** Marks reached, waiting for the caller: ids and times. */
  readonly reportedIds: number[] = [];
  readonly reportedTimes: number[] = [];
  /** Departures, waiting for the caller: ids and times. */
  readonly departedIds: number[] = [];
  readonly departedTimes: number[] = [];
  // Work done so far per job (to place its mark).
  private done: number[] = [];

  constructor(private readonly capacity = 1) {}

  /** Jobs in service now. */
  get load(): number {
    return this.ids.length;
  }

  /** A job's rate alone. */
  private aloneRate(cap: number): number {
    return Math.min(cap, this.capacity);
  }

  /**
   * Job `id` joins at `t` (not before the last call's time) with `work` to do at a rate of
   * at most `cap`, and asks for its mark `markAt` ns of its own time alone after t. A mark
   * at or below 0 is reported at once.
   */
  add(t: number, id: number, work: number, markAt: number, cap = Infinity): void {
    this.advance(t);
    const rate = this.aloneRate(cap);
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
      return;
    }
    this.ids.push(id);
    this.left.push(w);
    this.done.push(0);
    this.markWork.push(markAt > 0 ? markAt * rate : NaN);
    this.caps.push(cap);
    this.rates.push(0);
    this.share();
  }

  /** Max-min fair rates (water-filling by cap); equal caps get equal rates whatever their order. */
  private share(): void {
    const n = this.ids.length;
    const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => this.caps[a] - this.caps[b]);
    let room = this.capacity;
    for (let k = 0; k < n; k++) {
      const j = order[k];
      const fair = room / (n - k);
      const r = Math.min(this.caps[j], fair);
      this.rates[j] = r;
      room -= r;
    }
    // Equal caps in a row got equal shares up to rounding of `room`: give them one value.
    for (let k = 1; k < n; k++) {
      const a = order[k - 1];
      const b = order[k];
      if (this.caps[a] === this.caps[b]) this.rates[b] = this.rates[a];
    }
  }

  /** Time from now to job j's next event (its departure, or its mark before it), at current rates. */
  private untilNext(j: number): number {
    const r = this.rates[j];
    let d = this.left[j] / r;
    const m = this.markWork[j];
    if (m === m && m - this.done[j] < this.left[j]) d = Math.min(d, (m - this.done[j]) / r);
    return d;
  }

  /** The next time something happens inside the server (a departure or a mark reached), or Infinity. */
  nextTime(): number {
    let d = Infinity;
    for (let j = 0; j < this.ids.length; j++) d = Math.min(d, this.untilNext(j));
    return this.now + d;
  }

  /**
   * Serves up to time `t`: every departure and mark up to then happens, in time order;
   * marks go to `reportedIds`/`reportedTimes` (the caller empties them).
   */
  advance(t: number): void {
    while (this.ids.length > 0) {
      let d = Infinity;
      for (let j = 0; j < this.ids.length; j++) d = Math.min(d, this.untilNext(j));
      if (this.now + d > t) break;
      this.step(d);
    }
    const dt = t - this.now;
    if (dt > 0) for (let j = 0; j < this.ids.length; j++) this.progress(j, dt);
    this.now = t;
  }

  private progress(j: number, dt: number): void {
    const w = this.rates[j] * dt;
    this.left[j] -= w;
    this.done[j] += w;
  }

  /** Moves d ns on to the next event: jobs whose event it is report or leave; the rest progress. */
  private step(d: number): void {
    this.now += d;
    let k = 0;
    let left = false;
    for (let j = 0; j < this.ids.length; j++) {
      const r = this.rates[j];
      const m = this.markWork[j];
      const toMark = m === m ? (m - this.done[j]) / r : Infinity;
      const toEnd = this.left[j] / r;
      if (toMark <= d && toMark < toEnd) {
        this.reportedIds.push(this.ids[j]);
        this.reportedTimes.push(this.now);
        this.markWork[j] = NaN;
      }
      if (toEnd <= d) {
        if (this.markWork[j] === this.markWork[j]) {
          // A mark beyond the work: the rest at the job's rate alone.
          this.reportedIds.push(this.ids[j]);
          this.reportedTimes.push(
            this.now + (this.markWork[j] - this.done[j] - this.left[j]) / this.aloneRate(this.caps[j]),
          );
        }
        this.departedIds.push(this.ids[j]);
        this.departedTimes.push(this.now);
        left = true;
        continue;
      }
      this.progress(j, d);
      this.ids[k] = this.ids[j];
      this.left[k] = this.left[j];
      this.done[k] = this.done[j];
      this.markWork[k] = this.markWork[j];
      this.caps[k] = this.caps[j];
      this.rates[k] = this.rates[j];
      k++;
    }
    for (const a of [this.ids, this.left, this.done, this.markWork, this.caps, this.rates]) a.length = k;
    if (left) this.share();
  }

  /**
   * When each job in service would leave if no other job joined: the ids and times, from
   * a copy of the server run to its end. Arrivals only slow jobs down, so these times only
   * move later as jobs join, and are exact at the departure.
   */
  projectedDepartures(): { ids: number[]; times: number[] } {
    const copy = new ProcessorSharingServer(this.capacity);
    copy.now = this.now;
    copy.ids = this.ids.slice();
    copy.left = this.left.slice();
    copy.done = this.done.slice();
    // Departures only: a mark placed at the work itself is reported at the departure.
    copy.markWork = this.done.map((d, j) => d + this.left[j]);
    copy.caps = this.caps.slice();
    copy.rates = this.rates.slice();
    copy.advance(Infinity);
    return { ids: copy.reportedIds, times: copy.reportedTimes };
  }

  /** Empties the reported marks and departures. */
  clearReports(): void {
    this.reportedIds.length = 0;
    this.reportedTimes.length = 0;
    this.departedIds.length = 0;
    this.departedTimes.length = 0;
  }
}
