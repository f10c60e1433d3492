import { describe, expect, it } from 'vitest';
import {
  RunError,
  SimDeadlockError,
  createScheduleBuilder,
  parseGoal,
  simulate,
  uniformNetwork,
  type NativeNetwork,
  type PairParams,
} from '../../../src/index.js';
import { SMALL } from './helpers.js';

const PAIR = `num_ranks 2
rank 0 {
l1: send 11b to 1
}
rank 1 {
l1: recv 11b from 0
}
`;

function net(params: PairParams, ranks: number, extra: Partial<NativeNetwork> = {}): NativeNetwork {
  return {
    nodeOf: Int32Array.from({ length: ranks }, (_, r) => r),
    params: () => params,
    usesHca: () => true,
    ...extra,
  };
}

describe('native mode', () => {
  it('charges o_s at the sender and o_r at the receiver', () => {
    const p: PairParams = { L: 100, o_s: 10, o_r: 40, g: 5, G: 1, O: 0, S: 1000 };
    const r = simulate(parseGoal(PAIR), { mode: 'native', network: net(p, 2) });
    // Message at 0 + o_s + L = 110; receiver CPU 110 + o_r + 10*1 = 160.
    expect(Array.from(r.finishNs)).toEqual([10, 160]);
  });

  it('uses each pair its own parameters (and the pair S decides rendezvous)', () => {
    const fast: PairParams = { L: 100, o_s: 10, o_r: 10, g: 5, G: 1, O: 0, S: 1000 };
    const slow: PairParams = { ...fast, L: 1000, S: 4 };
    const text = `num_ranks 3
rank 0 {
l1: send 11b to 1
l2: send 11b to 2
l3: calc 1
l3 requires l2
}
rank 1 {
l1: recv 11b from 0
}
rank 2 {
l1: recv 11b from 0
}
`;
    const network = net(fast, 3, { params: (_src, dst) => (dst === 2 ? slow : fast) });
    const r = simulate(parseGoal(text), { mode: 'native', network });
    // Send 1 at 0..10 (NIC until 15); send 2 at 15..25 arrives 15+10+1000 = 1025; it is
    // rendezvous on the slow pair (11 > 4), so it completes when matched at 1025 (receiver
    // CPU 1025..1045), rank 0's clock is pulled up to 1025 and the calc runs 1025..1026.
    expect(Array.from(r.finishNs)).toEqual([1026, 130, 1045]);
  });

  it('zero-byte messages cost what one-byte messages cost (no negative (s-1) terms)', () => {
    const p: PairParams = { L: 100, o_s: 10, o_r: 10, g: 5, G: 3, O: 2, S: 1000 };
    const zero = simulate(parseGoal(PAIR.replace(/11b/g, '0b')), { mode: 'native', network: net(p, 2) });
    const one = simulate(parseGoal(PAIR.replace(/11b/g, '1b')), { mode: 'native', network: net(p, 2) });
    expect(Array.from(zero.finishNs)).toEqual([10, 120]);
    expect(Array.from(one.finishNs)).toEqual([10, 120]);
    // Compat mode keeps LogGOPSim's wrap-around: 10-2 and 110+10-2.
    const compat = simulate(parseGoal(PAIR.replace(/11b/g, '0b')), {
      mode: 'compat',
      params: { L: 100, o: 10, g: 5, G: 3, O: 2, S: 1000 },
    });
    expect(Array.from(compat.finishNs)).toEqual([8, 118]);
  });

  it('ranks on one node share its HCA: each message gives each side gap + bytes * perByte of work, shared', () => {
    // Ranks 0,1 on node 0 send to ranks 2,3 on node 1 at time 0.
    const text = `num_ranks 4
rank 0 {
l1: send 11b to 2
}
rank 1 {
l1: send 11b to 3
}
rank 2 {
l1: recv 11b from 0
}
rank 3 {
l1: recv 11b from 1
}
`;
    const params = { ...SMALL };
    const shared = uniformNetwork(4, params, { ranksPerNode: 2, hca: { messageGapNs: 50, perByteNs: 1 } });
    const r = simulate(parseGoal(text), { mode: 'native', network: shared });
    // Both messages (work 61 on each side, flight o_s + L = 110) join node 0's send side
    // and node 1's receive side at 0 and share each: both done at 122 (alone: 61), then
    // the rest of their flight, 110 - 61, at full rate: both arrive at 171 instead of 110
    // (the 61 ns each lost to the other), receiver CPUs 171..191. The senders never wait
    // for the HCA. Served one at a time, the first would arrive at 110 and the second at
    // 171: which is which would depend on the ranks' names.
    expect(Array.from(r.finishNs)).toEqual([10, 10, 191, 191]);
    // Without sharing both pairs run in parallel.
    const free = simulate(parseGoal(text), {
      mode: 'native',
      network: uniformNetwork(4, params, { ranksPerNode: 2 }),
    });
    expect(Array.from(free.finishNs)).toEqual([10, 10, 130, 130]);
    // Same-node pairs over shared memory skip the HCA.
    const shm = { L: 20, o_s: 5, o_r: 5, g: 1, G: 0.1, O: 0, S: 1000 };
    const intra = `num_ranks 2
rank 0 {
l1: send 11b to 1
l2: send 11b to 1
}
rank 1 {
l1: recv 11b from 0
l2: recv 11b from 0
}
`;
    const withShm = uniformNetwork(2, params, {
      ranksPerNode: 2,
      hca: { messageGapNs: 500, perByteNs: 10 },
      shm,
    });
    const rs = simulate(parseGoal(intra), { mode: 'native', network: withShm });
    // Sends 0..5 and 5..10 (g=1 is no limit); arrivals 25 and 30; receiver 25..31, 31..37.
    expect(Array.from(rs.finishNs)).toEqual([10, 37]);
  });

  it('gives float64 times', () => {
    const p: PairParams = { L: 100.5, o_s: 10.25, o_r: 10.25, g: 5, G: 0.5, O: 0, S: 1000 };
    const r = simulate(parseGoal(PAIR), { mode: 'native', network: net(p, 2) });
    expect(r.finishNs[1]).toBeCloseTo(10.25 + 100.5 + 10.25 + 5, 9);
  });
});

