import { p2pBandwidth, p2pLatency } from '../../model/p2p/predict.js';
import type { Profile } from '../../profiles/types.js';
import type { PaperRow } from './types.js';

/** Powers of two from 1 B up to `max`: the sizes osu_bw sweeps. */
function sweep(max: number): number[] {
  const sizes: number[] = [];
  for (let s = 1; s <= max; s *= 2) sizes.push(s);
  return sizes;
}

/**
 * The model's value for a paper row, through the point-to-point formulas of
 * src/model/p2p (the same ones `ibvf predict` uses, so the fit and the predictions
 * cannot disagree): a latency in us, or the peak of osu_bw's bandwidth in MB/s over
 * the sweep of powers of two up to the row's size.
 */
export function rowModel(profile: Profile, row: PaperRow): number {
  const q = { path: row.path, op: row.op, progress: row.progress };
  if (row.metric === 'latency') return p2pLatency(profile, q, row.bytes);
  return Math.max(...sweep(row.bytes).map((s) => p2pBandwidth(profile, q, s)));
}
