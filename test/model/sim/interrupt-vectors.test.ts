import { describe, expect, it } from 'vitest';
import { parseGoal, simulate, type NativeNetwork, type PairParams } from '../../../src/index.js';
import { InterruptVectors } from '../../../src/model/sim/interrupt-vectors.js';

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

describe('InterruptVectors: FIFO per vector', () => {
  it('makes an interrupt wait for the ones ahead of it on its vector, not on another', () => {
    const v = new InterruptVectors({
      vectorOf: Int32Array.from([0, 0, 1, -1]),
      serviceNs: Float64Array.from([50, 70]),
    });
    expect(v.waitAt(0, 100)).toBe(0); // vector 0 busy until 150
    expect(v.waitAt(1, 120)).toBe(30); // starts at 150, busy until 200
    expect(v.waitAt(1, 130)).toBe(70); // starts at 200
    expect(v.waitAt(2, 130)).toBe(0); // vector 1 is free
    expect(v.waitAt(3, 130)).toBe(0); // no vector: never waits
    expect(v.waitAt(0, 400)).toBe(0); // vector 0 idle again
  });
});

describe('native engine: wake-ups through shared interrupt vectors (rule 6)', () => {
  it('serializes the wake-ups of two ranks on one vector, term by term', () => {
    const r = simulate(parseGoal(TWO_PAIRS), { mode: 'native', network: network([-1, -1, 0, 0]) });
    // Both messages reach their receivers at o_s + L = 110, after 110 ns of waiting
    // (> spin 0): both sleep. The first interrupt takes the vector at 110 (until 160) and
    // its rank runs at 110 + wake 300 = 410, done at 410 + o_r 10 = 420; the second waits
    // for the vector until 160 and runs at 160 + 300 = 460, done at 470.
    expect(r.wakeups).toBe(2);
    expect(Array.from(r.finishNs).slice(0, 2)).toEqual([10, 10]);
    expect(
      Array.from(r.finishNs)
        .slice(2)
        .sort((a, b) => a - b),
    ).toEqual([420, 470]);
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
