import { describe, expect, it } from 'vitest';
import { mpiLatency } from '../../src/model/p2p/mpi.js';
import { layoutPairParams, type CollectiveProgress, type NodeCosts } from '../../src/model/network.js';
import type { LayoutPath } from '../../src/model/layout/index.js';
import {
  createScheduleBuilder,
  simulate,
  type NativeNetwork,
  type PairParams,
} from '../../src/model/sim/index.js';
import type { Profile } from '../../src/profiles/types.js';
import { roundProfile } from './round-profile.js';

/**
 * ibvf's native-mode MPI semantics (issue 10, item 5), each checked on a small schedule
 * with the round numbers of `roundProfile()` and worked out by hand. Times in us; the
 * simulator's are ns.
 */
const profile = roundProfile();
const native = { o_s: 1, o_r: 1, L: 10, G: 0.001, wake: 100 };
/** A header-only control message (RTS, CTS, FIN) over the native path: o_s + L + o_r. */
const ctl = native.o_s + native.L + native.o_r;
/** The RDMA write of a rendezvous carrying s bytes: o_s + L + o_r + (s-1)G. */
const write = (s: number) => native.o_s + native.L + native.o_r + (s - 1) * native.G;

const shm = { o_s: 1, o_r: 1, L: 1, G: 0.02, O: 0.01 };

/** Costs of up to four nodes (one rank each) with no virtualization at all. */
function costsOf(stretch: number[]): NodeCosts {
  const n = stretch.length;
  return {
    iommuUs: new Float64Array(n),
    stretch: Float64Array.from(stretch),
    copyNuma: new Float64Array(4).fill(1),
    copySharers: new Float64Array(4).fill(1),
    copyClass: new Int32Array(4),
    copyClasses: 1,
    hcaMessageUs: new Float64Array(n),
  };
}
const COSTS = costsOf([1, 1, 1, 1]);

/**
 * Every pair on `path` with the layout rules of network.ts (its wake-up, stretch and
 * protocol); ranks on nodes `nodeOf` (default: each on its own, all on one for shm).
 */
function network(
  progress: CollectiveProgress,
  path: LayoutPath = 'native',
  costs = COSTS,
  prof: Profile = profile,
  nodeOf = path === 'shm' ? new Int32Array(4) : Int32Array.from([0, 1, 2, 3]),
): NativeNetwork {
  return {
    nodeOf,
    usesHca: () => path !== 'shm',
    params: (src: number, dst: number, bytes: number): PairParams =>
      layoutPairParams(
        prof,
        costs,
        prof.paths[path],
        path,
        { srcNode: nodeOf[src], dstNode: nodeOf[dst], srcCopyStretch: () => 1, dstCopyStretch: () => 1 },
        bytes,
        progress,
      ),
  };
}

