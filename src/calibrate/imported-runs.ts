/**
 * Which imported runs calibration fits, and the checks a fit needs that an importer does
 * not make: what operation a run measured (so a prediction can be compared with it), sizes
 * that grow strictly, and values that are finite and positive.
 */
import { InputError } from '../errors.js';
import type { P2pOp } from '../profiles/types.js';
import type { ImportedPoint, ImportedRun } from './import/types.js';

/** What a run measures in the model's terms, or why calibration cannot use it. */
export interface RunUse {
  op: P2pOp;
  metric: 'latency' | 'bandwidth';
}

/**
 * The p2p operation of an imported run: OSU point-to-point tests are MPI; perftest's
 * ib_{send,write,read}_{lat,bw} are verbs; qperf tcp_* and sockperf are TCP.
 */
export function useOfRun(run: ImportedRun): RunUse {
  const where = (what: string): never => {
    throw new InputError(`${run.tool} ${run.test}: ${what}`, run.file, run.line);
  };
  if (run.latency === 'collective-average') {
    where(
      'a collective; calibrate fits point-to-point runs (osu_latency, osu_bw, ib_*_lat/bw, tcp_lat/bw, sockperf); predict collectives with ibvf predict --op',
    );
  }
  let op: P2pOp | undefined;
  if (run.tool === 'osu' && ['osu_latency', 'osu_bw'].includes(run.test)) op = 'mpi';
  const perftest = /^ib_(send|write|read)_(lat|bw)$/.exec(run.test);
  if (run.tool === 'perftest' && perftest) op = perftest[1] as P2pOp;
  if (run.tool === 'qperf' && /^tcp_(lat|bw)$/.test(run.test)) op = 'tcp';
  if (run.tool === 'sockperf' && run.metric !== 'message-rate') op = 'tcp';
  if (op === undefined) {
    where(
      `not a run calibration fits (it reads osu_latency, osu_bw, ib_{send,write,read}_{lat,bw}, qperf tcp_lat/tcp_bw, sockperf ping-pong/throughput); remove this file from the inputs`,
    );
  }
  if (run.metric === 'message-rate') where('a message-rate run; calibration reads latency and bandwidth');
  return { op: op!, metric: run.metric as 'latency' | 'bandwidth' };
}

/** The value a run's metric gives at one point, or undefined. */
export function valueOf(point: ImportedPoint, metric: RunUse['metric']): number | undefined {
  return metric === 'latency' ? point.latency_us : point.bandwidth_MBps;
}

/**
 * Sizes strictly increasing and every value finite and > 0. `lineOf` finds the line of a
 * size's row in the file (the caller has the text); without it the run's first line is named.
 */
export function checkRun(
  run: ImportedRun,
  use: RunUse,
  lineOf: (bytes: number) => number | undefined = () => undefined,
): void {
  if (run.points.length === 0) {
    throw new InputError(`${run.test} has no rows of numbers: was the run cut off?`, run.file, run.line);
  }
  run.points.forEach((point, i) => {
    const at = lineOf(point.bytes) ?? run.line;
    const previous = run.points[i - 1];
    if (previous && point.bytes === previous.bytes)
      throw new InputError(`message size ${point.bytes} is repeated; each size once per run`, run.file, at);
    if (previous && point.bytes < previous.bytes)
      throw new InputError(
        `message size ${point.bytes} comes after ${previous.bytes}: sizes must grow down the run (a file pasted from two runs?)`,
        run.file,
        at,
      );
    const value = valueOf(point, use.metric);
    if (value === undefined || !Number.isFinite(value) || value <= 0) {
      throw new InputError(
        `the ${use.metric} at ${point.bytes} B is ${String(value)}; calibration needs a finite number > 0`,
        run.file,
        at,
      );
    }
  });
}
