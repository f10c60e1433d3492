import { UsageError } from '../errors.js';
import type { Profile } from '../profiles/types.js';
import { findAlgorithm, selectTuned, type AlgorithmEntry } from './collectives/index.js';
import type { Mv2Arch, Mv2Hca } from './collectives/mvapich2-detect.js';
import { flagParams, shmFlagNetwork } from './collectives/shmem.js';
import type { ClosedFormNet, CollectiveInput, CollectiveOp } from './collectives/types.js';
import {
  buildLayout,
  closedFormPaths,
  placementName,
  ranksPerHost,
  type Layout,
  type LayoutPath,
  type Placement,
} from './layout/index.js';
import { detectMpiHosts, type GuestCpu, type MpiHostDetection } from './mpi-host.js';
import { hcaBoundNs, withHcaBound } from './hca-bound.js';
import { buildNetwork, endsOf, layoutPairParams, nodeCosts, type CollectiveProgress } from './network.js';
import { pathOf } from './p2p/path.js';
import { createScheduleBuilder, simulate } from './sim/index.js';
import { drawProfile, range95 } from './uncertainty/draw.js';
import { seededRng } from './uncertainty/rng.js';

/**
 * How a collective is evaluated: `sim`, the LogGOPS simulator with every pair's own path
 * and the shared HCAs; `analytic`, the closed forms, no faster than the busiest HCA allows (hca-bound.ts).
 */
export const ENGINES = ['sim', 'analytic'] as const;
export type Engine = (typeof ENGINES)[number];

/** The sizes a collective is predicted at: a barrier moves no data, so one row at 0 bytes. */
export function collectiveSizes(op: CollectiveOp, sizes: readonly number[]): number[] {
  return op === 'barrier' ? [0] : [...sizes];
}

export interface CollectiveQuery {
  op: CollectiveOp;
  nodes: number;
  procs: number;
  placement: Placement;
  shm: boolean;
  progress: CollectiveProgress;
  /** Force an algorithm (`--algorithm`); otherwise MVAPICH2 1.9a2's selection. */
  algorithm?: string;
  /**
   * The CPU model KVM exposes to the guests (`-cpu host`: 'host', or a model such as
   * GUEST_CPU_MODELS.SandyBridge); default: the profile's `mpiHost.guestCpuModel`.
   */
  guestCpu?: GuestCpu | 'host';
  engine: Engine;
  /** Simulations with drawn parameters for the range (`--draws`); 0: range from the closed forms. */
  draws?: number;
  /** Closed-form draws for the cheap range (default 200; 0: no range, lo = hi = the prediction). */
  rangeDraws?: number;
  seed?: number;
}

export interface CollectiveRow {
  bytes: number;
  /** Average over ranks of each rank's time from its start to its finish, as OSU reports (us). */
  latency_us: number;
  /** 95% range propagated from the profile's intervals (us). */
  latency_lo_us: number;
  latency_hi_us: number;
  /** Largest per-rank time (us). */
  max_us: number;
  algorithm: string;
}

export interface CollectivePrediction {
  layout: LayoutSummary;
  engine: Engine;
  rows: CollectiveRow[];
  notes: string[];
  /** What MVAPICH2 detects on the layout's MPI hosts and the tuning tables it installs. */
  mpi: MpiView;
}

/** MVAPICH2 1.9a2's view of a layout (docs/mvapich2-selection.md). */
export interface MpiView {
  /** `mv2_get_arch_type` on each MPI host (MV2_ARCH_UNKWN when the profile does not say). */
  arch: Mv2Arch;
  hca: Mv2Hca;
  /** Cores and sockets the library counts on a host (a VM's vCPUs in a guest), and the CPU model it reads. */
  cores: number;
  sockets: number;
  cpuModel: string;
  /** The tuning table set the operation uses (`default` unless the arch-HCA pair is a tuned one). */
  table: string;
}

export interface LayoutSummary {
  placement: string;
  nodes: number;
  procs: number;
  shm: boolean;
  progress: CollectiveProgress;
  /** Per node: VMs, vCPUs per VM and ranks per VM (or ranks, natively). */
  perNode: { vms: number; vcpusPerVm: number[]; ranks: number };
}

const DEFAULT_RANGE_DRAWS = 200;
const DEFAULT_SEED = 2013;

/** Layouts are pure functions of their spec; sweeps ask for the same few again and again. */
const layoutCache = new Map<string, { layout: Layout; domains: number[] }>();
const LAYOUT_CACHE_LIMIT = 1024;

/** The layout a query describes, with shared memory forced off where MVAPICH2 turns it off. */
function cachedLayout(
  profile: Profile,
  q: CollectiveQuery,
  notes: string[],
): { layout: Layout; domains: number[] } {
  let shm = q.shm;
  if (shm && q.progress !== 'poll') {
    notes.push(
      "MVAPICH2's blocking mode turns shared memory off (Jose et al. Sec. V-D): shm off for this layout",
    );
    shm = false;
  }
  const spec = {
    nodes: q.nodes,
    procs: q.procs,
    socketsPerNode: profile.node.sockets.value,
    coresPerSocket: profile.node.coresPerSocket.value,
    placement: q.placement,
    shm,
  };
  const key = `${spec.nodes}|${spec.procs}|${spec.socketsPerNode}|${spec.coresPerSocket}|${placementName(spec.placement)}|${shm}`;
  let entry = layoutCache.get(key);
  if (!entry) {
    const layout = buildLayout(spec);
    entry = { layout, domains: ranksPerHost(layout) };
    if (layoutCache.size >= LAYOUT_CACHE_LIMIT) layoutCache.clear();
    layoutCache.set(key, entry);
  }
  return entry;
}

