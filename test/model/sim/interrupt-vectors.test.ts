import { describe, expect, it } from 'vitest';
import {
  createScheduleBuilder,
  parseGoal,
  simulate,
  type NativeNetwork,
  type PairParams,
} from '../../../src/index.js';
import { SharedInterruptVectors } from '../../../src/model/sim/interrupt-vectors.js';

/** Ranks 0 and 1 send one byte each to ranks 2 and 3, which wait from time 0. */
const TWO_PAIRS = `num_ranks 4
rank 0 {
l1: send 1b to 2
}
rank 1 {
l1: send 1b to 3
}
rank 2 {
l1: recv 1b from 0
}
rank 3 {
l1: recv 1b from 1
}
`;

/** Event progress: every receive that waited sleeps and pays `wake` (spin window 0). */
const EVENT: PairParams = { L: 100, o_s: 10, o_r: 10, g: 5, G: 0, O: 0, S: 1000, wake: 300, spin: 0 };

function network(vectorOf: number[] | undefined): NativeNetwork {
  return {
    nodeOf: Int32Array.from([0, 0, 1, 1]),
    params: () => EVENT,
    usesHca: () => false,
    ...(vectorOf
      ? { interrupts: { vectorOf: Int32Array.from(vectorOf), serviceNs: Float64Array.from([50, 50]) } }
      : {}),
  };
}

/** The vectors alone, their ended services collected. */
function vectors(vectorOf: number[], serviceNs: number[]) {
  const served: [number, number][] = [];
  const events: [number, number][] = [];
  const v = new SharedInterruptVectors(
    { vectorOf: Int32Array.from(vectorOf), serviceNs: Float64Array.from(serviceNs) },
    { push: (vector, t) => events.push([vector, t]), served: (id, t) => served.push([id, t]) },
  );
  /** Runs the vectors' queued events up to t, in time order. */
  const until = (t: number) => {
    for (;;) {
      events.sort((a, b) => a[1] - b[1]);
      if (events.length === 0 || events[0][1] > t) return;
      const [vector, at] = events.shift()!;
      v.onEvent(vector, at);
    }
  };
  return { v, served, until };
}

describe('SharedInterruptVectors: processor sharing per vector', () => {
  it('serves a lone interrupt in its service time, and ranks without a vector at once', () => {
    const { v, served, until } = vectors([0, -1], [50]);
    v.raise(7, 0, 100);
    v.raise(8, 1, 100);
    until(1000);
    expect(served).toEqual([
      [8, 100],
      [7, 150],
    ]);
  });

  it('ends k simultaneous interrupts of one vector together, k services later, whatever their order', () => {
    for (const order of [
      [0, 1, 2],
      [2, 0, 1],
    ]) {
      const { v, served, until } = vectors([0, 0, 0], [50]);
      for (const r of order) v.raise(r, r, 100);
      until(1000);
      expect(served.map(([, t]) => t)).toEqual([250, 250, 250]);
      expect(served.map(([id]) => id).sort()).toEqual([0, 1, 2]);
    }
  });

  it('shares by arrival: a later interrupt slows the earlier one only while both are in', () => {
    const { v, served, until } = vectors([0, 0, 1], [50, 70]);
    v.raise(0, 0, 100); // alone until 120: 20 of its 50 done
    until(120);
    v.raise(1, 1, 120); // both at half rate: rank 0's last 30 take 60, to 180
    v.raise(2, 2, 120); // vector 1 is its own: 120 + 70
    until(1000);
    expect(new Map(served)).toEqual(
      new Map([
        [0, 180],
        [2, 190],
        [1, 200], // 30 of its 50 done by 180, the last 20 alone
      ]),
    );
  });

  it('is continuous in the arrival times: a near-tie ends as the tie does, within the gap', () => {
    const ends = (gap: number) => {
      const { v, served, until } = vectors([0, 0], [50]);
      v.raise(0, 0, 100);
      until(100 + gap);
      v.raise(1, 1, 100 + gap);
      until(1000);
      return new Map(served);
    };
    const tie = ends(0);
    const near = ends(1e-3);
    for (const id of [0, 1]) expect(Math.abs(near.get(id)! - tie.get(id)!)).toBeLessThan(2e-3);
  });
});

