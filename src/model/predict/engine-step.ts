/**
 * Steps 4 and 5: the algorithm's schedule run by the LogGOPS simulator over the layout's
 * network (each pair's path, the shared HCAs), or its closed form bounded by the busiest
 * HCA; either way OSU's statistic: each rank's time from its start to its finish, the
 * average over ranks and the largest.
 */
import { UsageError } from '../../errors.js';
import type { Profile } from '../../profiles/types.js';
import type { AlgorithmEntry } from '../collectives/index.js';
import { shmFlagNetwork } from '../collectives/shmem.js';
import type { ClosedFormNet, CollectiveInput } from '../collectives/types.js';
import { hcaBoundNs, withHcaBound } from '../hca-bound.js';
import { closedFormPaths, type Layout, type LayoutPath } from '../layout/index.js';
import { buildNetwork, endsOf, layoutPairParams, nodeCosts } from '../network.js';
import { pathOf } from '../p2p/path.js';
import { createScheduleBuilder, simulate, type Schedule, type ScheduleBuilder } from '../sim/index.js';
import { checkSimFootprint, DEFAULT_MAX_MEMORY } from './footprint.js';
import { collectiveInput, shmFlag } from './input-step.js';
import type { CollectiveQuery, Engine } from './query.js';

const netCache = new WeakMap<Layout, WeakMap<Profile, Map<string, ClosedFormNet>>>();

/** `closedFormNet`, memoized per layout, profile, progress and size (sweeps repeat them). */
function cachedClosedFormNet(
  profile: Profile,
  layout: Layout,
  q: CollectiveQuery,
  bytes: number,
): ClosedFormNet {
  let byProfile = netCache.get(layout);
  if (!byProfile) netCache.set(layout, (byProfile = new WeakMap()));
  let byKey = byProfile.get(profile);
  if (!byKey) byProfile.set(profile, (byKey = new Map()));
  const key = `${q.progress}|${bytes}`;
  let net = byKey.get(key);
  if (!net) byKey.set(key, (net = closedFormNet(profile, layout, q, bytes)));
  return net;
}

/**
 * The closed forms' two parameter sets for a layout (`closedFormPaths`): `inter` between
 * MPI hosts, across nodes whenever there are several, `intra` inside one host (shared
 * memory or its loopback). A flat algorithm's closed form puts every message on `inter`:
 * on a multi-node layout, the slowest path, so the closed forms bound the contention-free
 * time from above for flat algorithms; the shared HCA enters as a throughput bound
 * (`withHcaBound`, hca-bound.ts), the simulator queues at it.
 */
export function closedFormNet(
  profile: Profile,
  layout: Layout,
  q: CollectiveQuery,
  bytes: number,
): ClosedFormNet {
  const costs = nodeCosts(profile, layout);
  const paths = closedFormPaths(layout);
  // Rank 0 stands for every rank: layouts put the same VMs and ranks on each node.
  const ends = endsOf(profile, layout, costs, 0, 0);
  const on = (name: LayoutPath) =>
    layoutPairParams(profile, costs, pathOf(profile, name), name, ends, bytes, q.progress);
  return { inter: on(paths.inter), intra: on(paths.intra), flag: shmFlag(profile) };
}

const boundCache = new WeakMap<Layout, WeakMap<Profile, Map<string, number>>>();

/** `hcaBoundNs`, memoized like the closed-form nets (sweeps repeat their points). */
function cachedHcaBound(
  profile: Profile,
  layout: Layout,
  q: CollectiveQuery,
  entry: AlgorithmEntry,
  bytes: number,
  input: CollectiveInput,
): number {
  let byProfile = boundCache.get(layout);
  if (!byProfile) boundCache.set(layout, (byProfile = new WeakMap()));
  let byKey = byProfile.get(profile);
  if (!byKey) byProfile.set(profile, (byKey = new Map()));
  const key = `${entry.op}/${entry.name}|${q.progress}|${bytes}`;
  let bound = byKey.get(key);
  if (bound === undefined) {
    bound = hcaBoundNs(entry, input, buildNetwork(profile, layout, q.progress));
    byKey.set(key, bound);
  }
  return bound;
}

interface CachedSchedule {
  schedule: Schedule;
  /** The schedule has no calc: reduction and copy costs do not enter it. */
  calcFree: boolean;
  /** The calc costs it was generated with. */
  costs: string;
}

