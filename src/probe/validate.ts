import { TypeCompiler } from '@sinclair/typebox/compiler';
import { InputError } from '../errors.js';
import { MATRIX_SCHEMA_ID, ProbeMatrix } from './matrix-result.js';
import { PROBE_SCHEMA_ID, ProbeResult } from './result.js';

const checker = TypeCompiler.Compile(ProbeResult);

/** Checks parsed JSON against `ibvf.probe/1`; throws an InputError naming the first bad field. */
export function validateProbeResult(data: unknown, where: string): ProbeResult {
  if (typeof data === 'object' && data !== null && 'schema' in data && data.schema !== PROBE_SCHEMA_ID) {
    throw new InputError(
      `field schema: expected "${PROBE_SCHEMA_ID}", found ${JSON.stringify(data.schema)} (is this an ibvf probe result?)`,
      where,
    );
  }
  const first = checker.Errors(data).First();
  if (first) {
    const field = first.path === '' ? '(top level)' : first.path.slice(1).split('/').join('.');
    throw new InputError(`field ${field}: ${first.message}, found ${JSON.stringify(first.value)}`, where);
  }
  return data as ProbeResult;
}

const matrixChecker = TypeCompiler.Compile(ProbeMatrix);

/** Checks parsed JSON against `ibvf.probe-matrix/1`, and that its pairs name ranks it lists. */
export function validateProbeMatrix(data: unknown, where: string): ProbeMatrix {
  if (typeof data === 'object' && data !== null && 'schema' in data && data.schema !== MATRIX_SCHEMA_ID) {
    throw new InputError(
      `field schema: expected "${MATRIX_SCHEMA_ID}", found ${JSON.stringify(data.schema)} (is this an ibvf probe --matrix result?)`,
      where,
    );
  }
  const first = matrixChecker.Errors(data).First();
  if (first) {
    const field = first.path === '' ? '(top level)' : first.path.slice(1).split('/').join('.');
    throw new InputError(`field ${field}: ${first.message}, found ${JSON.stringify(first.value)}`, where);
  }
  const m = data as ProbeMatrix;
  m.pairs.forEach((p, i) => {
    if (p.a >= p.b || p.b >= m.ranks.length)
      throw new InputError(
        `field pairs.${i}: ranks ${p.a}-${p.b} are not a pair a < b of the ${m.ranks.length} ranks listed`,
        where,
      );
  });
  return m;
}
