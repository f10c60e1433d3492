/**
 * `ibvf probe compute`: the node-local costs an MPI rank pays per byte, timed in the
 * addon (native/compute.h) on one pinned CPU, no peer: memcpy (the eager copy,
 * `mpi.copyPerByte`) and the MPI_SUM loop over doubles (`compute.reducePerByte`), each
 * warm (one buffer pair reused) and cold (a rotating set larger than the last-level
 * cache). One size at a time, so a Ctrl-C stops at the next size and the file, rewritten
 * after each size (writer.ts), keeps every size finished.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { RunError, UsageError } from '../errors.js';
import type { OutputStreams } from '../io.js';
import { startProgressBar } from '../progress-bar.js';
import {
  COMPUTE_SCHEMA_ID,
  type CacheState,
  type ComputeOp,
  type ComputeRun,
  type ComputeWarning,
  type ProbeComputeResult,
} from './compute-result.js';
import { computeText } from './compute-table.js';
import { SPREAD_FACTOR } from './disturbance.js';
import { hostInfo } from './hostinfo.js';
import { loadAddon } from './native.js';
import { summarize } from './stats.js';
import { handleStopSignals } from './stop-signals.js';
import { parseCpuList } from './topology.js';
import { checkWritable, ResultWriter } from './writer.js';

export interface ComputeProbeOptions {
  sizes: number[];
  /** Samples per size. */
  iterations: number;
  /** --cpu; default the CPU the process runs on when it starts. */
  cpu?: number;
  ops: ComputeOp[];
  caches: CacheState[];
  /** --cold-set: bytes of each side's rotating set; default from the last-level cache (coldSetFor). */
  coldSetBytes?: number;
  out?: string;
  json: boolean;
}

export const DEFAULT_COMPUTE_SIZES = '64:4M';
export const DEFAULT_COMPUTE_ITERS = 30;
/**
 * A sample lasts at least this long: the TSC read (rdtscp) costs tens of cycles and a
 * 64-byte memcpy a few ns, so a sample of one operation would time the timer.
 */
export const MIN_SAMPLE_US = 20;
/** The rotating set per side is twice the last-level cache, within these bounds. */
export const COLD_SET_MIN = 64 * 1024 ** 2;
export const COLD_SET_MAX = 256 * 1024 ** 2;
/** The largest size: a cold run keeps two sets of at least one buffer each. */
export const COMPUTE_MAX_BYTES = 256 * 1024 ** 2;

/** Each side's rotating set: 2 x the last-level cache (unknown: the minimum), clamped to [COLD_SET_MIN, COLD_SET_MAX]. */
export function coldSetFor(llcBytes: number): number {
  return Math.min(COLD_SET_MAX, Math.max(COLD_SET_MIN, 2 * llcBytes));
}

/** The sizes and ops checked together: one double at least, whole doubles for the reduction. */
export function checkComputeSizes(sizes: readonly number[], ops: readonly ComputeOp[]): void {
  if (sizes[0] < 8)
    throw new UsageError(`--sizes: ${sizes[0]} B is below 8 B (one double, the smallest reduction)`);
  const largest = sizes[sizes.length - 1];
  if (largest > COMPUTE_MAX_BYTES)
    throw new UsageError(
      `--sizes: ${largest} B is above the compute probe's largest size, 256M (${COMPUTE_MAX_BYTES})`,
    );
  const odd = sizes.find((s) => s % 8 !== 0);
  if (odd !== undefined && ops.includes('reduce'))
    throw new UsageError(
      `--sizes: ${odd} B is not a whole number of doubles (8 B) for the reduction; start the sweep at a multiple of 8 or use --op copy`,
    );
}

function defaultOut(): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return `ibvf-probe-compute-${os.hostname()}-${stamp}.json`;
}

function onlineCpus(): number[] | undefined {
  try {
    return parseCpuList(readFileSync('/sys/devices/system/cpu/online', 'utf8'));
  } catch {
    return undefined;
  }
}

/** Signs in the run itself that its numbers are not the CPU's alone. */
function runWarnings(
  runs: readonly ComputeRun[],
  ranOn: readonly number[],
  requested: number,
  pinError: string | undefined,
): ComputeWarning[] {
  const out: ComputeWarning[] = [];
  if (pinError !== undefined)
    out.push({
      kind: 'pin',
      message: `could not pin to CPU ${requested} (${pinError}): samples ran on CPUs ${ranOn.join(', ')}`,
    });
  for (const run of runs) {
    const wide = run.sizes.filter((p) => p.p99_us > SPREAD_FACTOR * p.median_us);
    if (wide.length > 0)
      out.push({
        kind: 'spread',
        message: `${run.op} ${run.cache}: p99 above ${SPREAD_FACTOR}x the median at ${wide.map((p) => p.bytes).join(', ')} B: the thread was descheduled during the run`,
      });
  }
  return out;
}

/**
 * Samples kept to 5 significant digits: a warm 64-byte copy takes about 0.002 us, so the
 * probe's usual rounding to whole nanoseconds would erase it.
 */
