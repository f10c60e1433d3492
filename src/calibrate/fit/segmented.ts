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
 * - Points are sorted by size. Repeated runs are pooled by passing all their points:
 *   replicates of a size are independent measurements whose scatter belongs in the residual
 *   variance (averaging them would need weights that depend on how many there were). A
 *   break never falls between two points of the same size.
 * - Each segment is a weighted least-squares line. Weights are 1/us^2 ('relative'), since
 *   latencies span 0.1 us to 1000 us and what matters is the error relative to the value,
 *   or 1 ('absolute'). Relative weights come from the measured values, not the fitted ones;
 *   with a few percent of noise the resulting bias is of the order of the squared relative
 *   noise, far inside the intervals.
 * - A segment has at least `minPoints` points and `minSizes` distinct sizes (default 4): a
 *   line through three noisy points absorbs most of their noise, which is what made a
 *   search over many candidate breaks find one in a straight line.
 * - The best partition into exactly k segments, for every k = 1..maxSegments, is found by
 *   dynamic programming (segment-partition.ts).
 * - k is chosen by sequential F-tests (the sequential procedure of Bai, J. and Perron, P.
 *   1998, "Estimating and testing linear models with multiple structural changes",
 *   Econometrica 66(1):47, Sec. 5): starting from one line, the best single split of any
 *   of the k current segments is tested against those k segments by
 *       F = ((RSS_k - RSS_split) / 2) / (RSS_split / (n - 2(k + 1))),
 *   whose tail under "no break" is F(2, n - 2(k + 1)) for a break placed in advance. The
 *   break was searched for, so the tail is multiplied by the number of admissible split
 *   positions (Bonferroni), and the split is kept when that bound is below `alpha`
 *   (default 0.01); the fit then moves to the best partition into k + 1 segments. BIC
 *   (Schwarz 1978, n ln(RSS/n) + (3k - 1) ln n) remains as `selection: 'bic'`; it
 *   counts a searched break as one parameter and over-splits single sweeps.
 * - Intervals. The classical WLS interval of each line takes its breaks as known: Student
 *   t on the segment's own residual variance (`bootstrap: false` gives these alone). By
 *   default a seeded residual bootstrap also refits the whole segmentation with the chosen
 *   k (segmented-bootstrap.ts), so the breaks move with the data; each reported interval
 *   is the union of the two. It is thus never narrower than the break-known interval, and
 *   widens where a break could sit at another size. (The bootstrap percentile interval
 *   alone pools all residuals and uses normal-like quantiles; on 21 sizes at 2% noise it
 *   covered the truth in about 90% of seeds, the union in about 95%.) Each break gets an
 *   interval of sizes from the bootstrap.
 */
import { bootstrapSegmentation } from './segmented-bootstrap.js';
import { bestPartitions, bestSplit, SortedSizes, type Span } from './segment-partition.js';
import { fTail2 } from './student-t.js';
import { fitWeightedLine, lineIntervals, PrefixMoments, type LineFit } from './weighted-line.js';

export { studentT975 } from './student-t.js';

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
  /** 95% interval: see SegmentedFit.intervals for how it was made. */
  intercept_ci: [number, number];
  /** 95% interval. */
  slope_ci: [number, number];
}

/** Where one segment ends and the next begins. */
export interface SegmentBreak {
  /** The last size of the segment before the break. */
  lastBytesBefore: number;
  /** The first size of the segment after it. */
  firstBytesAfter: number;
  /**
   * 95% interval of the break's place in sizes: the 2.5% quantile of the last size before
   * it and the 97.5% quantile of the first size after it over the bootstrap refits; null
   * without the bootstrap.
   */
  interval: [number, number] | null;
}

/** One step of the sequential F-test: k segments against the best split of one of them. */
export interface SplitTest {
  segments: number;
  F: number;
  /** Admissible split positions searched (the Bonferroni multiplier). */
  candidates: number;
  /** min(1, candidates * P(F(2, n - 2(k + 1)) > F)). */
  p: number;
  accepted: boolean;
}

export interface SegmentedFit {
  segments: Segment[];
  breaks: SegmentBreak[];
  /** weighted residual sum of squares */
  rss: number;
  /**
   * n ln(RSS/n) + p ln(n), where an RSS below 1e-24 of the weighted sum of squared
   * latencies (a relative misfit of 1e-12, i.e. exact data up to rounding) counts as that
   * floor, so that exact data do not make ln(0) and do not reward needless segments.
   */
  bic: number;
  weighting: 'relative' | 'absolute';
  selection: { rule: 'f-test'; alpha: number; tests: SplitTest[] } | { rule: 'bic' };
  intervals:
    | { method: 'bootstrap and t'; draws: number; seed: number }
    | { method: 't'; note: 'break positions taken as known' };
  /**
   * The bootstrap's joint draws of each segment's intercept and slope (index d of every
   * array is one resample), for parameters derived together; absent without a bootstrap.
   */
  draws?: { intercept: number[][]; slope: number[][] };
}

