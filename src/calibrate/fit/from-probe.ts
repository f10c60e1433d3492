/**
 * What the fitters read, taken from a probe result (`ibvf.probe/1`, src/probe/result.ts) or
 * an imported run (src/calibrate/import): one entry per run and size, with the run's raw
 * samples when it kept them, so the fits can bootstrap over them.
 */
import type { ImportedRun } from '../import/types.js';
import type { LatencyRun, PrttRun } from '../../probe/result.js';
import type { PrttMeasurement } from './loggp-prtt.js';
import type { Measured } from './resample.js';

/** One message size of a latency sweep. */
export interface SizedMeasurement extends Measured {
  bytes: number;
}

/** Which runs of a probe result: its completion mode and pair. */
export interface ProbeSelection {
  mode: 'poll' | 'event';
  /** Default 0. */
  pair?: number;
}

/** A probe ping-pong sweep: per size the median half round trip and every sample. */
export function latencyFromProbe(run: LatencyRun): SizedMeasurement[] {
  return run.sizes.map((p) => ({ bytes: p.bytes, us: p.median_us, samples_us: p.samples_us }));
}

/** The latency sweeps of one mode and pair of a probe result, pooled (repeated sizes stay repeats). */
export function latencyRunsFromProbe(
  runs: readonly LatencyRun[],
  select: ProbeSelection,
): SizedMeasurement[] {
  const pair = select.pair ?? 0;
  return runs.filter((r) => r.mode === select.mode && r.pair === pair).flatMap(latencyFromProbe);
}

/** An imported latency run (OSU, perftest, qperf, sockperf): the tool's headline latency per size, no samples. */
export function latencyFromImported(run: ImportedRun): SizedMeasurement[] {
  if (run.metric !== 'latency') {
    throw new RangeError(`latencyFromImported: ${run.file}:${run.line} is a ${run.metric} run, not latency`);
  }
  return run.points.flatMap((p) =>
    p.latency_us === undefined ? [] : [{ bytes: p.bytes, us: p.latency_us }],
  );
}

/** The PRTT runs of one mode and pair of a probe result (the loggp suite), with their samples. */
export function prttFromProbe(runs: readonly PrttRun[], select: ProbeSelection): PrttMeasurement[] {
  const pair = select.pair ?? 0;
  return runs
    .filter((r) => r.mode === select.mode && r.pair === pair)
    .map((r) => ({ bytes: r.bytes, n: r.n, d_us: r.d_us, us: r.median_us, samples_us: r.samples_us }));
}
