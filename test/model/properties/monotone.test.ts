/**
 * Property: raising a cost parameter of the built-in profile (`costParams`) never lowers
 * a collective prediction by more than a tie tolerance.
 *
 * Measured (issue 10, item 6): this is FALSE today, and not by ties. Over about 110k random
 * cases (ops, layouts of 2-4 nodes, 1 B to 64 KB, every progress mode, one cost
 * parameter raised by 0.1%, 10% or 100%), 0.2% of the simulator's answers went down,
 * by up to 32% (mostly with event progress, where a receiver sleeps and wakes by when
 * messages come, and at the shared HCA), up to 2% with polling; the closed forms of
 * alltoall went down by up to 78% (raising mpi.copyPerByte, paths.native.storeForward,
 * virtualization.iommuMissCost). So the properties below are pinned as failing
 * (fixed seeds: each finds its counterexample deterministically, and the test expects it) with the
 * counterexamples spelled out; TIE_TOLERANCE (tolerance.ts) is the rounding tolerance.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COLLECTIVE_OPS } from '../../../src/model/collectives/types.js';
import { predictPoint, type CollectiveQuery, type Engine } from '../../../src/model/predict-collective.js';
import { cx3FdrKvm2013 } from '../../../src/profiles/cx3-fdr-kvm-2013.js';
import { costParams, raised } from './cost-params.js';
import { TIE_TOLERANCE } from './tolerance.js';

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

/** Whether the raised profile's average and maximum latency are no lower beyond the tolerance. */
type Case = ReturnType<typeof caseArb> extends fc.Arbitrary<infer T> ? T : never;

function monotone(c: Case): boolean {
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
  const b = predictPoint(raised(profile, COSTS[c.cost], c.fraction), q, c.bytes);
  const ok = (x: number, y: number) => y >= x * (1 - TIE_TOLERANCE);
  return ok(a.latency_us, b.latency_us) && ok(a.max_us, b.max_us);
}

describe('raising a cost parameter never lowers a prediction (beyond TIE_TOLERANCE)', () => {
  it('lists the cost parameters: latencies, overheads, gaps, per-byte and extra costs', () => {
    const names = COSTS.map((c) => c.path.join('.'));
    for (const n of ['paths.vf.L', 'paths.vf.o_s', 'paths.vf.g', 'paths.vf.G', 'paths.vf.requestCost'])
      expect(names).toContain(n);
    for (const n of ['mpi.copyPerByte', 'compute.reducePerByte', 'virtualization.iommuMissCost'])
      expect(names).toContain(n);
    for (const n of ['hca.messageRate', 'hca.pcieBandwidth', 'paths.vf.mtu', 'paths.vf.inlineSaving'])
      expect(names).not.toContain(n);
  });

  it('KNOWN FALSE: the simulator, every progress mode (seed 1 finds a counterexample)', () => {
    const run = () =>
      fc.assert(fc.property(caseArb('sim', ['poll', 'blocking', 'event']), monotone), {
        seed: 1,
        numRuns: 1500,
      });
    expect(run).toThrow(/Property failed/);
  });

  it('KNOWN FALSE: the closed forms (seed 1 finds a counterexample)', () => {
    const run = () =>
      fc.assert(fc.property(caseArb('analytic', ['poll', 'blocking', 'event']), monotone), {
        seed: 1,
        numRuns: 4000,
      });
    expect(run).toThrow(/Property failed/);
  });

  it('pins counterexamples, so that a fix shows here', () => {
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
    const drop = (query: CollectiveQuery, path: string, fraction: number, bytes: number) => {
      const c = COSTS.find((x) => x.path.join('.') === path)!;
      const a = predictPoint(profile, query, bytes).latency_us;
      const b = predictPoint(raised(profile, c, fraction), query, bytes).latency_us;
      return (a - b) / a;
    };
    // Raising the VF's interrupt cost by 2% lowers this alltoall by about 7% (with the
    // hand-fitted profile before calibration/, 0.1% lowered it by about an eighth).
    expect(drop(q({}), 'paths.vf.eventExtra', 0.02, 8192)).toBeGreaterThan(0.05);
    // The closed form of alltoall: doubling the MPI copy cost lowers it (by more than half
    // when found; about a third since the HCA bound and memory bandwidth entered).
    expect(
      drop(
        q({ placement: 'vm-per-socket', procs: 32, shm: true, engine: 'analytic' }),
        'mpi.copyPerByte',
        1,
        1024,
      ),
    ).toBeGreaterThan(0.05);
  });
});
