import { quantileSorted } from 'simple-statistics';
import { paramAt } from '../../profiles/joint-draws.js';
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
 * Which quantity a parameter is: its field name with its value, unit, interval and
 * source. Parameters that agree on all of these are one quantity spread into several
 * places (one fit or one assumption copied into several paths, as `ibPath` of the
 * built-in profile does), so they are drawn together. The field name is part of it so
 * that two different quantities that happen to share a value, interval and reference
 * (an o_s and an o_r set by one sentence, say) stay independent.
 */
export function quantityKey(name: string, param: Param): string {
  return JSON.stringify([name, param.value, param.unit, param.interval ?? null, param.source]);
}

/**
 * A copy of the profile with every parameter that has an interval drawn once. Parameters
 * fitted together (the profile's `fits`: joint draws a calibration kept) are drawn
 * together: one row of the group, chosen uniformly, gives all of them, so their
 * correlation (a larger L with a smaller o, say) carries into the prediction. A quantity
 * found in several places (`quantityKey`: e.g. the fitted L shared by the native and VF
 * paths) is drawn once per draw and takes that value everywhere, so a draw never gives two
 * paths different values of one fitted number. Other quantities are drawn independently
 * from their intervals: where they were in truth fitted together but the profile kept no
 * joint draws, the ranges this gives are, if anything, wide.
 */
export function drawProfile(profile: Profile, rng: Rng): Profile {
  const drawn = new Map<string, number>();
  for (const group of profile.fits ?? []) {
    const row = group.draws[Math.floor(rng() * group.draws.length)];
    group.params.forEach((field, i) => {
      const param = paramAt(profile, field);
      if (param) drawn.set(quantityKey(field.slice(field.lastIndexOf('.') + 1), param), row[i]);
    });
  }
  const walk = (value: unknown, name: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, name));
    if (typeof value !== 'object' || value === null) return value;
    if ('value' in value && 'unit' in value && 'source' in value) {
      const param = value as Param;
      const key = quantityKey(name, param);
      let x = drawn.get(key);
      if (x === undefined) {
        if (!param.interval) return { ...param };
        drawn.set(key, (x = drawParam(param, rng)));
      }
      return { ...param, value: x };
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
  };
  return walk(profile, '') as Profile;
}

/** The 2.5% and 97.5% quantiles of a sample: the 95% range of a prediction. */
export function range95(sample: readonly number[]): [number, number] {
  const sorted = [...sample].sort((a, b) => a - b);
  return [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)];
}
