import { IbvfError, InputError } from '../../errors.js';
import { studentT975 } from '../fit/student-t.js';
import type { Param, Profile, Source } from '../../profiles/types.js';
import { assembleProfile, liveProfile } from './constants.js';
import { dependence, identify, type Identification } from './identify.js';
import { minimax } from './minimax.js';
import { rowModel } from './row-model.js';
import type { PaperConstants, PaperFit, PaperRow, ParameterReport, RowReport } from './types.js';

const METHOD =
  "minimax of relative error: the parameters minimise the largest |model - paper| / (paper x tolerance) over the fit rows, through the model's own formulas (src/model/p2p), by Lawson's algorithm on the model linearised by central differences, never below each parameter's lower bound. Minimax, not least squares, because the claim the profile makes is that every row is within its tolerance: minimax minimises exactly the worst row, where least squares trades a worse worst row for a smaller average";
const INTERVAL_METHOD =
  "jackknife over the jointly fitted rows (Quenouille-Tukey): the fit is redone without each row (the leave-one-out fits of the report); the interval is the value +- t(0.975, n-1) x sqrt((n-1)/n x sum of squared deviations of those fits from their mean), cut at the parameter's lower bound. It measures how much the value rests on any one row; it is not a statistical 95% interval of measurements, which the paper does not give. A parameter set by one row spans instead the values that meet its row within the row's tolerance (widened by the jackknife of what it rests on). Each leave-one-out fit starts from the full fit, so where leaving a row out makes the minimax optimum non-unique it keeps the solution nearest the full fit";

/** Significant digits of a shipped value and of its interval's ends (rounded outward). */
const VALUE_DIGITS = 4;
const INTERVAL_DIGITS = 3;

const roundSig = (v: number, digits: number): number => (v === 0 ? 0 : Number(v.toPrecision(digits)));
function roundOut(v: number, digits: number, up: boolean): number {
  if (v === 0) return 0;
  const step = 10 ** (Math.floor(Math.log10(Math.abs(v))) - digits + 1);
  const k = up ? Math.ceil(v / step - 1e-9) : Math.floor(v / step + 1e-9);
  return Number((k * step).toPrecision(digits + 1));
}

/**
 * Fits the built-in profile to a paper's rows: the parameters marked `{"fitted": NAME}`
 * in the constants, from the rows whose role is `fit`. A pure function: the same rows
 * and constants give the same profile, to the bit.
 *
 * The formulas fitted are the model's own (src/model/p2p; each file states its formula
 * and cites the paper): verbs send/write/read (verbs.ts, Jose et al. Sec. V-B), MPI over
 * MVAPICH2's fast path, send/recv channel and blocking mode (mpi.ts, Sec. V-C, V-D), UPC
 * get (pgas.ts, Sec. V-C), TCP over IPoIB (tcp.ts, Sec. V-B) and osu_bw's window
 * (predict.ts, Sec. V-D). A parameter only one row shows is solved from that row and
 * labelled an assumption (identify.ts); the others are fitted jointly (minimax.ts).
 */
