/**
 * A fitter's joint draws as the profile keeps them (`fits`, src/profiles/types.ts): the
 * first MAX_JOINT_DRAWS rows, each value to 4 significant digits, so a profile stays small
 * to read and diff. The draws are independent resamples, so the first 200 are as good a
 * sample as any 200; 200 rows place a 95% quantile to about +-1.5 percentage points of
 * probability (the binomial standard error sqrt(0.025 * 0.975 / 200) = 1.1%), coarser than
 * the parameter's own interval, which keeps every draw the fit made.
 */
import { MAX_JOINT_DRAWS, type JointDraws } from '../profiles/types.js';

const round4 = (x: number) => Number(x.toPrecision(4));

/**
 * The group of `params` from their draw columns (columns[i][d] is parameter i in draw d,
 * all columns one length), or null when there are fewer than 2 draws (a fit without intervals).
 */
export function keptJointDraws(
  params: readonly string[],
  columns: readonly (readonly number[])[],
  ref: string,
): JointDraws | null {
  const n = Math.min(MAX_JOINT_DRAWS, ...columns.map((c) => c.length));
  if (n < 2) return null;
  const draws = Array.from({ length: n }, (_, d) => columns.map((c) => round4(c[d])));
  return {
    params: [...params],
    draws,
    source: { kind: 'fit', ref: `${ref}; the first ${n} draws, 4 significant digits` },
  };
}
