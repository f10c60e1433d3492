/**
 * Piecewise-linear fit of a latency-vs-message-size curve, the core of `ibvf calibrate`.
 *
 * A point-to-point latency curve (osu_latency, ib_send_lat, ibvf's probe) is a few straight
 * lines joined at protocol changes: a flat-ish start near L + 2o, a slope near G us/byte,
 * and breaks at the inline limit, the MTU or the MPI eager -> rendezvous threshold. The
 * lines need not meet at a break (rendezvous adds a handshake, so the curve jumps), hence
 * each segment has its own free intercept and slope.
 *
 * Method:
 * - Points are sorted by size. Repeated sizes stay separate points: replicates are
 *   independent measurements whose scatter belongs in the residual variance, and averaging
 *   them would need weights that depend on how many there were. A break never falls between
 *   two points of the same size, so a size belongs to exactly one segment.
 * - Each segment is a weighted least-squares line. Weights are 1/us^2 ('relative'), since
 *   latencies span 0.1 us to 1000 us and what matters is the error relative to the value,
 *   or 1 ('absolute'). Relative weights come from the measured values, not the fitted ones;
 *   with a few percent of noise the resulting bias is of the order of the squared relative
 *   noise, far inside the intervals.
 * - The best partition into exactly k contiguous segments, for every k = 1..maxSegments, is
 *   found by dynamic programming over the end of the last segment (Bellman, R. 1961, "On the
 *   approximation of curves by line segments using dynamic programming", Communications of
 *   the ACM 4(6):284), costing each candidate segment in O(1) from prefix sums of the
 *   weighted moments. The k segments of the winner are then refitted with centred two-pass
 *   sums, which are what the reported numbers come from.
 * - k is chosen by the Bayesian information criterion (Schwarz, G. 1978, "Estimating the
 *   dimension of a model", Annals of Statistics 6(2):461), BIC = n ln(RSS/n) + p ln(n) with
 *   p = 3k - 1: an intercept and a slope per segment and k - 1 break positions. The weight
 *   term of the Gaussian likelihood is the same for every k, so it is left out.
 * - Intervals are the classical WLS ones for a line with the break positions taken as
 *   known: standard errors from the segment's own residual variance RSS/(m - 2), times the
 *   two-sided 95% Student t quantile for m - 2 degrees of freedom. They ignore the
 *   uncertainty of where the breaks are, so near a break they are somewhat optimistic.
 * - The t quantile is computed, not tabled: for integer degrees of freedom the two-sided
 *   probability P(|T| <= t) is a finite trigonometric sum (Abramowitz, M. and Stegun, I. A.
 *   1964, Handbook of Mathematical Functions, 26.7.3 and 26.7.4), and it is increasing in
 *   t, so bisection finds the quantile to machine precision. The tests check it against the
 *   NIST/SEMATECH e-Handbook of Statistical Methods, table 1.3.6.7.2.
 */

export interface SizePoint {
  bytes: number;
  us: number;
}

export interface Segment {
  /** The first message size in the segment. */
  fromBytes: number;
  /** The last message size in the segment. */
  toBytes: number;
  points: number;
  intercept_us: number;
  slope_us_per_byte: number;
  /** 95% interval. */
  intercept_ci: [number, number];
  /** 95% interval. */
  slope_ci: [number, number];
}

export interface SegmentedFit {
  segments: Segment[];
  /** weighted residual sum of squares */
  rss: number;
  /**
   * n ln(RSS/n) + p ln(n), where an RSS below 1e-24 of the weighted sum of squared
   * latencies (a relative misfit of 1e-12, i.e. exact data up to rounding) counts as that
   * floor, so that exact data do not make ln(0) and do not reward needless segments.
   */
  bic: number;
  weighting: 'relative' | 'absolute';
}

export interface SegmentedFitOptions {
  /** Default 4. */
  maxSegments?: number;
  /** Per segment, at least 3 (a 2-point line has no residual to estimate its error from). Default 3. */
  minPoints?: number;
  /** Default 'relative'. */
  weighting?: 'relative' | 'absolute';
}

