import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtureDir } from '../../fixtures.js';
import { EventQueue } from '../../../src/model/sim/event-queue.js';
import { sortLikeLibstdcxx } from '../../../src/model/sim/libstdcxx-sort.js';
import { MatchQueue } from '../../../src/model/sim/match-queue.js';
import { ANY_SOURCE, ANY_TAG } from '../../../src/model/sim/ops.js';
import { createScheduleBuilder } from '../../../src/model/sim/schedule.js';
import { simulate } from '../../../src/model/sim/engine.js';

describe('sortLikeLibstdcxx', () => {
  const cases = JSON.parse(
    readFileSync(path.join(fixtureDir('libstdcxx-sort'), 'libstdcxx-sort.json'), 'utf8'),
  ) as { keys: number[]; order: number[] }[];
  it('leaves equal keys in exactly the order g++ 12 std::sort does (test/fixtures/libstdcxx-sort)', () => {
    let unstable = 0;
    for (const c of cases) {
      const a = Int32Array.from(c.keys, (_, i) => i);
      sortLikeLibstdcxx(a, a.length, Uint8Array.from(c.keys));
      expect(Array.from(a)).toEqual(c.order);
      const stable = c.keys.map((_, i) => i).sort((x, y) => c.keys[x] - c.keys[y]);
      if (stable.join() !== c.order.join()) unstable++;
    }
    // The point of the emulation: a stable sort would differ on most larger cases.
    expect(unstable).toBeGreaterThan(20);
  });
});

describe('CompactSchedule', () => {
  it('runs again from scratch: the engine resets the state it keeps in the records', () => {
    const b = createScheduleBuilder(3);
    const r = b.recv(1, 0, 8);
    const s1 = b.send(1, 2, 8);
    const s2 = b.send(1, 2, 8);
    b.requires(s1, r);
    b.requires(s2, s1);
    b.send(0, 1, 8);
    b.recv(2, 1, 8);
    b.recv(2, 1, 8);
    const schedule = b.build();
    const params = { L: 100, o: 10, g: 5, G: 1, O: 0, S: 1000 };
    const first = simulate(schedule, { mode: 'compat', params });
    for (let i = 0; i < 3; i++) {
      const again = simulate(schedule, { mode: 'compat', params });
      expect(Array.from(again.finishNs)).toEqual(Array.from(first.finishNs));
      expect(again.events).toBe(first.events);
    }
    expect(first.maxFinishNs).toBeGreaterThan(200);
  });
});

describe('EventQueue', () => {
  it('pops by time, then by stamp, also when an older stamp is pushed behind a newer one', () => {
    const q = new EventQueue(2);
    q.push(0, 0, 100, -100);
    q.push(0, 1, 101, -101);
    q.push(5, 9, 1, -1);
    q.push(0, 7, 2, -2);
    q.push(5, 3, 3, -3);
    q.push(1, 8, 4, -4);
    q.push(0, 2, 102, -102);
    const got: number[] = [];
    while (q.size > 0) {
      q.pop();
      got.push(q.item);
      expect(q.aux).toBe(-q.item);
    }
    expect(got).toEqual([100, 101, 102, 2, 4, 3, 1]);
    // Times 0, 5 and 1 wait at once; (5, 3) and (0, 2) come behind newer stamps at their time.
    expect(q.stats()).toEqual({ maxTimesWaiting: 3, lateEvents: 2 });
  });

  it('agrees with a sort on random events', () => {
    const q = new EventQueue(4);
    const events: [number, number, number, number][] = [];
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) / 2 ** 24;
    for (let i = 0; i < 5000; i++) {
      const e: [number, number, number, number] = [Math.floor(rnd() * 50), i, i, 3 * i];
      events.push(e);
      q.push(...e);
    }
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const e of events) {
      q.pop();
      expect([q.time, q.stamp, q.item, q.aux]).toEqual(e);
    }
  });

  it('agrees with a reference queue while events are pushed and popped as a simulation does', () => {
    // Times move forward from the last pop and repeat often (a few distinct offsets); a
    // quarter of the popped events go back in later with their own old stamp, as a
    // blocked event does in LogGOPSim.
    let seed = 11;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) / 2 ** 24;
    const offsets = [
      [0, 1500, 2500, 4000],
      [0, 0.5, 1, 1.5, 7],
      Array.from({ length: 300 }, (_, i) => i * 3.25),
    ];
    for (const offset of offsets) {
      const q = new EventQueue(8);
      const ref: [number, number, number, number][] = [];
      const later = () => (ref.length === 0 ? 0 : offset[Math.floor(rnd() * offset.length)]);
      let now = 0;
      let nextStamp = 0;
      let putBack = 0;
      for (let step = 0; step < 40000; step++) {
        if (ref.length > 0 && rnd() < 0.45) {
          let k = 0;
          for (let i = 1; i < ref.length; i++)
            if (ref[i][0] < ref[k][0] || (ref[i][0] === ref[k][0] && ref[i][1] < ref[k][1])) k = i;
          const [want] = ref.splice(k, 1);
          q.pop();
          expect([q.time, q.stamp, q.item, q.aux]).toEqual(want);
          now = want[0];
          if (rnd() < 0.25) {
            const back: [number, number, number, number] = [now + 1 + later(), want[1], want[2], want[3]];
            ref.push(back);
            q.push(...back);
            putBack++;
          }
        } else {
          const e: [number, number, number, number] = [now + later(), nextStamp++, step, step + 1000];
          ref.push(e);
          q.push(...e);
        }
        expect(q.size).toBe(ref.length);
      }
      expect(putBack).toBeGreaterThan(2000);
    }
  });
});

