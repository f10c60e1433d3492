import { solveLinear } from './linear-solve.js';

/** A problem for `minimax`: residuals r(x) (already divided by their tolerance) and bounds. */
export interface MinimaxProblem {
  residuals: (x: readonly number[]) => number[];
  /** Starting point; each entry > 0 also sets its parameter's scale. */
  start: readonly number[];
  /** Lower bound of each parameter. */
  lower: readonly number[];
}

export interface MinimaxResult {
  x: number[];
  /** max_i |r_i(x)|. */
  worst: number;
  /** Parameters the optimum holds at their lower bound. */
  atBound: boolean[];
}

/** Lawson iterations per linearisation, and linearisations at most. */
const LAWSON_STEPS = 3000;
const OUTER_STEPS = 40;

/**
 * min over x of max_i |r_i(x)|, x >= lower: the Chebyshev (minimax) fit.
 *
 * The residuals are linearised at x by central differences (the point-to-point model is
 * linear in most parameters, so one or two linearisations suffice), and the linear
 * Chebyshev problem min_d max_i |r_i + (J d)_i| is solved by Lawson's algorithm: weighted
 * least squares whose weights are updated as w_i <- w_i |e_i| / sum_j w_j |e_j|, which
 * converges to the minimax solution (C. L. Lawson, PhD thesis, UCLA 1961; J. R. Rice and
 * K. H. Usow, "The Lawson algorithm and extensions", Math. Comp. 22, 1968). The step is
 * halved while it makes the true worst residual larger. A parameter that would cross
 * its lower bound is held there and the rest refitted (an active set that only grows).
 * Everything is deterministic: the same inputs give the same bits.
 */
export function minimax(problem: MinimaxProblem): MinimaxResult {
  const { residuals, start, lower } = problem;
  const n = start.length;
  const scale = start.map((s) => (s > 0 ? s : 1));
  const x = [...start];
  const fixed = new Array<boolean>(n).fill(false);
  const worstOf = (r: number[]) => Math.max(...r.map(Math.abs));
  let r = residuals(x);
  for (let outer = 0; outer < OUTER_STEPS; outer++) {
    const free = [...Array(n).keys()].filter((j) => !fixed[j]);
    if (free.length === 0) break;
    const columns = free.map((j) => {
      const h = 1e-6 * scale[j];
      const up = [...x];
      const down = [...x];
      up[j] += h;
      down[j] -= h;
      const ru = residuals(up);
      const rd = residuals(down);
      // d r / d u_j with x_j = scale_j u_j
      return ru.map((v, i) => ((v - rd[i]) / (2 * h)) * scale[j]);
    });
    const d = lawson(columns, r);
    if (!d) break;
    // Hold at its bound the parameter that would cross it furthest, then relinearise.
    let worstCross = -1;
    let crossAt = 0;
    free.forEach((j, k) => {
      const next = x[j] + d[k] * scale[j];
      const over = (lower[j] - next) / scale[j];
      if (next < lower[j] && over > crossAt) {
        crossAt = over;
        worstCross = j;
      }
    });
    if (worstCross >= 0) {
      fixed[worstCross] = true;
      x[worstCross] = lower[worstCross];
      r = residuals(x);
      continue;
    }
    let t = 1;
    let trial = [...x];
    let rt = r;
    for (let halving = 0; halving < 30; halving++) {
      trial = [...x];
      free.forEach((j, k) => (trial[j] = x[j] + t * d[k] * scale[j]));
      rt = residuals(trial);
      if (worstOf(rt) <= worstOf(r) + 1e-15) break;
      t /= 2;
    }
    const moved = Math.max(...d.map((v) => Math.abs(t * v)));
    if (worstOf(rt) > worstOf(r)) break;
    x.splice(0, n, ...trial);
    r = rt;
    if (moved < 1e-12) break;
  }
  return { x, worst: worstOf(r), atBound: fixed };
}

/**
 * Lawson's algorithm for min_d max_i |r_i + sum_k columns[k][i] d_k|; undefined when
 * the columns are dependent (a parameter no row pins down).
 */
function lawson(columns: number[][], r: number[]): number[] | undefined {
  const m = r.length;
  let w = new Array<number>(m).fill(1 / m);
  let d: number[] | undefined;
  for (let step = 0; step < LAWSON_STEPS; step++) {
    const A = columns.map((ck) => columns.map((cl) => ck.reduce((s, v, i) => s + w[i] * v * cl[i], 0)));
    const b = columns.map((ck) => -ck.reduce((s, v, i) => s + w[i] * v * r[i], 0));
    const next = solveLinear(A, b);
    if (!next) return d;
    d = next;
    const e = r.map((ri, i) => Math.abs(ri + columns.reduce((s, c, k) => s + c[i] * d![k], 0)));
    const total = e.reduce((s, ei, i) => s + w[i] * ei, 0);
    if (!(total > 0)) break;
    w = w.map((wi, i) => (wi * e[i]) / total);
  }
  return d;
}
