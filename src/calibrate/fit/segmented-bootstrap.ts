/**
 * Intervals of a segmented fit that include the uncertainty of where the breaks are: a
 * seeded residual bootstrap that refits the whole segmentation (Davison, A. C. and
 * Hinkley, D. V. 1997, Bootstrap Methods and their Application, Cambridge University
 * Press, Sec. 6.2.3, Algorithm 6.1 with modified residuals).
 *
 * - Residuals are taken on the weighted scale, r_i = (y_i - yhat_i) sqrt(w_i), divided by
 *   sqrt(1 - h_i) (h_i the point's leverage in its segment's line, so that they have the
 *   variance of the errors rather than the smaller one of residuals), and centred.
 * - Each replicate puts resampled residuals back on the fitted curve: with relative weights
 *   y* = yhat exp(r*) (multiplicative noise; to first order yhat (1 + r*), and never
 *   negative), with absolute weights y* = yhat + r*.
 * - Each replicate is refitted from scratch with the same number of segments: the break
 *   positions move with the data, so the spread of each segment's intercept and slope
 *   contains that of the breaks. The number of segments itself stays as chosen.
 * - Intervals are the 2.5% and 97.5% percentiles of the replicates; a break's interval is
 *   [2.5% quantile of the last size before it, 97.5% quantile of the first size after it],
 *   each taken as a measured size (resample.ts, sizeInterval).
 */
import { range95 } from '../../model/uncertainty/draw.js';
import { seededRng } from '../../model/uncertainty/rng.js';
import { sizeInterval } from './resample.js';
import { bestPartitions, SortedSizes, type Span } from './segment-partition.js';
import { fitWeightedLine, leverage, PrefixMoments, type LineFit } from './weighted-line.js';

export interface SegmentationData {
  xs: Float64Array;
  ys: Float64Array;
  weights: Float64Array;
  relative: boolean;
  sizes: SortedSizes;
}

export interface BootstrapIntervals {
  intercept: [number, number][];
  slope: [number, number][];
  breaks: [number, number][];
  /** The joint draws: intercepts[s][d] and slopes[s][d] of segment s come from one resample d. */
  intercepts: number[][];
  slopes: number[][];
}

export function bootstrapSegmentation(
  data: SegmentationData,
  partition: Span[],
  fits: LineFit[],
  draws: number,
  seed: number,
): BootstrapIntervals {
  const { xs, ys, weights, relative, sizes } = data;
  const n = xs.length;
  const k = partition.length;
  const fitted = new Float64Array(n);
  const residuals = new Float64Array(n);
  partition.forEach(([start, end], s) => {
    const line = fits[s];
    for (let i = start; i <= end; i++) {
      fitted[i] = line.intercept + line.slope * xs[i];
      const h = leverage(line, xs[i], weights[i]);
      residuals[i] = ((ys[i] - fitted[i]) * Math.sqrt(weights[i])) / Math.sqrt(Math.max(1 - h, 1e-12));
    }
  });
  const mean = residuals.reduce((a, b) => a + b, 0) / n;
  for (let i = 0; i < n; i++) residuals[i] -= mean;

  const rng = seededRng(seed);
  const intercepts = Array.from({ length: k }, () => new Array<number>(draws));
  const slopes = Array.from({ length: k }, () => new Array<number>(draws));
  const lastBefore = Array.from({ length: k - 1 }, () => new Array<number>(draws));
  const firstAfter = Array.from({ length: k - 1 }, () => new Array<number>(draws));
  const yStar = new Float64Array(n);
  const wStar = new Float64Array(n);
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < n; i++) {
      const r = residuals[Math.floor(rng() * n)];
      // A fitted line may dip below zero where no point is; the measured value stands in.
      yStar[i] = relative ? (fitted[i] > 0 ? fitted[i] : ys[i]) * Math.exp(r) : fitted[i] + r;
      wStar[i] = relative ? 1 / (yStar[i] * yStar[i]) : 1;
    }
    const spans = bestPartitions(sizes, new PrefixMoments(xs, yStar, wStar), k)[k - 1]!;
    spans.forEach(([start, end], s) => {
      const line = fitWeightedLine(xs, yStar, wStar, start, end);
      intercepts[s][d] = line.intercept;
      slopes[s][d] = line.slope;
      if (s > 0) {
        lastBefore[s - 1][d] = xs[start - 1];
        firstAfter[s - 1][d] = xs[start];
      }
    });
  }
  return {
    intercept: intercepts.map(range95),
    slope: slopes.map(range95),
    breaks: lastBefore.map((before, b) => sizeInterval(before, firstAfter[b])!),
    intercepts,
    slopes,
  };
}