function chooseAlgorithm(
  layout: Layout,
  q: CollectiveQuery,
  bytes: number,
  domains: number[],
  detected: MpiHostDetection | undefined,
): { entry: AlgorithmEntry; table: string } {
  const tuned = selectTuned({
    op: q.op,
    bytes,
    procs: q.procs,
    ranksPerNode: Math.max(...domains),
    shm: layout.shm,
    ...(detected ? { arch: detected.arch, hca: detected.hca, heterogeneous: detected.heterogeneous } : {}),
  });
  if (q.algorithm) {
    const entry = findAlgorithm(q.op, q.algorithm);
    if (entry.shmem && !layout.shm) {
      throw new UsageError(
        `--algorithm ${entry.name} is a shared-memory algorithm of MVAPICH2: it needs --shm on (and, in VMs, several ranks per VM)`,
      );
    }
    return { entry, table: tuned.table };
  }
  return { entry: findAlgorithm(q.op, tuned.name), table: tuned.table };
}

/** The library's view of the layout, for the prediction's `mpi` field. */
function mpiView(detected: MpiHostDetection | undefined, table: string): MpiView {
  if (!detected) {
    return { arch: 'MV2_ARCH_UNKWN', hca: 'MV2_HCA_UNKWN', cores: 0, sockets: 0, cpuModel: '', table };
  }
  const v = detected.view;
  return {
    arch: detected.arch,
    hca: detected.hca,
    cores: v.cores,
    sockets: v.sockets,
    cpuModel: `${v.model} ${v.modelName}`,
    table,
  };
}

function inputOf(profile: Profile, layout: Layout, bytes: number, domains: number[]): CollectiveInput {
  const costs = nodeCosts(profile, layout);
  // Per-byte work of the slowest rank: its node's CPU stretch and its memory's locality.
  const stretch = Math.max(...costs.stretch) * Math.max(...costs.copyStretch);
  const shm = profile.paths.shm as Profile['paths'][string] | undefined;
  return {
    procs: layout.procs,
    bytes,
    reduceNsPerByte: profile.compute.reducePerByte.value * 1000 * stretch,
    ranksPerNode: domains,
    // MVAPICH2's shm collectives copy with the CPU: the shm path's per-byte copy cost.
    shmCopyNsPerByte: shm ? shm.O.value * 1000 * stretch : 0,
  };
}

/**
 * A shared-memory flag (collectives/shmem.ts): a store the poller sees one cache-line
 * hand-off later, the shm path's L; no MPI overhead, gap or per-byte cost.
 */
function shmFlag(profile: Profile): ReturnType<typeof flagParams> {
  const shm = profile.paths.shm as Profile['paths'][string] | undefined;
  return flagParams((shm ? shm.L.value : 0) * 1000);
}

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
  const ends = endsOf(layout, costs, 0, 0);
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

/** Average and maximum per-rank finish (ns) by one engine. */
function evaluate(
  profile: Profile,
  layout: Layout,
  q: CollectiveQuery,
  entry: AlgorithmEntry,
  bytes: number,
  domains: number[],
  engine: Engine,
): { avgNs: number; maxNs: number } {
  const input = inputOf(profile, layout, bytes, domains);
  if (engine === 'analytic') {
    const closed = entry.closedForm.evaluate(cachedClosedFormNet(profile, layout, q, bytes), input);
    return withHcaBound(closed, cachedHcaBound(profile, layout, q, entry, bytes, input));
  }
  const builder = createScheduleBuilder(layout.procs);
  entry.generate(builder, input);
  const result = simulate(builder.build(), {
    mode: 'native',
    network: shmFlagNetwork(buildNetwork(profile, layout, q.progress), shmFlag(profile)),
  });
  let sum = 0;
  for (const t of result.finishNs) sum += t;
  return { avgNs: sum / layout.procs, maxNs: result.maxFinishNs };
}

const drawCache = new WeakMap<Profile, Map<string, Profile[]>>();

/**
 * The profile drawn `n` times from `seed`. The same draws serve every layout and size of
 * one comparison (common random numbers), so the ranges of two layouts move together
 * and their ratio is not blurred by independent noise; drawing once also saves time.
 */
function drawnProfiles(profile: Profile, seed: number, n: number): Profile[] {
  let bySeed = drawCache.get(profile);
  if (!bySeed) drawCache.set(profile, (bySeed = new Map()));
  const key = `${seed}|${n}`;
  let draws = bySeed.get(key);
  if (!draws) {
    const rng = seededRng(seed);
    draws = Array.from({ length: n }, () => drawProfile(profile, rng));
    bySeed.set(key, draws);
  }
  return draws;
}

