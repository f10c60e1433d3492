/**
 * Synthetic `ibvf.probe/1` files for calibrate's tests: a template from a real shm probe
 * fixture whose sweep and streaming runs are replaced by the model's values with seeded
 * noise, so each test knows the answer. They are not measurements, nor the verbs test
 * double's output (which calibrate refuses).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProbeInput } from '../../src/calibrate/input.js';
import { mpiTransferLatency } from '../../src/model/p2p/mpi.js';
import { normal, seededRng } from '../../src/model/uncertainty/rng.js';
import type { ProbeResult, StreamRun } from '../../src/probe/result.js';
import type { VerbsDeviceResult } from '../../src/probe/verbs/device-result.js';
import { summarize } from '../../src/probe/stats.js';
import { validateProbeResult } from '../../src/probe/validate.js';
import type { PathParams, Profile } from '../../src/profiles/types.js';
import { fixtureDir } from '../fixtures.js';
import { sampledSweep } from './fit/synthetic.js';

const template = JSON.parse(
  readFileSync(path.join(fixtureDir('probe'), 'shm-quick-poll.json'), 'utf8'),
) as ProbeResult;

/** 1 B .. 1 MiB. */
export const SIZES = Array.from({ length: 21 }, (_, e) => 2 ** e);

let sweepSeed = 1;

/** A poll sweep of pair 0: the model's MPI latency on path `p` of `truth`, 100 samples per size at 2% noise. */
export function sweepOf(truth: Profile, p: PathParams) {
  const sweep = sampledSweep(
    SIZES,
    (bytes) => mpiTransferLatency(truth, p, bytes, 'poll'),
    100,
    0.02,
    sweepSeed++,
  );
  return sweep.map((s) => ({
    bytes: s.bytes,
    iterations: 100,
    ...summarize(s.samples_us),
    samples_us: s.samples_us,
  }));
}

/** A streaming run of `pairs` pairs at window 64 whose aggregate moves `msgRate` messages per second. */
export function streamAt(pairs: number, bytes: number, msgRate: number): StreamRun {
  return {
    mode: 'poll',
    bytes,
    window: 64,
    pairs,
    per_pair: [],
    aggregate: { msg_rate: msgRate, bandwidth_MBps: (msgRate * bytes) / 1e6 },
  };
}

/** A real (not test-double) ConnectX-3 function, as a verbs probe file records it. */
export function verbsDevice(fn: 'pf' | 'vf'): VerbsDeviceResult {
  return {
    name: 'mlx4_0',
    library: 'libibverbs.so.1',
    test_double: false,
    function: fn,
    function_evidence: 'synthetic (built by this test from the model)',
    path_mtu: 2048,
    inline: { max_bytes: 256, max_requested: 1024, probes: 10, used_bytes: 256 },
  };
}

/** A validated probe file: the template with `relation`, a sweep of `p` and the fields of `over`. */
export function probeFile(
  truth: Profile,
  p: PathParams,
  over: Partial<ProbeResult>,
  relation = 'unpinned',
): ProbeResult {
  const result: ProbeResult = {
    ...template,
    options: { ...template.options, sizes: SIZES },
    placement: { relation, cpus: [0, 1] },
    latency: [{ mode: 'poll', pair: 0, cpu: 0, sizes: sweepOf(truth, p) }],
    streaming: [],
    prtt: [],
    warnings: [],
    ...over,
  };
  return validateProbeResult(JSON.parse(JSON.stringify(result)), 'synthetic');
}

export const probeInput = (file: string, pathName: string, result: ProbeResult): ProbeInput => ({
  kind: 'probe',
  file,
  path: pathName,
  result,
});

/** Seeded multiplicative noise of relative size `noise`. */
export function noiseFrom(seed: number, noise: number): (x: number) => number {
  const rng = seededRng(seed);
  return (x) => x * (1 + noise * normal(rng));
}
