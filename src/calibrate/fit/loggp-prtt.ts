/**
 * LogGP parameters from parametrized round trips, as Netgauge derives them: Hoefler, T.,
 * Lichei, A. and Rehm, W. 2007, "Low-Overhead LogGP Parameter Assessment for Modern
 * Interconnection Networks", IPDPS 2007 workshops (PMEO-PDS); and Hoefler, T., Schneider,
 * T. and Lumsdaine, A. 2009, "LogGP in Theory and Practice", Simulation Modelling Practice
 * and Theory 17(9).
 *
 * PRTT(n, d, s): the client sends n messages of s bytes back to back, waiting d us after
 * each send but the last, and the server answers the n-th with one message of s bytes; the
 * time to the answer is one PRTT. In LogGP (Alexandrov et al., SPAA 1995) a message costs
 * its sender o, its bytes (s - 1) G on the wire, L in flight and its receiver o, so
 *
 *   PRTT(1, 0, s) = 2 (L + 2o + (s - 1) G)                              (1)
 *   PRTT(n, d, s) = PRTT(1, 0, s) + (n - 1) max(o + d, g + (s - 1) G)   (2)
 *
 * and the parameters follow in the paper's order:
 *
 * - g + (s - 1) G is the slope of PRTT(n, 0, s) in n, by (2) with d = 0 where the gap
 *   exceeds o (the method's premise; where o >= g + (s - 1) G the slope is o, and a warning
 *   naming g says when the back-to-back gap comes within 5% of o_s). With one n > 1 it is
 *   (PRTT(n, 0, s) - PRTT(1, 0, s)) / (n - 1). g and G are the intercept (at s = 1) and
 *   slope of a least-squares line through these gaps over the sizes, weighted by
 *   1 / PRTT(n, 0, s)^2 because timing noise is relative to the time measured. Netgauge fits
 *   this line unweighted and restarts it at protocol changes; here the caller passes the
 *   sizes of one protocol (the breaks of fitSegmented tell where they are).
 * - o: once d > g + (s - 1) G the sender's overhead shows, and by (2) o is the slope in n of
 *   PRTT(n, d, s) - (n - 1) d, with one n > 1 (PRTT(n, d, s) - PRTT(1, 0, s)) / (n - 1) - d.
 *   Delayed runs whose d does not exceed g + (s - 1) G are left out (the gap hides o
 *   there). The probe times the client, so this is the sender's o_s; LogGP's single o is
 *   taken as o_s at the smallest size measured, and o_s per size is reported as Netgauge
 *   prints it. (Netgauge also measures o_r on the server; the probe does not.)
 * - L: the rest of (1) at that size, L = PRTT(1, 0, s) / 2 - 2o - (s - 1) G. (Netgauge's
 *   code prints PRTT(1, 0, s) / 2, which still holds the overheads.)
 *
 * s - 1 is read as 0 for an empty message, as the model's wire time does (wire.ts).
 *
 * No parameter is negative: an estimate below 0 is set to 0 with a warning that names the
 * parameter, as is one the data cannot pin down (no delayed runs: o; one size: G). A run's
 * value is the median of its samples (Netgauge takes the median of its repetitions), or its
 * `us` when it kept none. Intervals come from joint draws (resample.ts): all four
 * parameters are derived again from each draw of the runs, so their draws stay paired.
 */
import { clampAtZero, reachesZeroWarning, type FittedValue } from './fitted-value.js';
import {
  drawCells,
  intervalsOf,
  type CellRun,
  type IntervalOptions,
  type IntervalSource,
} from './resample.js';
import { fitWeightedLine } from './weighted-line.js';

/** One PRTT(n, d, s) run. A probe result's `prtt` entry (ibvf.probe/1 PrttRun) maps onto it by prttFromProbe. */
export interface PrttMeasurement {
  bytes: number;
  n: number;
  d_us: number;
  /** The whole PRTT, us; used when the run kept no samples. */
  us: number;
  /** Every timed PRTT of the run, us. */
  samples_us?: readonly number[];
}

