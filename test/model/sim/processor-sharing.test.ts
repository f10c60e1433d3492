import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EgalitarianSharingServer } from '../../../src/model/sim/egalitarian-sharing.js';
import { ProcessorSharingServer } from '../../../src/model/sim/processor-sharing.js';

/** Runs the server to the end; returns each id's mark time. */
function drain(s: ProcessorSharingServer): Map<number, number> {
  const out = new Map<number, number>();
  const take = () => {
    s.reportedIds.forEach((id, i) => out.set(id, s.reportedTimes[i]));
    s.clearReports();
  };
  take();
  for (let t = s.nextTime(); t < Infinity; t = s.nextTime()) {
    s.advance(t);
    take();
  }
  return out;
}

describe('ProcessorSharingServer', () => {
  it('k equal jobs joining at once all reach a full-work mark at T + kW', () => {
    const s = new ProcessorSharingServer();
    for (let id = 0; id < 4; id++) s.add(100, id, 10, 10);
    expect([...drain(s).values()]).toEqual([140, 140, 140, 140]);
  });

  it('a job alone reaches its mark x at t + x, and a mark beyond its work at its departure plus the rest', () => {
    const s = new ProcessorSharingServer();
    s.add(5, 1, 10, 3);
    s.add(100, 2, 10, 25);
    const m = drain(s);
    expect(m.get(1)).toBe(8);
    expect(m.get(2)).toBe(125);
  });

  it('a job arriving mid-service shares what is left', () => {
    // Job 1 (work 10) alone from 0; job 2 (work 4) at 6: both at half rate. Job 1 has 4
    // left, job 2 has 4: both done at 6 + 8 = 14.
    const s = new ProcessorSharingServer();
    s.add(0, 1, 10, 10);
    s.advance(6);
    s.add(6, 2, 4, 4);
    const m = drain(s);
    expect(m.get(1)).toBe(14);
    expect(m.get(2)).toBe(14);
  });

  it('shorter jobs leave first: works 2, 4, 6 at 0 leave at 6, 10, 12', () => {
    const s = new ProcessorSharingServer();
    s.add(0, 1, 2, 2);
    s.add(0, 2, 4, 4);
    s.add(0, 3, 6, 6);
    const m = drain(s);
    expect([m.get(1), m.get(2), m.get(3)]).toEqual([6, 10, 12]);
  });

  it('conserves work: the last departure of jobs arriving before the server idles is at first arrival + total work', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: 1, max: 10, noNaN: true })),
          { minLength: 1, maxLength: 12 },
        ),
        (jobs) => {
          const sorted = [...jobs].sort((a, b) => a[0] - b[0]);
          const s = new ProcessorSharingServer();
          const out = new Map<number, number>();
          sorted.forEach(([t, w], id) => {
            s.advance(t);
            s.reportedIds.forEach((j, i) => out.set(j, s.reportedTimes[i]));
            s.clearReports();
            s.add(t, id, w, w);
          });
          for (const [id, time] of drain(s)) out.set(id, time);
          // Every arrival is at most 5 after the first and each work is at least 1... the
          // server may still idle; compute the busy period's end directly (FCFS makespan).
          let end = 0;
          for (const [t, w] of sorted) end = Math.max(end, t) + w;
          const last = Math.max(...out.values());
          expect(Math.abs(last - end)).toBeLessThanOrEqual(1e-9 * end);
        },
      ),
    );
  });

  it('is symmetric and continuous in the arrival times', () => {
    const at = (d: number) => {
      const s = new ProcessorSharingServer();
      s.add(0, 1, 10, 10);
      s.advance(d);
      s.add(d, 2, 10, 10);
      return drain(s);
    };
    // Exactly together: both at 20; 1e-6 apart: within 1e-6 of that.
    expect([...at(0).values()]).toEqual([20, 20]);
    const near = at(1e-6);
    expect(Math.abs(near.get(1)! - 20)).toBeLessThan(1e-5);
    expect(Math.abs(near.get(2)! - 20)).toBeLessThan(1e-5);
  });

  it('caps a job at its own rate and gives the rest to the others (max-min fair)', () => {
    // Capacity 1; job 1 capped at 0.25, job 2 uncapped, both work 3 from 0: rates 0.25 and
    // 0.75; job 2 done at 4 (job 1 has 2 left), then job 1 alone at its cap: done at 12.
    const s = new ProcessorSharingServer(1);
    s.add(0, 1, 3, 12, 0.25);
    s.add(0, 2, 3, 3);
    const m = drain(s);
    expect(m.get(2)).toBe(4);
    expect(m.get(1)).toBe(12);
  });

  it('reports departures, and projects them as if no job joined later', () => {
    const s = new ProcessorSharingServer();
    s.add(0, 1, 10, 10);
    s.add(0, 2, 20, 20);
    // Both at 1/2: job 1 leaves at 20, then job 2 alone: 10 left, leaves at 30.
    const p = s.projectedDepartures();
    expect(p.ids).toEqual([1, 2]);
    expect(p.times).toEqual([20, 30]);
    s.advance(20);
    expect(s.departedIds).toEqual([1]);
    expect(s.departedTimes).toEqual([20]);
    // A job joining at 20 slows job 2: projected later, never sooner.
    s.clearReports();
    s.add(20, 3, 10, 10);
    expect(s.projectedDepartures().times).toEqual([40, 40]);
  });

  it("places a mark beyond the work at the departure plus the rest at the job's own rate", () => {
    // Capacity 1, cap 0.5: alone a job of work 2 takes 4; its mark at 6 (own time) comes 2
    // after its departure. Shared with an equal job from the start: both at 0.5 (the cap)
    // until done at 4: no slower, mark still at 6.
    const s = new ProcessorSharingServer(1);
    s.add(0, 1, 2, 6, 0.5);
    s.add(0, 2, 2, 6, 0.5);
    expect([...drain(s).values()]).toEqual([6, 6]);
  });
});

