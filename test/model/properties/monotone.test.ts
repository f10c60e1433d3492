/**
 * Property: raising a cost parameter of the built-in profile (`costParams`) never lowers
 * a collective prediction, beyond what tolerance.ts names and says why:
 * - the closed forms (poll and blocking progress): not at all (TIE_TOLERANCE), but for
 *   the scattered alltoall's, a greedy schedule itself (SCATTERED_CLOSED_TOLERANCE). They
 *   refuse event progress, where a wake-up depends on how long each rank waits (the
 *   closed form of alltoall went down by a third when the copy cost doubled).
 * - the simulator, polling: by at most QUEUE_TOLERANCE, Graham's timing anomalies of
 *   resources that serve one request at a time, and processor-sharing HCAs, which release
 *   a burst together; blocking: BLOCKING_QUEUE_TOLERANCE, for the same reasons.
 * - the simulator under event progress: by at most BLOCKING_QUEUE_TOLERANCE plus SPARED_WAKEUPS
 *   wake-ups: a busier receiver does not sleep, by design.
 * Found and fixed on the way (issue 10, item 6): every per-byte cost was stretched by the
 * socket's memory bandwidth at the eager copy's rate, so that raising mpi.copyPerByte
 * lowered the shared-memory copies (11%, two-level-shmem allreduce); the closed forms of
 * event progress.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COLLECTIVE_OPS } from '../../../src/model/collectives/types.js';
import { predictPoint, type CollectiveQuery, type Engine } from '../../../src/model/predict-collective.js';
import { cx3FdrKvm2013 } from '../../../src/profiles/cx3-fdr-kvm-2013.js';
import type { Profile } from '../../../src/profiles/types.js';
import { costParams, raised } from './cost-params.js';
import { buildLayout } from '../../../src/model/layout/index.js';
import { buildNetwork } from '../../../src/model/network.js';
import {
  BLOCKING_QUEUE_TOLERANCE,
  QUEUE_TOLERANCE,
  SCATTERED_CLOSED_TOLERANCE,
  SPARED_WAKEUPS,
  TIE_TOLERANCE,
} from './tolerance.js';

const profile = cx3FdrKvm2013;
const COSTS = costParams(profile);

const caseArb = (engine: Engine, progress: readonly CollectiveQuery['progress'][]) =>
  fc.record({
    op: fc.constantFrom(...COLLECTIVE_OPS),
    placement: fc.constantFrom('native', 'vm-per-core', 'vm-per-socket', 'vm-per-node'),
    nodes: fc.constantFrom(2, 4),
    perNode: fc.constantFrom(2, 4, 8),
    shm: fc.boolean(),
    progress: fc.constantFrom(...progress),
    bytes: fc.constantFrom(1, 64, 1024, 8192),
    cost: fc.nat(COSTS.length - 1),
    fraction: fc.constantFrom(0.001, 0.1, 1),
    engine: fc.constant(engine),
  });

type Case = ReturnType<typeof caseArb> extends fc.Arbitrary<infer T> ? T : never;

/** The largest wake-up (ns) of any pair of a case's layout, under either profile. */
function largestWake(c: Case, profiles: Profile[]): number {
  const procs = c.nodes * c.perNode;
  const layout = buildLayout({
    nodes: c.nodes,
    procs,
    socketsPerNode: 2,
    coresPerSocket: 8,
    placement: c.placement,
    shm: false,
  });
  let wake = 0;
  for (const p of profiles) {
    const net = buildNetwork(p, layout, c.progress);
    for (let s = 0; s < procs; s++)
      for (let d = 0; d < procs; d++) if (s !== d) wake = Math.max(wake, net.params(s, d, c.bytes).wake ?? 0);
  }
  return wake;
}

/**
 * Whether the raised profile's average and maximum latency are no lower than the
 * original's beyond `relative` of it, plus (event progress) SPARED_WAKEUPS wake-ups.
 */