describe('native engine: wake-ups through shared interrupt vectors (rule 6)', () => {
  it('shares one vector between the wake-ups of two ranks, term by term', () => {
    const r = simulate(parseGoal(TWO_PAIRS), { mode: 'native', network: network([-1, -1, 0, 0]) });
    // Both messages reach their receivers at o_s + L = 110, after 110 ns of waiting
    // (> spin 0): both sleep. Their interrupts share the vector from 110, each at half
    // its rate: both end their 50 ns of service at 210, 50 later than alone, so each rank
    // runs at 110 + wake 300 + 50 = 460 and is done at 460 + o_r 10 = 470. (First come
    // first served gave 420 and 470, the 420 to whichever rank the simulator met first.)
    expect(r.wakeups).toBe(2);
    expect(Array.from(r.finishNs)).toEqual([10, 10, 470, 470]);
  });

  it('holds the sleeping CPU: a message arriving meanwhile waits for the wake-up and pays none', () => {
    // Rank 2 gets two messages, the second 30 ns after the first: one wake-up in all.
    const goal = `num_ranks 4
rank 0 {
l1: send 1b to 2
}
rank 1 {
l1: calc 30
l2: send 1b to 2
l2 requires l1
}
rank 2 {
l1: recv 1b from 0
l2: recv 1b from 1
}
rank 3 {
}
`;
    const r = simulate(parseGoal(goal), { mode: 'native', network: network([-1, -1, 0, 0]) });
    // First message at 110: vector alone, served at 160, rank 2 runs at 410, done 420;
    // the second, at 140, waits for the CPU until 420 and takes it awake: done at 430.
    expect(r.wakeups).toBe(1);
    expect(r.finishNs[2]).toBe(430);
  });

  it('does not delay ranks on vectors of their own, or without vectors', () => {
    for (const vectors of [[-1, -1, 0, 1], undefined]) {
      const r = simulate(parseGoal(TWO_PAIRS), { mode: 'native', network: network(vectors) });
      expect(Array.from(r.finishNs)).toEqual([10, 10, 420, 420]);
    }
  });

  it('costs nothing to a polling receiver, which takes no interrupt', () => {
    const poll: NativeNetwork = { ...network([-1, -1, 0, 0]), params: () => ({ ...EVENT, wake: undefined }) };
    const r = simulate(parseGoal(TWO_PAIRS), { mode: 'native', network: poll });
    expect(Array.from(r.finishNs)).toEqual([10, 10, 120, 120]);
  });
});

describe('native engine: a wait within the clocks rounding is no wait', () => {
  /** Rank 2 takes rank 0's message at 110 (asleep: done at 420), then rank 1's, sent after `calc` ns. */
  function secondWakes(calc: number): number | undefined {
    const b = createScheduleBuilder(4);
    b.send(0, 2, 1);
    b.recv(2, 0, 1);
    b.requires(b.send(1, 2, 1), b.calc(1, calc));
    b.recv(2, 1, 1);
    return simulate(b.build(), { mode: 'native', network: network(undefined) }).wakeups;
  }

  it('does not put a receiver to sleep for a message one rounding after its CPU is free', () => {
    // The second message arrives at calc + o_s + L = calc + 110: at 420 + 1e-9 the
    // receiver has waited a billionth of a ns, which a sum taken in another order loses.
    expect(secondWakes(310 + 1e-9)).toBe(1);
    // A real wait (1 ns past its CPU's end, spin window 0) still sleeps.
    expect(secondWakes(311)).toBe(2);
  });
});
