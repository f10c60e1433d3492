/**
 * Quantiles and tail probabilities of Student's t and Fisher's F that the fitters need,
 * computed rather than tabled.
 *
 * - For integer degrees of freedom the two-sided probability P(|T| <= t) is a finite
 *   trigonometric sum (Abramowitz, M. and Stegun, I. A. 1964, Handbook of Mathematical
 *   Functions, 26.7.3 and 26.7.4), and it is increasing in t, so bisection finds the 95%
 *   quantile to machine precision. The tests check it against the NIST/SEMATECH e-Handbook
 *   of Statistical Methods, table 1.3.6.7.2.
 * - F with 2 and nu degrees of freedom has the closed-form tail
 *   P(F > f) = (1 + 2 f / nu)^(-nu/2) (Abramowitz and Stegun 26.6.4 with nu1 = 2: the
 *   series has a single term), which is the test of one extra line (an intercept and a
 *   slope) against none.
 */

/**
 * t such that P(|T| <= t) = 0.95 for Student's T with `df` (a positive integer) degrees of
 * freedom: the multiplier of a standard error for a two-sided 95% interval.
 */
export function studentT975(df: number): number {
  if (!Number.isInteger(df) || df < 1) {
    throw new RangeError(`studentT975: degrees of freedom must be an integer >= 1, got ${df}`);
  }
  const target = 0.95;
  let lo = 0;
  let hi = 1;
  while (twoSidedStudentProbability(hi, df) < target) {
    lo = hi;
    hi *= 2;
  }
  // Bisection rather than Newton: the sum is cheap and monotone, and this cannot diverge.
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (twoSidedStudentProbability(mid, df) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * P(|T| <= t) for integer df, Abramowitz and Stegun 26.7.3 (odd df) and 26.7.4 (even df).
 * Every term of the sums is positive, so they lose no digits; they have about df/2 terms.
 */
function twoSidedStudentProbability(t: number, df: number): number {
  const theta = Math.atan(t / Math.sqrt(df));
  const sin = Math.sin(theta);
  const cos = Math.cos(theta);
  const cos2 = cos * cos;
  if (df % 2 === 0) {
    let term = 1;
    let sum = 1;
    for (let i = 2; i <= df - 2; i += 2) {
      term *= (cos2 * (i - 1)) / i;
      sum += term;
    }
    return sin * sum;
  }
  if (df === 1) return (2 / Math.PI) * theta;
  let term = cos;
  let sum = cos;
  for (let i = 2; i <= df - 3; i += 2) {
    term *= (cos2 * i) / (i + 1);
    sum += term;
  }
  return (2 / Math.PI) * (theta + sin * sum);
}

/** P(F > f) for Fisher's F with 2 and `df` degrees of freedom: (1 + 2f/df)^(-df/2). */
export function fTail2(f: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`fTail2: degrees of freedom must be > 0, got ${df}`);
  if (!(f > 0)) return 1;
  if (f === Infinity) return 0;
  return Math.pow(1 + (2 * f) / df, -df / 2);
}
