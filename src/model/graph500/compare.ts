/**
 * The Graph500 question over layouts: for each placement and ranks-per-node count, the
 * predicted BFS time and TEPS (bfs-predict.ts) with a 95% range from the profile's
 * intervals. The range is drawn cheaply: `draws` profiles (common random numbers for
 * every layout, predict/draws.ts) each predict the first `rangeRoots` roots, and the
 * full prediction is scaled by the spread of those draws around the same roots'
 * nominal answer (the roots' level profiles are the same for every draw; only the
 * parameters move).
 */
import type { Profile } from '../../profiles/types.js';
import { placementName, type Placement } from '../layout/index.js';
import { drawnProfiles } from '../predict/draws.js';
import { range95 } from '../uncertainty/draw.js';
import { predictBfs, type BfsPrediction, type BfsVariant } from './bfs-predict.js';
import type { GraphProfile } from './profile.js';

export interface Graph500Query {
  nodes: number;
  perNode: readonly number[];
  placements: readonly Placement[];
  variant: BfsVariant;
  draws: number;
  rangeRoots: number;
  seed: number;
}

export interface Graph500Row {
  placement: string;
  perNode: number;
  procs: number;
  time_s: number;
  time_lo_s: number;
  time_hi_s: number;
  teps: number;
  teps_lo: number;
  teps_hi: number;
  prediction: BfsPrediction;
}

export function compareGraph500(
  profile: Profile,
  builtin: Profile,
  graph: GraphProfile,
  q: Graph500Query,
  progress?: (done: number, total: number) => void,
): Graph500Row[] {
  const rows: Graph500Row[] = [];
  const draws = q.draws > 0 ? drawnProfiles(profile, q.seed, q.draws) : [];
  const subset: GraphProfile = { ...graph, runs: graph.runs.slice(0, Math.max(1, q.rangeRoots)) };
  const total = q.placements.length * q.perNode.length;
  for (const placement of q.placements) {
    for (const perNode of q.perNode) {
      const bq = { nodes: q.nodes, perNode, placement, variant: q.variant };
      const prediction = predictBfs(profile, builtin, graph, bq);
      let [tLo, tHi, eLo, eHi] = [1, 1, 1, 1];
      if (draws.length > 0) {
        const nominal = predictBfs(profile, builtin, subset, bq);
        const drawn = draws.map((d) => predictBfs(d, builtin, subset, bq));
        [tLo, tHi] = range95(drawn.map((d) => d.time_s / nominal.time_s));
        [eLo, eHi] = range95(drawn.map((d) => d.teps / nominal.teps));
      }
      rows.push({
        placement: placementName(placement),
        perNode,
        procs: prediction.procs,
        time_s: prediction.time_s,
        time_lo_s: Math.min(prediction.time_s, prediction.time_s * tLo),
        time_hi_s: Math.max(prediction.time_s, prediction.time_s * tHi),
        teps: prediction.teps,
        teps_lo: Math.min(prediction.teps, prediction.teps * eLo),
        teps_hi: Math.max(prediction.teps, prediction.teps * eHi),
        prediction,
      });
      progress?.(rows.length, total);
    }
  }
  return rows;
}
