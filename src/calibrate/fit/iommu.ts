/**
 * The IOMMU parameters of rule 3 (src/model/virtualization.ts): a message through a VF
 * pays dmasPerMessage x P(miss) x iommuMissCost, with P(miss) = 1 - iommuReach / footprint
 * once the registered footprint of the node exceeds the IOTLB's reach, 0 below it. A
 * ping-pong whose messages cycle through a registered region of footprint F (verbs
 * `--region`, src/probe/verbs/region.ts) therefore measures
 *
 *   latency(F) = base + A max(0, 1 - reach / F),   A = dmasPerMessage x iommuMissCost.
 *
 * The run determines reach and the product A, not its two factors: a message's DMAs (the
 * descriptor, the payload read, the receive's write, the completion) all miss alike.
 * `iommuMissCost` is A / dmasPerMessage with dmasPerMessage kept from the base profile,
 * so the model's product is the measured one whatever the split (the caller says so).
 *
 * Fit: for a candidate reach the model is linear in (base, A), solved in closed form by
 * least squares over the footprints' values; the reach is the candidate of least squared
 * error on a log grid over [smallest, largest footprint], refined by golden-section search
 * between the grid neighbours of the best. A reach below the smallest footprint cannot be
 * told apart (every point would then lie on base + A - A reach / F, where base and A are
 * not separable), so at least one footprint must lie at or below the knee; a reach at the
 * largest footprint means no miss was seen. The interval: the same fit on each joint draw
 * of the footprints' values (resample.ts: seeded bootstrap over the raw samples).
 *
 * No rise: the IOMMU off or in pass-through, or regions all within the reach. When the
 * latency at the largest footprint is not above base by RISE_FLOOR of it (or the draws'
 * 2.5% quantile of that rise is not above 0), the run shows no miss up to the largest
 * footprint. What that measures is a lower bound on the reach: `noRise` is set and the
 * caller keeps the base's cost and raises the reach to at least the largest footprint,
 * rather than setting the cost to 0 (no miss was seen, but footprints beyond the largest
 * measured may still miss) or leaving a base reach the run contradicts.
 */
import type { Measured } from './resample.js';
import { drawCells, intervalsOf, type IntervalOptions, type IntervalSource } from './resample.js';

/** One region run: the node's registered footprint (bytes) and its latency (us, with samples). */
export interface FootprintMeasurement extends Measured {
  footprint: number;
}

/** A rise at the largest footprint smaller than this share of base is no rise (the scatter of a quiet ping-pong is a few percent). */
export const RISE_FLOOR = 0.02;
/** Distinct footprints needed: three unknowns (base, A, reach) and one point to judge them. */
export const MIN_FOOTPRINTS = 4;
const GRID = 256;

export interface IommuFit {
  /** Latency below the knee, us. */
  base: number;
  /** dmasPerMessage x iommuMissCost, us: the latency added when every translation misses. */
  product: number;
  /** The IOTLB's reach, bytes of footprint. */
  reach: number;
  interval: { product: [number, number] | null; reach: [number, number] | null };
  /** Joint draws of (reach, product), in the order of `intervals.draws`. */
  draws: { reach: number; product: number }[];
  /** The latency at the largest footprint above base, us. */
  rise: number;
  /** No miss was seen up to the largest footprint (see above). */
  noRise: boolean;
  footprints: number[];
  /** Fitted minus measured, us, per footprint. */
  residuals: number[];
  intervals: IntervalSource;
  from: string;
  warnings: string[];
}

interface Solution {
  base: number;
  product: number;
  reach: number;
  sse: number;
}

/** Least squares of y = base + A x for one reach, x = max(0, 1 - reach / F). */
function solveAt(fs: readonly number[], ys: readonly number[], reach: number): Solution {
  const n = fs.length;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  const xs = fs.map((f) => Math.max(0, 1 - reach / f));
  for (let i = 0; i < n; i++) {
    sx += xs[i];
    sy += ys[i];
    sxx += xs[i] * xs[i];
    sxy += xs[i] * ys[i];
  }
  const det = n * sxx - sx * sx;
  // every x is 0: no footprint beyond this reach, the flat line
  const product = det > 1e-300 ? (n * sxy - sx * sy) / det : 0;
  const base = (sy - product * sx) / n;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (base + product * xs[i] - ys[i]) ** 2;
  return { base, product, reach, sse };
}

