/**
 * The difference of two latency curves measured over the same sizes, the shape of every
 * mechanism fit (event minus poll, VF minus PF, read minus write): where the model says two
 * runs differ by one constant c,
 *
 *   a(s) - b(s) = k c + m        for the sizes s where it holds,
 *
 * c is the weighted mean over those sizes of (a(s) - b(s) - m) / k. The weights are
 * 1 / (a(s)^2 + b(s)^2), the inverse variance of a difference of two timings whose noise is
 * relative to their size, so the many us of scatter at a megabyte do not drown a constant
 * of a fraction of a us seen precisely at small sizes. Each size of each curve is one
 * configuration for the joint draws (resample.ts): its runs' repeats or raw samples.
 */
import { clampAtZero, reachesZeroWarning, type FittedValue } from './fitted-value.js';
import type { SizedMeasurement } from './from-probe.js';
import { drawCells, intervalsOf, type IntervalOptions, type IntervalSource } from './resample.js';

export interface DifferenceOptions extends IntervalOptions {
  /** Names the data in `from` (a file, a host, a run), e.g. "vm1.json pair 0". */
  measurement?: string;
}

export interface MechanismFit {
  value: FittedValue;
  /** a(s) - b(s) at each size used, us. */
  bySize: { bytes: number; us: number }[];
  intervals: IntervalSource;
  /** The parameter in each joint draw. Empty without intervals. */
  draws: number[];
  warnings: string[];
}

export interface DifferenceSpec {
  /** Parameter name for messages, e.g. 'eventExtra'. */
  name: string;
  /** What a and b are, e.g. 'event minus poll latency'. */
  what: string;
  /** Which common sizes the model's constant difference holds at. */
  use: (bytes: number) => boolean;
  /** The sizes `use` keeps, in words (e.g. 'above the inline limit (400 B)'); '' when it keeps all. */
  kept: string;
  /** k and m: c = (a - b - m) / k. */
  divide: number;
  subtract: number;
  /** The formula in words, e.g. '(vf - pf) / 2'. */
  formula: string;
}

/** Sizes present in both curves, ascending. */
export function commonSizes(a: readonly SizedMeasurement[], b: readonly SizedMeasurement[]): number[] {
  const inB = new Set(b.map((p) => p.bytes));
  return [...new Set(a.map((p) => p.bytes))].filter((s) => inB.has(s)).sort((x, y) => x - y);
}

/** Each size's runs of a curve, as configurations for drawCells, in the order of `sizes`. */
export function cellsAt(curve: readonly SizedMeasurement[], sizes: number[]): SizedMeasurement[][] {
  return sizes.map((s) => curve.filter((p) => p.bytes === s));
}

/** The constant c of a(s) - b(s) = k c + m over the sizes where the model says it holds. */
export function fitDifference(
  a: readonly SizedMeasurement[],
  b: readonly SizedMeasurement[],
  spec: DifferenceSpec,
  options: DifferenceOptions = {},
): MechanismFit {
  const common = commonSizes(a, b);
  const sizes = common.filter(spec.use);
  if (sizes.length === 0) {
    const why = common.length === 0 ? 'the two curves share no size' : `no shared size is ${spec.kept}`;
    throw new RangeError(`${spec.name}: ${why}; ${spec.what} needs at least one`);
  }
  const cells = drawCells([...cellsAt(a, sizes), ...cellsAt(b, sizes)], options);
  const m = sizes.length;
  const weights = sizes.map((_, i) => 1 / (cells.values[i] ** 2 + cells.values[m + i] ** 2));
  const totalWeight = weights.reduce((x, y) => x + y, 0);
  const constant = (values: number[]) => {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += weights[i] * (values[i] - values[m + i] - spec.subtract);
    return sum / totalWeight / spec.divide;
  };
  const raw = constant(cells.values);
  const rawDraws = cells.draws.map(constant);
  const draws = rawDraws.map(clampAtZero);
  const warnings: string[] = [];
  if (raw < 0) {
    warnings.push(
      `${spec.name}: the estimate is ${Number(raw.toPrecision(4))} us < 0 (${spec.what} is negative); set to 0, the data cannot pin ${spec.name} down`,
    );
  }
  const zero = reachesZeroWarning(spec.name, clampAtZero(raw), rawDraws);
  if (zero) warnings.push(zero);
  const range = m === 1 ? `${sizes[0]} B` : `${m} sizes ${sizes[0]}..${sizes[m - 1]} B`;
  const left = common.length - m;
  return {
    value: {
      value: clampAtZero(raw),
      unit: 'us',
      interval: intervalsOf({ c: draws }).c,
      from:
        `${options.measurement ? `${options.measurement}: ` : ''}${spec.what}, ${spec.formula} weighted by ` +
        `1/(a^2 + b^2) over ${range}${left > 0 ? ` (${left} shared size(s) not ${spec.kept} left out)` : ''}`,
    },
    bySize: sizes.map((bytes, i) => ({ bytes, us: cells.values[i] - cells.values[m + i] })),
    intervals: cells.source,
    draws,
    warnings,
  };
}
