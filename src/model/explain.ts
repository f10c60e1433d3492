/**
 * Where the gap between two layouts comes from (`ibvf whatif --explain`): an ablation.
 * Each mechanism of `MECHANISMS` is switched off in turn, all else as it is, and the gap
 * between two layouts is predicted again. A mechanism's share of the gap is
 *
 *   share(m) = (gap - gap without m) / gap,
 *
 * so mechanisms that act alone add up to 1; what is left ("interaction") is the part that
 * comes from mechanisms acting together (a queue that forms only when two costs add up).
 */
import type { Profile } from '../profiles/types.js';
import type { CollectiveOp } from './collectives/types.js';
import { placementName } from './layout/index.js';
import { MECHANISMS, type Mechanism } from './mechanisms.js';
import { collectiveSizes, predictCollective, type CollectiveQuery } from './predict-collective.js';
import { FIGURE5_QUERY, whatifCases, type WhatifCase, type WhatifQuery } from './whatif.js';

export interface GapShare {
  mechanism: string;
  /** The gap with this mechanism off (us). */
  gap_without_us: number;
  /** (gap - gap without it) / gap; undefined when the gap is zero. */
  share?: number;
}

export interface GapExplanation {
  op: CollectiveOp;
  bytes: number;
  /** The slower-or-equal layout and the one it is compared with, as `placement shm`. */
  layout: string;
  versus: string;
  /** latency(layout) - latency(versus), average over ranks (us). */
  gap_us: number;
  shares: GapShare[];
  /** 1 - the sum of the shares: mechanisms acting together. */
  interaction?: number;
  /** True when the gap is within `NEGLIGIBLE_GAP` of the faster layout: no shares are given. */
  negligible: boolean;
}

/**
 * A gap smaller than this share of the faster layout's latency is not explained: it is of
 * the order of the simulator's tie effects, and shares of it would be noise.
 */
export const NEGLIGIBLE_GAP = 1e-3;

export interface Explanation {
  profile: string;
  mechanisms: { name: string; what: string }[];
  gaps: GapExplanation[];
}

const label = (c: WhatifCase) => `${placementName(c.placement)} shm ${c.shm ? 'on' : 'off'}`;

/**
 * The pairs worth explaining: each VM layout against native with the same shared-memory
 * setting, and each two VM layouts.
 */
function pairsOf(cases: readonly WhatifCase[]): [WhatifCase, WhatifCase][] {
  const vms = cases.filter((c) => c.placement !== 'native');
  const pairs: [WhatifCase, WhatifCase][] = [];
  for (const vm of vms) {
    const native = cases.find((c) => c.placement === 'native' && c.shm === vm.shm);
    if (native) pairs.push([vm, native]);
  }
  for (let i = 0; i < vms.length; i++) for (let j = i + 1; j < vms.length; j++) pairs.push([vms[i], vms[j]]);
  return pairs;
}

/** Explains the gaps between the layouts of a what-if question, mechanism by mechanism. */
export function explainLayouts(
  profile: Profile,
  query: Partial<WhatifQuery> = {},
  mechanisms: readonly Mechanism[] = MECHANISMS,
): Explanation {
  const ops = query.ops ?? FIGURE5_QUERY.ops;
  const sizes = query.sizes ?? FIGURE5_QUERY.sizes;
  const cases = whatifCases(query.placements ?? FIGURE5_QUERY.placements, query.shm);
  const base = {
    nodes: query.nodes ?? FIGURE5_QUERY.nodes,
    procs: query.procs ?? FIGURE5_QUERY.procs,
    progress: query.progress ?? FIGURE5_QUERY.progress,
    engine: query.engine ?? FIGURE5_QUERY.engine,
    rangeDraws: 0,
  };
  const variants = [profile, ...mechanisms.map((m) => m.off(profile))];
  const gaps: GapExplanation[] = [];
  for (const op of ops) {
    for (const bytes of collectiveSizes(op, sizes)) {
      const latency = (p: Profile, c: WhatifCase) => {
        const q: CollectiveQuery = { ...base, op, placement: c.placement, shm: c.shm };
        return predictCollective(p, q, [bytes]).rows[0].latency_us;
      };
      const table = variants.map((p) => cases.map((c) => latency(p, c)));
      for (const [a, b] of pairsOf(cases)) {
        const ia = cases.indexOf(a);
        const ib = cases.indexOf(b);
        // Orient each pair so the gap is positive: the slower layout first.
        const [slow, fast, is, ifast] = table[0][ia] >= table[0][ib] ? [a, b, ia, ib] : [b, a, ib, ia];
        const gap = table[0][is] - table[0][ifast];
        const negligible = gap <= NEGLIGIBLE_GAP * table[0][ifast];
        const shares = mechanisms.map((m, k): GapShare => {
          const without = table[k + 1][is] - table[k + 1][ifast];
          return {
            mechanism: m.name,
            gap_without_us: without,
            share: negligible ? undefined : (gap - without) / gap,
          };
        });
        const explained = shares.reduce((sum, s) => sum + (s.share ?? 0), 0);
        gaps.push({
          op,
          bytes,
          layout: label(slow),
          versus: label(fast),
          gap_us: gap,
          shares,
          interaction: negligible ? undefined : 1 - explained,
          negligible,
        });
      }
    }
  }
  return { profile: profile.name, mechanisms: mechanisms.map(({ name, what }) => ({ name, what })), gaps };
}
