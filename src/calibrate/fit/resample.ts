/**
 * Joint draws of measured values for the fitters' 95% intervals, by the first of these the
 * data allow:
 *
 * 1. `bootstrap`: every run kept its raw samples (the probe keeps every timing). Each draw
 *    resamples each run's samples with replacement and takes the run's statistic again
 *    (Efron, B. and Tibshirani, R. J. 1993, An Introduction to the Bootstrap, Chapman &
 *    Hall, ch. 6). Where a configuration was run several times, the runs are resampled
 *    first and the samples within each drawn run after (the two-stage bootstrap of Davison,
 *    A. C. and Hinkley, D. V. 1997, Bootstrap Methods and their Application, Sec. 3.8), so
 *    that run-to-run spread counts too.
 * 2. `repeats`: no samples, but every configuration was run r >= 2 times. Each draw of a
 *    configuration's mean is mean + (s / sqrt(r)) T, T a Student t deviate with r - 1
 *    degrees of freedom: the spread the r runs show, widened as a t interval is for few runs.
 * 3. `none`: a configuration measured once without samples has no spread to draw from. The
 *    fit then gives values without intervals and says so.
 *
 * A fitter computes its parameters from the configurations' values; computing them again
 * from each joint draw gives draws of the parameters that keep their correlation (all come
 * from the same draw of the data), and the 2.5% and 97.5% quantiles of those are the 95%
 * intervals. Draws are seeded: the same data give the same intervals.
 */
import { range95 } from '../../model/uncertainty/draw.js';
import { normal, seededRng, type Rng } from '../../model/uncertainty/rng.js';

/** One timed run of one configuration. */
export interface Measured {
  /** The run's latency, us; used when the run has no samples. */
  us: number;
  /** Every timed sample of the run, us. When present, the run's value is their statistic. */
  samples_us?: readonly number[];
}

export type Statistic = 'median' | 'mean';
export type IntervalMethod = 'bootstrap' | 'repeats' | 'none';

export interface IntervalOptions {
  /** Joint draws for the intervals. Default 1000; 0 for none. */
  draws?: number;
  /** Seed of the draws. Default 1. */
  seed?: number;
  /** What a run's value is when it has samples. Default 'median' (as Netgauge and perftest's typical). */
  statistic?: Statistic;
}

/** How a fit's intervals were made. */
export interface IntervalSource {
  method: IntervalMethod;
  draws: number;
  seed: number | null;
  /** In words, including why a better method was not possible. */
  why: string;
}

/** A run as a cell holds it: an offset (us) is subtracted from its value and from every sample. */
export interface CellRun extends Measured {
  offset_us?: number;
}

export interface CellDraws {
  /** Each cell's value: the mean over its runs of (statistic - offset). */
  values: number[];
  /** draws[d][c]: cell c in joint draw d. Empty when the method is 'none'. */
  draws: number[][];
  source: IntervalSource;
}

interface Run {
  value: number;
  /** Sorted samples minus the offset, when the run kept at least 2. */
  sorted?: Float64Array;
}

/** The values of the cells (groups of repeated runs of one configuration) and their joint draws. */
export function drawCells(cells: readonly (readonly CellRun[])[], options: IntervalOptions = {}): CellDraws {
  const draws = options.draws ?? 1000;
  const seed = options.seed ?? 1;
  const statistic = options.statistic ?? 'median';
  if (!Number.isInteger(draws) || draws < 0 || (draws > 0 && draws < 40)) {
    throw new RangeError(
      `intervals: draws must be 0 or an integer >= 40 (a 95% interval needs tails), got ${draws}`,
    );
  }
  cells.forEach((runs, c) => {
    if (runs.length === 0) throw new RangeError(`intervals: configuration ${c} has no runs`);
  });
  const prepared = cells.map((runs) => runs.map((run) => prepareRun(run, statistic)));
  const values = prepared.map((runs) => meanOf(runs.map((r) => r.value)));
  const allSampled = prepared.every((runs) => runs.every((r) => r.sorted));
  const allRepeated = prepared.every((runs) => runs.length >= 2);

  if (draws === 0) {
    return {
      values,
      draws: [],
      source: { method: 'none', draws: 0, seed: null, why: 'no draws were asked for' },
    };
  }
  const rng = seededRng(seed);
  if (allSampled) {
    const repeated = prepared.some((runs) => runs.length >= 2);
    return {
      values,
      draws: Array.from({ length: draws }, () => prepared.map((runs) => bootstrapCell(runs, statistic, rng))),
      source: {
        method: 'bootstrap',
        draws,
        seed,
        why: repeated
          ? `seeded bootstrap over the raw samples (the ${statistic} of each run), runs resampled where a configuration was repeated`
          : `seeded bootstrap over the raw samples (the ${statistic} of each run)`,
      },
    };
  }
  if (allRepeated) {
    const fewest = Math.min(...prepared.map((runs) => runs.length));
    return {
      values,
      draws: Array.from({ length: draws }, () => prepared.map((runs) => repeatsDraw(runs, rng))),
      source: {
        method: 'repeats',
        draws,
        seed,
        why: `from repeated runs (at least ${fewest} per configuration): Student t draws of each mean; some runs have no raw samples`,
      },
    };
  }
  const single = prepared.findIndex((runs) => runs.length < 2 && runs.some((r) => !r.sorted));
  return {
    values,
    draws: [],
    source: {
      method: 'none',
      draws: 0,
      seed: null,
      why: `configuration ${single} was measured once and kept no raw samples: no spread to draw from`,
    },
  };
}

