/**
 * The HCA's shared message rate, `hca.messageRate`: the messages per second one HCA
 * processes for all its functions together. The model (src/model/virtualization.ts, rule
 * 4) holds the HCA's engine for 1 / messageRate per message, so N pairs that each stream at
 * r alone reach an aggregate of
 *
 *   R(N) = min(N r, messageRate)
 *
 * (the closed form bounded by the busiest HCA). r is the per-pair rate at the fewest pairs
 * measured (divided by their number). A run whose aggregate falls short of N r by more than
 * `shortfall` (default 10%) is saturated: the HCA, not the pairs, paces it, and its
 * aggregate is a measurement of messageRate. messageRate is the mean of the saturated runs'
 * aggregates; with two or more its 95% interval is the Student t interval of that mean (the
 * saturated runs are repeats of one plateau), with one there is none. With no saturated run
 * the data only bound it from below: the fit says so and returns that bound without
 * claiming it. The plateau rule is aggregate-plateau.ts's, shared with the socket's copy
 * bandwidth.
 *
 * Measured by: `ibvf probe run --transport verbs --pairs N` streaming at a small size with a
 * deep window (osu_mbw_mr's shape), for N = 1, 2, 4, ... until the aggregate stops growing;
 * the probe records each run's aggregate msg_rate (src/probe/result.ts, StreamRun).
 */
import { aggregatePlateau } from './aggregate-plateau.js';

export interface PairsRate {
  /** Pairs streaming at once through one HCA. */
  pairs: number;
  /** Their aggregate rate, messages per second. */
  msgRate: number;
}

export interface HcaMessageRateFit {
  /** Mmsg/s (10^6 messages per second), the profile's unit; a lower bound when `saturated` is empty. */
  value: number;
  interval: [number, number] | null;
  /** Per-pair rate alone, Mmsg/s. */
  perPair: number;
  /** Pair counts whose runs were saturated. */
  saturated: number[];
  from: string;
  warnings: string[];
}

export function fitHcaMessageRate(runs: readonly PairsRate[], shortfall = 0.1): HcaMessageRateFit {
  const mmsg = (x: number) => x / 1e6;
  const p = aggregatePlateau(
    runs.map((r) => ({ streams: r.pairs, rate: r.msgRate })),
    'hca.messageRate',
    shortfall,
    'a message rate',
  );
  const perPair = mmsg(p.perStream);
  const { saturated } = p;
  const list = p.counts.join(', ');
  if (p.capacity === null) {
    const most = mmsg(p.most);
    return {
      value: most,
      interval: null,
      perPair,
      saturated,
      from: `aggregate streaming rate at pairs = ${list}: no run falls ${100 * shortfall}% short of N x the per-pair rate`,
      warnings: [
        `hca.messageRate: the aggregate rate still grows with the pairs at ${list}; the HCA's rate is at least ${round(most)} Mmsg/s but not measured (stream with more pairs)`,
      ],
    };
  }
  const warnings: string[] = [];
  if (!p.interval)
    warnings.push(
      `hca.messageRate: one saturated run (pairs = ${saturated[0]}); no interval (stream at more pair counts for one)`,
    );
  return {
    value: mmsg(p.capacity),
    interval: p.interval ? [mmsg(p.interval[0]), mmsg(p.interval[1])] : null,
    perPair,
    saturated,
    from: `mean aggregate streaming rate of the runs the HCA paces (pairs = ${saturated.join(', ')}: more than ${100 * shortfall}% below N x ${round(perPair)} Mmsg/s, the rate of ${p.counts[0]} pair(s)); runs at pairs = ${list}`,
    warnings,
  };
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}