describe('wake-ups under event and blocking progress', () => {
  it('a message longer than the spin window pays the wake-up once under event progress', () => {
    // 100,001 B is rendezvous (> 10,000 B): RTS, CTS, write, FIN; it takes longer than the
    // 50 us spin window, which blocking mode and event mode alike then sleep through.
    const s = 100_001;
    const b = createScheduleBuilder(2);
    b.send(0, 1, s);
    b.recv(1, 0, s);
    const r = simulate(b.build(), { mode: 'native', network: network('event') });
    expect(r.finishNs[1] / 1000).toBeCloseTo(3 * ctl + write(s) + native.wake, 6);
  });

  it('blocking: a receiver that waited longer than its spin window pays the wake-up, however short the message', () => {
    // Rank 1 posts its receive at 0 and waits; rank 0 computes 100 us, then sends 1 B
    // (a 12 us message, well inside the 50 us spin window, but rank 1 has been waiting
    // since 0: it spun 50 us and went to sleep).
    const calc = 100;
    const b = createScheduleBuilder(2);
    b.requires(b.send(0, 1, 1), b.calc(0, calc * 1000));
    b.recv(1, 0, 1);
    const r = simulate(b.build(), { mode: 'native', network: network('blocking') });
    expect(r.finishNs[1] / 1000).toBeCloseTo(calc + native.o_s + native.L + native.wake + native.o_r, 6);
  });

  it('blocking: a receiver that was busy when the message came pays no wake-up, however long the message', () => {
    // A spin window of 5 us (5 polls): a lone 1001 B message (13 us) would outlast it.
    // But rank 1 computes 14 us after posting its receive, and the message arrives at
    // o_s + L = 11 us: rank 1 takes it when its calc ends, without having waited.
    const shortSpin = roundProfile();
    shortSpin.mpi.spinCount.value = 5;
    const s = 1001;
    const calc = 14;
    const b = createScheduleBuilder(2);
    b.send(0, 1, s);
    b.recv(1, 0, s);
    b.calc(1, calc * 1000);
    const r = simulate(b.build(), {
      mode: 'native',
      network: network('blocking', 'native', COSTS, shortSpin),
    });
    expect(r.finishNs[1] / 1000).toBeCloseTo(calc + native.o_r + (s - 1) * native.G, 6);
  });

  it('one wake-up per sleep: a message that arrives while its receiver is being woken shares that wake-up', () => {
    // Event progress (every wait sleeps). Rank 1 posts receives from ranks 0 and 2 at 0.
    // Rank 0's 1 B message arrives at o_s + L = 11 us and wakes rank 1 (wake-up 100 us);
    // rank 2's, sent after a 50 us calc, arrives at 61 us while rank 1 is being woken:
    // the woken process takes both, the second without a wake-up of its own.
    const calc = 50;
    const b = createScheduleBuilder(3);
    b.send(0, 1, 1);
    b.requires(b.send(2, 1, 1), b.calc(2, calc * 1000));
    b.recv(1, 0, 1);
    b.recv(1, 2, 1);
    const r = simulate(b.build(), { mode: 'native', network: network('event') });
    expect(r.finishNs[1] / 1000).toBeCloseTo(native.o_s + native.L + native.wake + 2 * native.o_r, 6);
  });
});

describe('shared memory', () => {
  it('each end pays its own copy: the receiver does not pay the two-copy rate on top of the sender', () => {
    // Ranks 0 and 2 each send 1001 B to rank 1 over shared memory at time 0.
    const s = 1001;
    const b = createScheduleBuilder(3);
    b.send(0, 1, s);
    b.send(2, 1, s);
    b.recv(1, 0, s);
    b.recv(1, 2, s);
    const r = simulate(b.build(), { mode: 'native', network: network('poll', 'shm') });
    // The point-to-point model's one-way time, o_s + L + o_r + max(2 s O, s G), is when the
    // first message is received (the simulator and the p2p model agree on one message).
    const oneWay = shm.o_s + shm.L + shm.o_r + Math.max(2 * s * shm.O, s * shm.G);
    expect(mpiLatency(profile, profile.paths.shm, s, 'poll')).toBeCloseTo(oneWay, 9);
    // The second message waits for the receiver's CPU, which then copies it out:
    // o_r + (s-1)O, its own copy (not o_r + (s-1)G, both copies again).
    expect(r.finishNs[1] / 1000).toBeCloseTo(oneWay + shm.o_r + (s - 1) * shm.O, 6);
    // Each sender copies in: o_s + (s-1)O.
    expect(r.finishNs[0] / 1000).toBeCloseTo(shm.o_s + (s - 1) * shm.O, 6);
  });
});

describe('CPU stretch (over-subscription)', () => {
  it("the receiver's per-byte copy is stretched by the receiver's node, not the sender's", () => {
    // An eager copy of 0.01 us/B at each end (more than G), an unstretched sender on node
    // 0 and a receiver on node 1 whose CPU work takes twice as long.
    const copying = roundProfile();
    const copy = 0.01;
    copying.mpi.copyPerByte.value = copy;
    const costs = costsOf([1, 2]);
    const s = 1001;
    const b = createScheduleBuilder(2);
    b.send(0, 1, s);
    b.recv(1, 0, s);
    const r = simulate(b.build(), { mode: 'native', network: network('poll', 'native', costs, copying) });
    // 1001 B goes over the RDMA fast path.
    const oneWay = mpiLatency(copying, copying.paths.native, s, 'poll');
    // Unstretched, a lone message takes oneWay with the receiver busy o_r + (s-1)copy at
    // the end (copy > G); stretched by 2, the receiver's part takes twice as long.
    expect(r.finishNs[1] / 1000).toBeCloseTo(oneWay + (2 - 1) * (native.o_r + (s - 1) * copy), 6);
    // The sender, unstretched: o_s + (s-1)copy.
    expect(r.finishNs[0] / 1000).toBeCloseTo(native.o_s + (s - 1) * copy, 6);
  });
});