/** 95% interval of each named column of joint draws, or null when there are none. */
export function intervalsOf<K extends string>(
  draws: Record<K, number[]>,
): Record<K, [number, number] | null> {
  const out = {} as Record<K, [number, number] | null>;
  for (const key of Object.keys(draws) as K[]) out[key] = draws[key].length > 0 ? range95(draws[key]) : null;
  return out;
}

/**
 * The 95% interval of drawn sizes (break positions, limits) as sizes that were measured:
 * the order statistics just outside the 2.5% and 97.5% quantiles, never a value between two
 * sizes.
 */
export function sizeInterval(lower: number[], upper: number[] = lower): [number, number] | null {
  if (lower.length === 0) return null;
  const at = (sample: number[], p: number, round: (x: number) => number) => {
    const sorted = [...sample].sort((a, b) => a - b);
    return sorted[round(p * (sorted.length - 1))];
  };
  return [at(lower, 0.025, Math.floor), at(upper, 0.975, Math.ceil)];
}

function prepareRun(run: CellRun, statistic: Statistic): Run {
  const offset = run.offset_us ?? 0;
  const samples = run.samples_us;
  if (samples && samples.length >= 2) {
    const sorted = Float64Array.from(samples, (x) => x - offset).sort();
    return { value: statisticOfSorted(sorted, statistic), sorted };
  }
  if (samples && samples.length === 1) return { value: samples[0] - offset };
  if (!Number.isFinite(run.us)) throw new RangeError(`intervals: a run has us = ${run.us} and no samples`);
  return { value: run.us - offset };
}

function statisticOfSorted(sorted: Float64Array, statistic: Statistic): number {
  const m = sorted.length;
  if (statistic === 'mean') return sorted.reduce((a, b) => a + b, 0) / m;
  return m % 2 === 1 ? sorted[(m - 1) / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
}

function bootstrapCell(runs: Run[], statistic: Statistic, rng: Rng): number {
  let sum = 0;
  for (let i = 0; i < runs.length; i++) {
    const run = runs.length === 1 ? runs[0] : runs[Math.floor(rng() * runs.length)];
    sum += resampledStatistic(run.sorted!, statistic, rng);
  }
  return sum / runs.length;
}

/**
 * The statistic of one resample (with replacement, same size) of sorted values, in O(m):
 * the mean directly, the median from how often each sorted value was drawn.
 */
function resampledStatistic(sorted: Float64Array, statistic: Statistic, rng: Rng): number {
  const m = sorted.length;
  if (statistic === 'mean') {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += sorted[Math.floor(rng() * m)];
    return sum / m;
  }
  const counts = new Int32Array(m);
  for (let i = 0; i < m; i++) counts[Math.floor(rng() * m)]++;
  const kth = (k: number) => {
    let seen = 0;
    for (let i = 0; i < m; i++) {
      seen += counts[i];
      if (seen > k) return sorted[i];
    }
    return sorted[m - 1];
  };
  return m % 2 === 1 ? kth((m - 1) / 2) : (kth(m / 2 - 1) + kth(m / 2)) / 2;
}

function repeatsDraw(runs: Run[], rng: Rng): number {
  const r = runs.length;
  const mean = meanOf(runs.map((x) => x.value));
  const variance = runs.reduce((sum, x) => sum + (x.value - mean) ** 2, 0) / (r - 1);
  return mean + Math.sqrt(variance / r) * studentDeviate(r - 1, rng);
}

/** A Student t deviate with df degrees of freedom: Z / sqrt(chi2_df / df), chi2 as a sum of squared normals. */
function studentDeviate(df: number, rng: Rng): number {
  const z = normal(rng);
  let chi2 = 0;
  for (let i = 0; i < df; i++) chi2 += normal(rng) ** 2;
  return z / Math.sqrt(chi2 / df);
}

function meanOf(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
