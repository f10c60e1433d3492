import { TypeCompiler } from '@sinclair/typebox/compiler';
import { InputError } from '../errors.js';
import { COMPUTE_SCHEMA_ID, ProbeComputeResult } from './compute-result.js';

const checker = TypeCompiler.Compile(ProbeComputeResult);

/**
 * Checks parsed JSON against `ibvf.probe-compute/1`, then what a schema cannot say: every
 * sample a positive finite time, sizes in increasing order within a run, a sample count
 * that matches `iterations`. Throws an InputError naming the first bad field.
 */
export function validateComputeResult(data: unknown, where: string): ProbeComputeResult {
  if (typeof data === 'object' && data !== null && 'schema' in data && data.schema !== COMPUTE_SCHEMA_ID) {
    throw new InputError(
      `field schema: expected "${COMPUTE_SCHEMA_ID}", found ${JSON.stringify(data.schema)} (is this an ibvf probe compute result?)`,
      where,
    );
  }
  const first = checker.Errors(data).First();
  if (first) {
    const field = first.path === '' ? '(top level)' : first.path.slice(1).split('/').join('.');
    throw new InputError(`field ${field}: ${first.message}, found ${JSON.stringify(first.value)}`, where);
  }
  const result = data as ProbeComputeResult;
  result.runs.forEach((run, r) => {
    run.sizes.forEach((point, i) => {
      const at = `field runs.${r}.sizes.${i}`;
      if (i > 0 && point.bytes <= run.sizes[i - 1].bytes)
        throw new InputError(
          `${at}.bytes: ${point.bytes} B after ${run.sizes[i - 1].bytes} B; sizes must increase within a run`,
          where,
        );
      if (point.samples_us.length !== point.iterations)
        throw new InputError(
          `${at}: ${point.samples_us.length} samples where iterations says ${point.iterations}`,
          where,
        );
      const bad = point.samples_us.findIndex((s) => !(Number.isFinite(s) && s > 0));
      if (bad >= 0)
        throw new InputError(
          `${at}.samples_us.${bad}: ${JSON.stringify(point.samples_us[bad])} is not a positive time in us`,
          where,
        );
    });
  });
  return result;
}