describe('RDMA', () => {
  it("RDMA data lands while the receiver computes: the HCA receive side does not wait for the receiver's CPU", () => {
    // Node 0: rank 0; node 1: ranks 1 and 2 (one HCA, 100 us per message); node 2: rank 3.
    // Rank 1 computes 1000 us with its receive posted; rank 0 sends it 1 B at 0 over the
    // RDMA fast path (arrives at o_s + L = 11 us). Rank 3 computes 950 us, then sends
    // 1 B to rank 2 (arrives at 961 us).
    const calc1 = 1000;
    const calc3 = 950;
    const hcaGap = 100;
    const b = createScheduleBuilder(4);
    b.send(0, 1, 1);
    b.recv(1, 0, 1);
    b.calc(1, calc1 * 1000);
    b.requires(b.send(3, 2, 1), b.calc(3, calc3 * 1000));
    b.recv(2, 3, 1);
    const r = simulate(b.build(), {
      mode: 'native',
      network: {
        ...network('poll', 'native', COSTS, profile, Int32Array.from([0, 1, 1, 2])),
        hca: { messageGapNs: hcaGap * 1000, perByteNs: 0 },
      },
    });
    // Rank 1's message passes node 1's HCA at 11..111 us while rank 1 computes; its CPU
    // takes it when the calc ends: calc + o_r. Rank 3's message finds the HCA free.
    expect(r.finishNs[1] / 1000).toBeCloseTo(calc1 + native.o_r, 6);
    expect(r.finishNs[2] / 1000).toBeCloseTo(calc3 + native.o_s + native.L + native.o_r, 6);
  });
});

describe('rendezvous handshake', () => {
  // 100,001 B is rendezvous (RPUT): RTS (ctl), CTS (ctl), RDMA write, FIN (ctl). A
  // receiver ready for it answers the RTS ctl after the send starts; what follows its
  // answer takes 2 ctl + write(s).
  const s = 100_001;

  it('a late receiver pays the handshake: the data moves only after it posts the receive', () => {
    // Rank 1 computes 1000 us, then posts its receive; the RTS has waited since 12 us.
    const calc = 1000;
    const b = createScheduleBuilder(2);
    b.send(0, 1, s);
    b.requires(b.recv(1, 0, s), b.calc(1, calc * 1000));
    const r = simulate(b.build(), { mode: 'native', network: network('poll') });
    expect(r.finishNs[1] / 1000).toBeCloseTo(calc + 2 * ctl + write(s), 6);
    // The send completes when the receiver takes the data (o_r before its end).
    expect(r.finishNs[0] / 1000).toBeCloseTo(calc + 2 * ctl + write(s) - native.o_r, 6);
  });

  it("the RTS is answered when the receiver's CPU is free, even with the receive posted", () => {
    // Rank 1 posts its receive at 0 but computes 500 us: the RTS (at 12 us) waits for it.
    const calc = 500;
    const b = createScheduleBuilder(2);
    b.send(0, 1, s);
    b.recv(1, 0, s);
    b.calc(1, calc * 1000);
    const r = simulate(b.build(), { mode: 'native', network: network('poll') });
    expect(r.finishNs[1] / 1000).toBeCloseTo(calc + 2 * ctl + write(s), 6);
  });

  it('a ready receiver gets the lone message in the p2p time', () => {
    const b = createScheduleBuilder(2);
    b.send(0, 1, s);
    b.recv(1, 0, s);
    const r = simulate(b.build(), { mode: 'native', network: network('poll') });
    expect(r.finishNs[1] / 1000).toBeCloseTo(3 * ctl + write(s), 6);
    expect(mpiLatency(profile, profile.paths.native, s, 'poll')).toBeCloseTo(3 * ctl + write(s), 9);
  });
});
