import { describe, expect, it } from 'vitest';
import { parseGoal, simulate, type NativeNetwork, type PairParams } from '../../../src/index.js';
import { SocketMemoryQueue } from '../../../src/model/sim/socket-memory.js';

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

describe('SocketMemoryQueue: copies served at the socket bandwidth, first come first served', () => {
  it('takes each copy in the earliest idle stretch at or after its start, term by term', () => {
    const q = new SocketMemoryQueue({ socketOf: Int32Array.from([0, 0]), nsPerByte: 1 });
    // A receiver's copy after its wake-up: memory [1000, 1100); its core takes 100 x 0.5
    // = 50, so it ends with the memory at 1100: 50 late.
    expect(q.waitAt(0, 0, 1000, 101, 0.5)).toBe(50);
    // A copy asked for later but starting sooner fits before it: [10, 110), 50 late.
    expect(q.waitAt(1, 10, 10, 101, 0.5)).toBe(50);
    // One starting at 950 overlaps [1000, 1100): served [1100, 1200), 1200 - (950 + 50) late.
    expect(q.waitAt(1, 20, 950, 101, 0.5)).toBe(200);
    // A copy no faster than the socket alone on an idle socket never waits; nor do zero bytes.
    expect(q.waitAt(0, 5000, 5000, 101, 2)).toBe(0);
    expect(q.waitAt(0, 5000, 5000, 1, 0.5)).toBe(0);
  });
});

describe('native engine: eager copies queue at their socket memory (rule 5)', () => {
  it('delays the third of three simultaneous copies of one socket, term by term', () => {
    const r = simulate(parseGoal(THREE_PAIRS), { mode: 'native', network: network(true) });
    // Each sender's copy takes (101-1) x 2 = 200 on its core and holds the socket's memory
    // 100 x 1 = 100: memory [0,100), [100,200), [200,300). The first two end by their own
    // 200; the third at 300, 100 late: its CPU is free at 100 + o_s 10 + 200 = 310 (others
    // 210), its message arrives at 100 + o_s + L = 210 (others 110), and its receiver, on a
    // socket of its own, is done at 210 + o_r 10 + 100 x max(O_r, G) 2 = 420 (others 320).
    const finish = Array.from(r.finishNs);
    expect(finish.slice(0, 3).sort((a, b) => a - b)).toEqual([210, 210, 310]);
    expect(finish.slice(3).sort((a, b) => a - b)).toEqual([320, 320, 420]);
    // The queue keeps the pairs together: the late sender's receiver is the late one.
    expect(finish.indexOf(310) + 3).toBe(finish.indexOf(420));
  });

  it('slows no copy when the socket keeps up, or without the queue', () => {
    const r = simulate(parseGoal(THREE_PAIRS), { mode: 'native', network: network(false) });
    expect(Array.from(r.finishNs)).toEqual([210, 210, 210, 320, 320, 320]);
  });
});
