import { describe, expect, it } from 'vitest';
import { findAlgorithm, type CollectiveInput } from '../../../src/model/collectives/index.js';
import type { PairParams } from '../../../src/model/sim/contract.js';

/**
 * Small cases worked out by hand with the LogGOPS rules (docs/simulator.md, "The rules"):
 * with these parameters and a 1001-byte message,
 *   send CPU    Sc = o_s + 1000 O = 1000 + 250 = 1250
 *   send NIC    Sg = g + 1000 G   = 400 + 500  = 900
 *   arrival        = start + o_s + L = start + 6000
 *   receive CPU R  = o_r + 1000 max(O, G) = 1500 + 500 = 2000
 * so a lock-step exchange round of 1001 bytes takes 6000 + 2000 = 8000 ns.
 */
const P0: PairParams = { L: 5000, o_s: 1000, o_r: 1500, g: 400, G: 0.5, O: 0.25, S: 65536 };
const net = { inter: P0, intra: P0 };
const cost = (op: string, name: string, input: CollectiveInput, n = net) =>
  findAlgorithm(op, name).closedForm.evaluate(n, input);
const inp = (procs: number, bytes: number, extra: Partial<CollectiveInput> = {}): CollectiveInput => ({
  procs,
  bytes,
  reduceNsPerByte: 0,
  ...extra,
});

describe('hand-checked LogGOPS values', () => {
  it('bcast binomial, P = 4: root sends to 2 at 0 and to 1 at 1250; 2 forwards to 3 at 8000', () => {
    // finishes: root 2500, rank 1 7250+2000, rank 2 8000+1250, rank 3 14000+2000
    expect(cost('bcast', 'binomial', inp(4, 1001))).toEqual({
      avgNs: (2500 + 9250 + 9250 + 16000) / 4,
      maxNs: 16000,
    });
  });

  it('bcast binomial, P = 2, rendezvous (S = 100): the root finishes at the match, 6000', () => {
    const rdv = { ...P0, S: 100 };
    expect(cost('bcast', 'binomial', inp(2, 1001), { inter: rdv, intra: rdv })).toEqual({
      avgNs: (6000 + 8000) / 2,
      maxNs: 8000,
    });
  });

  it('bcast knomial, P = 4 (k = 4): the root sends to 1, 2, 3 at 0, 1250, 2500', () => {
    expect(cost('bcast', 'knomial', inp(4, 1001))).toEqual({
      avgNs: (3750 + 8000 + 9250 + 10500) / 4,
      maxNs: 10500,
    });
  });

  it('barrier, P = 3: two rounds of o_s + L + o_r = 7500', () => {
    expect(cost('barrier', 'dissemination', inp(3, 0))).toEqual({ avgNs: 15000, maxNs: 15000 });
  });

  it('barrier, P = 8: three rounds', () => {
    expect(cost('barrier', 'dissemination', inp(8, 0)).maxNs).toBe(22500);
  });

  it('allreduce recursive doubling, P = 4, c = 0.1 ns/B: two rounds of 8000 + 100.1', () => {
    const r = cost('allreduce', 'recursive-doubling', inp(4, 1001, { reduceNsPerByte: 0.1 }));
    expect(r.avgNs).toBeCloseTo(16200.2, 9);
    expect(r.maxNs).toBeCloseTo(16200.2, 9);
  });

  it('allreduce ring and rabenseifner, P = 2, n = 1002: one 501-byte reduce step (7750 + 50.1) and one allgather step', () => {
    // step 1: Sc = 1125, arrival 6000, R = 1500 + 250 -> 7750, + 50.1; step 2 from 7800.1: + 6000 + 1750
    for (const name of ['ring', 'rabenseifner']) {
      const r = cost('allreduce', name, inp(2, 1002, { reduceNsPerByte: 0.1 }));
      expect(r.maxNs).toBeCloseTo(15550.1, 9);
      expect(r.avgNs).toBeCloseTo(15550.1, 9);
    }
  });

  it('allgather ring and bruck, P = 3: two rounds of 8000; pairwise alltoall too', () => {
    expect(cost('allgather', 'ring', inp(3, 1001)).maxNs).toBe(16000);
    expect(cost('allgather', 'bruck', inp(3, 1001)).maxNs).toBe(16000);
    expect(cost('alltoall', 'pairwise', inp(3, 1001)).maxNs).toBe(16000);
  });

  it('allgather recursive doubling, P = 4: 1001 then 2002 bytes (6000 + 1500 + 1000.5)', () => {
    expect(cost('allgather', 'recursive-doubling', inp(4, 1001)).maxNs).toBe(8000 + 8500.5);
  });

  it('alltoall bruck, P = 4: two steps of two blocks (2002 bytes, 8500.5 each)', () => {
    expect(cost('alltoall', 'bruck', inp(4, 1001)).maxNs).toBe(17001);
  });

  it('alltoall scattered, P = 3: sends at 0 and 1250, the second block waits for the CPU until 8000', () => {
    expect(cost('alltoall', 'scattered', inp(3, 1001))).toEqual({ avgNs: 10000, maxNs: 10000 });
  });

  it('reduce binomial, P = 2, c = 0.1: the leaf ends its send at 1250, the root at 8000 + 100.1', () => {
    const r = cost('reduce', 'binomial', inp(2, 1001, { reduceNsPerByte: 0.1 }));
    expect(r.maxNs).toBeCloseTo(8100.1, 9);
    expect(r.avgNs).toBeCloseTo((1250 + 8100.1) / 2, 9);
  });

  it('gather binomial, P = 4: rank 2 forwards 2002 bytes at 8000, the root takes them at 14000', () => {
    // finishes: root 14000 + 1500 + 1000.5, rank 1 1250, rank 2 8000 + 1500.25, rank 3 1250
    expect(cost('gather', 'binomial', inp(4, 1001))).toEqual({
      avgNs: (16500.5 + 1250 + 9500.25 + 1250) / 4,
      maxNs: 16500.5,
    });
  });

  it('scatter binomial, P = 4: 2002 bytes to 2 at 0, 1001 to 1 at 1500.25, 2 forwards at 8500.5', () => {
    expect(cost('scatter', 'binomial', inp(4, 1001))).toEqual({
      avgNs: (2750.25 + 9500.25 + 9750.5 + 16500.5) / 4,
      maxNs: 16500.5,
    });
  });

  it('bcast two-level, 2 nodes of 2: inter 0 -> 2, then 0 -> 1 and 2 -> 3 over a faster intra path', () => {
    const intra: PairParams = { L: 500, o_s: 200, o_r: 300, g: 100, G: 0.1, O: 0.1, S: 65536 };
    // intra send: CPU 200 + 100, arrival +700, receive 300 + 100
    const r = cost('bcast', 'two-level', inp(4, 1001, { ranksPerNode: [2, 2] }), { inter: P0, intra });
    expect(r.avgNs).toBeCloseTo((1550 + 2350 + 8300 + 9100) / 4, 9);
    expect(r.maxNs).toBeCloseTo(9100, 9);
  });

  it('two-level allreduce with one rank per node is recursive doubling', () => {
    const a = cost(
      'allreduce',
      'two-level',
      inp(4, 1001, { ranksPerNode: [1, 1, 1, 1], reduceNsPerByte: 0.1 }),
    );
    const b = cost('allreduce', 'recursive-doubling', inp(4, 1001, { reduceNsPerByte: 0.1 }));
    expect(a.maxNs).toBeCloseTo(b.maxNs, 9);
  });
});
