/**
 * Why the simulator's event queue and records look as they do (docs/simulator.md, "Speed"):
 * (1) how many distinct times wait at once in the two issue-3 schedules (the queue keeps
 *     one FIFO per distinct time), and how many events come behind a newer stamp;
 * (2) the queue against the binary heap on (time, stamp) it replaced, on one event
 *     sequence shaped like a LogGOPS run (times a few fixed offsets ahead, a fifth of the
 *     events put back with their old stamp), ns per push + pop;
 * (3) events per second of the same binomial bcast when its state fits in the cache
 *     (16,384 ranks) and when it does not (1,048,576 ranks): memory latency, not
 *     instructions, sets the speed of large runs.
 */
import { createScheduleBuilder, simulate, type EventQueueStats } from '../src/model/sim/index.js';
import { EventQueue } from '../src/model/sim/event-queue.js';
import type { CompactSchedule } from '../src/model/sim/schedule.js';

const PARAMS = { L: 2500, o: 1500, g: 1000, G: 6, O: 0, S: 65535 };

function binomialBcast(p: number): CompactSchedule {
  const b = createScheduleBuilder(p, 2 * p);
  for (let r = 0; r < p; r++) {
    let recv = -1;
    let mask = 1;
    if (r > 0) {
      const high = 1 << (31 - Math.clz32(r));
      recv = b.recv(r, r - high, 8);
      mask = high << 1;
    }
    for (; mask < p && r + mask < p; mask <<= 1) {
      const s = b.send(r, r + mask, 8);
      if (recv >= 0) b.requires(s, recv);
    }
  }
  return b.build();
}

function linearAlltoall(p: number): CompactSchedule {
  const b = createScheduleBuilder(p, 2 * p * (p - 1));
  for (let r = 0; r < p; r++) {
    for (let i = 1; i < p; i++) {
      b.send(r, (r + i) % p, 8192, 0);
      b.recv(r, (r - i + p) % p, 8192, 0);
    }
  }
  return b.build();
}

/** Runs a schedule `runs` times; events per second of the median run, and the queue's stats. */
function rate(schedule: CompactSchedule, runs: number): { rate: number; stats: Partial<EventQueueStats> } {
  const seconds: number[] = [];
  const stats: Partial<EventQueueStats> = {};
  let events = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    events = simulate(schedule, { mode: 'compat', params: PARAMS }, { queueStats: stats }).events;
    seconds.push((performance.now() - t0) / 1000);
  }
  seconds.sort((a, b) => a - b);
  return { rate: events / seconds[runs >> 1], stats };
}

/** The queue this one replaced: a binary min-heap on (time, stamp) over parallel arrays. */
class BinaryHeapQueue {
  private t = new Float64Array(1 << 16);
  private s = new Int32Array(1 << 16);
  private it = new Int32Array(1 << 16);
  private n = 0;
  time = 0;
  stamp = 0;
  item = 0;

  push(time: number, stamp: number, item: number): void {
    if (this.n === this.t.length) this.grow();
    let hole = this.n++;
    while (hole > 0) {
      const p = (hole - 1) >> 1;
      if (this.t[p] < time || (this.t[p] === time && this.s[p] < stamp)) break;
      this.t[hole] = this.t[p];
      this.s[hole] = this.s[p];
      this.it[hole] = this.it[p];
      hole = p;
    }
    this.t[hole] = time;
    this.s[hole] = stamp;
    this.it[hole] = item;
  }

  pop(): void {
    this.time = this.t[0];
    this.stamp = this.s[0];
    this.item = this.it[0];
    const n = --this.n;
    const lt = this.t[n];
    const ls = this.s[n];
    const li = this.it[n];
    let hole = 0;
    for (;;) {
      let c = 2 * hole + 1;
      if (c >= n) break;
      if (
        c + 1 < n &&
        (this.t[c + 1] < this.t[c] || (this.t[c + 1] === this.t[c] && this.s[c + 1] < this.s[c]))
      )
        c++;
      if (lt < this.t[c] || (lt === this.t[c] && ls < this.s[c])) break;
      this.t[hole] = this.t[c];
      this.s[hole] = this.s[c];
      this.it[hole] = this.it[c];
      hole = c;
    }
    this.t[hole] = lt;
    this.s[hole] = ls;
    this.it[hole] = li;
  }

  private grow(): void {
    const grown = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(a.length * 2);
      b.set(a);
      return b;
    };
    this.t = grown(this.t, (n) => new Float64Array(n));
    this.s = grown(this.s, (n) => new Int32Array(n));
    this.it = grown(this.it, (n) => new Int32Array(n));
  }
}

interface Queue {
  time: number;
  stamp: number;
  item: number;
  push(time: number, stamp: number, item: number, aux: number): void;
  pop(): void;
}

/** ns per push + pop on a LogGOPS-shaped sequence; the checksum shows both queues popped the same. */
function queueCost(q: Queue): { ns: number; checksum: number } {
  const OFFSETS = [1000, 1500, 2500, 4000];
  const WAITING = 150_000;
  const STEPS = 3_000_000;
  let seed = 12345;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  let stamp = 0;
  for (let i = 0; i < WAITING; i++) q.push(OFFSETS[next() & 3] * (1 + (next() % 8)), stamp++, i, 0);
  let checksum = 0;
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) {
    q.pop();
    checksum = (checksum + q.item * (i & 7)) % 1_000_000_007;
    // A fifth of the events find their resource busy and go back with their own stamp.
    if (next() % 5 === 0) q.push(q.time + 1000, q.stamp, q.item, 0);
    else q.push(q.time + OFFSETS[next() & 3], stamp++, i, 0);
  }
  return { ns: ((performance.now() - t0) * 1e6) / STEPS, checksum };
}

export default async function bench(): Promise<void> {
  const big = binomialBcast(1 << 20);
  const bigRun = rate(big, 1);
  const alltoall = rate(linearAlltoall(1024), 1);
  console.log(
    `(1) distinct times waiting at once: binomial bcast 1,048,576 ranks ${bigRun.stats.maxTimesWaiting} ` +
      `(events behind a newer stamp: ${bigRun.stats.lateEvents?.toLocaleString('en-US')}); ` +
      `linear alltoall 1024 ranks ${alltoall.stats.maxTimesWaiting} (behind a newer stamp: ${alltoall.stats.lateEvents?.toLocaleString('en-US')})`,
  );
  const heap = queueCost(new BinaryHeapQueue());
  const fifo = queueCost(new EventQueue(1 << 18));
  console.log(
    `(2) LogGOPS-shaped sequence, 150,000 waiting, 3 M pop + push: event queue ${fifo.ns.toFixed(0)} ns, ` +
      `baseline binary heap on (time, stamp) ${heap.ns.toFixed(0)} ns (${(heap.ns / fifo.ns).toFixed(1)}x); ` +
      `same order: ${fifo.checksum === heap.checksum ? 'yes' : 'NO'}`,
  );
  const small = rate(binomialBcast(1 << 14), 33);
  console.log(
    `(3) binomial bcast: 16,384 ranks (fits in cache) ${(small.rate / 1e6).toFixed(2)} M events/s (median of 33), ` +
      `1,048,576 ranks ${(bigRun.rate / 1e6).toFixed(2)} M events/s (one run): ${(small.rate / bigRun.rate).toFixed(1)}x`,
  );
}
