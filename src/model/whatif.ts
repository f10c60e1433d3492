/**
 * The what-if comparison (`ibvf whatif`): the same collectives predicted on several VM
 * layouts side by side, each with its ratio to the best layout, and the assumptions the
 * answer rests on. Pure: the CLI parses options into a `WhatifQuery` and prints the result.
 */
import type { Profile } from '../profiles/types.js';
import type { CollectiveOp } from './collectives/types.js';
import { placementName, type Placement } from './layout/index.js';
import type { CollectiveProgress } from './network.js';
import {
  collectiveSizes,
  DEFAULT_SIM_DRAWS,
  predictCollectiveDraws,
  simulationCount,
  type CollectiveQuery,
  type SimulationProgress,
  type CollectiveRow,
  type Engine,
  type LayoutSummary,
} from './predict-collective.js';
import { assumptionsOf, sensitivity, type Assumption, type SensitivityRow } from './sensitivity.js';
import { range95 } from './uncertainty/draw.js';

/** One layout of the comparison: a placement with shared memory on or off. */
export interface WhatifCase {
  placement: Placement;
  shm: boolean;
}

export interface WhatifQuery {
  /** Collectives to compare. */
  ops: readonly CollectiveOp[];
  /** Message sizes in bytes (a barrier is predicted once, at 0 bytes). */
  sizes: readonly number[];
  placements: readonly Placement[];
  /**
   * Shared memory modes tried for every placement; by default the paper's Fig. 5
   * setting: VMs with shared memory off, native with it on and off (`whatifCases`).
   */
  shm?: readonly boolean[];
  nodes: number;
  procs: number;
  progress: CollectiveProgress;
  engine: Engine;
  /**
   * Simulations with drawn parameters for the ranges (see `CollectiveQuery.draws`);
   * default DEFAULT_SIM_DRAWS with the simulator; 0: closed-form draws.
   */
  draws?: number;
  /** See `CollectiveQuery.maxMemoryBytes`. */
  maxMemoryBytes?: number;
  seed?: number;
  /** Sweep each assumed parameter over its interval for every layout (`sensitivity`). */
  sensitivity?: boolean;
}

/**
 * The question of the paper's Figure 5: alltoall, bcast and allreduce of 8 KB among 32
 * ranks on 4 nodes, one VM per core, per socket or per node, against native; what
 * `compareLayouts` answers for anything the query leaves out.
 */
export const FIGURE5_QUERY = {
  ops: ['alltoall', 'bcast', 'allreduce'],
  sizes: [8192],
  placements: ['native', 'vm-per-core', 'vm-per-socket', 'vm-per-node'],
  nodes: 4,
  procs: 32,
  progress: 'poll',
  engine: 'sim',
} as const satisfies WhatifQuery;

export interface WhatifRow extends CollectiveRow {
  op: CollectiveOp;
  placement: string;
  /** Shared memory as predicted (blocking progress turns it off, see `notes`). */
  shm: boolean;
  /** This layout's average latency over the best layout's, for the same op and size. */
  ratio_to_best: number;
  /**
   * 95% range of the paired difference of this layout's average latency minus the best
   * layout's (us): both predicted with the same drawn profiles, draw by draw
   * (`pairedDifference`). The best row's is its difference to itself, 0 to 0.
   */
  diff_lo_us: number;
  diff_hi_us: number;
  /**
   * Whether the model can tell this layout from the best one: false when the range of
   * the paired difference contains 0, so the two are not ranked (and for the best row,
   * which cannot be told from itself).
   */
  distinguishable: boolean;
  layout: LayoutSummary;
  sensitivity?: SensitivityRow[];
}

/** The comparison, as `ibvf whatif --json` prints it. */
export interface WhatifResult {
  profile: string;
  nodes: number;
  procs: number;
  engine: Engine;
  /** Per op, per size, one row per case in `whatifCases` order. */
  rows: WhatifRow[];
  assumptions: Assumption[];
  /** Changes the model made to the query (each said once), e.g. shm forced off. */
  notes: string[];
}

/**
 * The layouts to compare. Without `shm`, the paper's Fig. 5 setting: VMs with shared
 * memory off ("so that the comparisons were fair"), native with it on and off.
 */
export function whatifCases(placements: readonly Placement[], shm?: readonly boolean[]): WhatifCase[] {
  return placements.flatMap((placement) => {
    const modes = shm ?? (placement === 'native' ? [true, false] : [false]);
    return modes.map((s) => ({ placement, shm: s }));
  });
}

/**
 * The 95% range of `other - best` (us) from two samples of the same draws (draw i of
 * both used the same parameters), widened to hold the nominal difference as the latency
 * ranges hold the nominal latency. Without draws, the nominal difference alone.
 *
 * The samples are the layouts' own drawn latencies as their ranges are made of: with
 * closed-form draws each layout's draws are scaled by its simulated nominal answer over
 * its closed-form one (`predictCollectiveDraws`), and the difference is taken of those
 * scaled draws. Each layout keeps its own scale because the simulator and the closed
 * forms differ by a different factor per layout (contention of the shared HCA, which
 * the closed forms ignore); differencing the unscaled closed forms would compare two
 * layouts the simulator ranks otherwise, and scaling the difference by one factor has
 * no factor that is right for both.
 */