export async function probeCompute(o: ComputeProbeOptions, io: OutputStreams): Promise<ProbeComputeResult> {
  checkComputeSizes(o.sizes, o.ops);
  const out = o.out ?? (o.json ? undefined : defaultOut());
  if (out !== undefined) checkWritable(resolve(out));
  const addon = loadAddon();
  const info = addon.computeInfo();
  const online = onlineCpus();
  if (o.cpu !== undefined && online && !online.includes(o.cpu))
    throw new UsageError(`--cpu ${o.cpu}: not an online CPU of this host (online: ${online.join(',')})`);
  const cpu = o.cpu ?? info.cpu;
  const llc = info.l3 || info.l2;
  const coldSet = o.coldSetBytes ?? coldSetFor(llc);
  const timer = addon.timerInfo();
  const load = os.loadavg()[0];
  const cpus = os.availableParallelism();
  const startWarnings: ComputeWarning[] = [];
  if (load > cpus)
    startWarnings.push({
      kind: 'load',
      message: `load average ${load.toFixed(2)} above this host's ${cpus} CPUs when the run started: other work competed for the CPU`,
    });
  if (o.caches.includes('cold') && llc > 0 && coldSet < 2 * llc)
    startWarnings.push({
      kind: 'cache',
      message: `the cold runs' rotating set (${coldSet} B per side) is below twice the last-level cache (${llc} B): cold samples may partly hit in it (--cold-set ${2 * llc} to go past it)`,
    });
  if (o.caches.includes('cold') && llc === 0)
    startWarnings.push({
      kind: 'cache',
      message: `the last-level cache's size is unknown here: the cold runs' rotating set (${coldSet} B per side) may not exceed it`,
    });

  const result: ProbeComputeResult = {
    schema: COMPUTE_SCHEMA_ID,
    partial: true,
    tool: { name: 'ibvf', version: process.env.npm_package_version ?? '0.1.0' },
    time: new Date().toISOString(),
    host: hostInfo(addon.cpuInfo()),
    timer: { source: timer.source, reference: timer.reference, ticks_per_ns: timer.ticksPerNs },
    cpu: { requested: cpu, pinned: true, ran_on: [] },
    caches: {
      l1d_bytes: info.l1d || null,
      l2_bytes: info.l2 || null,
      l3_bytes: info.l3 || null,
    },
    options: {
      sizes: o.sizes,
      iterations: o.iterations,
      ops: o.ops,
      caches: o.caches,
      cold_set_bytes: o.caches.includes('cold') ? coldSet : 0,
      min_sample_us: MIN_SAMPLE_US,
    },
    runs: [],
    warnings: startWarnings,
  };
  const writer = out === undefined ? undefined : new ResultWriter<ProbeComputeResult>(resolve(out));
  const stop: { reason?: string } = {};
  const removeSignals = handleStopSignals(
    {
      interrupt: (reason) => (stop.reason = reason),
      force: (reason) => writer?.stopNow(reason),
    },
    io,
  );
  const total = o.ops.length * o.caches.length * o.sizes.length;
  const bar = startProgressBar(io, 'compute', total, { minTotal: 2 });
  const ranOn = new Set<number>();
  let pinError: string | undefined;
  let done = 0;
  const finish = () => {
    result.cpu.ran_on = [...ranOn].sort((a, b) => a - b);
    result.cpu.pinned = pinError === undefined;
    result.warnings = [...startWarnings, ...runWarnings(result.runs, result.cpu.ran_on, cpu, pinError)];
  };
  try {
    for (const op of o.ops) {
      for (const cache of o.caches) {
        const run: ComputeRun = { op, cache, set_bytes: 0, sizes: [] };
        result.runs.push(run);
        for (const bytes of o.sizes) {
          if (stop.reason) throw new RunError(stop.reason);
          bar?.update(done, `${op} ${cache} ${bytes} B`);
          const r = await addon.computeRun({
            op,
            cache,
            bytes,
            samples: o.iterations,
            setBytes: cache === 'cold' ? coldSet : 0,
            cpu,
            minSampleNs: MIN_SAMPLE_US * 1000,
          });
          ranOn.add(r.cpu);
          if (!r.pinned) pinError ??= r.pinError ?? 'refused';
          if (cache === 'cold') run.set_bytes = Math.max(run.set_bytes, r.setBytes);
          run.sizes.push({
            bytes,
            reps: r.reps,
            iterations: r.samplesUs.length,
            ...summarize(r.samplesUs),
            samples_us: Array.from(r.samplesUs, (v) => Number(v.toPrecision(5))),
          });
          done++;
          finish();
          writer?.write(result);
        }
      }
    }
    bar?.update(total, 'done');
    bar?.stop();
    result.partial = false;
    result.finished = new Date().toISOString();
    finish();
    writer?.write(result);
  } catch (e) {
    bar?.stop();
    if (!writer) throw e;
    finish();
    writer.write({ ...result, partial: true, stopped: stop.reason ?? (e as Error).message });
    throw new RunError(`${stop.reason ?? (e as Error).message}; partial results kept in ${writer.path}`);
  } finally {
    removeSignals();
    addon.computeRelease();
  }
  if (o.json) io.stdout(JSON.stringify(result) + '\n');
  else io.stdout(computeText(result));
  if (writer)
    io.stderr(`ibvf probe compute: results in ${writer.path}\nnext: ibvf calibrate ${writer.path}\n`);
  return result;
}
