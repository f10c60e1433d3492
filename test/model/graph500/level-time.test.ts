import { describe, expect, it } from 'vitest';
import { bfs, foldPairs } from '../../../src/model/graph500/bfs.js';
import { levelTime, messagesFor } from '../../../src/model/graph500/level-time.js';
import type { NativeNetwork, PairParams } from '../../../src/model/sim/contract.js';
import { csrOf } from './graphs.js';

/** Two nodes, one rank each; the same parameters for every message (ns, ns/B). */
const P: PairParams = { L: 1000, o_s: 300, o_r: 200, g: 400, G: 0.2, O: 0.1, S: 65536 };
const network: NativeNetwork = {
  params: () => P,
  nodeOf: Int32Array.from([0, 1]),
  usesHca: () => true,
  hca: { messageGapNs: 100, perByteNs: 0.1 },
};

describe('bfs_simple level time', () => {
  it('splits pairs into 4 KB buffers of 256 pairs and a rest', () => {
    expect(messagesFor(300)).toEqual({ full: 1, rest: 44 * 16 });
    expect(messagesFor(256)).toEqual({ full: 1, rest: 0 });
    expect(messagesFor(3)).toEqual({ full: 0, rest: 48 });
  });

  it('a hand-worked level: compute, sends, receives, NIC, HCA and the end term', () => {
    // Rank 0 scans 10 local and 300 remote pairs; rank 1 scans 4 local and 3 remote.
    const pairs = Float64Array.from([10, 300, 3, 4]);
    const t = levelTime(pairs, { procs: 2, network, perEdgeNs: Float64Array.from([10, 10]), endNs: 5000 });
    // Rank 0: compute 310 x 10 = 3100. Sends to 1: one 4096 B and one 704 B message:
    //   send CPU (o_s + (s-1)O): 300 + 409.5 = 709.5 and 300 + 70.3 = 370.3 -> 1079.8
    //   rank 1 receives them (o_r + (s-1)max(O,G)): 200 + 819 = 1019 and 200 + 140.6 = 340.6
    // Rank 1: compute 7 x 10 = 70; sends one 48 B message: 300 + 4.7 = 304.7; rank 0 receives
    //   it: 200 + 9.4 = 209.4.
    // Rank 0's CPU: 3100 + 1079.8 + 209.4 = 4389.2
    // Rank 0's NIC (g + (s-1)G): 400 + 819 + 400 + 140.6 = 1759.6
    // HCA of node 0, out: 2 x 100 + 4800 x 0.1 = 680 (in: 100 + 4.8 = 104.8)
    expect(t.slowestRank).toBe(0);
    expect(t.computeNs).toBeCloseTo(3100, 9);
    expect(t.sendNs).toBeCloseTo(1079.8, 9);
    expect(t.recvNs).toBeCloseTo(209.4, 9);
    expect(t.nicNs).toBeCloseTo(1759.6, 9);
    expect(t.hcaNs).toBeCloseTo(680, 9);
    expect(t.messages).toBe(3);
    expect(t.ns).toBeCloseTo(4389.2 + 5000, 9);
  });

  it('a NIC-bound rank: its ready time is the NIC, not the CPU', () => {
    const slowNic: NativeNetwork = { ...network, params: () => ({ ...P, g: 100000 }) };
    const t = levelTime(Float64Array.from([0, 300, 0, 0]), {
      procs: 2,
      network: slowNic,
      perEdgeNs: Float64Array.from([1, 1]),
      endNs: 0,
    });
    expect(t.ns).toBeCloseTo(2 * 100000 + (4095 + 703) * 0.2, 6);
  });

  it('on a small graph the traffic matrices sum to the remote edges scanned, level by level', () => {
    // A star on 0 with a tail: 0-1, 0-2, 0-3, 0-4, 4-5, 5-6.
    const g = csrOf(7, [
      [0, 1],
      [0, 2],
      [0, 3],
      [0, 4],
      [4, 5],
      [5, 6],
    ]);
    const run = bfs(g, 0, 2);
    expect(run.levels.map((l) => l.frontier)).toEqual([1, 4, 1, 1]);
    expect(run.levels.map((l) => l.scanned)).toEqual([4, 5, 2, 1]);
    // Level 0: 0 (even) scans 1, 2, 3, 4: remote to odd 1 and 3.
    expect(Array.from(foldPairs(run.levels[0].pairs, 2, 2))).toEqual([2, 2, 0, 0]);
    // Level 1: 1, 3 (odd) scan 0 each; 2 (even) scans 0; 4 (even) scans 0 and 5.
    expect(Array.from(foldPairs(run.levels[1].pairs, 2, 2))).toEqual([2, 1, 2, 0]);
    const t = levelTime(foldPairs(run.levels[1].pairs, 2, 2), {
      procs: 2,
      network,
      perEdgeNs: Float64Array.from([10, 10]),
      endNs: 0,
    });
    expect(t.messages).toBe(2); // one 16 B message from 0 to 1, one 32 B from 1 to 0
  });
});