describe('EgalitarianSharingServer', () => {
  it('gives the times of ProcessorSharingServer without caps, marks and second marks included', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 20, noNaN: true }),
            fc.double({ min: 0.5, max: 10, noNaN: true }),
            fc.double({ min: 0.1, max: 15, noNaN: true }),
            fc.double({ min: 0, max: 10, noNaN: true }),
          ),
          { minLength: 1, maxLength: 20 },
        ),
        (jobs) => {
          const sorted = [...jobs].sort((a, b) => a[0] - b[0]);
          const run = (s: {
            add(t: number, id: number, w: number, m: number, m2: number): void;
            advance(t: number): void;
            nextTime(): number;
            reportedIds: number[];
            reportedTimes: number[];
            clearReports(): void;
          }) => {
            const out = new Map<number, number>();
            const take = () => {
              s.reportedIds.forEach((id, i) => out.set(id, s.reportedTimes[i]));
              s.clearReports();
            };
            sorted.forEach(([t, w, x, extra], id) => {
              s.advance(t);
              take();
              s.add(t, id, w, x, x + extra);
              take();
            });
            for (let t = s.nextTime(); t < Infinity; t = s.nextTime()) {
              s.advance(t);
              take();
            }
            return out;
          };
          const general = new ProcessorSharingServer(2);
          const a = run({
            add: (t, id, w, m, m2) => general.add(t, id, w, m, Infinity, m2),
            advance: (t) => general.advance(t),
            nextTime: () => general.nextTime(),
            reportedIds: general.reportedIds,
            reportedTimes: general.reportedTimes,
            clearReports: () => general.clearReports(),
          });
          const b = run(new EgalitarianSharingServer(2));
          expect(b.size).toBe(a.size);
          for (const [id, t] of a) expect(Math.abs(b.get(id)! - t)).toBeLessThanOrEqual(1e-9 * (1 + t));
        },
      ),
    );
  });
});