/**
 * One prediction without a range: the average and maximum latency (us) and the
 * algorithm, for sweeps over many layouts and sizes (`--engine analytic` makes each a
 * closed-form evaluation of microseconds).
 */
export function predictPoint(
  profile: Profile,
  q: CollectiveQuery,
  bytes: number,
): { latency_us: number; max_us: number; algorithm: string } {
  const { layout, domains } = cachedLayout(profile, q, []);
  const { entry } = chooseAlgorithm(layout, q, bytes, domains, detectMpiHosts(profile, layout, q.guestCpu));
  const r = evaluate(profile, layout, q, entry, bytes, domains, q.engine);
  return { latency_us: r.avgNs / 1000, max_us: r.maxNs / 1000, algorithm: entry.name };
}

/**
 * Predicts a collective over a VM layout for each size, as OSU's osu_<op> reports it:
 * per rank the time from its start to its finish (all ranks start together), averaged
 * over ranks, with the maximum.
 *
 * The 95% range comes from the profile's intervals: by default cheaply, drawing the
 * profile `rangeDraws` times through the closed forms and scaling the prediction by
 * the spread they show; with `draws` > 0 under the simulator, from that many full
 * simulations with drawn profiles.
 */
export function predictCollective(
  profile: Profile,
  q: CollectiveQuery,
  sizes: readonly number[],
): CollectivePrediction {
  return predictCollectiveDraws(profile, q, sizes).prediction;
}

/**
 * `predictCollective` with, per size, the average latency (us) under each drawn profile
 * the range is taken from, in draw order. The draws depend only on the profile and the
 * seed (`drawnProfiles`), so draw i of two layouts is the same parameters: the
 * difference of two layouts' samples, draw by draw, is their paired difference
 * (`compareLayouts`). Closed-form draws are scaled as the range is, by the simulator's
 * nominal answer over the closed form's (the ratio `predictCollective` scales its range by). Empty without draws.
 */
export function predictCollectiveDraws(
  profile: Profile,
  q: CollectiveQuery,
  sizes: readonly number[],
): { prediction: CollectivePrediction; samplesUs: number[][] } {
  const notes: string[] = [];
  const { layout, domains } = cachedLayout(profile, q, notes);
  const simDraws = q.engine === 'sim' ? (q.draws ?? 0) : 0;
  const rangeProfiles = drawnProfiles(
    profile,
    q.seed ?? DEFAULT_SEED,
    simDraws > 0 ? simDraws : (q.rangeDraws ?? DEFAULT_RANGE_DRAWS),
  );
  const detected = detectMpiHosts(profile, layout, q.guestCpu);
  if (!detected) {
    notes.push(
      `profile ${profile.name} does not say what MVAPICH2 detects on a host (no mpiHost section): default tuning tables`,
    );
  }
  let table = '';
  const samplesUs: number[][] = [];
  const rows = sizes.map((bytes): CollectiveRow => {
    const chosen = chooseAlgorithm(layout, q, bytes, domains, detected);
    const entry = chosen.entry;
    table = chosen.table;
    const nominal = evaluate(profile, layout, q, entry, bytes, domains, q.engine);
    let sample: number[];
    if (rangeProfiles.length === 0) {
      sample = [];
    } else if (simDraws > 0) {
      sample = rangeProfiles.map((p) => evaluate(p, layout, q, entry, bytes, domains, 'sim').avgNs);
    } else {
      // The closed forms' spread, scaled to the engine's nominal answer: a linear map,
      // so the range of the scaled sample is the scaled range of the closed forms'.
      const base =
        q.engine === 'analytic'
          ? nominal.avgNs
          : evaluate(profile, layout, q, entry, bytes, domains, 'analytic').avgNs;
      sample = rangeProfiles.map(
        (p) => (nominal.avgNs * evaluate(p, layout, q, entry, bytes, domains, 'analytic').avgNs) / base,
      );
    }
    const [lo, hi] = sample.length === 0 ? [nominal.avgNs, nominal.avgNs] : range95(sample);
    samplesUs.push(sample.map((ns) => ns / 1000));
    return {
      bytes,
      latency_us: nominal.avgNs / 1000,
      latency_lo_us: Math.min(lo, nominal.avgNs) / 1000,
      latency_hi_us: Math.max(hi, nominal.avgNs) / 1000,
      max_us: nominal.maxNs / 1000,
      algorithm: entry.name,
    };
  });
  const load = layout.perNode[0];
  const prediction: CollectivePrediction = {
    layout: {
      placement: placementName(q.placement),
      nodes: layout.nodes,
      procs: layout.procs,
      shm: layout.shm,
      progress: q.progress,
      perNode: {
        vms: load.vms,
        vcpusPerVm: load.ranksPerVm.length > 0 ? [...new Set(load.ranksPerVm)] : [],
        ranks: load.ranks,
      },
    },
    engine: q.engine,
    rows,
    notes,
    mpi: mpiView(detected, table),
  };
  return { prediction, samplesUs };
}