export interface LogGPFit {
  L: FittedValue;
  o: FittedValue;
  g: FittedValue;
  G: FittedValue;
  /** The sender overhead o_s at each size with valid delayed runs (Netgauge's o_s column), us. */
  oBySize: { bytes: number; us: number }[];
  /** g + (s - 1) G at each size with back-to-back runs, us. */
  gapBySize: { bytes: number; us: number }[];
  intervals: IntervalSource;
  /** Joint draws: index i of every column is one draw of the data. Empty without intervals. */
  draws: { L: number[]; o: number[]; g: number[]; G: number[] };
  warnings: string[];
}

type Name = 'L' | 'o' | 'g' | 'G';

/** Where each derived quantity finds its runs: indices into the cell list. */
interface Plan {
  /** The cell of PRTT(1,0,s) per size. */
  base: Map<number, number>;
  /** Per size, the slope-in-n points: [n, cell] with n > 1. */
  backToBack: Map<number, [number, number][]>;
  delayed: Map<number, [number, number][]>;
  /** Sizes used for g and G, with fixed weights 1 / PRTT(n,0,s)^2. */
  gapSizes: number[];
  gapWeights: number[];
  /** The size o and L are read at. */
  oSize: number | null;
  lSize: number;
}

interface Derived {
  raw: Record<Name, number>;
  value: Record<Name, number>;
  oBySize: { bytes: number; us: number }[];
  gapBySize: { bytes: number; us: number }[];
}

export function fitLogGP(runs: readonly PrttMeasurement[], options: IntervalOptions = {}): LogGPFit {
  checkRuns(runs);
  const warnings: string[] = [];
  const cells: CellRun[][] = [];
  const cellOf = new Map<string, number>();
  const add = (key: string, run: CellRun) => {
    let index = cellOf.get(key);
    if (index === undefined) {
      index = cells.push([]) - 1;
      cellOf.set(key, index);
    }
    cells[index].push(run);
    return index;
  };

  const base = new Map<number, number>();
  const backToBack = new Map<number, [number, number][]>();
  for (const run of runs) {
    if (run.n === 1) base.set(run.bytes, add(`1,${run.bytes}`, run));
  }
  if (base.size === 0) {
    throw new RangeError('fitLogGP: no PRTT(1,0,s) run; L, o, g and G are all derived from it');
  }
  for (const run of runs) {
    if (run.n > 1 && run.d_us === 0 && base.has(run.bytes)) {
      pushPoint(backToBack, run.bytes, run.n, add(`${run.n},0,${run.bytes}`, run));
    }
  }
  // The gaps at the point estimate decide which delayed runs show o.
  const values0 = drawCells(cells, { ...options, draws: 0 }).values;
  const gapSizes = [...backToBack.keys()].sort((a, b) => a - b);
  const gapPoint = gapSizes.map((s) => slopeInN(values0[base.get(s)!], backToBack.get(s)!, values0));
  const gapWeights = gapSizes.map((s) => {
    const longest = Math.max(...backToBack.get(s)!.map(([, cell]) => values0[cell]));
    return 1 / (longest * longest);
  });
  const gapAt = gapModel(gapSizes, gapPoint, gapWeights);

  const delayed = new Map<number, [number, number][]>();
  const hidden: string[] = [];
  for (const run of runs) {
    if (run.n === 1 || run.d_us === 0 || !base.has(run.bytes)) continue;
    const gap = gapAt(run.bytes);
    if (gap !== null && !(run.d_us > gap)) {
      hidden.push(`PRTT(${run.n},${run.d_us},${run.bytes}) has d <= g + (s-1)G = ${round(gap)} us`);
      continue;
    }
    const offset_us = (run.n - 1) * run.d_us;
    pushPoint(delayed, run.bytes, run.n, add(`${run.n},d,${run.bytes}`, { ...run, offset_us }));
  }
  if (hidden.length > 0)
    warnings.push(`o: left out ${hidden.length} delayed run(s) where the gap hides o: ${hidden.join('; ')}`);

  const baseSizes = [...base.keys()].sort((a, b) => a - b);
  const oSizes = [...delayed.keys()].sort((a, b) => a - b);
  const plan: Plan = {
    base,
    backToBack,
    delayed,
    gapSizes,
    gapWeights,
    oSize: oSizes.length > 0 ? oSizes[0] : null,
    lSize: oSizes.length > 0 ? oSizes[0] : baseSizes[0],
  };

  if (gapSizes.length === 0) {
    warnings.push('g: no PRTT(n,0,s) with n > 1 (back-to-back runs); g and G are set to 0');
    warnings.push('G: no PRTT(n,0,s) with n > 1; G is set to 0');
  } else if (gapSizes.length === 1) {
    warnings.push(
      `G: PRTT(n,0,s) at one size only (${gapSizes[0]} B); two sizes are needed to tell g from G, so G is set to 0 and g holds g + (s-1)G`,
    );
  }
  if (plan.oSize === null) {
    warnings.push(
      'o: no PRTT(n,d,s) with d > g + (s-1)G (delayed runs); o is set to 0, so L = PRTT(1,0,s)/2 - (s-1)G still holds 2o',
    );
  } else if (gapSizes.length === 0) {
    warnings.push(
      'o: the delays could not be checked against g + (s-1)G (no PRTT(n,0,s)); o assumes d exceeded it',
    );
  }

  const cellDraws = drawCells(cells, options);
  const point = derive(plan, cellDraws.values);
  const drawn = cellDraws.draws.map((values) => derive(plan, values));
  const column = (name: Name, which: 'raw' | 'value') => drawn.map((d) => d[which][name]);
  const draws = {
    L: column('L', 'value'),
    o: column('o', 'value'),
    g: column('g', 'value'),
    G: column('G', 'value'),
  };
  const intervals = intervalsOf(draws);

  const pacedBy = pacedByOverhead(point);
  if (pacedBy) warnings.push(pacedBy);
  for (const name of ['g', 'G', 'o', 'L'] as const) {
    if (point.raw[name] < 0) warnings.push(negativeWarning(name, point.raw[name]));
    const zero = reachesZeroWarning(name, point.value[name], column(name, 'raw'));
    if (zero) warnings.push(zero);
  }

  const sizesText = (sizes: number[]) =>
    sizes.length === 0
      ? 'none'
      : sizes.length === 1
        ? `${sizes[0]} B`
        : `${sizes[0]}..${sizes[sizes.length - 1]} B`;
  const param = (name: Name, unit: FittedValue['unit'], from: string): FittedValue => ({
    value: point.value[name],
    unit,
    interval: intervals[name],
    from,
  });
  return {
    g: param(
      'g',
      'us',
      `intercept at s = 1 of g + (s-1)G, the slope of PRTT(n,0,s) in n, over s = ${sizesText(gapSizes)}`,
    ),
    G: param('G', 'us/B', `slope over s of g + (s-1)G from PRTT(n,0,s), s = ${sizesText(gapSizes)}`),
    o: param(
      'o',
      'us',
      `slope of PRTT(n,d,s) - (n-1)d in n at s = ${plan.oSize === null ? 'none' : `${plan.oSize} B`}`,
    ),
    L: param('L', 'us', `PRTT(1,0,s)/2 - 2o - (s-1)G at s = ${plan.lSize} B`),
    oBySize: point.oBySize,
    gapBySize: point.gapBySize,
    intervals: cellDraws.source,
    draws,
    warnings,
  };
}