export interface SegmentedFitOptions {
  /** Default 4. */
  maxSegments?: number;
  /** Per segment, at least 3 (a 2-point line has no residual to estimate its error from). Default 3. */
  minPoints?: number;
  /** Distinct sizes per segment, at least 3. Default 4. */
  minSizes?: number;
  /** Default 'relative'. */
  weighting?: 'relative' | 'absolute';
  /** How the number of segments is chosen. Default 'f-test'. */
  selection?: 'f-test' | 'bic';
  /** Level of each sequential F-test (Bonferroni-bounded). Default 0.01. */
  alpha?: number;
  /** Residual bootstrap for the intervals (default { draws: 1000, seed: 1 }), or false for t intervals. */
  bootstrap?: { draws?: number; seed?: number } | false;
}

type Weighting = SegmentedFit['weighting'];

interface Settings {
  maxSegments: number;
  minPoints: number;
  minSizes: number;
  weighting: Weighting;
  selection: 'f-test' | 'bic';
  alpha: number;
  bootstrap: { draws: number; seed: number } | false;
}

/**
 * A weighted misfit this far below the data (relative RMS) is rounding, not signal: the
 * two-pass refit of exact data leaves about 1e-16, and timings carry a few digits at most.
 */
const EXACT_FIT_RELATIVE_RMS = 1e-12;

export function fitSegmented(points: readonly SizePoint[], options: SegmentedFitOptions = {}): SegmentedFit {
  const settings = resolveSettings(options);
  checkPoints(points, settings);
  const sorted = [...points].sort((a, b) => a.bytes - b.bytes);
  const xs = Float64Array.from(sorted, (p) => p.bytes);
  const ys = Float64Array.from(sorted, (p) => p.us);
  const weights = Float64Array.from(sorted, (p) =>
    settings.weighting === 'relative' ? 1 / (p.us * p.us) : 1,
  );
  const sizes = new SortedSizes(xs, settings);
  const sums = new PrefixMoments(xs, ys, weights);
  const partitions = bestPartitions(sizes, sums, settings.maxSegments);
  if (!partitions[0]) {
    throw new RangeError(
      `fitSegmented: the points do not make one segment of at least ${settings.minPoints} points ` +
        `and ${settings.minSizes} distinct message sizes`,
    );
  }
  const totalWeightedSquares = ys.reduce((sum, y, i) => sum + weights[i] * y * y, 0);
  const rssFloor = totalWeightedSquares * EXACT_FIT_RELATIVE_RMS ** 2;
  const refit = (partition: Span[]) => partition.map(([s, e]) => fitWeightedLine(xs, ys, weights, s, e));
  const rssOf = (fits: LineFit[]) => fits.reduce((sum, f) => sum + f.rss, 0);
  const bicOf = (partition: Span[], rss: number) =>
    informationCriterion(xs.length, Math.max(rss, rssFloor), partition.length);

  let chosen: Span[];
  let selection: SegmentedFit['selection'];
  if (settings.selection === 'bic') {
    chosen = partitions[0];
    let bestBic = bicOf(chosen, rssOf(refit(chosen)));
    for (const partition of partitions) {
      if (!partition) continue;
      const bic = bicOf(partition, rssOf(refit(partition)));
      // Strictly smaller, so that a tie goes to the fewer segments tried first.
      if (bic < bestBic) {
        bestBic = bic;
        chosen = partition;
      }
    }
    selection = { rule: 'bic' };
  } else {
    const tests: SplitTest[] = [];
    chosen = partitions[0];
    for (let k = 1; k < settings.maxSegments && partitions[k]; k++) {
      const test = splitTest(xs, ys, weights, sizes, sums, refit(chosen), chosen, rssFloor, settings.alpha);
      if (!test) break;
      tests.push(test);
      if (!test.accepted) break;
      chosen = partitions[k]!;
    }
    selection = { rule: 'f-test', alpha: settings.alpha, tests };
  }

  const fits = refit(chosen);
  const rss = rssOf(fits);
  const segments = chosen.map(([start, end], s): Segment => {
    const ci = lineIntervals(fits[s]);
    return {
      fromBytes: xs[start],
      toBytes: xs[end],
      points: end - start + 1,
      intercept_us: fits[s].intercept,
      slope_us_per_byte: fits[s].slope,
      intercept_ci: ci.intercept,
      slope_ci: ci.slope,
    };
  });
  const breaks: SegmentBreak[] = chosen.slice(1).map(([start]) => ({
    lastBytesBefore: xs[start - 1],
    firstBytesAfter: xs[start],
    interval: null,
  }));
  let intervals: SegmentedFit['intervals'] = { method: 't', note: 'break positions taken as known' };
  let jointDraws: SegmentedFit['draws'];
  if (settings.bootstrap) {
    const { draws, seed } = settings.bootstrap;
    const boot = bootstrapSegmentation(
      { xs, ys, weights, relative: settings.weighting === 'relative', sizes },
      chosen,
      fits,
      draws,
      seed,
    );
    segments.forEach((segment, s) => {
      segment.intercept_ci = hull(segment.intercept_ci, boot.intercept[s]);
      segment.slope_ci = hull(segment.slope_ci, boot.slope[s]);
    });
    breaks.forEach((b, i) => (b.interval = boot.breaks[i]));
    intervals = { method: 'bootstrap and t', draws, seed };
    jointDraws = { intercept: boot.intercepts, slope: boot.slopes };
  }
  return {
    segments,
    breaks,
    rss,
    bic: bicOf(chosen, rss),
    weighting: settings.weighting,
    selection,
    intervals,
    ...(jointDraws ? { draws: jointDraws } : {}),
  };
}