function monotone(c: Case, relative: number): boolean {
  const q: CollectiveQuery = {
    op: c.op,
    placement: c.placement,
    nodes: c.nodes,
    procs: c.nodes * c.perNode,
    shm: c.shm,
    progress: c.progress,
    engine: c.engine,
  };
  let a;
  try {
    a = predictPoint(profile, q, c.bytes);
  } catch {
    return true; // a layout the model refuses (e.g. a shm algorithm without shm)
  }
  const up = raised(profile, COSTS[c.cost], c.fraction);
  const b = predictPoint(up, q, c.bytes);
  const spared = c.progress === 'event' ? (SPARED_WAKEUPS * largestWake(c, [profile, up])) / 1000 : 0;
  // The scattered alltoall's closed form is a greedy schedule itself (tolerance.ts).
  const tol = c.engine === 'analytic' && a.algorithm === 'scattered' ? SCATTERED_CLOSED_TOLERANCE : relative;
  const ok = (x: number, y: number) => y >= x * (1 - tol) - spared;
  if (c.engine === 'sim') {
    const drop = Math.max((a.latency_us - b.latency_us) / a.latency_us, (a.max_us - b.max_us) / a.max_us);
    worstDrop[c.progress] = Math.max(worstDrop[c.progress], drop);
    // MONOTONE_SHOW=1 also prints each case that went down by more than 2%.
    if (MEASURE && process.env.MONOTONE_SHOW && drop > 0.02)
      console.log(`drop ${drop}: ${JSON.stringify(c)} ${COSTS[c.cost].path.join('.')}`, a, b);
  }
  return MEASURE || (ok(a.latency_us, b.latency_us) && ok(a.max_us, b.max_us));
}

/**
 * Measuring (the figures of tolerance.ts): MONOTONE_RUNS=4500 MONOTONE_SEED=5 npx vitest
 * run test/model/properties/monotone.test.ts -t simulator prints the largest relative drop per progress
 * mode of the simulator's cases, and checks nothing.
 */
const MEASURE = process.env.MONOTONE_RUNS !== undefined;
const SIM_RUNS = Number(process.env.MONOTONE_RUNS ?? 0);
const SIM_SEED = Number(process.env.MONOTONE_SEED ?? 1);
const worstDrop: Record<string, number> = { poll: 0, blocking: 0, event: 0 };

