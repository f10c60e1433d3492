/**
 * The plateau of an aggregate rate as parallel streams are added, the rule the shared
 * resources of the model follow (src/model/virtualization.ts rules 4 and 5): N streams
 * that each reach r alone reach together
 *
 *   R(N) = min(N r, C)
 *
 * with C the shared resource's capacity. r is the rate per stream at the fewest streams
 * measured. A run whose aggregate falls short of N r by more than `shortfall` is paced by
 * the shared resource: its aggregate measures C. C is the mean of those runs' aggregates,
 * with the Student t 95% interval of that mean when two or more (they are repeats of one
 * plateau), none with one. With none saturated the data bound C from below only.
 */
import { studentT975 } from './student-t.js';

export interface StreamsRate {
  /** Streams (pairs) running at once. */
  streams: number;
  /** Their aggregate rate, in any unit. */
  rate: number;
}

export interface Plateau {
  /** Rate of one stream alone (from the fewest streams measured). */
  perStream: number;
  /** Stream counts measured, ascending. */
  counts: number[];
  /** Stream counts whose runs were saturated, ascending. */
  saturated: number[];
  /** Indexes (into the runs given) of the saturated runs. */
  saturatedRuns: number[];
  /** Mean aggregate of the saturated runs; null when none is. */
  capacity: number | null;
  /** Student t 95% interval of `capacity`; null with fewer than two saturated runs. */
  interval: [number, number] | null;
  /** Largest aggregate measured: the lower bound when nothing saturated. */
  most: number;
}

/**
 * The plateau of `runs`; `name` prefixes the RangeError of runs that cannot show one, which
 * calls a run's rate `rateName`.
 */
export function aggregatePlateau(
  runs: readonly StreamsRate[],
  name: string,
  shortfall = 0.1,
  rateName = 'an aggregate rate',
): Plateau {
  runs.forEach((run, i) => {
    if (!Number.isInteger(run.streams) || run.streams < 1)
      throw new RangeError(`${name}: run ${i} has pairs = ${run.streams}; an integer >= 1 is needed`);
    if (!(Number.isFinite(run.rate) && run.rate > 0))
      throw new RangeError(`${name}: run ${i} has ${rateName} of ${run.rate}`);
  });
  const counts = [...new Set(runs.map((r) => r.streams))].sort((a, b) => a - b);
  if (counts.length < 2)
    throw new RangeError(
      `${name}: streaming runs at two or more pair counts are needed (--pairs 1 and more), to tell the pairs' own rate from the shared one`,
    );
  const fewest = counts[0];
  const perStream = mean(runs.filter((r) => r.streams === fewest).map((r) => r.rate / fewest));
  const isSaturated = (r: StreamsRate) => r.rate < (1 - shortfall) * r.streams * perStream;
  const saturatedRuns = runs.filter(isSaturated);
  const indexes = runs.flatMap((r, i) => (isSaturated(r) ? [i] : []));
  const saturated = [...new Set(saturatedRuns.map((r) => r.streams))].sort((a, b) => a - b);
  const most = Math.max(...runs.map((r) => r.rate));
  if (saturatedRuns.length === 0)
    return { perStream, counts, saturated, saturatedRuns: indexes, capacity: null, interval: null, most };
  const plateau = saturatedRuns.map((r) => r.rate);
  const capacity = mean(plateau);
  let interval: [number, number] | null = null;
  if (plateau.length >= 2) {
    const sd = Math.sqrt(plateau.reduce((s, x) => s + (x - capacity) ** 2, 0) / (plateau.length - 1));
    const half = (studentT975(plateau.length - 1) * sd) / Math.sqrt(plateau.length);
    interval = [Math.max(capacity - half, Number.MIN_VALUE), capacity + half];
  }
  return { perStream, counts, saturated, saturatedRuns: indexes, capacity, interval, most };
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