/** L, o, g, G from the cells' values (the point estimate, or one joint draw). */
function derive(plan: Plan, values: number[]): Derived {
  const gapBySize = plan.gapSizes.map((bytes) => ({
    bytes,
    us: slopeInN(values[plan.base.get(bytes)!], plan.backToBack.get(bytes)!, values),
  }));
  let gRaw = 0;
  let GRaw = 0;
  if (gapBySize.length === 1) {
    gRaw = gapBySize[0].us;
  } else if (gapBySize.length >= 2) {
    const xs = gapBySize.map((p) => bytesAfterFirst(p.bytes));
    const line = fitWeightedLine(
      xs,
      gapBySize.map((p) => p.us),
      plan.gapWeights,
      0,
      xs.length - 1,
    );
    gRaw = line.intercept;
    GRaw = line.slope;
  }
  const g = clampAtZero(gRaw);
  const G = clampAtZero(GRaw);

  const oBySize = [...plan.delayed.keys()]
    .sort((a, b) => a - b)
    .map((bytes) => ({
      bytes,
      us: slopeInN(values[plan.base.get(bytes)!], plan.delayed.get(bytes)!, values),
    }));
  const oRaw = plan.oSize === null ? 0 : oBySize[0].us;
  const o = clampAtZero(oRaw);
  const LRaw = values[plan.base.get(plan.lSize)!] / 2 - 2 * o - bytesAfterFirst(plan.lSize) * G;
  return {
    raw: { L: LRaw, o: oRaw, g: gRaw, G: GRaw },
    value: { L: clampAtZero(LRaw), o, g, G },
    oBySize,
    gapBySize,
  };
}

