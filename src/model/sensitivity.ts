import type { Param, Profile } from '../profiles/types.js';
import { predictCollective, type CollectiveQuery } from './predict-collective.js';

/** A parameter nothing in the paper measures, whose assumed value `--sensitivity` sweeps. */
export interface SweptParam {
  /** Dotted field path in the profile, e.g. `virtualization.perVfCost`. */
  field: string;
  get: (p: Profile) => Param;
}

const param = (field: string): SweptParam => ({
  field,
  get: (p) => field.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], p) as Param,
});

/**
 * The assumed parameters of the layout mechanisms (docs/virtualization.md), which no
 * measurement of the seed pins down. Each moves some layout answer: the CPU ones once a
 * node's cores run out (16 single-vCPU VMs per node), the others at the paper's Fig. 5
 * question; `test/model/sensitivity.test.ts` checks both.
 */
export const SWEPT_PARAMS: readonly SweptParam[] = [
  'virtualization.perVfCost',
  'virtualization.hostCoresReserved',
  'virtualization.subscriptionPenalty',
  'virtualization.hostWorkPerVm',
  'virtualization.tickOverhead',
  'virtualization.spanningRemoteShare',
  'node.numaRemoteFactor',
  'virtualization.dmasPerMessage',
  'virtualization.iommuReach',
  'virtualization.registeredPerPeer',
  'virtualization.interruptService',
  'virtualization.interruptExitCost',
  'hca.messageRate',
].map(param);

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

/**
 * The parameters printed beside every layout answer when the profile marks them as
 * assumptions: the ones `sensitivity` sweeps first, then path and MPI costs the
 * collectives depend on.
 */
export const LAYOUT_ASSUMPTIONS = [
  ...SWEPT_PARAMS.map((p) => p.field),
  'paths.vf.o_s',
  'paths.vf.o_r',
  'paths.vf.g',
  'paths.vf-loopback.L',
  'paths.native-loopback.L',
  'paths.shm.L',
  'paths.shm.G',
  'mpi.rdmaFastPathMax',
  'mpi.copyPerByte',
  'compute.reducePerByte',
];

/** An assumed parameter as printed beside an answer: its value, unit and why it was assumed. */
export interface Assumption {
  /** Dotted field path in the profile, e.g. `virtualization.perVfCost`. */
  field: string;
  value: number;
  unit: string;
  /** The profile's reason for the assumption (its source's `ref`). */
  why: string;
}

/**
 * The profile's parameters among `fields` whose source is an assumption, for printing
 * beside an answer (by default those a layout prediction rests on).
 */
export function assumptionsOf(
  profile: Profile,
  fields: readonly string[] = LAYOUT_ASSUMPTIONS,
): Assumption[] {
  const out: Assumption[] = [];
  for (const field of fields) {
    const param = field.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], profile) as
      Param | undefined;
    if (param && param.source.kind === 'assumption')
      out.push({ field, value: param.value, unit: param.unit, why: param.source.ref });
  }
  return out;
}
