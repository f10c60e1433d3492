/**
 * The per-byte cost of a CPU operation over buffer sizes, the building block of the
 * `mpi.copyPerByte` and `compute.reducePerByte` fits (copy-per-byte.ts,
 * reduce-per-byte.ts): the time of one operation on s bytes, over the sizes where it is
 * linear, is
 *
 *   t(s) = c + s b,
 *
 * c the call's fixed cost and b the cost per byte, the parameter. b is the weighted
 * least-squares slope (weighted-line.ts) of each size's median time, weighted by 1 / t^2
 * (the noise of a timed operation is relative), over the sizes in [minBytes, maxBytes];
 * its 95% interval is the same slope computed on each joint draw of the sizes' values
 * (resample.ts: seeded bootstrap over the raw samples).
 *
 * The data cannot pin b down, and the fit refuses (RangeError, the caller keeps the base
 * value and says so), when fewer than three sizes spanning a factor 4 fall in the window,
 * when the time does not grow with size, or when the 95% interval reaches 0. It warns when
 * the line misses a size by more than a fifth (the cost is not linear there: a cache level
 * inside the window) or when the interval is wider than the value itself.
 */
import { range95 } from '../../model/uncertainty/draw.js';
import { cellsAt } from './curve-difference.js';
import type { SizedMeasurement } from './from-probe.js';
import { drawCells, type IntervalOptions, type IntervalSource } from './resample.js';
import { fitWeightedLine } from './weighted-line.js';

export const MIN_SLOPE_SIZES = 3;
/** The window's largest size over its smallest, at least: a slope over sizes close together is mostly noise. */
export const MIN_SLOPE_SPAN = 4;
/** A size the line misses by more than this share of its time makes the fit warn. */
export const LINEAR_TOLERANCE = 0.2;

export interface PerByteWindow {
  /** The parameter's name, for messages. */
  name: string;
  minBytes: number;
  maxBytes: number;
  /** What the window is, in words, for `from` (e.g. "warm cache, 256 B to the eager threshold"). */
  what: string;
}

export interface PerByteFit {
  /** b, us/B. */
  value: number;
  interval: [number, number] | null;
  /** c, us: the fixed cost of one call. */
  intercept: number;
  sizes: number[];
  /** The largest |t - (c + s b)| / t over the sizes, and where. */
  worstResidual: { bytes: number; rel: number };
  intervals: IntervalSource;
  from: string;
  warnings: string[];
}

export function fitPerByteSlope(
  points: readonly SizedMeasurement[],
  window: PerByteWindow,
  options: IntervalOptions = {},
): PerByteFit {
  const { name, minBytes, maxBytes } = window;
  const all = [...new Set(points.map((p) => p.bytes))].sort((a, b) => a - b);
  const sizes = all.filter((s) => s >= minBytes && s <= maxBytes);
  if (sizes.length < MIN_SLOPE_SIZES || sizes[sizes.length - 1] < MIN_SLOPE_SPAN * sizes[0])
    throw new RangeError(
      `${name}: ${sizes.length} measured size(s) between ${minBytes} and ${maxBytes} B (${window.what}); ` +
        `the per-byte slope needs ${MIN_SLOPE_SIZES} or more spanning a factor ${MIN_SLOPE_SPAN} (measured: ${all.join(', ') || 'none'} B)`,
    );
  const cells = drawCells(cellsAt(points, sizes), options);
  const lineOf = (ys: number[]) =>
    fitWeightedLine(
      sizes,
      ys,
      ys.map((y) => 1 / (y * y)),
      0,
      sizes.length - 1,
    );
  const line = lineOf(cells.values);
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  if (!(line.slope > 0))
    throw new RangeError(
      `${name}: the time does not grow with size over ${first}..${last} B (slope ${line.slope.toPrecision(3)} us/B); no per-byte cost to fit`,
    );
  const slopes = cells.draws.map((d) => lineOf(d).slope).filter(Number.isFinite);
  const interval = slopes.length > 0 ? range95(slopes) : null;
  if (interval && interval[0] <= 0)
    throw new RangeError(
      `${name}: its 95% interval [${interval[0].toPrecision(3)}, ${interval[1].toPrecision(3)}] us/B over ${first}..${last} B reaches 0; the samples are too noisy to tell it from 0 (more --iters, an idle CPU)`,
    );
  let worst = { bytes: first, rel: 0 };
  sizes.forEach((s, i) => {
    const y = cells.values[i];
    const rel = Math.abs(y - (line.intercept + line.slope * s)) / y;
    if (rel > worst.rel) worst = { bytes: s, rel };
  });
  const warnings: string[] = [];
  if (worst.rel > LINEAR_TOLERANCE)
    warnings.push(
      `${name}: the time is not linear in size over ${first}..${last} B (the line misses ${worst.bytes} B by ${(100 * worst.rel).toFixed(0)}%): the value is an average slope there`,
    );
  if (interval && interval[1] - interval[0] > line.slope)
    warnings.push(
      `${name}: its 95% interval [${interval[0].toPrecision(3)}, ${interval[1].toPrecision(3)}] us/B is wider than the value; the data barely pin it down`,
    );
  return {
    value: line.slope,
    interval,
    intercept: line.intercept,
    sizes,
    worstResidual: worst,
    intervals: cells.source,
    from:
      `per-byte slope of the median time over ${sizes.length} sizes ${first}..${last} B (${window.what}; ` +
      `least squares weighted 1/t^2): ${line.slope.toPrecision(4)} us/B (${(1 / line.slope).toPrecision(4)} MB/s), ` +
      `fixed cost ${line.intercept.toPrecision(3)} us, worst residual ${(100 * worst.rel).toFixed(1)}% at ${worst.bytes} B`,
    warnings,
  };
}
