/**
 * Synthetic `ibvf.probe-noise/1` runs for the host-CPU fitters' known-answer tests: every
 * quantum is the undisturbed one times the stretch rule 1 gives, with a seeded jitter
 * rescaled so that the run's mean stretch is exactly the one asked for. No VM here: the
 * guest runs exist only as these files.
 */
import { NOISE_SCHEMA_ID, type ProbeNoise } from '../../src/probe/noise-result.js';
import { summarize } from '../../src/probe/stats.js';
import { normal, seededRng } from '../../src/model/uncertainty/rng.js';

export interface SyntheticNoise {
  workers: number;
  /** Mean quantum over the undisturbed one. */
  stretch: number;
  /** Guest runs: VMs per node and the node's cores; native: host_cores null, `cpus` the machine's CPUs. */
  vms?: number;
  hostCores?: number;
  cpus?: number;
  samples?: number;
  /** Loops per quantum (runs calibrated apart have different counts). */
  loops?: number;
  /** us per loop undisturbed. */
  perLoopUs?: number;
  /** Relative spread of the quanta (default 5%). */
  jitter?: number;
  seed?: number;
  isVm?: boolean;
}

export function syntheticNoise(o: SyntheticNoise): ProbeNoise {
  const loops = o.loops ?? 100_000;
  const q = loops * (o.perLoopUs ?? 0.001);
  const rng = seededRng(o.seed ?? 7);
  const samples = o.samples ?? 400;
  const workers = Array.from({ length: o.workers }, (_, w) => {
    const raw = Array.from({ length: samples }, () => Math.max(0.2, 1 + (o.jitter ?? 0.05) * normal(rng)));
    const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
    return {
      worker: w,
      cpu: w,
      pinned: true,
      samples_us: raw.map((x) => (q * o.stretch * x) / mean),
    };
  });
  const guest = o.vms !== undefined;
  return {
    schema: NOISE_SCHEMA_ID,
    partial: false,
    tool: { name: 'ibvf', version: 'test' },
    time: '2026-12-03T00:00:00.000Z',
    host: {
      name: guest ? 'guest' : 'host',
      kernel: 'Linux test',
      cpu: 'Test CPU',
      cpus: o.cpus ?? (guest ? o.workers : (o.hostCores ?? 16)),
      is_vm: o.isVm ?? guest,
      vm_evidence: guest
        ? 'cpuid hypervisor bit (KVMKVMKVM)'
        : 'no DMI hypervisor name, cpuid hypervisor bit clear',
    },
    node: { vms_per_node: o.vms ?? null, host_cores: guest ? (o.hostCores ?? 16) : null },
    options: { workers: o.workers, quantum_us: q, samples, pin: true },
    quantum: { loops, undisturbed_us: q, work: 'synthetic' },
    clock: 'CLOCK_MONOTONIC_RAW',
    workers,
    summary: summarize(workers.flatMap((w) => w.samples_us)),
  };
}
