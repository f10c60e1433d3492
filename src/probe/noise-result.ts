/**
 * The noise probe's result contract `ibvf.probe-noise/1` (`ibvf probe noise`, docs/design.md
 * "Data contracts"): the schema is the type. One run of N workers, each timing every
 * repetition of the same fixed quantum of CPU work (FWQ, native/noise.h), with what the
 * host says of itself and what only the user knows (how many VMs share the node, the
 * node's cores seen from a guest). Times in microseconds.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Type, type Static } from '@sinclair/typebox';
import { InputError } from '../errors.js';
import { HostInfo, RunFileHeader, SampleStats } from './result.js';

export const NOISE_SCHEMA_ID = 'ibvf.probe-noise/1';

/** One worker thread: the CPU it was pinned to and every quantum's elapsed time, in run order. */
export const NoiseWorker = Type.Object({
  worker: Type.Integer({ minimum: 0 }),
  cpu: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  pinned: Type.Boolean(),
  samples_us: Type.Array(Type.Number({ exclusiveMinimum: 0 }), {
    description: 'each quantum, end to end (the next starts where it ended)',
  }),
});
export type NoiseWorker = Static<typeof NoiseWorker>;

export const ProbeNoise = Type.Object({
  schema: Type.Literal(NOISE_SCHEMA_ID),
  ...RunFileHeader,
  /** This machine: CPU model, online CPUs, whether it is a VM and why (cpuid hypervisor bit, DMI). */
  host: HostInfo,
  /**
   * What the machine cannot tell: in a guest, how many VMs of the node ran the probe at
   * once (`--vms-per-node`; null: a run of the node itself, natively) and the physical
   * node's cores (`--host-cores`; null: this machine's online CPUs are the node's).
   */
  node: Type.Object({
    vms_per_node: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    host_cores: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  }),
  options: Type.Object({
    workers: Type.Integer({ minimum: 1 }),
    /** The quantum asked for (`--quantum-us`). */
    quantum_us: Type.Number({ exclusiveMinimum: 0 }),
    samples: Type.Integer({ minimum: 1 }),
    pin: Type.Boolean(),
  }),
  quantum: Type.Object({
    /** Loops of the work per quantum, calibrated on this machine before the run. */
    loops: Type.Integer({ minimum: 1 }),
    /** The calibration's shortest quantum of `loops` loops (FWQ's noiseless quantum), one thread alone. */
    undisturbed_us: Type.Number({ exclusiveMinimum: 0 }),
    work: Type.String(),
  }),
  clock: Type.String({ description: 'what timed each quantum: CLOCK_MONOTONIC_RAW' }),
  workers: Type.Array(NoiseWorker, { minItems: 1 }),
  /** Over every worker's quanta. */
  summary: SampleStats,
});
export type ProbeNoise = Static<typeof ProbeNoise>;

const checker = TypeCompiler.Compile(ProbeNoise);

/** A quantum above this (us) is refused on read: no probe run waits 1000 s for one, and sums of them stay finite. */
const MAX_QUANTUM_US = 1e9;

/** Checks parsed JSON against `ibvf.probe-noise/1`; throws an InputError naming the first bad field. */
export function validateProbeNoise(data: unknown, where: string): ProbeNoise {
  if (typeof data === 'object' && data !== null && 'schema' in data && data.schema !== NOISE_SCHEMA_ID) {
    throw new InputError(
      `field schema: expected "${NOISE_SCHEMA_ID}", found ${JSON.stringify(data.schema)} (is this an ibvf probe noise result?)`,
      where,
    );
  }
  const first = checker.Errors(data).First();
  if (first) {
    const field = first.path === '' ? '(top level)' : first.path.slice(1).split('/').join('.');
    throw new InputError(`field ${field}: ${first.message}, found ${JSON.stringify(first.value)}`, where);
  }
  const run = data as ProbeNoise;
  run.workers.forEach((w, i) => {
    const j = w.samples_us.findIndex((x) => !(x < MAX_QUANTUM_US));
    if (j >= 0)
      throw new InputError(
        `field workers.${i}.samples_us.${j}: a quantum of ${w.samples_us[j]} us (over ${MAX_QUANTUM_US / 1e6} s) is no measurement of noise`,
        where,
      );
  });
  if (run.workers.length !== run.options.workers)
    throw new InputError(
      `field workers: ${run.workers.length} workers recorded, options.workers says ${run.options.workers}`,
      where,
    );
  if (run.node.vms_per_node !== null && run.node.host_cores === null)
    throw new InputError(
      "field node.host_cores: a guest run (node.vms_per_node set) must say the physical node's cores (ibvf probe noise --host-cores C)",
      where,
    );
  return run;
}
