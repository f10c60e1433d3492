/**
 * A fluid egalitarian processor-sharing server (Kleinrock, Queueing Systems Vol. 2: Computer
 * Applications, Wiley 1976, ch. 4, processor sharing; the flow-level sharing of SimGrid:
 * Velho, Schnorr, Casanova, Legrand, "On the validity of flow-level TCP network models for
 * grid and cloud simulations", ACM TOMACS 23(4), 2013). While m jobs are in service each is
 * served at rate 1/m, so a job's attained service is the server's virtual time V since it
 * joined, with dV/dt = 1/m:
 *
 *   job joins at t with work W   ->  finish tag F = V(t) + W, departs when V reaches F
 *   k jobs of work W joining at T, alone  ->  all depart at T + kW
 *
 * Work is conserved (the server is busy whenever a job is in it) and a departure is
 * continuous in the arrival times and works: nothing depends on the order of jobs that
 * join at one instant.
 *
 * Besides departures the server reports a *mark*: the time at which a job's attained
 * service reaches a given amount x (x <= W), or, for x > W, its departure plus x - W (the
 * rest at full rate, as it would be alone). A job alone reaches its mark x at t + x; the
 * native engine uses the mark to delay a message by the service it lost to sharing during
 * its flight (native-engine.ts). A mark is known only once no later arrival can change it:
 * when the server reaches it, or at the departure for x > W.
 *
 * Pure: no engine, no I/O. Times in ns.
 */
export class ProcessorSharingServer {
  /** The server's virtual time (service each job in service has attained since V = 0) at `now`. */
  private v = 0;
  private now = 0;
  // Jobs still in service or with a mark still to report, side by side.
  private ids: number[] = [];
  private finish: number[] = [];
  private mark: number[] = [];
  /** 1: the job's mark is reported; 0: not yet. */
  private marked: number[] = [];
  /** Jobs still in service (finish tag above v). */
  private inService = 0;
  /** Marks reached, waiting for the caller: ids and times. */
  readonly reportedIds: number[] = [];
  readonly reportedTimes: number[] = [];

  /** Jobs in service now. */
  get load(): number {
    return this.inService;
  }

  /**
   * Job `id` joins at `t` (not before the last call's time) with `work` of service to do,
   * and asks for its mark at `markAt` of attained service. A mark at or below 0 is reported
   * at once.
   */
  add(t: number, id: number, work: number, markAt: number): void {
    this.advance(t);
    const w = work > 0 ? work : 0;
    const f = this.v + w;
    if (!(markAt > 0)) {
      this.reportedIds.push(id);
      this.reportedTimes.push(t);
    }
    if (w === 0 && markAt > 0) {
      // No work: it leaves at once, its mark markAt later at full rate.
      this.reportedIds.push(id);
      this.reportedTimes.push(t + markAt);
      return;
    }
    if (w === 0) return;
    this.ids.push(id);
    this.finish.push(f);
    this.mark.push(this.v + (markAt > 0 ? markAt : 0));
    this.marked.push(markAt > 0 ? 0 : 1);
    this.inService++;
  }

  /** The next time something happens inside the server (a departure or a mark reached), or Infinity. */
  nextTime(): number {
    const tag = this.nextTag();
    return tag === Infinity ? Infinity : this.now + (tag - this.v) * this.inService;
  }

  /** The smallest tag still ahead: a finish tag, or a mark not yet reported that comes before its job's finish. */
  private nextTag(): number {
    let tag = Infinity;
    for (let j = 0; j < this.ids.length; j++) {
      if (this.finish[j] < tag) tag = this.finish[j];
      if (this.marked[j] === 0 && this.mark[j] < tag) tag = this.mark[j];
    }
    return tag;
  }

  /**
   * Serves up to time `t`: every departure and mark up to then happens, in time order;
   * marks go to `reportedIds`/`reportedTimes` (the caller empties them).
   */
  advance(t: number): void {
    while (this.inService > 0) {
      const tag = this.nextTag();
      const dt = (tag - this.v) * this.inService;
      if (this.now + dt > t) {
        this.v += (t - this.now) / this.inService;
        this.now = t;
        return;
      }
      this.now += dt;
      this.v = tag;
      this.settle();
    }
    this.now = t;
  }

  /** Reports the marks reached at v and removes the jobs whose work is done. */
  private settle(): void {
    const v = this.v;
    let k = 0;
    for (let j = 0; j < this.ids.length; j++) {
      if (this.marked[j] === 0 && this.mark[j] <= v && this.mark[j] <= this.finish[j]) {
        this.marked[j] = 1;
        this.reportedIds.push(this.ids[j]);
        this.reportedTimes.push(this.now);
      }
      if (this.finish[j] <= v) {
        if (this.marked[j] === 0) {
          this.reportedIds.push(this.ids[j]);
          this.reportedTimes.push(this.now + (this.mark[j] - this.finish[j]));
        }
        this.inService--;
        continue;
      }
      this.ids[k] = this.ids[j];
      this.finish[k] = this.finish[j];
      this.mark[k] = this.mark[j];
      this.marked[k] = this.marked[j];
      k++;
    }
    this.ids.length = k;
    this.finish.length = k;
    this.mark.length = k;
    this.marked.length = k;
  }

  /** Empties the reported marks. */
  clearReports(): void {
    this.reportedIds.length = 0;
    this.reportedTimes.length = 0;
  }
}
