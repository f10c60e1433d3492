/**
 * The cost parameters of a profile for the property tests: every numeric parameter whose
 * larger value means more cost (latencies, overheads, gaps, per-byte costs, extra costs,
 * and the virtualization assumptions that add work), with its place in the profile.
 * Left out: rates and bandwidths (larger is faster), sizes and thresholds (they switch
 * protocols: mtu, inlineLimit, eagerThreshold, rdmaFastPathMax, headerBytes,
 * libraryInline, iommuReach), counts of the hardware, the MPI host's identity, spinCount
 * (a longer spin trades CPU for wake-ups) and inlineSaving (a saving: larger is cheaper).
 */
import type { Param, Profile } from '../../../src/profiles/types.js';

const COST_UNITS = new Set(['us', 'us/B']);
const NOT_COSTS = new Set(['inlineSaving']);
const COST_RATIOS = new Set([
  'numaRemoteFactor',
  'subscriptionPenalty',
  'hostWorkPerVm',
  'tickOverhead',
  'spanningRemoteShare',
  'dmasPerMessage',
  'registeredPerPeer',
  'hostCoresReserved',
]);

export interface CostParam {
  path: string[];
  param: Param;
}

export function costParams(profile: Profile): CostParam[] {
  const out: CostParam[] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    if ('value' in value && 'unit' in value && 'source' in value) {
      const param = value as Param;
      const name = path[path.length - 1];
      if ((COST_UNITS.has(param.unit) && !NOT_COSTS.has(name)) || COST_RATIOS.has(name))
        out.push({ path, param });
      return;
    }
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(profile, []);
  return out;
}

/**
 * A copy of the profile with one cost parameter raised by `fraction` of its value, or of
 * its interval's width (or 1 in its unit's thousandths) where the value is 0.
 */
export function raised(profile: Profile, c: CostParam, fraction: number): Profile {
  const copy = structuredClone(profile);
  let at: Record<string, unknown> = copy as unknown as Record<string, unknown>;
  for (const k of c.path.slice(0, -1)) at = at[k] as Record<string, unknown>;
  const p = at[c.path[c.path.length - 1]] as Param;
  const scale =
    p.value !== 0
      ? p.value
      : p.interval && p.interval[1] > p.interval[0]
        ? p.interval[1] - p.interval[0]
        : 1e-3;
  at[c.path[c.path.length - 1]] = { ...p, value: p.value + fraction * scale };
  return copy;
}
