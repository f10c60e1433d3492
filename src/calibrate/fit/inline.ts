/**
 * The inline saving and the inline limit of a path, `inlineSaving` and `inlineLimit`
 * (src/model/p2p/verbs.ts, wire.ts): a send of at most the limit is written by the CPU into
 * the work request (BlueFlame) and skips the descriptor and payload DMA fetch, so with
 * inline on and with inline off (max_inline_size 0) the same sweep gives
 *
 *   off(s) - on(s) = inlineSaving   for s <= inlineLimit,
 *                  = 0              above it, where the two curves meet.
 *
 * A one-step least-squares fit of that difference (the least-squares change point of a
 * mean, Hinkley, D. V. 1970, "Inference about the change-point in a sequence of random
 * variables", Biometrika 57(1):1): over the common sizes s_1 < ... < s_m, for each
 * k = 1..m the saving S_k is the weighted mean of the first k differences and the misfit is
 *
 *   SSE_k = sum_{i <= k} w_i (d_i - S_k)^2 + sum_{i > k} w_i d_i^2,
 *
 * with w_i = 1 / (on_i^2 + off_i^2) (timing noise relative to the time; curve-difference.ts).
 * The k with the least SSE gives the saving S_k and the limit: the largest measured size
 * with the saving is s_k, and the true limit lies in [s_k, s_(k+1)). Each joint draw
 * (resample.ts) refits the step, so the saving's interval includes the doubt about where
 * the step is, and the limit's interval is a range of measured sizes.
 *
 * Measured by: the same latency sweep with inline on and off, perftest `ib_send_lat -a`
 * and `ib_send_lat -a -I 0` (or ib_write_lat) read by `ibvf import`; the probe's verbs
 * transport will give the same pair of runs.
 */
import { commonSizes, cellsAt, type DifferenceOptions } from './curve-difference.js';
import { clampAtZero, reachesZeroWarning, type FittedValue } from './fitted-value.js';
import type { SizedMeasurement } from './from-probe.js';
import { drawCells, intervalsOf, sizeInterval, type IntervalSource } from './resample.js';

export interface InlineFit {
  saving: FittedValue;
  /** The largest measured size with the saving, B; the limit lies below nextBytes. */
  limit: FittedValue;
  /** The first measured size above the limit, where the curves meet; null if they never do. */
  nextBytes: number | null;
  /** off(s) - on(s) at each common size, us. */
  bySize: { bytes: number; us: number }[];
  intervals: IntervalSource;
  /** Joint draws of the saving and the limit. Empty without intervals. */
  draws: { saving: number[]; limit: number[] };
  warnings: string[];
}

interface Step {
  /** Number of sizes with the saving (1..m). */
  k: number;
  saving: number;
}

export function fitInline(
  on: readonly SizedMeasurement[],
  off: readonly SizedMeasurement[],
  options: DifferenceOptions = {},
): InlineFit {
  const sizes = commonSizes(on, off);
  if (sizes.length < 2) {
    throw new RangeError(
      `inlineLimit: the inline-on and inline-off curves share ${sizes.length} size(s); a step needs at least 2`,
    );
  }
  const m = sizes.length;
  const cells = drawCells([...cellsAt(off, sizes), ...cellsAt(on, sizes)], options);
  const weights = sizes.map((_, i) => 1 / (cells.values[i] ** 2 + cells.values[m + i] ** 2));
  const differences = (values: number[]) => sizes.map((_, i) => values[i] - values[m + i]);
  const point = bestStep(differences(cells.values), weights);
  const steps = cells.draws.map((values) => bestStep(differences(values), weights));
  const savingDraws = steps.map((s) => clampAtZero(s.saving));
  const limitDraws = steps.map((s) => sizes[s.k - 1]);

  const warnings: string[] = [];
  if (point.saving < 0) {
    warnings.push(
      `inlineSaving: the estimate is ${Number(point.saving.toPrecision(4))} us < 0 (inline off was faster); set to 0, the data cannot pin inlineSaving or inlineLimit down`,
    );
  }
  const zero = reachesZeroWarning(
    'inlineSaving',
    clampAtZero(point.saving),
    steps.map((s) => s.saving),
  );
  if (zero) warnings.push(`${zero}, nor where inline stops`);
  const nextBytes = point.k < m ? sizes[point.k] : null;
  if (nextBytes === null) {
    warnings.push(
      `inlineLimit: the two curves do not meet up to ${sizes[m - 1]} B; the limit is at least that`,
    );
  }
  const label = options.measurement ? `${options.measurement}: ` : '';
  const over = `${m} sizes ${sizes[0]}..${sizes[m - 1]} B`;
  return {
    saving: {
      value: clampAtZero(point.saving),
      unit: 'us',
      interval: intervalsOf({ s: savingDraws }).s,
      from: `${label}latency with inline off minus on, weighted mean below the step fitted over ${over}`,
    },
    limit: {
      value: sizes[point.k - 1],
      unit: 'B',
      interval: sizeInterval(limitDraws),
      from: `${label}largest size where inline off is slower than on, from the step fitted over ${over}`,
    },
    nextBytes,
    bySize: sizes.map((bytes, i) => ({ bytes, us: cells.values[i] - cells.values[m + i] })),
    intervals: cells.source,
    draws: { saving: savingDraws, limit: limitDraws },
    warnings,
  };
}

/** The least-squares step: k sizes at the weighted mean of their differences, the rest at 0. */
function bestStep(d: number[], w: number[]): Step {
  const m = d.length;
  let totalAbove = 0;
  for (let i = 0; i < m; i++) totalAbove += w[i] * d[i] * d[i];
  let sw = 0;
  let swd = 0;
  let swdd = 0;
  let best: Step & { sse: number } = { k: 1, saving: d[0], sse: Infinity };
  for (let k = 1; k <= m; k++) {
    const i = k - 1;
    sw += w[i];
    swd += w[i] * d[i];
    swdd += w[i] * d[i] * d[i];
    totalAbove -= w[i] * d[i] * d[i];
    const sse = swdd - (swd * swd) / sw + Math.max(totalAbove, 0);
    // Strictly smaller: of equal fits the smaller limit, which claims less.
    if (sse < best.sse) best = { k, saving: swd / sw, sse };
  }
  return { k: best.k, saving: best.saving };
}