describe('deadlock', () => {
  it('reports hosts and unmatched operations with their GOAL lines (RunError, exit 3)', () => {
    const text = `num_ranks 3
rank 0 {
l1: recv 8b from 1 tag 5
l2: send 8b to 1 tag 1
l2 requires l1
}
rank 1 {
l1: recv 8b from 0 tag 1
l2: send 8b to 0 tag 5
l2 requires l1
}
rank 2 {
l1: send 4b to 0 tag 9
}
`;
    let error: SimDeadlockError | undefined;
    try {
      simulate(parseGoal(text), { mode: 'compat', params: SMALL });
    } catch (e) {
      error = e as SimDeadlockError;
    }
    expect(error).toBeInstanceOf(SimDeadlockError);
    expect(error).toBeInstanceOf(RunError);
    expect(error!.exitCode).toBe(3);
    expect(error!.hosts).toEqual([0, 1]);
    expect(error!.message).toMatch(/^deadlock: 5 operation\(s\) never completed on 2 host\(s\) \(0, 1\)/);
    expect(error!.message).toContain(
      'host 0: recv 8b from 1 tag 5 (line 3): receive posted, no matching message arrived',
    );
    expect(error!.message).toContain(
      'host 0: message from rank 2 (send 4b to 0 tag 9 (line 13)): arrived, no matching receive',
    );
    expect(error!.message).toContain('host 1: send 8b to 0 tag 5 (line 9): never started');
  });

  it('a rendezvous send nobody receives is stuck too', () => {
    const b = createScheduleBuilder(2);
    b.send(0, 1, 5000);
    expect(() => simulate(b.build(), { mode: 'compat', params: SMALL })).toThrow(SimDeadlockError);
  });
});

