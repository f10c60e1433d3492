import { quantileSorted } from 'simple-statistics';
import type { Param, Profile } from '../../profiles/types.js';
import { normal, type Rng } from './rng.js';

const Z95 = 1.959964;

/**
 * One draw of a parameter from its 95% interval [lo, hi] around `value`, read as
 * median and 2.5%/97.5% quantiles: half the draws fall below the value, from a
 * normal with standard deviation (value - lo)/1.96, half above, with (hi - value)/1.96,
 * so intervals may be asymmetric and each tail holds 2.5%. Non-negative quantities
 * stay non-negative.
 */
export function drawParam(param: Param, rng: Rng): number {
  if (!param.interval) return param.value;
  const [lo, hi] = param.interval;
  const below = (param.value - lo) / Z95;
  const above = (hi - param.value) / Z95;
  if (below + above === 0) return param.value;
  const z = Math.abs(normal(rng));
  const x = rng() < 0.5 ? param.value - z * below : param.value + z * above;
  return lo >= 0 ? Math.max(x, 0) : x;
}

/**
 * A copy of the profile with every parameter that has an interval drawn once.
 * Parameters are drawn independently: fitted parameters are in truth correlated,
 * so the ranges this gives are, if anything, wide.
 */
export function drawProfile(profile: Profile, rng: Rng): Profile {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value !== 'object' || value === null) return value;
    if ('value' in value && 'unit' in value && 'source' in value) {
      const param = value as Param;
      return { ...param, value: drawParam(param, rng) };
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
  };
  return walk(profile) as Profile;
}

/** The 2.5% and 97.5% quantiles of a sample: the 95% range of a prediction. */
export function range95(sample: readonly number[]): [number, number] {
  const sorted = [...sample].sort((a, b) => a - b);
  return [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)];
}
