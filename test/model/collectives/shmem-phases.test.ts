import { describe, expect, it } from 'vitest';
import {
  findAlgorithm,
  flagParams,
  shmFlagNetwork,
  type CollectiveInput,
  type CollectiveOp,
} from '../../../src/model/collectives/index.js';
import { predictCollective, type CollectiveQuery } from '../../../src/model/predict-collective.js';
import type { PairParams } from '../../../src/model/sim/contract.js';
import { createScheduleBuilder, simulate } from '../../../src/model/sim/index.js';
import { builtinProfile } from '../../../src/profiles/builtin.js';

/**
 * MVAPICH2's shared-memory collective phases (src/model/collectives/shmem.ts) cost copies
 * and flags, worked out by hand here, the simulator and the closed forms agreeing.
 */
const profile = builtinProfile('cx3-fdr-kvm-2013')!;

describe('the shared-memory phases cost copies and flags', () => {
  // Flag latency 100 ns, copies 0.1 ns/B, reductions 0.1 ns/B; one host of ranks 0, 1, 2.
  const flag = flagParams(100);
  const data: PairParams = { L: 5000, o_s: 1000, o_r: 1500, g: 400, G: 0.5, O: 0.25, S: 65536 };
  const input: CollectiveInput = {
    procs: 3,
    bytes: 1000,
    reduceNsPerByte: 0.1,
    shmCopyNsPerByte: 0.1,
    ranksPerNode: [3],
  };
  const both = (name: string, op: CollectiveOp = 'bcast') => {
    const algo = findAlgorithm(op, name);
    const b = createScheduleBuilder(3);
    algo.generate(b, input);
    const network = shmFlagNetwork(
      { params: () => data, nodeOf: new Int32Array(3), usesHca: () => false },
      flag,
    );
    const sim = simulate(b.build(), { mode: 'native', network });
    return {
      sim: [...sim.finishNs],
      closed: algo.closedForm.evaluate({ inter: data, intra: data, flag }, input),
    };
  };

  it('bcast: the leader copies 1000 B in (100 ns), the readers see the flag 100 ns later and copy out (100 ns)', () => {
    // leader 0 -> 100; readers: flag at 100 + 100 = 200, copy out -> 300
    for (const name of ['shmem-binomial', 'shmem-knomial', 'shmem-pipelined']) {
      const { sim, closed } = both(name);
      expect(sim, name).toEqual([100, 300, 300]);
      expect(closed, name).toEqual({ avgNs: 700 / 3, maxNs: 300 });
    }
  });

  it('allreduce: children copy in (100), the leader sees both flags at 200, reduces 2 x 1000 x 0.1 = 200, then the bcast', () => {
    // leader: 200 + 200 = 400, copy in 400 -> 500; readers: flag at 600, copy out -> 700
    const { sim, closed } = both('two-level-shmem', 'allreduce');
    expect(sim).toEqual([500, 700, 700]);
    expect(closed.maxNs).toBeCloseTo(700, 9);
    expect(closed.avgNs).toBeCloseTo(1900 / 3, 9);
  });

  it('reduce: children copy in and flag (done at 100), the leader reduces after the flags: 200 + 200', () => {
    const { sim, closed } = both('two-level-shmem', 'reduce');
    expect(sim).toEqual([400, 100, 100]);
    expect(closed).toEqual({ avgNs: 200, maxNs: 400 });
  });

  it('a 16 KB bcast goes in two 8 KB slots, the readers copying slot 1 while the leader copies slot 2', () => {
    const big = { ...input, bytes: 16384 };
    const b = createScheduleBuilder(3);
    findAlgorithm('bcast', 'shmem-binomial').generate(b, big);
    const network = shmFlagNetwork(
      { params: () => data, nodeOf: new Int32Array(3), usesHca: () => false },
      flag,
    );
    const finish = [...simulate(b.build(), { mode: 'native', network }).finishNs];
    // slot copy 8192 x 0.1 = 819.2; leader 1638.4; readers: slot 1 flag at 919.2, copy to 1738.4;
    // slot 2 flag at 1638.4 + 100 = 1738.4, copy to 2557.6
    expect(finish[0]).toBeCloseTo(1638.4, 9);
    expect(finish[1]).toBeCloseTo(2557.6, 9);
  });

  it('end to end with the built-in profile: 8 KB bcast on one node, 2 ranks, shm on', () => {
    // shm path: L = 0.1 us (the flag), O = 1e-4 us/B (a copy): 8192 B copy in = 819.2 ns;
    // the reader sees the flag at 919.2 and has copied out at 1738.4 ns.
    const q: CollectiveQuery = {
      op: 'bcast',
      nodes: 1,
      procs: 2,
      placement: 'native',
      shm: true,
      progress: 'poll',
      algorithm: 'shmem-binomial',
      engine: 'sim',
      rangeDraws: 0,
    };
    const r = predictCollective(profile, q, [8192]);
    expect(r.rows[0].algorithm).toBe('shmem-binomial');
    expect(r.rows[0].max_us).toBeCloseTo(1.7384, 9);
    expect(r.rows[0].latency_us).toBeCloseTo((0.8192 + 1.7384) / 2, 9);
    const analytic = predictCollective(profile, { ...q, engine: 'analytic' }, [8192]);
    expect(analytic.rows[0].latency_us).toBeCloseTo(r.rows[0].latency_us, 9);
  });
});
