import type { Param, Profile } from '../profiles/types.js';
import { predictCollective, type CollectiveQuery } from './predict-collective.js';

/** A parameter nothing in the paper measures, whose assumed value `--sensitivity` sweeps. */
export interface SweptParam {
  /** Dotted field path in the profile, e.g. `virtualization.perVfCost`. */
  field: string;
  get: (p: Profile) => Param;
}

/** The assumed parameters a layout prediction rests on most (see src/model/virtualization.ts). */
export const SWEPT_PARAMS: readonly SweptParam[] = [
  { field: 'virtualization.perVfCost', get: (p) => p.virtualization.perVfCost },
  { field: 'virtualization.hostCoresReserved', get: (p) => p.virtualization.hostCoresReserved },
  { field: 'virtualization.subscriptionPenalty', get: (p) => p.virtualization.subscriptionPenalty },
  { field: 'hca.messageRate', get: (p) => p.hca.messageRate },
];

export interface SensitivityRow {
  field: string;
  unit: string;
  values: [lo: number, nominal: number, hi: number];
  /** Average latency (us) with the parameter at lo, nominal and hi, all else nominal. */
  latency_us: [number, number, number];
}

function withValue(profile: Profile, swept: SweptParam, value: number): Profile {
  const copy = structuredClone(profile);
  swept.get(copy).value = value;
  return copy;
}

/**
 * One-at-a-time sweep of each assumed parameter over its 95% interval, all others at
 * their nominal values: how much the answer moves if the assumption is wrong.
 */
export function sensitivity(profile: Profile, q: CollectiveQuery, bytes: number): SensitivityRow[] {
  const at = (p: Profile) => predictCollective(p, { ...q, rangeDraws: 1 }, [bytes]).rows[0].latency_us;
  const nominal = at(profile);
  return SWEPT_PARAMS.map((swept) => {
    const param = swept.get(profile);
    const [lo, hi] = param.interval ?? [param.value, param.value];
    return {
      field: swept.field,
      unit: param.unit,
      values: [lo, param.value, hi],
      latency_us: [at(withValue(profile, swept, lo)), nominal, at(withValue(profile, swept, hi))],
    };
  });
}

/** The profile's parameters whose source is an assumption, for printing beside an answer. */
export function assumptionsOf(
  profile: Profile,
  fields: readonly string[],
): { field: string; value: number; unit: string; why: string }[] {
  const out: { field: string; value: number; unit: string; why: string }[] = [];
  for (const field of fields) {
    const param = field.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], profile) as
      Param | undefined;
    if (param && param.source.kind === 'assumption')
      out.push({ field, value: param.value, unit: param.unit, why: param.source.ref });
  }
  return out;
}