/**
 * The F-test of the k segments of `partition` against the best admissible split of any one
 * of them, or undefined when no segment can be split (or the k segments fit exactly).
 */
function splitTest(
  xs: Float64Array,
  ys: Float64Array,
  weights: Float64Array,
  sizes: SortedSizes,
  sums: PrefixMoments,
  fits: LineFit[],
  partition: Span[],
  rssFloor: number,
  alpha: number,
): SplitTest | undefined {
  const rssK = fits.reduce((sum, f) => sum + f.rss, 0);
  if (rssK <= rssFloor) return undefined;
  let candidates = 0;
  let rssSplit = Infinity;
  partition.forEach((span, s) => {
    const split = bestSplit(sizes, sums, span);
    if (!split) return;
    candidates += split.candidates;
    const left = fitWeightedLine(xs, ys, weights, span[0], split.at - 1);
    const right = fitWeightedLine(xs, ys, weights, split.at, span[1]);
    rssSplit = Math.min(rssSplit, rssK - fits[s].rss + left.rss + right.rss);
  });
  if (candidates === 0) return undefined;
  const k = partition.length;
  const df = xs.length - 2 * (k + 1);
  const F = rssSplit <= rssFloor ? Infinity : ((rssK - rssSplit) / 2 / rssSplit) * df;
  const p = Math.min(1, candidates * fTail2(F, df));
  return { segments: k, F, candidates, p, accepted: p < alpha };
}

function resolveSettings(options: SegmentedFitOptions): Settings {
  const maxSegments = options.maxSegments ?? 4;
  const minPoints = options.minPoints ?? 3;
  const minSizes = options.minSizes ?? 4;
  const weighting = options.weighting ?? 'relative';
  const selection = options.selection ?? 'f-test';
  const alpha = options.alpha ?? 0.01;
  if (!Number.isInteger(maxSegments) || maxSegments < 1) {
    throw new RangeError(`fitSegmented: maxSegments must be an integer >= 1, got ${maxSegments}`);
  }
  if (!Number.isInteger(minPoints) || minPoints < 3) {
    throw new RangeError(
      `fitSegmented: minPoints must be an integer >= 3 (a segment needs a residual degree of freedom for its interval), got ${minPoints}`,
    );
  }
  if (!Number.isInteger(minSizes) || minSizes < 3) {
    throw new RangeError(
      `fitSegmented: minSizes must be an integer >= 3 (a line through two sizes has no lack of fit to see), got ${minSizes}`,
    );
  }
  if (weighting !== 'relative' && weighting !== 'absolute') {
    throw new RangeError(
      `fitSegmented: weighting must be 'relative' or 'absolute', got ${String(weighting)}`,
    );
  }
  if (selection !== 'f-test' && selection !== 'bic') {
    throw new RangeError(`fitSegmented: selection must be 'f-test' or 'bic', got ${String(selection)}`);
  }
  if (!(alpha > 0 && alpha < 1)) {
    throw new RangeError(`fitSegmented: alpha must be in (0, 1), got ${alpha}`);
  }
  let bootstrap: Settings['bootstrap'] = false;
  if (options.bootstrap !== false) {
    const draws = options.bootstrap?.draws ?? 1000;
    const seed = options.bootstrap?.seed ?? 1;
    if (!Number.isInteger(draws) || draws < 40) {
      throw new RangeError(
        `fitSegmented: bootstrap draws must be an integer >= 40 (a 95% interval needs a tail), got ${draws}`,
      );
    }
    bootstrap = { draws, seed };
  }
  return { maxSegments, minPoints, minSizes, weighting, selection, alpha, bootstrap };
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

function hull(a: [number, number], b: [number, number]): [number, number] {
  return [Math.min(a[0], b[0]), Math.max(a[1], b[1])];
}

function informationCriterion(n: number, rss: number, segments: number): number {
  const parameters = 3 * segments - 1;
  return n * Math.log(rss / n) + parameters * Math.log(n);
}
