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
  predictCollective,
  type CollectiveQuery,
  type CollectiveRow,
  type Engine,
  type LayoutSummary,
} from './predict-collective.js';
import { assumptionsOf, sensitivity, type Assumption, type SensitivityRow } from './sensitivity.js';

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
  /** Simulations with drawn parameters for the ranges (see `CollectiveQuery.draws`). */
  draws?: number;
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
 * Predicts each op and size on each layout (`predictCollective`), and the ratio of each
 * layout's average latency to the best one's for that op and size. Fields the query
 * leaves out are those of `FIGURE5_QUERY`.
 */
export function compareLayouts(profile: Profile, query: Partial<WhatifQuery> = {}): WhatifResult {
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
    seed: query.seed,
    sensitivity: query.sensitivity,
  };
  const cases = whatifCases(q.placements, q.shm);
  const notes = new Set<string>();
  const rows: WhatifRow[] = [];
  for (const op of q.ops) {
    for (const bytes of collectiveSizes(op, q.sizes)) {
      const group = cases.map((c): WhatifRow => {
        const caseQuery: CollectiveQuery = {
          op,
          placement: c.placement,
          shm: c.shm,
          nodes: q.nodes,
          procs: q.procs,
          engine: q.engine,
          draws: q.draws,
          seed: q.seed,
          progress: q.progress,
        };
        const p = predictCollective(profile, caseQuery, [bytes]);
        p.notes.forEach((n) => notes.add(n));
        return {
          op,
          placement: placementName(c.placement),
          shm: p.layout.shm,
          ...p.rows[0],
          ratio_to_best: 1,
          layout: p.layout,
          ...(q.sensitivity ? { sensitivity: sensitivity(profile, caseQuery, bytes) } : {}),
        };
      });
      const best = Math.min(...group.map((r) => r.latency_us));
      for (const r of group) r.ratio_to_best = r.latency_us / best;
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