describe('parking blocked events per class gives LogGOPSim results exactly', () => {
  it('matches the re-queueing engine on random schedules, both modes', () => {
    let seed = 3;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    for (let trial = 0; trial < 30; trial++) {
      const p = 2 + rnd(6);
      const b = createScheduleBuilder(p);
      const last: number[] = Array(p).fill(-1);
      for (let k = 0; k < 40; k++) {
        const src = rnd(p);
        const dst = (src + 1 + rnd(p - 1)) % p;
        const bytes = rnd(3) === 0 ? 0 : 1 + rnd(3000);
        const tag = rnd(3);
        const s = b.send(src, dst, bytes, tag);
        const r = b.recv(dst, rnd(4) === 0 ? -1 : src, bytes, rnd(5) === 0 ? -1 : tag);
        if (last[src] >= 0 && rnd(2) === 0) b.requires(s, last[src]);
        if (rnd(3) === 0) b.irequires(r, b.calc(dst, rnd(500)));
        last[src] = s;
        last[dst] = r;
      }
      const schedule = b.build();
      const options = [
        { mode: 'compat' as const, params: { L: 100, o: 10, g: 5 + rnd(40), G: rnd(3), O: rnd(2), S: 1000 } },
        {
          mode: 'native' as const,
          network: uniformNetwork(
            p,
            { L: 90, o: 12, g: 7, G: 0.5, O: 0.1, S: 1500 },
            { ranksPerNode: 2, hca: { messageGapNs: 9, perByteNs: 0.3 } },
          ),
        },
      ];
      for (const o of options) {
        let a: unknown;
        let c: unknown;
        try {
          a = simulate(schedule, o);
        } catch (e) {
          a = (e as Error).message;
        }
        try {
          c = simulate(schedule, o, { batchBlocked: false });
        } catch (e) {
          c = (e as Error).message;
        }
        expect(a).toEqual(c);
      }
    }
  });

  it('matches the re-queueing engine when a busy shared HCA is what ranks wait for', () => {
    let seed = 11;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    for (let trial = 0; trial < 20; trial++) {
      const perNode = 2 + rnd(4);
      const p = perNode * (2 + rnd(3));
      const b = createScheduleBuilder(p);
      const last: number[] = Array(p).fill(-1);
      for (let k = 0; k < 120; k++) {
        const src = rnd(p);
        const dst = (src + 1 + rnd(p - 1)) % p;
        const bytes = rnd(4) === 0 ? 0 : 1 + rnd(4000);
        const tag = rnd(2);
        const s = b.send(src, dst, bytes, tag);
        const r = b.recv(dst, rnd(6) === 0 ? -1 : src, bytes, tag);
        if (last[src] >= 0 && rnd(3) === 0) b.requires(s, last[src]);
        if (rnd(4) === 0) b.requires(b.calc(dst, rnd(300)), r);
        last[src] = s;
        last[dst] = r;
      }
      const schedule = b.build();
      const gap = [0, 40, 400][rnd(3)];
      const shm = rnd(2) === 0 ? { L: 20, o_s: 5, o_r: 6, g: 3, G: 0.1, O: 0.05, S: 800 } : undefined;
      const network = uniformNetwork(
        p,
        { L: 90, o: 12, g: 7, G: 0.5, O: 0.1, S: 1500 },
        { ranksPerNode: perNode, hca: { messageGapNs: gap, perByteNs: rnd(2) === 0 ? 0 : 0.7 }, shm },
      );
      const run = (batchBlocked: boolean): unknown => {
        try {
          return simulate(schedule, { mode: 'native', network }, { batchBlocked });
        } catch (e) {
          return (e as Error).message;
        }
      };
      expect(run(true)).toEqual(run(false));
    }
  });

  it("matches the re-queueing engine with ibvf's MPI mechanisms (RDMA, copies, wake-ups, handshakes)", () => {
    let seed = 29;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    let completed = 0;
    for (let trial = 0; trial < 20; trial++) {
      const perNode = 2 + rnd(3);
      const p = perNode * (2 + rnd(3));
      const b = createScheduleBuilder(p);
      // A tag per message and dependencies only on operations of earlier messages: every
      // run completes.
      const ops: number[][] = Array.from({ length: p }, () => []);
      const earlier = (rank: number) => ops[rank][rnd(ops[rank].length)];
      for (let k = 0; k < 100; k++) {
        const src = rnd(p);
        const dst = (src + 1 + rnd(p - 1)) % p;
        const bytes = rnd(4) === 0 ? 0 : 1 + rnd(3000);
        const tag = k;
        const s = b.send(src, dst, bytes, tag);
        const r = b.recv(dst, src, bytes, tag);
        if (ops[src].length > 0 && rnd(2) === 0) b.requires(s, earlier(src));
        if (ops[dst].length > 0 && rnd(3) === 0) b.requires(r, earlier(dst));
        if (rnd(4) === 0) b.requires(b.calc(dst, rnd(300)), r);
        if (rnd(5) === 0) b.calc(dst, rnd(900));
        ops[src].push(s);
        ops[dst].push(r);
      }
      const schedule = b.build();
      const nodeOf = Int32Array.from({ length: p }, (_, r) => Math.floor(r / perNode));
      const sleeps = rnd(3) === 0 ? {} : { wake: 300, spin: [0, 40, 200][rnd(3)] };
      const base: PairParams = {
        L: 90,
        o_s: 12,
        o_r: 14,
        g: 7,
        G: 0.5,
        O: 0.1,
        O_r: 0.2,
        S: 2000,
        ...sleeps,
        handshake: [0, 30, 90][rnd(3)],
      };
      const copy: PairParams = { L: 20, o_s: 5, o_r: 6, g: 3, G: 0.2, O: 0.1, S: 800, delivery: 'copy' };
      const network: NativeNetwork = {
        nodeOf,
        hca: { messageGapNs: [0, 40, 400][rnd(3)], perByteNs: rnd(2) === 0 ? 0 : 0.7 },
        usesHca: (a, c) => nodeOf[a] !== nodeOf[c],
        params: (a, c, bytes) =>
          nodeOf[a] === nodeOf[c]
            ? copy
            : bytes <= 1000 || bytes > 2000
              ? { ...base, delivery: 'rdma' }
              : base,
      };
      const batched = simulate(schedule, { mode: 'native', network });
      expect(batched).toEqual(simulate(schedule, { mode: 'native', network }, { batchBlocked: false }));
      completed++;
    }
    expect(completed).toBe(20);
  });
});
