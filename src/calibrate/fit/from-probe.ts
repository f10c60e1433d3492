/**
 * What the fitters read, taken from a probe result (`ibvf.probe/1`, src/probe/result.ts):
 * one entry per run, with the run's raw samples, so the fits can bootstrap over them.
 */
import type { PrttRun } from '../../probe/result.js';
import type { PrttMeasurement } from './loggp-prtt.js';

/** Which runs of a probe result: its completion mode and pair. */
export interface ProbeSelection {
  mode: 'poll' | 'event';
  /** Default 0. */
  pair?: number;
}

/** The PRTT runs of one mode and pair of a probe result (the loggp suite), with their samples. */
export function prttFromProbe(runs: readonly PrttRun[], select: ProbeSelection): PrttMeasurement[] {
  const pair = select.pair ?? 0;
  return runs
    .filter((r) => r.mode === select.mode && r.pair === pair)
    .map((r) => ({ bytes: r.bytes, n: r.n, d_us: r.d_us, us: r.median_us, samples_us: r.samples_us }));
}