/**
 * The schedule generated last, by its shape. One is enough (a prediction runs its nominal
 * answer and its draws in a row), and keeping no more holds the memory a simulation needs
 * to the one schedule `checkSimFootprint` estimated.
 */
const scheduleCache = new Map<string, CachedSchedule>();

/**
 * The algorithm's schedule for `input`, generated once for a question's nominal answer
 * and all its drawn profiles: a schedule depends only on the ranks, the size, the hosts
 * and (through its calcs) the reduction and copy costs, and a simulation leaves it as it
 * found it (CompactSchedule.claimEngineFields). An alltoall has no calcs, so its 100
 * draws run one schedule; generating it anew for each was a quarter of `ibvf whatif`'s
 * time (bench/whatif-draws.bench.ts).
 */
function scheduleOf(entry: AlgorithmEntry, input: CollectiveInput): Schedule {
  const shape = [
    entry.op,
    entry.name,
    input.procs,
    input.bytes,
    input.root ?? 0,
    input.ranksPerNode ?? '',
  ].join('|');
  const costs = `${input.reduceNsPerByte}|${input.shmCopyNsPerByte ?? 0}`;
  const hit = scheduleCache.get(shape);
  if (hit && (hit.calcFree || hit.costs === costs)) return hit.schedule;
  scheduleCache.clear();
  const builder = createScheduleBuilder(input.procs);
  let calcs = 0;
  const counting: ScheduleBuilder = {
    numRanks: builder.numRanks,
    send: (rank, peer, bytes, tag) => builder.send(rank, peer, bytes, tag),
    recv: (rank, peer, bytes, tag) => builder.recv(rank, peer, bytes, tag),
    calc: (rank, ns) => {
      calcs++;
      return builder.calc(rank, ns);
    },
    requires: (after, before) => builder.requires(after, before),
    irequires: (after, before) => builder.irequires(after, before),
    build: () => builder.build(),
  };
  entry.generate(counting, input);
  const schedule = builder.build();
  scheduleCache.set(shape, { schedule, calcFree: calcs === 0, costs });
  return schedule;
}

/**
 * Why the closed forms refuse event progress. Under it a receiver that waits at all
 * sleeps and pays an interrupt wake-up (tens of us on a VF), so a rank's time depends on
 * whether each message found it still busy: a schedule-level fact that a closed form,
 * which times one critical path, cannot know. Measured (test/model/properties): the
 * closed forms were off by up to a third there, and raising a cost lowered them (alltoall,
 * doubled copy cost). Blocking progress spins first (MV2_SPIN_COUNT), long enough that
 * the closed forms stayed monotone over the same cases; they are kept for it.
 */
export const ANALYTIC_EVENT_REFUSAL =
  '--engine analytic cannot answer --progress event: whether a receiver sleeps (and pays its wake-up) depends on how long each rank actually waits, which only the simulator follows; use --engine sim (and simulated draws for the range)';

/** Average and maximum per-rank finish (ns) by one engine; the simulator also counts wake-ups. */
export function evaluate(
  profile: Profile,
  layout: Layout,
  q: CollectiveQuery,
  entry: AlgorithmEntry,
  bytes: number,
  domains: number[],
  engine: Engine,
): { avgNs: number; maxNs: number; wakeups?: number } {
  const input = collectiveInput(profile, layout, bytes, domains);
  if (engine === 'analytic') {
    if (q.progress === 'event') throw new UsageError(ANALYTIC_EVENT_REFUSAL);
    const closed = entry.closedForm.evaluate(cachedClosedFormNet(profile, layout, q, bytes), input);
    return withHcaBound(closed, cachedHcaBound(profile, layout, q, entry, bytes, input));
  }
  checkSimFootprint(entry, input, q.maxMemoryBytes ?? DEFAULT_MAX_MEMORY);
  const result = simulate(scheduleOf(entry, input), {
    mode: 'native',
    network: shmFlagNetwork(
      buildNetwork(profile, layout, q.progress, { memoryQueue: true }),
      shmFlag(profile),
    ),
  });
  let sum = 0;
  for (const t of result.finishNs) sum += t;
  // A mean of equal times can round one ulp above them (ranks sharing an HCA finish together).
  const avgNs = Math.min(sum / layout.procs, result.maxFinishNs);
  return { avgNs, maxNs: result.maxFinishNs, wakeups: result.wakeups };
}
