/**
 * The extra latency of event completion, `eventExtra` of a path (src/model/p2p/verbs.ts):
 * the waiting side sleeps until the completion interrupt wakes it instead of polling, so
 *
 *   event(s) - poll(s) = E     at every size,
 *
 * and E is the weighted mean of the difference (curve-difference.ts).
 *
 * Measured by: the probe's ping-pong sweep in both completion modes, `ibvf probe run
 * --progress both` (the `latency` runs of one pair with mode 'event' and mode 'poll'; see
 * latencyRunsFromProbe), or perftest's `ib_send_lat -a -e` against `ib_send_lat -a`.
 */
import { fitDifference, type DifferenceOptions, type MechanismFit } from './curve-difference.js';
import type { SizedMeasurement } from './from-probe.js';

export function fitEventExtra(
  event: readonly SizedMeasurement[],
  poll: readonly SizedMeasurement[],
  options: DifferenceOptions = {},
): MechanismFit {
  return fitDifference(
    event,
    poll,
    {
      name: 'eventExtra',
      what: 'ping-pong latency in event mode minus poll mode',
      use: () => true,
      kept: '',
      divide: 1,
      subtract: 0,
      formula: 'event - poll',
    },
    options,
  );
}