type Weighting = SegmentedFit['weighting'];

interface Settings {
  maxSegments: number;
  minPoints: number;
  weighting: Weighting;
}

/**
 * A weighted misfit this far below the data (relative RMS) is rounding, not signal: the
 * two-pass refit of exact data leaves about 1e-16, and timings carry a few digits at most.
 */
const EXACT_FIT_RELATIVE_RMS = 1e-12;

export function fitSegmented(points: readonly SizePoint[], options: SegmentedFitOptions = {}): SegmentedFit {
  const settings = resolveSettings(options);
  checkPoints(points, settings);
  const sorted = sortBySize(points);
  const weights = sorted.map((p) => weightOf(p, settings.weighting));
  const partitions = bestPartitionPerCount(sorted, weights, settings);
  const totalWeightedSquares = sorted.reduce((sum, p, i) => sum + weights[i] * p.us * p.us, 0);
  const rssFloor = totalWeightedSquares * EXACT_FIT_RELATIVE_RMS ** 2;

  let best: SegmentedFit | undefined;
  for (const partition of partitions) {
    const fits = partition.map(([start, end]) => fitSegmentTwoPass(sorted, weights, start, end));
    const rss = fits.reduce((sum, f) => sum + f.rss, 0);
    const bic = informationCriterion(sorted.length, Math.max(rss, rssFloor), partition.length);
    // Strictly smaller, so that a tie goes to the fewer segments tried first.
    if (!best || bic < best.bic) {
      best = { segments: fits.map((f) => f.segment), rss, bic, weighting: settings.weighting };
    }
  }
  if (!best) {
    throw new RangeError(
      `fitSegmented: no segment of at least ${settings.minPoints} points spans two distinct message sizes, ` +
        'and a slope needs two',
    );
  }
  return best;
}

function resolveSettings(options: SegmentedFitOptions): Settings {
  const maxSegments = options.maxSegments ?? 4;
  const minPoints = options.minPoints ?? 3;
  const weighting = options.weighting ?? 'relative';
  if (!Number.isInteger(maxSegments) || maxSegments < 1) {
    throw new RangeError(`fitSegmented: maxSegments must be an integer >= 1, got ${maxSegments}`);
  }
  if (!Number.isInteger(minPoints) || minPoints < 3) {
    throw new RangeError(
      `fitSegmented: minPoints must be an integer >= 3 (a segment needs a residual degree of freedom for its interval), got ${minPoints}`,
    );
  }
  if (weighting !== 'relative' && weighting !== 'absolute') {
    throw new RangeError(
      `fitSegmented: weighting must be 'relative' or 'absolute', got ${String(weighting)}`,
    );
  }
  return { maxSegments, minPoints, weighting };
}

function checkPoints(points: readonly SizePoint[], settings: Settings): void {
  if (points.length < settings.minPoints) {
    throw new RangeError(
      `fitSegmented: ${points.length} point(s) given, at least minPoints = ${settings.minPoints} are needed`,
    );
  }
  points.forEach((p, i) => {
    if (!Number.isFinite(p.bytes) || p.bytes < 0) {
      throw new RangeError(`fitSegmented: point ${i} has bytes = ${p.bytes}; sizes must be finite and >= 0`);
    }
    if (!Number.isFinite(p.us) || p.us < 0) {
      throw new RangeError(`fitSegmented: point ${i} has us = ${p.us}; latencies must be finite and >= 0`);
    }
    if (settings.weighting === 'relative' && p.us === 0) {
      throw new RangeError(
        `fitSegmented: point ${i} has us = 0, which has no relative error; use weighting 'absolute' or drop it`,
      );
    }
  });
}

function sortBySize(points: readonly SizePoint[]): SizePoint[] {
  return [...points].sort((a, b) => a.bytes - b.bytes);
}

function weightOf(point: SizePoint, weighting: Weighting): number {
  return weighting === 'relative' ? 1 / (point.us * point.us) : 1;
}

/** A segment as inclusive indices into the sorted points. */
type Span = [start: number, end: number];

