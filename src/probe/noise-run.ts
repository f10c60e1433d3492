/**
 * `ibvf probe noise`: the FWQ-style host-CPU noise probe (native/noise.h). Calibrates the
 * quantum's loop count on this machine, runs N workers (threads of the addon, so the JS
 * event loop is not in the way), writes the `ibvf.probe-noise/1` file as the quanta come
 * in (src/probe/writer.ts: always valid JSON, `partial` until the end) and keeps what was
 * measured on Ctrl-C.
 */
import os from 'node:os';
import { resolve } from 'node:path';
import { RunError, UsageError } from '../errors.js';
import type { OutputStreams } from '../io.js';
import { startProgressBar } from '../progress-bar.js';
import { hostInfo } from './hostinfo.js';
import { loadAddon } from './native.js';
import { NOISE_SCHEMA_ID, type ProbeNoise } from './noise-result.js';
import { roundSamples, summarize } from './stats.js';
import { handleStopSignals } from './stop-signals.js';
import { checkWritable, ResultWriter } from './writer.js';

export interface NoiseRunOptions {
  /** Worker threads; default: every CPU this process may run on. */
  workers?: number;
  quantumUs: number;
  samples: number;
  /** Pin worker i to the i-th allowed CPU (modulo their count). */
  pin: boolean;
  vmsPerNode: number | null;
  hostCores: number | null;
  out?: string;
  json: boolean;
}

/**
 * Between rewrites of the result file at least this long, and ten times what the last
 * rewrite took: a rewrite is the whole file (and its summary sorts every quantum), so a long
 * run's file is written less often rather than taking the CPU its workers measure.
 */
const WRITE_EVERY_MS = 1000;

export const NOISE_WORK =
  'dependent 64-bit multiply-add per loop (x = x * 6364136223846793005 + 1442695040888963407), no memory traffic';

function defaultOut(): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return `ibvf-probe-noise-${os.hostname()}-${stamp}.json`;
}

export async function probeNoise(
  o: NoiseRunOptions,
  io: OutputStreams,
): Promise<{ result: ProbeNoise; file: string | undefined }> {
  const out = o.out ?? (o.json ? undefined : defaultOut());
  if (out !== undefined) checkWritable(resolve(out));
  const addon = loadAddon();
  const allowed = addon.noiseCpus();
  const cpusHere = allowed.length > 0 ? allowed.length : os.availableParallelism();
  const workers = o.workers ?? cpusHere;
  if (o.hostCores !== null && o.vmsPerNode === null && o.hostCores > cpusHere)
    throw new UsageError(
      `--host-cores ${o.hostCores} is more than this machine's ${cpusHere} CPUs: on a host it names the physical cores ` +
        'when SMT doubles the CPUs; in a guest give --vms-per-node K too',
    );
  const host = hostInfo(addon.cpuInfo());
  if (o.vmsPerNode === null && host.is_vm)
    io.stderr(
      `ibvf probe noise: this machine is a VM (${host.vm_evidence}); without --vms-per-node K and --host-cores C ` +
        'the run counts as a native node of its own CPUs. For the guest-side parameters run it in every VM of a node at once ' +
        'with those two options, and once on the host.\n',
    );
  if (o.vmsPerNode !== null && !host.is_vm)
    io.stderr(
      `ibvf probe noise: warning: --vms-per-node given, but this machine shows no sign of being a VM (${host.vm_evidence})\n`,
    );

  const calibration = addon.noiseCalibrate(o.quantumUs);
  const samples: number[][] = Array.from({ length: workers }, () => []);
  const placed = Array.from({ length: workers }, (_, i) =>
    o.pin && allowed.length > 0 ? allowed[i % allowed.length] : -1,
  );
  let pinned = placed.map(() => false);
  const start = new Date().toISOString();
  const build = (partial: boolean, stopped?: string): ProbeNoise => {
    const result: ProbeNoise = {
      schema: NOISE_SCHEMA_ID,
      partial,
      ...(stopped ? { stopped } : {}),
      tool: { name: 'ibvf', version: process.env.npm_package_version ?? '0.1.0' },
      time: start,
      ...(partial ? {} : { finished: new Date().toISOString() }),
      host,
      node: { vms_per_node: o.vmsPerNode, host_cores: o.hostCores },
      options: { workers, quantum_us: o.quantumUs, samples: o.samples, pin: o.pin },
      quantum: { loops: calibration.loops, undisturbed_us: calibration.quantumUs, work: NOISE_WORK },
      clock: 'CLOCK_MONOTONIC_RAW',
      workers: samples.map((s, i) => ({
        worker: i,
        cpu: placed[i] >= 0 ? placed[i] : null,
        pinned: pinned[i],
        samples_us: roundSamples(s),
      })),
      summary: summarize(samples.flat()),
    };
    return result;
  };

  const writer = out === undefined ? undefined : new ResultWriter<ProbeNoise>(resolve(out));
  writer?.write(build(true));
  const bar = startProgressBar(io, 'noise', o.samples);
  let nextWrite = Date.now() + WRITE_EVERY_MS;
  const handle = addon.noiseStart(
    { workers, loops: calibration.loops, samples: o.samples, ...(o.pin ? { cpus: placed } : {}) },
    (chunk) => {
      chunk.forEach((c, i) => {
        for (const x of c) samples[i].push(x);
      });
      bar?.update(Math.max(...samples.map((s) => s.length)), `${workers} workers`);
      if (writer && Date.now() >= nextWrite) {
        const t0 = Date.now();
        writer.write(build(true));
        nextWrite = Date.now() + Math.max(WRITE_EVERY_MS, 10 * (Date.now() - t0));
      }
    },
  );
  let reason: string | undefined;
  const removeSignals = handleStopSignals(
    {
      interrupt(why) {
        reason = why;
        handle.stop();
      },
      force(why) {
        handle.stop();
        writer?.write(build(true, why));
        return writer ? `partial results kept in ${writer.path}` : undefined;
      },
    },
    io,
  );
  let finished;
  try {
    finished = await handle.done;
  } catch (e) {
    throw new RunError(`the noise run failed: ${(e as Error).message}`);
  } finally {
    removeSignals();
    bar?.stop();
  }
  pinned = finished.workers.map((w) => w.pinned);
  if (finished.stopped) {
    const result = build(true, reason ?? 'stopped');
    writer?.write(result);
    throw new RunError(
      `stopped (${reason ?? 'stopped'})${writer ? `: partial results kept in ${writer.path}` : ''}`,
    );
  }
  const result = build(false);
  writer?.write(result);
  return { result, file: writer?.path };
}
