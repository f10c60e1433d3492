import type { Profile } from '../../profiles/types.js';
import { p2pBandwidth, p2pLatency, predictP2p, type P2pQuery, type P2pRow } from '../p2p/predict.js';
import { drawProfile, range95 } from './draw.js';
import { seededRng } from './rng.js';

/** A point-to-point row with the 95% range of its latency and bandwidth. */
export interface P2pRangeRow extends P2pRow {
  latency_lo_us: number;
  latency_hi_us: number;
  bandwidth_lo_MBps: number;
  bandwidth_hi_MBps: number;
}

export interface P2pRangeOptions {
  /** Profiles drawn (default 200: the 2.5% quantile then rests on 5 draws). */
  draws?: number;
  seed?: number;
}

/**
 * Point-to-point predictions with the range the profile's intervals give them, the same
 * way collectives get theirs (docs/design.md, "Uncertainty"): draw every parameter with
 * an interval (`drawProfile`, seeded), evaluate the closed forms with each draw, and
 * take the 2.5% and 97.5% quantiles per size. All sizes share the draws.
 */
export function predictP2pRange(
  profile: Profile,
  q: P2pQuery,
  sizes: readonly number[],
  options: P2pRangeOptions = {},
): P2pRangeRow[] {
  const rows = predictP2p(profile, q, sizes);
  const rng = seededRng(options.seed ?? 1);
  const drawn = Array.from({ length: options.draws ?? 200 }, () => drawProfile(profile, rng));
  return rows.map((row) => {
    const lat = range95(drawn.map((p) => p2pLatency(p, q, row.bytes)));
    const bw = range95(drawn.map((p) => p2pBandwidth(p, q, row.bytes)));
    return {
      ...row,
      latency_lo_us: lat[0],
      latency_hi_us: lat[1],
      bandwidth_lo_MBps: bw[0],
      bandwidth_hi_MBps: bw[1],
    };
  });
}