/**
 * For each k = 1..maxSegments that admits a valid partition, the k segments with the least
 * weighted RSS. best[k][j] is the least cost of covering the first j points with k segments.
 */
function bestPartitionPerCount(sorted: SizePoint[], weights: number[], settings: Settings): Span[][] {
  const n = sorted.length;
  const sums = new PrefixMoments(sorted, weights);
  const { minPoints } = settings;
  const kMax = Math.min(settings.maxSegments, Math.floor(n / minPoints));
  // Segments meet only where the size changes, so replicates of a size stay together.
  const isBoundary = (j: number) => j === 0 || j === n || sorted[j - 1].bytes < sorted[j].bytes;
  const hasSlope = (start: number, end: number) => sorted[start].bytes < sorted[end].bytes;

  const cost: number[][] = [[0, ...new Array<number>(n).fill(Infinity)]];
  const lastStart: number[][] = [new Array<number>(n + 1).fill(-1)];
  for (let k = 1; k <= kMax; k++) {
    const row = new Array<number>(n + 1).fill(Infinity);
    const from = new Array<number>(n + 1).fill(-1);
    for (let j = k * minPoints; j <= n; j++) {
      if (!isBoundary(j)) continue;
      for (let m = (k - 1) * minPoints; m <= j - minPoints; m++) {
        const before = cost[k - 1][m];
        if (before === Infinity || !isBoundary(m) || !hasSlope(m, j - 1)) continue;
        const total = before + sums.lineRss(m, j - 1);
        if (total < row[j]) {
          row[j] = total;
          from[j] = m;
        }
      }
    }
    cost.push(row);
    lastStart.push(from);
  }

  const partitions: Span[][] = [];
  for (let k = 1; k <= kMax; k++) {
    if (cost[k][n] < Infinity) partitions.push(traceBack(lastStart, k, n));
  }
  return partitions;
}

function traceBack(lastStart: number[][], k: number, n: number): Span[] {
  const spans: Span[] = [];
  let end = n;
  for (let level = k; level >= 1; level--) {
    const start = lastStart[level][end];
    spans.unshift([start, end - 1]);
    end = start;
  }
  return spans;
}

/**
 * Running sums of w, wx, wy, wxx, wxy, wyy so that any contiguous segment's line and RSS
 * come in O(1). These raw moments lose digits to cancellation, which is acceptable for
 * ranking partitions but not for the reported numbers (see fitSegmentTwoPass).
 */
class PrefixMoments {
  private readonly w: Float64Array;
  private readonly wx: Float64Array;
  private readonly wy: Float64Array;
  private readonly wxx: Float64Array;
  private readonly wxy: Float64Array;
  private readonly wyy: Float64Array;

  constructor(sorted: SizePoint[], weights: number[]) {
    const n = sorted.length;
    this.w = new Float64Array(n + 1);
    this.wx = new Float64Array(n + 1);
    this.wy = new Float64Array(n + 1);
    this.wxx = new Float64Array(n + 1);
    this.wxy = new Float64Array(n + 1);
    this.wyy = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const { bytes: x, us: y } = sorted[i];
      const w = weights[i];
      this.w[i + 1] = this.w[i] + w;
      this.wx[i + 1] = this.wx[i] + w * x;
      this.wy[i + 1] = this.wy[i] + w * y;
      this.wxx[i + 1] = this.wxx[i] + w * x * x;
      this.wxy[i + 1] = this.wxy[i] + w * x * y;
      this.wyy[i + 1] = this.wyy[i] + w * y * y;
    }
  }

  /** Weighted RSS of the best line through points start..end (inclusive), which must span two sizes. */
  lineRss(start: number, end: number): number {
    const a = start;
    const b = end + 1;
    const sw = this.w[b] - this.w[a];
    const sx = this.wx[b] - this.wx[a];
    const sy = this.wy[b] - this.wy[a];
    const sxx = this.wxx[b] - this.wxx[a] - (sx * sx) / sw;
    const sxy = this.wxy[b] - this.wxy[a] - (sx * sy) / sw;
    const syy = this.wyy[b] - this.wyy[a] - (sy * sy) / sw;
    // Only rounding gets here (callers pass two distinct sizes); a flat line is then the fit.
    if (!(sxx > 0)) return Math.max(0, syy);
    return Math.max(0, syy - (sxy * sxy) / sxx);
  }
}