/**
 * The least-squares slope in n of a PRTT through (1, PRTT(1,0,s)) and the given (n, cell)
 * points: with one n > 1 simply (PRTT(n) - PRTT(1)) / (n - 1).
 */
function slopeInN(baseValue: number, points: [number, number][], values: number[]): number {
  const ns = [1, ...points.map(([n]) => n)];
  const ys = [baseValue, ...points.map(([, cell]) => values[cell])];
  const meanN = ns.reduce((a, b) => a + b, 0) / ns.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  let snn = 0;
  let sny = 0;
  ns.forEach((n, i) => {
    snn += (n - meanN) ** 2;
    sny += (n - meanN) * (ys[i] - meanY);
  });
  return sny / snn;
}

/** g + (s - 1) G at any size from the point gaps (their line, or the one gap), or null without any. */
function gapModel(sizes: number[], gaps: number[], weights: number[]): (bytes: number) => number | null {
  if (sizes.length === 0) return () => null;
  if (sizes.length === 1) return () => gaps[0];
  const xs = sizes.map(bytesAfterFirst);
  const line = fitWeightedLine(xs, gaps, weights, 0, xs.length - 1);
  return (bytes) => {
    const exact = sizes.indexOf(bytes);
    return exact >= 0 ? gaps[exact] : line.intercept + line.slope * bytesAfterFirst(bytes);
  };
}

/** s - 1, the bytes LogGP charges G for, read as 0 for an empty message (as wire.ts does). */
function bytesAfterFirst(bytes: number): number {
  return Math.max(bytes - 1, 0);
}

function pushPoint(map: Map<number, [number, number][]>, bytes: number, n: number, cell: number): void {
  const points = map.get(bytes) ?? [];
  if (!points.some(([m]) => m === n)) points.push([n, cell]);
  map.set(bytes, points);
}

/**
 * The warning that PRTT(n,0,s) may be paced by o rather than g, at the smallest size with
 * both back-to-back and delayed runs, or null.
 */
function pacedByOverhead(point: Derived): string | null {
  for (const gap of point.gapBySize) {
    const o = point.oBySize.find((p) => p.bytes === gap.bytes);
    if (!o) continue;
    if (gap.us >= 1.05 * o.us) return null;
    return (
      `g: at s = ${gap.bytes} B the back-to-back gap g + (s-1)G = ${round(gap.us)} us is within 5% of o_s = ${round(o.us)} us; ` +
      `the sender's overhead, not g, may pace PRTT(n,0,s) there (its slope in n is max(o, g + (s-1)G)), so g may be smaller`
    );
  }
  return null;
}

function negativeWarning(name: Name, raw: number): string {
  const why: Record<Name, string> = {
    g: 'the gaps g + (s-1)G fall below 0 towards s = 1',
    G: 'the gaps g + (s-1)G fall with the size',
    o: 'PRTT(n,d,s) - (n-1)d came out below PRTT(1,0,s)',
    L: 'PRTT(1,0,s)/2 is less than 2o + (s-1)G',
  };
  return `${name}: the estimate is ${round(raw)} ${name === 'G' ? 'us/B' : 'us'} < 0 (${why[name]}); set to 0, the data cannot pin ${name} down`;
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}

function checkRuns(runs: readonly PrttMeasurement[]): void {
  runs.forEach((run, i) => {
    if (!Number.isInteger(run.n) || run.n < 1)
      throw new RangeError(`fitLogGP: run ${i} has n = ${run.n}; n must be an integer >= 1`);
    if (!Number.isFinite(run.bytes) || run.bytes < 0)
      throw new RangeError(`fitLogGP: run ${i} has bytes = ${run.bytes}`);
    if (!Number.isFinite(run.d_us) || run.d_us < 0)
      throw new RangeError(`fitLogGP: run ${i} has d_us = ${run.d_us}`);
    const hasSamples = (run.samples_us?.length ?? 0) > 0;
    if (!hasSamples && !(Number.isFinite(run.us) && run.us > 0)) {
      throw new RangeError(`fitLogGP: run ${i} has us = ${run.us} and no samples`);
    }
  });
}
