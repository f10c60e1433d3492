/**
 * The node's compute costs from `ibvf probe compute` files (`ibvf.probe-compute/1`),
 * written into the profile by calibrateProfile:
 *
 * - `mpi.copyPerByte` from the warm memcpy runs over the eager sizes (fit/copy-per-byte.ts);
 * - `compute.reducePerByte` from the warm MPI_SUM runs while both buffers fit in L2
 *   (fit/reduce-per-byte.ts).
 *
 * Several files are pooled, each size's runs as repeats. A file marked partial is used
 * with a warning naming what it misses; a file of the test double (no such probe exists,
 * but a file marked `test_double` or `double`) is refused as the other probe files are.
 * Runs that cannot pin a parameter down keep the base's value with a warning naming it, as
 * the node parameters do (node-params.ts). The probe's own warnings (load, spread, pinning)
 * are passed on, and a run in a VM is said to be one: the model stretches CPU work of VM
 * layouts by rule 1 on top of the value, which is the bare-metal cost.
 */
import { InputError } from '../errors.js';
import type { ComputeOp, ProbeComputeResult } from '../probe/compute-result.js';
import type { Param } from '../profiles/types.js';
import { fitCopyPerByte } from './fit/copy-per-byte.js';
import type { SizedMeasurement } from './fit/from-probe.js';
import type { PerByteFit } from './fit/per-byte-slope.js';
import { fitReducePerByte } from './fit/reduce-per-byte.js';
import type { ComputeInput } from './input.js';

export interface ComputeParamsFit {
  params: { field: 'mpi.copyPerByte' | 'compute.reducePerByte'; param: Param }[];
  warnings: string[];
}

/** Refuses a file marked as made by a test double: its numbers would not be measurements. */
export function refuseComputeDouble(result: ProbeComputeResult, file: string): void {
  const extra = result as unknown as Record<string, unknown>;
  if (extra.double === true || extra.test_double === true)
    throw new InputError(
      'marked as produced by a test double, not measured: calibrate from `ibvf probe compute` run on the node',
      file,
    );
}

/** The warning for a partial compute file: why it stopped and which planned runs and sizes it misses; null when complete. */
export function computePartialWarning(result: ProbeComputeResult, file: string): string | null {
  if (!result.partial) return null;
  const missing: string[] = [];
  for (const op of result.options.ops)
    for (const cache of result.options.caches) {
      const have = new Set(
        result.runs
          .filter((r) => r.op === op && r.cache === cache)
          .flatMap((r) => r.sizes.map((p) => p.bytes)),
      );
      const lost = result.options.sizes.filter((s) => !have.has(s));
      if (lost.length === result.options.sizes.length) missing.push(`${op} ${cache} (all sizes)`);
      else if (lost.length > 0) missing.push(`${op} ${cache} at ${lost.join(', ')} B`);
    }
  return `${file} is partial (stopped: ${result.stopped ?? 'not said'}): used as it is${missing.length > 0 ? `, missing ${missing.join('; ')}` : ''}`;
}

function warmPoints(inputs: readonly ComputeInput[], op: ComputeOp): SizedMeasurement[] {
  return inputs.flatMap((i) =>
    i.result.runs
      .filter((r) => r.op === op && r.cache === 'warm')
      .flatMap((r) => r.sizes.map((p) => ({ bytes: p.bytes, us: p.median_us, samples_us: p.samples_us }))),
  );
}

export function fitComputeParams(
  inputs: readonly ComputeInput[],
  base: { eagerThreshold: number },
  settings: { draws: number; seed: number },
): ComputeParamsFit {
  const out: ComputeParamsFit = { params: [], warnings: [] };
  if (inputs.length === 0) return out;
  for (const input of inputs) {
    const r = input.result;
    for (const w of r.warnings) out.warnings.push(`${input.file}: ${w.message}`);
    if (r.host.is_vm)
      out.warnings.push(
        `${input.file} was measured in a VM (${r.host.vm_evidence}): mpi.copyPerByte and compute.reducePerByte are then a guest's, ` +
          "and the model stretches VM layouts' CPU work again (rule 1); measure on the host for the bare-metal value",
      );
  }
  const hosts = [...new Set(inputs.map((i) => `${i.result.host.name} (${i.result.host.cpu})`))];
  if (hosts.length > 1)
    out.warnings.push(
      `compute probe files of ${hosts.length} hosts pooled (${hosts.join(', ')}): the profile has one kind of node`,
    );
  const files = inputs.map((i) => i.file).join(', ');
  const l2s = inputs.map((i) => i.result.caches.l2_bytes).filter((x): x is number => x !== null);
  const l2 = l2s.length > 0 ? Math.min(...l2s) : null;

  const attempt = (
    field: ComputeParamsFit['params'][number]['field'],
    op: ComputeOp,
    fitter: string,
    fit: (points: SizedMeasurement[]) => PerByteFit,
  ) => {
    const points = warmPoints(inputs, op);
    if (points.length === 0) {
      out.warnings.push(
        `${field}: the compute probe files have no warm ${op} run (ibvf probe compute --op ${op} --cache warm); kept from the base profile`,
      );
      return;
    }
    try {
      const f = fit(points);
      out.params.push({
        field,
        param: param(f.value, f.interval, `${fitter} on ${files}: ${f.from}`, f.intervals.why),
      });
      out.warnings.push(...f.warnings.map((w) => `${field.split('.')[0]}.${w}`));
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      out.warnings.push(`${e.message.replace(/^\w+: /, `${field}: `)}; kept from the base profile`);
    }
  };
  attempt('mpi.copyPerByte', 'copy', 'fitCopyPerByte', (points) =>
    fitCopyPerByte(points, { eagerThreshold: base.eagerThreshold, ...settings }),
  );
  attempt('compute.reducePerByte', 'reduce', 'fitReducePerByte', (points) =>
    fitReducePerByte(points, { l2Bytes: l2, ...settings }),
  );
  return out;
}

function param(value: number, interval: [number, number] | null, ref: string, how: string): Param {
  const r = (x: number) => Number(x.toPrecision(4));
  return {
    value: r(value),
    unit: 'us/B',
    ...(interval ? { interval: [r(interval[0]), r(interval[1])] as [number, number] } : {}),
    source: { kind: 'fit', ref: `${ref}; ${how}` },
  };
}