export function pairedDifference(
  otherUs: readonly number[],
  bestUs: readonly number[],
  nominalDiffUs: number,
): [number, number] {
  if (otherUs.length !== bestUs.length) throw new Error('paired samples of different sizes');
  if (otherUs.length === 0) return [nominalDiffUs, nominalDiffUs];
  const [lo, hi] = range95(otherUs.map((x, i) => x - bestUs[i]));
  return [Math.min(lo, nominalDiffUs), Math.max(hi, nominalDiffUs)];
}

/**
 * Predicts each op and size on each layout (`predictCollective`), the ratio of each
 * layout's average latency to the best one's for that op and size, and the 95% range
 * of each layout's paired difference to the best one (`pairedDifference`): where it
 * contains 0 the two are indistinguishable. Fields the query leaves out are those of
 * `FIGURE5_QUERY`.
 */
export function compareLayouts(
  profile: Profile,
  query: Partial<WhatifQuery> = {},
  progress?: SimulationProgress,
): WhatifResult {
  const q: WhatifQuery = {
    ops: query.ops ?? FIGURE5_QUERY.ops,
    sizes: query.sizes ?? FIGURE5_QUERY.sizes,
    placements: query.placements ?? FIGURE5_QUERY.placements,
    shm: query.shm,
    nodes: query.nodes ?? FIGURE5_QUERY.nodes,
    procs: query.procs ?? FIGURE5_QUERY.procs,
    progress: query.progress ?? FIGURE5_QUERY.progress,
    engine: query.engine ?? FIGURE5_QUERY.engine,
    draws: query.draws,
    maxMemoryBytes: query.maxMemoryBytes,
    seed: query.seed,
    sensitivity: query.sensitivity,
  };
  // Simulated draws unless asked otherwise (bench/whatif-draws.bench.ts times them on the
  // default question); the analytic engine's range is closed-form.
  q.draws ??= q.engine === 'sim' ? DEFAULT_SIM_DRAWS : 0;
  const cases = whatifCases(q.placements, q.shm);
  const notes = new Set<string>();
  const rows: WhatifRow[] = [];
  // Every case of every op and size is one prediction of one point: the bar's total.
  const caseQueryOf = (op: CollectiveOp, c: WhatifCase): CollectiveQuery => ({
    op,
    placement: c.placement,
    shm: c.shm,
    nodes: q.nodes,
    procs: q.procs,
    engine: q.engine,
    draws: q.draws,
    maxMemoryBytes: q.maxMemoryBytes,
    seed: q.seed,
    progress: q.progress,
  });
  const simulations = q.ops.reduce(
    (n, op) =>
      n +
      cases.reduce((m, c) => m + simulationCount(caseQueryOf(op, c), collectiveSizes(op, q.sizes).length), 0),
    0,
  );
  let simulated = 0;
  const tick = progress ? () => progress(++simulated, simulations) : undefined;
  for (const op of q.ops) {
    for (const bytes of collectiveSizes(op, q.sizes)) {
      const allSamples: number[][] = [];
      const predicted = cases.map((c): WhatifRow => {
        const caseQuery = caseQueryOf(op, c);
        const { prediction: p, samplesUs } = predictCollectiveDraws(profile, caseQuery, [bytes], tick);
        allSamples.push(samplesUs[0]);
        p.notes.forEach((n) => notes.add(n));
        return {
          op,
          placement: placementName(c.placement),
          shm: p.layout.shm,
          ...p.rows[0],
          ratio_to_best: 1,
          diff_lo_us: 0,
          diff_hi_us: 0,
          distinguishable: false,
          layout: p.layout,
          ...(q.sensitivity ? { sensitivity: sensitivity(profile, caseQuery, bytes) } : {}),
        };
      });
      // Two cases the model made one (blocking progress turns shm off: native on and off)
      // are one row.
      const keys = predicted.map((r) => `${r.placement}|${r.shm}`);
      const first = keys.map((k, i) => keys.indexOf(k) === i);
      const group = predicted.filter((_, i) => first[i]);
      const samples = allSamples.filter((_, i) => first[i]);
      let b = 0;
      group.forEach((r, i) => {
        if (r.latency_us < group[b].latency_us) b = i;
      });
      const best = group[b];
      group.forEach((r, i) => {
        r.ratio_to_best = r.latency_us / best.latency_us;
        if (i === b) return;
        [r.diff_lo_us, r.diff_hi_us] = pairedDifference(
          samples[i],
          samples[b],
          r.latency_us - best.latency_us,
        );
        r.distinguishable = r.diff_lo_us > 0 || r.diff_hi_us < 0;
      });
      rows.push(...group);
    }
  }
  return {
    profile: profile.name,
    nodes: q.nodes,
    procs: q.procs,
    engine: q.engine,
    rows,
    assumptions: assumptionsOf(profile),
    notes: [...notes],
  };
}
