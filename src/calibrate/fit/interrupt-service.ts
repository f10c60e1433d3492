/**
 * The time a completion interrupt holds its vector, from event-mode ping-pong of N pairs
 * whose ranks share one function's vector (src/model/virtualization.ts rule 6,
 * src/model/sim/interrupt-vectors.ts: one interrupt at a time, first come first served).
 * Every one-way message of event progress is one wake-up, holding the vector for S; the
 * rest of a lone one-way time l(1) does not hold it. N pairs are then N customers cycling
 * through one server of service S and a delay l(1) - S, whose one-way time is (the
 * deterministic closed cycle the simulator runs)
 *
 *   l(N) = max(l(1), N S).
 *
 * A run whose one-way time exceeds l(1) (the run of one pair, which must be there) by more
 * than `excess` (10%) is paced by the vector, and gives S = l(N) / N; S is the mean over those
 * runs. Near the knee queueing adds to l(N), so a run just past it overstates S a little.
 * l(N) is the mean over the run's pairs of each pair's median; the interval comes from
 * joint draws of those values (resample.ts: seeded bootstrap over the raw samples, pairs
 * resampled as repeats). No run past the knee: the data cannot pin S down.
 *
 * S is interruptService on bare metal (PF, path native-loopback), interruptService +
 * interruptExitCost in a guest (VF, path vf-loopback); vf-params.ts splits them.
 *
 * Measured by: `ibvf probe run --transport verbs --progress event --pairs N` on one host
 * (or inside one VM), N = 1, 2, 4, ...: the probe creates every pair's completion queue on
 * vector 0 (native/verbs/channel.cc), as MVAPICH2 does, so all pairs share one vector.
 */
import { range95 } from '../../model/uncertainty/draw.js';
import type { SizedMeasurement } from './from-probe.js';
import { drawCells, type IntervalOptions, type IntervalSource } from './resample.js';

export interface EventPairsRun {
  /** Pairs that ran at once. */
  pairs: number;
  /** Each pair's event-mode one-way time at the size used (its samples when kept). */
  perPair: SizedMeasurement[];
}

export interface VectorServiceFit {
  /** us. */
  value: number;
  interval: [number, number] | null;
  /** l(1), us. */
  lone: number;
  /** Pair counts whose runs the vector paced. */
  paced: number[];
  intervals: IntervalSource;
  from: string;
}

export function fitVectorService(
  runs: readonly EventPairsRun[],
  options: IntervalOptions = {},
  excess = 0.1,
): VectorServiceFit {
  runs.forEach((r, i) => {
    if (!Number.isInteger(r.pairs) || r.pairs < 1 || r.perPair.length === 0)
      throw new RangeError(
        `interruptService: run ${i} has pairs = ${r.pairs} and ${r.perPair.length} pair latencies`,
      );
  });
  if (!runs.some((r) => r.pairs === 1))
    throw new RangeError(
      'interruptService: no event-mode run of one pair (--pairs 1), the lone one-way time to compare',
    );
  if (new Set(runs.map((r) => r.pairs)).size < 2)
    throw new RangeError(
      'interruptService: event-mode runs at two or more pair counts are needed (--pairs 1 and more)',
    );
  const cells = drawCells(
    runs.map((r) => r.perPair),
    options,
  );
  const estimate = (values: number[]) => {
    const lone = mean(values.filter((_, i) => runs[i].pairs === 1));
    const paced = runs.flatMap((r, i) => (values[i] > (1 + excess) * lone ? [values[i] / r.pairs] : []));
    return { lone, paced, s: paced.length > 0 ? mean(paced) : Number.NaN };
  };
  const point = estimate(cells.values);
  const paced = [
    ...new Set(runs.filter((_, i) => cells.values[i] > (1 + excess) * point.lone).map((r) => r.pairs)),
  ];
  if (point.paced.length === 0)
    throw new RangeError(
      `interruptService: the event-mode one-way time does not grow with the pairs (pairs = ${[...new Set(runs.map((r) => r.pairs))].join(', ')}, all within ${100 * excess}% of one pair's ${point.lone.toPrecision(3)} us); the vector never paces them, so the data cannot pin its service time down (run more pairs)`,
    );
  const draws = cells.draws.map((d) => estimate(d).s).filter(Number.isFinite);
  return {
    value: point.s,
    interval: draws.length > 0 ? range95(draws) : null,
    lone: point.lone,
    paced: paced.sort((a, b) => a - b),
    intervals: cells.source,
    from: `mean of l(N) / N over the event-mode runs the vector paces (pairs = ${paced.join(', ')}: one-way time more than ${100 * excess}% above one pair's ${point.lone.toPrecision(4)} us), l(N) = max(l(1), N S)`,
  };
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