interface SegmentFit {
  segment: Segment;
  rss: number;
}

/** The reported line of one segment, from centred sums (no cancellation), with its intervals. */
function fitSegmentTwoPass(sorted: SizePoint[], weights: number[], start: number, end: number): SegmentFit {
  let sw = 0;
  let swx = 0;
  let swy = 0;
  for (let i = start; i <= end; i++) {
    sw += weights[i];
    swx += weights[i] * sorted[i].bytes;
    swy += weights[i] * sorted[i].us;
  }
  const meanX = swx / sw;
  const meanY = swy / sw;
  let sxx = 0;
  let sxy = 0;
  for (let i = start; i <= end; i++) {
    const dx = sorted[i].bytes - meanX;
    sxx += weights[i] * dx * dx;
    sxy += weights[i] * dx * (sorted[i].us - meanY);
  }
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let rss = 0;
  for (let i = start; i <= end; i++) {
    const r = sorted[i].us - intercept - slope * sorted[i].bytes;
    rss += weights[i] * r * r;
  }

  const count = end - start + 1;
  const variance = rss / (count - 2);
  const t = studentT975(count - 2);
  const slopeHalf = t * Math.sqrt(variance / sxx);
  const interceptHalf = t * Math.sqrt(variance * (1 / sw + (meanX * meanX) / sxx));
  return {
    rss,
    segment: {
      fromBytes: sorted[start].bytes,
      toBytes: sorted[end].bytes,
      points: count,
      intercept_us: intercept,
      slope_us_per_byte: slope,
      intercept_ci: [intercept - interceptHalf, intercept + interceptHalf],
      slope_ci: [slope - slopeHalf, slope + slopeHalf],
    },
  };
}

function informationCriterion(n: number, rss: number, segments: number): number {
  const parameters = 3 * segments - 1;
  return n * Math.log(rss / n) + parameters * Math.log(n);
}

/**
 * t such that P(|T| <= t) = 0.95 for Student's T with `df` (a positive integer) degrees of
 * freedom: the multiplier of a standard error for a two-sided 95% interval.
 */
export function studentT975(df: number): number {
  if (!Number.isInteger(df) || df < 1) {
    throw new RangeError(`studentT975: degrees of freedom must be an integer >= 1, got ${df}`);
  }
  const target = 0.95;
  let lo = 0;
  let hi = 1;
  while (twoSidedStudentProbability(hi, df) < target) {
    lo = hi;
    hi *= 2;
  }
  // Bisection rather than Newton: the sum is cheap and monotone, and this cannot diverge.
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (twoSidedStudentProbability(mid, df) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * P(|T| <= t) for integer df, Abramowitz and Stegun 26.7.3 (odd df) and 26.7.4 (even df).
 * Every term of the sums is positive, so they lose no digits; they have about df/2 terms,
 * which is cheap next to the O(n^2) partition search for any segment that fits in it.
 */
function twoSidedStudentProbability(t: number, df: number): number {
  const theta = Math.atan(t / Math.sqrt(df));
  const sin = Math.sin(theta);
  const cos = Math.cos(theta);
  const cos2 = cos * cos;
  if (df % 2 === 0) {
    let term = 1;
    let sum = 1;
    for (let i = 2; i <= df - 2; i += 2) {
      term *= (cos2 * (i - 1)) / i;
      sum += term;
    }
    return sin * sum;
  }
  if (df === 1) return (2 / Math.PI) * theta;
  let term = cos;
  let sum = cos;
  for (let i = 2; i <= df - 3; i += 2) {
    term *= (cos2 * i) / (i + 1);
    sum += term;
  }
  return (2 / Math.PI) * (theta + sin * sum);
}
