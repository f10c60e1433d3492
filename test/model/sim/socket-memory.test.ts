import { describe, expect, it } from 'vitest';
import { parseGoal, simulate, type NativeNetwork, type PairParams } from '../../../src/index.js';
import { SocketMemoryShares } from '../../../src/model/sim/socket-memory.js';

/** Ranks 0, 1, 2 (one socket) each send 101 bytes to ranks 3, 4, 5 (a socket each). */
const THREE_PAIRS = `num_ranks 6
rank 0 {
l1: send 101b to 3
}
rank 1 {
l1: send 101b to 4
}
rank 2 {
l1: send 101b to 5
}
rank 3 {
l1: recv 101b from 0
}
rank 4 {
l1: recv 101b from 1
}
rank 5 {
l1: recv 101b from 2
}
`;

/** Eager, each end copying at 2 ns/B on its core (O = O_r = 2), nothing else per byte. */
const EAGER: PairParams = { L: 100, o_s: 10, o_r: 10, g: 0, G: 0, O: 2, S: 100000 };

function network(memory: boolean): NativeNetwork {
  return {
    nodeOf: Int32Array.from([0, 0, 0, 1, 1, 1]),
    params: () => EAGER,
    usesHca: () => false,
    // The socket serves 1 ns/B: twice one core's copy rate.
    ...(memory ? { memory: { socketOf: Int32Array.from([0, 0, 0, 1, 2, 3]), nsPerByte: 1 } } : {}),
  };
}

describe('SocketMemoryShares: copies share their socket bandwidth, each at most its core rate', () => {
  const run = (copies: [number, number][]) => {
    const ends = new Float64Array(copies.length);
    const queued: [number, number][] = [];
    const m = new SocketMemoryShares(
      { socketOf: Int32Array.from([0, 0, 0]), nsPerByte: 1 },
      {
        push: (id, t) => queued.push([id, t]),
        raise: (c, t) => (ends[c] = Math.max(ends[c], t)),
        marked: () => {},
      },
    );
    // Each copy: 101 bytes at 2 ns/B on its core from `start`, its CPU busy until start + 200 alone.
    copies.forEach(([start], i) => {
      ends[i] = start + 200;
      m.copy(0, i, start, 101, 2, i, start + 200);
    });
    for (let k = 0; k < queued.length; k++) {
      queued.sort((x, y) => x[1] - y[1]);
      const [id, t] = queued.shift()!;
      m.onEvent(id, t);
      k = -1;
    }
    return Array.from(ends);
  };
  it('two copies fit the socket (0.5 B/ns each of 1): neither is slowed', () => {
    expect(
      run([
        [0, 0],
        [0, 0],
      ]),
    ).toEqual([200, 200]);
  });
  it('three at once share it: 1/3 B/ns each, 100 bytes in 300 ns, all 100 late', () => {
    expect(
      run([
        [0, 0],
        [0, 0],
        [0, 0],
      ]),
    ).toEqual([300, 300, 300]);
  });
  it('a third starting at 100 slows the other two from then on only', () => {
    // From 100 each copy runs at 1/3: the first two have 50 bytes left (done at 250), the
    // third then has 100 - 50 = 50 left at 0.5 B/ns: done at 350 (alone 300).
    expect(
      run([
        [0, 0],
        [0, 0],
        [100, 0],
      ]),
    ).toEqual([250, 250, 350]);
  });
});

describe('native engine: eager copies share their socket memory (rule 5)', () => {
  it('slows three simultaneous copies of one socket alike, term by term', () => {
    const r = simulate(parseGoal(THREE_PAIRS), { mode: 'native', network: network(true) });
    // Each sender's copy moves (101-1) = 100 bytes, at most 0.5 B/ns on its core (200 ns
    // alone); three share the socket's 1 B/ns: 1/3 each, done at 300, 100 late: CPUs free
    // at o_s 10 + 200 + 100 = 310. Each message's flight o_s + L = 110 alone is 55 bytes
    // of its copy's progress, reached at 165 instead of 110: receivers (a socket each)
    // done at 165 + o_r 10 + 100 x max(O_r, G) 2 = 375. No pair is served before another.
    expect(Array.from(r.finishNs)).toEqual([310, 310, 310, 375, 375, 375]);
  });

  it('slows no copy when the socket keeps up, or without the queue', () => {
    const r = simulate(parseGoal(THREE_PAIRS), { mode: 'native', network: network(false) });
    expect(Array.from(r.finishNs)).toEqual([210, 210, 210, 320, 320, 320]);
  });
});