export function fitPaperRows(
  rows: readonly PaperRow[],
  constants: PaperConstants,
  file = 'constants',
): PaperFit {
  const live = liveProfile(constants);
  const { names } = live;
  const specs = names.map((n) => constants.fitted[n]);
  const start = specs.map((s) => s.start);
  const lower = specs.map((s) => s.min);
  checkRowsAgainstProfile(live.profile, rows);
  const fitRows = rows.filter((r) => r.role === 'fit');
  const deps = dependence(live.profile, live.set, start, fitRows);
  const plan = identify(names, deps, fitRows, file);

  const full = solve(live, fitRows, plan, plan.jointRows, start, lower);
  const loo = new Map<number, number[] | string>();
  for (const i of plan.jointRows) {
    const kept = plan.jointRows.filter((k) => k !== i);
    const orphan = plan.joint.find((j) => ![...deps[j]].some((k) => kept.includes(k)));
    loo.set(
      i,
      orphan !== undefined
        ? `without it, ${names[orphan]} is shown by no fit row`
        : solve(live, fitRows, plan, kept, full.x, lower).x,
    );
  }
  const replicates = [...loo.values()].filter((v): v is number[] => typeof v !== 'string');
  const values = full.x.map((v) => roundSig(v, VALUE_DIGITS));
  // A parameter set by one row also spans what that row could be within its tolerance:
  // one run of a benchmark can differ from another by that much (Fig. 4(a) and Fig. 2(a)
  // give 0.83 and 0.87 us for one quantity), and no second row narrows it.
  const rowSpan = (j: number): number[] => {
    const setter = plan.setByRow.find((s) => s.parameter === j);
    if (!setter) return [];
    const row = fitRows[setter.row];
    return [1 - row.tolerance, 1 + row.tolerance].map((f) =>
      solveOne(live, [...full.x], j, { ...row, value: row.value * f }, lower[j]),
    );
  };
  const intervals = names.map((_, j) =>
    jackknife(
      full.x[j],
      replicates.map((x) => x[j]),
      lower[j],
      [values[j], ...rowSpan(j)],
    ),
  );

  const rowIds = (j: number) => [...deps[j]].map((i) => fitRows[i].id);
  const fitted: Record<string, Param> = {};
  const parameters: ParameterReport[] = names.map((name, j) => {
    const setter = plan.setByRow.find((s) => s.parameter === j);
    const source = setter
      ? setSource(constants, specs[j].meaning, fitRows[setter.row], replicates.length)
      : fitSource(constants, specs[j].meaning, rowIds(j), plan, full.atBound[j], replicates.length);
    fitted[name] = { value: values[j], unit: specs[j].unit, interval: intervals[j], source };
    return {
      name,
      value: values[j],
      unit: specs[j].unit,
      interval: intervals[j],
      kind: setter ? 'set-by-row' : 'fit',
      rows: rowIds(j),
    };
  });
  const profile = assembleProfile(constants, fitted, file);

  // Every error of the report is the shipped (rounded) profile's.
  live.set(values);
  const reports: RowReport[] = rows.map((row) => {
    const model = rowModel(live.profile, row);
    const error = (model - row.value) / row.value;
    if (row.role === 'check') {
      return { row, use: { kind: 'check' }, model, error, looNote: 'not fitted: its error is out of sample' };
    }
    const i = fitRows.indexOf(row);
    const setter = plan.setByRow.find((s) => s.row === i);
    if (setter) {
      const parameter = names[setter.parameter];
      return {
        row,
        use: { kind: 'sets', parameter },
        model,
        error,
        looNote: `the only fit row that shows ${parameter}: without it, ${parameter} has no data`,
      };
    }
    const refit = loo.get(i)!;
    if (typeof refit === 'string') return { row, use: { kind: 'fit' }, model, error, looNote: refit };
    live.set(refit);
    const looError = (rowModel(live.profile, row) - row.value) / row.value;
    live.set(values);
    return { row, use: { kind: 'fit' }, model, error, looError };
  });
  live.set(start);
  const worst = (xs: number[]) => (xs.length ? Math.max(...xs.map(Math.abs)) : 0);
  return {
    profile,
    report: {
      method: METHOD,
      intervalMethod: INTERVAL_METHOD,
      parameters,
      rows: reports,
      worstFit: worst(reports.filter((r) => r.use.kind === 'fit').map((r) => r.error)),
      worstCheck: worst(reports.filter((r) => r.use.kind === 'check').map((r) => r.error)),
      worstLeaveOneOut: worst(reports.flatMap((r) => (r.looError === undefined ? [] : [r.looError]))),
    },
  };
}

type Live = ReturnType<typeof liveProfile>;

/** A row the model cannot compute (a path the profile lacks, an operation the path refuses), as file:line. */
function checkRowsAgainstProfile(profile: Profile, rows: readonly PaperRow[]): void {
  for (const row of rows) {
    let value: number;
    try {
      value = rowModel(profile, row);
    } catch (e) {
      if (e instanceof IbvfError) throw new InputError(`row ${row.id}: ${e.message}`, row.file, row.line);
      throw e;
    }
    if (!Number.isFinite(value) || value <= 0) {
      throw new InputError(
        `row ${row.id}: the model gives ${value} at the starting values; check the row's path and metric`,
        row.file,
        row.line,
      );
    }
  }
}

/** Rounds of joint fit and set-by-row solving. */
const ROUNDS = 3;

