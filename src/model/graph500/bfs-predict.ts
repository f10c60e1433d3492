/**
 * Graph500 BFS time and TEPS on a layout, from a graph's level profiles: per root, the
 * levels' times (level-time.ts for `simple`; `replicated` below) summed; then, as
 * Graph500's output reports them, the mean time over roots and the harmonic mean of the
 * per-root TEPS (edges of the traversed component / time; specification, "Performance
 * metric (TEPS)").
 *
 * `replicated` (mpi/bfs_replicated.c of 2.1.x) keeps the frontier as a bitmap on every
 * rank: each level is the owners' scans and an allgather of the next frontier's bitmap
 * (2^scale bits, a P-th from each rank), then the allreduce; no pair messages.
 */
import type { Profile } from '../../profiles/types.js';
import { buildLayout, type Layout, type Placement } from '../layout/index.js';
import { buildNetwork, copyStretchOf, nodeCosts } from '../network.js';
import { predictPoint } from '../predict-collective.js';
import { createScheduleBuilder, simulate, ANY_SOURCE, type NativeNetwork } from '../sim/index.js';
import { foldPairs } from './bfs.js';
import { levelTime, type LevelTime } from './level-time.js';
import type { GraphProfile } from './profile.js';

export const BFS_VARIANTS = ['simple', 'replicated'] as const;
export type BfsVariant = (typeof BFS_VARIANTS)[number];

/** The built-in profile's per-edge cost when a profile has none (us), so old files still answer. */
export function perEdgeCostUs(profile: Profile, fallback: Profile): number {
  const p = profile.compute.bfsPerEdgeCost ?? fallback.compute.bfsPerEdgeCost;
  if (!p) throw new Error('no compute.bfsPerEdgeCost in the profile or the built-in one');
  return p.value;
}

export interface BfsQuery {
  nodes: number;
  perNode: number;
  placement: Placement;
  variant: BfsVariant;
}

export interface LevelRow {
  level: number;
  frontier: number;
  scanned: number;
  time: LevelTime;
}

export interface BfsPrediction {
  procs: number;
  /** Mean BFS time over roots (s). */
  time_s: number;
  /** Harmonic mean over roots of edges / time. */
  teps: number;
  perRoot: { root: number; edges: number; time_s: number; teps: number }[];
  /** The first root's levels. */
  levels: LevelRow[];
}

/** The layout of a Graph500 run: perNode ranks on each of `nodes` nodes. */
export function bfsLayout(profile: Profile, q: BfsQuery): Layout {
  return buildLayout({
    nodes: q.nodes,
    procs: q.nodes * q.perNode,
    socketsPerNode: profile.node.sockets.value,
    coresPerSocket: profile.node.coresPerSocket.value,
    placement: q.placement,
    shm: true,
  });
}

/**
 * The end of a level under bfs_simple, simulated on the layout's network: every rank
 * sends a zero-byte message to every other rank in rank order, each after the last,
 * while receiving one from each (MPI_ANY_SOURCE, one posted at a time). ns.
 */
export function endOfLevelNs(network: NativeNetwork, procs: number): number {
  if (procs < 2) return 0;
  const b = createScheduleBuilder(procs, 2 * procs * (procs - 1));
  for (let r = 0; r < procs; r++) {
    let prev = -1;
    for (let d = 0; d < procs; d++) {
      if (d === r) continue;
      const s = b.send(r, d, 0, 1);
      if (prev >= 0) b.requires(s, prev);
      prev = s;
    }
    prev = -1;
    for (let i = 1; i < procs; i++) {
      const x = b.recv(r, ANY_SOURCE, 0, 1);
      if (prev >= 0) b.requires(x, prev);
      prev = x;
    }
  }
  return simulate(b.build(), { mode: 'native', network }).maxFinishNs;
}

/** A collective's slowest rank on the layout (ns), as `ibvf predict` simulates it. */
function collectiveNs(profile: Profile, q: BfsQuery, op: 'allreduce' | 'allgather', bytes: number): number {
  const procs = q.nodes * q.perNode;
  if (procs < 2) return 0;
  const r = predictPoint(
    profile,
    {
      op,
      nodes: q.nodes,
      procs,
      placement: q.placement,
      shm: true,
      progress: 'poll',
      engine: 'sim',
      rangeDraws: 0,
    },
    bytes,
  );
  return 1000 * r.max_us;
}

/** Predicts Graph500's BFS time and TEPS for one layout. `builtin` supplies a missing per-edge cost. */
export function predictBfs(
  profile: Profile,
  builtin: Profile,
  graph: GraphProfile,
  q: BfsQuery,
): BfsPrediction {
  const layout = bfsLayout(profile, q);
  const procs = layout.procs;
  const network = buildNetwork(profile, layout, 'poll');
  const costs = nodeCosts(profile, layout);
  const edgeNs = 1000 * perEdgeCostUs(profile, builtin);
  // Memory-bound scans stretch as the eager copies do: rule 1 (CPU) and rules 2 and 5
  // (memory), at the copy's per-byte demand (the scan's own bytes per edge are not in the profile).
  const copyPerByte = profile.mpi.copyPerByte.value;
  const perEdgeNs = Float64Array.from(
    { length: procs },
    (_, r) => edgeNs * costs.stretch[layout.nodeOf[r]] * copyStretchOf(profile, costs, r, copyPerByte),
  );
  const allreduce = collectiveNs(profile, q, 'allreduce', 8);
  const endNs =
    q.variant === 'simple'
      ? endOfLevelNs(network, procs) + allreduce
      : collectiveNs(profile, q, 'allgather', Math.max(1, Math.ceil(graph.vertices / 8 / procs))) + allreduce;
  const levelCosts = { procs, network, perEdgeNs, endNs };
  const perRoot: BfsPrediction['perRoot'] = [];
  let levels: LevelRow[] = [];
  for (const run of graph.runs) {
    const rows = run.levels.map((l, i) => {
      let pairs = foldPairs(l.pairs, graph.key.modulus, procs);
      if (q.variant === 'replicated') pairs = diagonalOf(pairs, procs);
      return { level: i, frontier: l.frontier, scanned: l.scanned, time: levelTime(pairs, levelCosts) };
    });
    const ns = rows.reduce((s, r) => s + r.time.ns, 0);
    perRoot.push({ root: run.root, edges: run.edges, time_s: ns / 1e9, teps: run.edges / (ns / 1e9) });
    if (levels.length === 0) levels = rows;
  }
  const time_s = perRoot.reduce((s, r) => s + r.time_s, 0) / perRoot.length;
  const teps = perRoot.length / perRoot.reduce((s, r) => s + 1 / r.teps, 0);
  return { procs, time_s, teps, perRoot, levels };
}

/**
 * Replicated BFS scans the same edges but sends no pairs: all of a rank's scans stay
 * local (the bitmap allgather replaces them), so its row sum moves to the diagonal.
 */
function diagonalOf(pairs: Float64Array, procs: number): Float64Array {
  const out = new Float64Array(procs * procs);
  for (let r = 0; r < procs; r++) {
    let s = 0;
    for (let d = 0; d < procs; d++) s += pairs[r * procs + d];
    out[r * procs + r] = s;
  }
  return out;
}