/** The reach of least squared error in [smallest, largest footprint]. */
function solve(fs: readonly number[], ys: readonly number[]): Solution {
  const lo = Math.log(fs[0]);
  const hi = Math.log(fs[fs.length - 1]);
  const at = (t: number) => solveAt(fs, ys, Math.exp(t));
  let best = at(lo);
  let bestK = 0;
  for (let k = 1; k <= GRID; k++) {
    const s = at(lo + ((hi - lo) * k) / GRID);
    if (s.sse < best.sse) {
      best = s;
      bestK = k;
    }
  }
  // golden-section between the best grid point's neighbours (the error is piecewise smooth in reach)
  let a = lo + ((hi - lo) * Math.max(0, bestK - 1)) / GRID;
  let b = lo + ((hi - lo) * Math.min(GRID, bestK + 1)) / GRID;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60 && b - a > 1e-9; i++) {
    const c = b - phi * (b - a);
    const d = a + phi * (b - a);
    if (at(c).sse < at(d).sse) b = d;
    else a = c;
  }
  const refined = at((a + b) / 2);
  return refined.sse < best.sse ? refined : best;
}

/** The cells of the distinct footprints, ascending (repeated runs of one footprint pooled). */
function cellsOf(runs: readonly FootprintMeasurement[]): { footprints: number[]; cells: Measured[][] } {
  const by = new Map<number, Measured[]>();
  for (const r of runs) {
    if (!(Number.isFinite(r.footprint) && r.footprint > 0))
      throw new RangeError(`iommu: a region run's footprint is ${r.footprint} bytes`);
    by.set(r.footprint, [...(by.get(r.footprint) ?? []), r]);
  }
  const footprints = [...by.keys()].sort((a, b) => a - b);
  return { footprints, cells: footprints.map((f) => by.get(f)!) };
}

export function fitIommu(runs: readonly FootprintMeasurement[], options: IntervalOptions = {}): IommuFit {
  const { footprints, cells } = cellsOf(runs);
  if (footprints.length < MIN_FOOTPRINTS)
    throw new RangeError(
      `iommu: ${footprints.length} region size(s); base, miss cost and reach need ${MIN_FOOTPRINTS} or more (--region with sizes on both sides of the knee, e.g. 64K,256K,1M,4M,16M,64M)`,
    );
  const drawn = drawCells(cells, options);
  const fit = solve(footprints, drawn.values);
  const largest = footprints[footprints.length - 1];
  const riseOf = (s: Solution) => s.product * Math.max(0, 1 - s.reach / largest);
  const draws = drawn.draws.map((d) => solve(footprints, d));
  const rise = riseOf(fit);
  const riseDraws = draws.map(riseOf).sort((a, b) => a - b);
  const riseLow = riseDraws.length > 0 ? riseDraws[Math.floor(0.025 * (riseDraws.length - 1))] : null;
  const noRise = !(rise > RISE_FLOOR * fit.base) || (riseLow !== null && riseLow <= 0);
  const warnings: string[] = [];
  if (!noRise && fit.reach <= footprints[0] * 1.0001)
    warnings.push(
      `iommu: the smallest region (${footprints[0]} B of footprint) already misses; the reach is at most that, add smaller --region sizes to place it`,
    );
  const residuals = footprints.map(
    (f, i) => fit.base + fit.product * Math.max(0, 1 - fit.reach / f) - drawn.values[i],
  );
  const interval = intervalsOf({ product: draws.map((d) => d.product), reach: draws.map((d) => d.reach) });
  const kib = (b: number) => `${(b / 1024).toPrecision(4)} KiB`;
  return {
    base: fit.base,
    product: fit.product,
    reach: fit.reach,
    interval,
    draws: draws.map((d) => ({ reach: d.reach, product: d.product })),
    rise,
    noRise,
    footprints,
    residuals,
    intervals: drawn.source,
    from:
      `latency(F) = base + A max(0, 1 - reach/F) over ${footprints.length} footprints ${kib(footprints[0])}..${kib(largest)}: ` +
      `base ${fit.base.toFixed(3)} us, A = dmasPerMessage x iommuMissCost = ${fit.product.toFixed(4)} us, reach ${kib(fit.reach)}; ` +
      `least squares per reach, reach by grid and golden section; worst residual ${Math.max(...residuals.map(Math.abs)).toFixed(3)} us`,
    warnings,
  };
}