describe('raising a cost parameter never lowers a prediction (beyond the stated tolerances)', () => {
  it('lists the cost parameters: latencies, overheads, gaps, per-byte and extra costs', () => {
    const names = COSTS.map((c) => c.path.join('.'));
    for (const n of ['paths.vf.L', 'paths.vf.o_s', 'paths.vf.g', 'paths.vf.G', 'paths.vf.requestCost'])
      expect(names).toContain(n);
    for (const n of ['mpi.copyPerByte', 'compute.reducePerByte', 'virtualization.iommuMissCost'])
      expect(names).toContain(n);
    for (const n of ['hca.messageRate', 'hca.pcieBandwidth', 'paths.vf.mtu', 'paths.vf.inlineSaving'])
      expect(names).not.toContain(n);
  });

  it('holds for the closed forms, polling or blocking: TIE_TOLERANCE (scattered alltoall: its own)', () => {
    fc.assert(
      fc.property(caseArb('analytic', ['poll', 'blocking']), (c) => monotone(c, TIE_TOLERANCE)),
      { seed: 1, numRuns: 2000 },
    );
  });

  it('holds for the simulator, polling or blocking: QUEUE_TOLERANCE, BLOCKING_QUEUE_TOLERANCE', () => {
    fc.assert(
      fc.property(caseArb('sim', ['poll', 'blocking']), (c) =>
        monotone(c, c.progress === 'poll' ? QUEUE_TOLERANCE : BLOCKING_QUEUE_TOLERANCE),
      ),
      { seed: SIM_SEED, numRuns: SIM_RUNS || 400 },
    );
    if (MEASURE) console.log(`largest drops, poll and blocking: ${JSON.stringify(worstDrop)}`);
  });

  it('holds for the simulator under event progress: BLOCKING_QUEUE_TOLERANCE and SPARED_WAKEUPS wake-ups', () => {
    fc.assert(
      fc.property(caseArb('sim', ['event']), (c) => monotone(c, BLOCKING_QUEUE_TOLERANCE)),
      { seed: SIM_SEED, numRuns: SIM_RUNS || 300 },
    );
    if (MEASURE) console.log(`largest drops, event: ${JSON.stringify(worstDrop)}`);
  });

  it('pins the counterexamples found, as they are now', () => {
    const q = (over: Partial<CollectiveQuery>): CollectiveQuery => ({
      op: 'alltoall',
      placement: 'vm-per-core',
      nodes: 4,
      procs: 16,
      shm: false,
      progress: 'event',
      engine: 'sim',
      ...over,
    });
    const pair = (query: CollectiveQuery, path: string, fraction: number, bytes: number) => {
      const c = COSTS.find((x) => x.path.join('.') === path)!;
      return [predictPoint(profile, query, bytes), predictPoint(raised(profile, c, fraction), query, bytes)];
    };
    // Raising the VF's interrupt cost by 2% lowered this alltoall by about 7% while the
    // HCA served one message at a time (92 wake-ups to 88: a receiver that slept before was
    // still busy when its message came). With the HCA sides shared by processor sharing it
    // lowers it by 0.9% with as many wake-ups (64): a queueing anomaly within
    // QUEUE_TOLERANCE, no spared wake-up.
    const [a, b] = pair(q({}), 'paths.vf.eventExtra', 0.02, 8192);
    const drop = (a.latency_us - b.latency_us) / a.latency_us;
    expect(drop).toBeGreaterThan(0.005);
    expect(drop).toBeLessThan(QUEUE_TOLERANCE);
    expect(b.wakeups).toBe(a.wakeups);
    // The closed forms refuse event progress (it was a third lower when the copy cost doubled).
    const closed = q({ placement: 'vm-per-socket', procs: 32, shm: true, engine: 'analytic' });
    expect(() => pair(closed, 'mpi.copyPerByte', 1, 1024)).toThrow(
      /--engine analytic cannot answer --progress event/,
    );
    // A dearer eager copy no longer makes the shared-memory copies cheaper.
    for (const engine of ['analytic', 'sim'] as const) {
      const shmQuery = q({
        op: 'allreduce',
        placement: 'vm-per-node',
        nodes: 2,
        shm: true,
        progress: 'poll',
        engine,
      });
      const [x, y] = pair(shmQuery, 'mpi.copyPerByte', 1, 1024);
      expect(x.algorithm).toBe('two-level-shmem');
      expect(y.latency_us).toBeGreaterThanOrEqual(x.latency_us);
    }
    // The blocking worst case of tolerance.ts (BLOCKING_QUEUE_TOLERANCE) is a jump, not a
    // drift: the maximum stands until the dearer loopback message comes after rank 7's last
    // send of its block, between +6.5% and +7.5% of native-loopback.L, and drops there.
    const worst = q({ placement: 'native', nodes: 2, procs: 8, shm: true, progress: 'blocking' });
    const max = (fraction: number) => pair(worst, 'paths.native-loopback.L', fraction, 1)[1].max_us;
    expect(max(0)).toBeCloseTo(6.725, 3);
    expect(max(0.065)).toBeCloseTo(max(0), 9);
    expect(max(0.075)).toBeCloseTo(5.534, 3);
    expect(max(0.1)).toBeCloseTo(max(0.075), 9);
    expect((max(0) - max(0.1)) / max(0)).toBeLessThan(BLOCKING_QUEUE_TOLERANCE);
  });
});