/** The joint minimax fit on `jointRows`, then each set-by-row parameter from its row. */
function solve(
  live: Live,
  fitRows: readonly PaperRow[],
  plan: Identification,
  jointRows: readonly number[],
  from: readonly number[],
  lower: readonly number[],
): { x: number[]; atBound: boolean[] } {
  const x = [...from];
  const atBound = x.map(() => false);
  // A joint row may still move a little with a set-by-row parameter (below what shows
  // it), so the two steps alternate until they agree.
  for (let round = 0; round < ROUNDS; round++) {
    const residuals = (sub: readonly number[]) => {
      plan.joint.forEach((j, k) => (x[j] = sub[k]));
      live.set(x);
      return jointRows.map((i) => {
        const r = fitRows[i];
        return (rowModel(live.profile, r) - r.value) / (r.value * r.tolerance);
      });
    };
    const result = minimax({
      residuals,
      start: plan.joint.map((j) => x[j]),
      lower: plan.joint.map((j) => lower[j]),
    });
    plan.joint.forEach((j, k) => {
      x[j] = result.x[k];
      atBound[j] = result.atBound[k];
    });
    // Solved last-found first: a parameter found later was left with one row by those before it.
    for (const { parameter: j, row } of [...plan.setByRow].reverse()) {
      x[j] = solveOne(live, x, j, fitRows[row], lower[j]);
    }
  }
  live.set(x);
  return { x, atBound };
}

/** The value of parameter j that makes `row`'s model equal its paper value (secant steps: the model is linear in it). */
function solveOne(live: Live, x: number[], j: number, row: PaperRow, lower: number): number {
  const at = (v: number) => {
    x[j] = v;
    live.set(x);
    return rowModel(live.profile, row) - row.value;
  };
  let a = x[j];
  let fa = at(a);
  let b = a * 1.1 + 1e-9;
  for (let step = 0; step < 20; step++) {
    const fb = at(b);
    if (fb === 0 || fb === fa) break;
    const next = b - (fb * (b - a)) / (fb - fa);
    [a, fa, b] = [b, fb, next];
    if (Math.abs(b - a) <= 1e-15 * Math.abs(b)) break;
  }
  return Math.max(b, lower);
}

/** The jackknife interval around `estimate`, widened to hold every value of `within`, cut at `lower`. */
function jackknife(
  estimate: number,
  replicates: number[],
  lower: number,
  within: number[],
): [number, number] {
  const n = replicates.length;
  let half = 0;
  if (n >= 2) {
    const mean = replicates.reduce((s, v) => s + v, 0) / n;
    const variance = ((n - 1) / n) * replicates.reduce((s, v) => s + (v - mean) ** 2, 0);
    half = studentT975(n - 1) * Math.sqrt(variance);
  }
  const lo = Math.max(lower, Math.min(estimate - half, ...within));
  const hi = Math.max(estimate + half, ...within);
  return [roundOut(lo, INTERVAL_DIGITS, false), roundOut(hi, INTERVAL_DIGITS, true)];
}

function fitSource(
  constants: PaperConstants,
  meaning: string,
  rowIds: string[],
  plan: Identification,
  atBound: boolean,
  n: number,
): Source {
  const bound = atBound ? '; held at its lower bound: the rows would push it below' : '';
  return {
    kind: 'fit',
    ref: `${meaning}. Minimax fit of ${plan.joint.length} parameters to the ${plan.jointRows.length} jointly fitted rows of ${constants.rows}, shown by rows ${rowIds.join(', ')}${bound}; interval: jackknife over ${n} leave-one-out fits (npm run calibrate:builtin)`,
  };
}

function setSource(constants: PaperConstants, meaning: string, row: PaperRow, n: number): Source {
  return {
    kind: 'assumption',
    ref: `${meaning}. Not fitted: the only fit row that shows it is ${row.id} (${row.what}, ${row.value} ${row.unit}, Sec. ${row.section} ${row.figure}) of ${constants.rows}; it is that row less the fitted parameters' share, assuming the model's decomposition holds, so that row tests nothing; interval: the values that meet the row within its tolerance (${100 * row.tolerance}%, what one run can differ from another), widened by the jackknife of the fitted parameters it rests on (${n} leave-one-out fits)`,
  };
}
