/**
 * The weighted least-squares line y = a + b x over a contiguous run of sorted points, the
 * building block of the segmented fit and of the LogGP gap fit.
 *
 * Two ways to the same line: `PrefixMoments` gives the residual sum of squares of any run
 * in O(1) from running sums (fast, for searching partitions; the raw moments lose digits
 * to cancellation), and `fitWeightedLine` refits one run from centred two-pass sums, which
 * is where every reported number comes from.
 *
 * Every fit in src/calibrate/fit is a line or a weighted mean, so the closed forms serve
 * better than matrix algebra: centred sums lose no digits where normal equations would,
 * and a matrix library (mathjs takes about a second to import) would buy nothing here.
 */
import { studentT975 } from './student-t.js';

export interface LineFit {
  intercept: number;
  slope: number;
  /** Weighted residual sum of squares. */
  rss: number;
  /** Number of points. */
  count: number;
  /** Sum of weights, weighted mean of x and centred weighted sum of squares of x. */
  sw: number;
  meanX: number;
  sxx: number;
}

/** The weighted line through points start..end (inclusive), which must span two distinct x. */
export function fitWeightedLine(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  ws: ArrayLike<number>,
  start: number,
  end: number,
): LineFit {
  let sw = 0;
  let swx = 0;
  let swy = 0;
  for (let i = start; i <= end; i++) {
    sw += ws[i];
    swx += ws[i] * xs[i];
    swy += ws[i] * ys[i];
  }
  const meanX = swx / sw;
  const meanY = swy / sw;
  let sxx = 0;
  let sxy = 0;
  for (let i = start; i <= end; i++) {
    const dx = xs[i] - meanX;
    sxx += ws[i] * dx * dx;
    sxy += ws[i] * dx * (ys[i] - meanY);
  }
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let rss = 0;
  for (let i = start; i <= end; i++) {
    const r = ys[i] - intercept - slope * xs[i];
    rss += ws[i] * r * r;
  }
  return { intercept, slope, rss, count: end - start + 1, sw, meanX, sxx };
}

/**
 * Classical 95% intervals of a line's intercept and slope: standard errors from its own
 * residual variance RSS/(m - 2), times the two-sided 95% Student t quantile for m - 2
 * degrees of freedom (needs m >= 3 points).
 */
export function lineIntervals(fit: LineFit): { intercept: [number, number]; slope: [number, number] } {
  const variance = fit.rss / (fit.count - 2);
  const t = studentT975(fit.count - 2);
  const slopeHalf = t * Math.sqrt(variance / fit.sxx);
  const interceptHalf = t * Math.sqrt(variance * (1 / fit.sw + (fit.meanX * fit.meanX) / fit.sxx));
  return {
    intercept: [fit.intercept - interceptHalf, fit.intercept + interceptHalf],
    slope: [fit.slope - slopeHalf, fit.slope + slopeHalf],
  };
}

/** The leverage h of a point (x, w) of the fit: w (1/sum(w) + (x - mean x)^2 / Sxx). */
export function leverage(fit: LineFit, x: number, w: number): number {
  const dx = x - fit.meanX;
  return w * (1 / fit.sw + (dx * dx) / fit.sxx);
}

/**
 * Running sums of w, wx, wy, wxx, wxy, wyy so that any contiguous run's line and RSS come
 * in O(1). Acceptable for ranking candidate runs, not for reported numbers.
 */
export class PrefixMoments {
  private readonly w: Float64Array;
  private readonly wx: Float64Array;
  private readonly wy: Float64Array;
  private readonly wxx: Float64Array;
  private readonly wxy: Float64Array;
  private readonly wyy: Float64Array;

  constructor(xs: ArrayLike<number>, ys: ArrayLike<number>, ws: ArrayLike<number>) {
    const n = xs.length;
    this.w = new Float64Array(n + 1);
    this.wx = new Float64Array(n + 1);
    this.wy = new Float64Array(n + 1);
    this.wxx = new Float64Array(n + 1);
    this.wxy = new Float64Array(n + 1);
    this.wyy = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      const y = ys[i];
      const w = ws[i];
      this.w[i + 1] = this.w[i] + w;
      this.wx[i + 1] = this.wx[i] + w * x;
      this.wy[i + 1] = this.wy[i] + w * y;
      this.wxx[i + 1] = this.wxx[i] + w * x * x;
      this.wxy[i + 1] = this.wxy[i] + w * x * y;
      this.wyy[i + 1] = this.wyy[i] + w * y * y;
    }
  }

  /** Weighted RSS of the best line through points start..end (inclusive), which must span two x. */
  lineRss(start: number, end: number): number {
    const a = start;
    const b = end + 1;
    const sw = this.w[b] - this.w[a];
    const sx = this.wx[b] - this.wx[a];
    const sy = this.wy[b] - this.wy[a];
    const sxx = this.wxx[b] - this.wxx[a] - (sx * sx) / sw;
    const sxy = this.wxy[b] - this.wxy[a] - (sx * sy) / sw;
    const syy = this.wyy[b] - this.wyy[a] - (sy * sy) / sw;
    // Only rounding gets here (callers pass two distinct x); a flat line is then the fit.
    if (!(sxx > 0)) return Math.max(0, syy);
    return Math.max(0, syy - (sxy * sxy) / sxx);
  }
}