/** LogGOPSim's list matching, written plainly: first entry in insertion order that agrees. */
class NaiveQueue {
  private items: { host: number; src: number; tag: number; op: number }[] = [];
  add(host: number, src: number, tag: number, op: number) {
    this.items.push({ host, src, tag, op });
  }
  match(host: number, src: number, tag: number): number {
    const i = this.items.findIndex(
      (e) =>
        e.host === host &&
        (src === ANY_SOURCE || e.src === ANY_SOURCE || e.src === src) &&
        (tag === ANY_TAG || e.tag === ANY_TAG || e.tag === tag),
    );
    if (i < 0) return -1;
    return this.items.splice(i, 1)[0].op;
  }
}

describe('MatchQueue', () => {
  for (const wildcards of [false, true]) {
    it(`matches exactly like LogGOPSim's list (${wildcards ? 'with' : 'without'} wildcards)`, () => {
      const numOps = 4000;
      const q = new MatchQueue(3, MatchQueue.links(numOps, wildcards), 4);
      const naive = new NaiveQueue();
      let seed = 11;
      const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
      let op = 0;
      let matched = 0;
      for (let step = 0; step < 20000 && op < numOps; step++) {
        const host = rnd(3);
        const src = wildcards && rnd(5) === 0 ? ANY_SOURCE : rnd(4);
        const tag = wildcards && rnd(5) === 0 ? ANY_TAG : rnd(3);
        if (rnd(2) === 0) {
          q.add(host, src, tag, op);
          naive.add(host, src, tag, op);
          op++;
        } else {
          const want = naive.match(host, src, tag);
          expect(q.match(host, src, tag)).toBe(want);
          if (want >= 0) matched++;
        }
      }
      expect(matched).toBeGreaterThan(1000);
      expect(q.count).toBe((naive as unknown as { items: unknown[] }).items.length);
    });
  }
});

describe('schedule builder dependency checks', () => {
  it('finds cycles through edges added in either direction, and accepts forward-only schedules', () => {
    const b = createScheduleBuilder(1);
    const x = b.calc(0, 1);
    const y = b.calc(0, 2);
    const z = b.calc(0, 3);
    b.requires(y, x);
    b.irequires(z, y);
    b.requires(y, z); // backward: z was added after y
    expect(() => b.build()).toThrow(/dependency cycle/);
    const self = createScheduleBuilder(1);
    const a = self.calc(0, 1);
    self.irequires(a, a);
    expect(() => self.build()).toThrow(/dependency cycle/);
    const fwd = createScheduleBuilder(2);
    const s = fwd.send(0, 1, 8);
    fwd.irequires(fwd.calc(0, 5), s);
    const r = fwd.recv(1, 0, 8);
    fwd.requires(fwd.calc(1, 5), r);
    const result = simulate(fwd.build(), {
      mode: 'compat',
      params: { L: 2500, o: 1500, g: 1000, G: 6, O: 0, S: 65535 },
    });
    expect(result.events).toBe(5);
  });
});
