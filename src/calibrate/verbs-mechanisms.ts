/**
 * The verbs mechanisms that show only as the difference of two probe runs (pure: the runs
 * are gathered by path-data.ts). Each parameter names the probe runs that measure it:
 *
 * - `inlineSaving`, `inlineLimit` of a path (fit/inline.ts): the same send (or write) sweep
 *   on that path with inline on, `ibvf probe run --transport verbs --op send` (the device's
 *   maximum, found by search), and off, `... --inline 0`.
 * - `readExtra` of a path (fit/read-extra.ts): `--op read` (whole round trips) and
 *   `--op write` (half round trips) on that path; the write's own inline size says which of
 *   its sizes skipped the fetch a read pays; on a VF the path's requestCost (calibrated or
 *   the base's) is taken off.
 * - `requestCost` of a VF path (fit/vf-request-cost.ts): the same operation on the VF and on
 *   the PF, `ibvf probe run --transport verbs --op read` (or send, write) in a KVM guest on its
 *   VF (path `vf`, or `vf-loopback` for two ranks in one VM) and on the host on the PF (path
 *   `native`, or `native-loopback`). Read is preferred (never inline); send and write use the
 *   sizes above the PF's inline limit. When this calibration fitted the VF path's L from its
 *   own latency curve (with the base's requestCost), L is re-solved so that curve's fit
 *   stands: the model's latency of the VF run at its smallest size stays what it was.
 * - the VF-to-VF cost (fit/vf-to-vf.ts): the same `--op send` sweep between two ranks in one
 *   VM (path `vf-loopback`) and in two VMs of one node (path `vf-to-vf`): the difference c
 *   is one constant, and the `vf-to-vf` path's L is set so that the model's difference of
 *   the two paths (src/model/p2p/verbs.ts, where L enters every size once) equals c at the
 *   smallest common size.
 *
 * Runs are the poll-mode sweeps of pair 0. A pair of runs that is absent fits nothing and
 * says nothing; a pair that is present but cannot be fitted is the inputs' fault (the
 * fitters' RangeError, turned into one line by the caller).
 */
import { fitInline } from './fit/inline.js';
import { fitReadExtra } from './fit/read-extra.js';
import { fitVfRequestCost } from './fit/vf-request-cost.js';
import { fitVfToVfExtra } from './fit/vf-to-vf.js';
import type { MechanismFit } from './fit/curve-difference.js';
import type { FittedValue } from './fit/fitted-value.js';
import type { PathData, VerbsRun } from './path-data.js';
import { p2pLatency } from '../model/p2p/predict.js';
import type { Param, Profile, Unit } from '../profiles/types.js';

export interface MechanismSettings {
  draws: number;
  seed: number;
}

export interface MechanismParam {
  /** Dotted field, e.g. paths.native.inlineSaving. */
  field: string;
  param: Param;
}

export interface MechanismFits {
  params: MechanismParam[];
  warnings: string[];
}

const filesOf = (runs: VerbsRun[]) => [...new Set(runs.map((r) => r.file))].join(', ');

function asParam(fit: FittedValue, unit: Unit, fitter: string, how: string): Param {
  const ref = `${fitter}: ${fit.from}; ${how}`;
  if (!fit.interval) return { value: fit.value, unit, source: { kind: 'fit', ref } };
  const lo = Math.max(0, Math.min(fit.interval[0], fit.value));
  const hi = Math.max(fit.interval[1], fit.value);
  return { value: fit.value, unit, interval: [lo, hi], source: { kind: 'fit', ref } };
}

const intervalHow = (fit: Pick<MechanismFit, 'intervals'>) =>
  fit.intervals.method === 'none'
    ? `no interval (${fit.intervals.why})`
    : `95% interval: ${fit.intervals.method}, ${fit.intervals.draws} draws, seed ${fit.intervals.seed}`;

/**
 * Fits every mechanism the paths' verbs runs measure; `profile` holds the paths as
 * calibrated so far (readExtra reads its requestCost, the VF-to-VF cost both paths' L).
 */
export function fitVerbsMechanisms(
  calibrated: Profile,
  paths: readonly PathData[],
  settings: MechanismSettings,
  fittedFields: ReadonlySet<string> = new Set(),
): MechanismFits {
  const out: MechanismFits = { params: [], warnings: [] };
  const options = (runs: VerbsRun[]) => ({ ...settings, measurement: filesOf(runs) });
  // The request costs first: readExtra and the VF-to-VF L read them.
  const requests = fitRequestCosts(calibrated, paths, options, fittedFields);
  out.params.push(...requests.params);
  out.warnings.push(...requests.warnings);
  const profile = withParams(calibrated, requests.params);
  for (const data of paths) {
    const runs = data.verbs;
    // Inline on vs off: the same operation, send preferred.
    for (const op of ['send', 'write'] as const) {
      const on = runs.filter((r) => r.op === op && r.inlineUsed > 0);
      const off = runs.filter((r) => r.op === op && r.inlineUsed === 0 && r.inlineMax > 0);
      if (on.length === 0 || off.length === 0) continue;
      const fit = fitInline(
        on.flatMap((r) => r.points),
        off.flatMap((r) => r.points),
        options([...on, ...off]),
      );
      const how = intervalHow(fit);
      out.params.push(
        {
          field: `paths.${data.path}.inlineSaving`,
          param: asParam(fit.saving, 'us', 'fitInline', how),
        },
        {
          field: `paths.${data.path}.inlineLimit`,
          param: asParam(fit.limit, 'B', 'fitInline', how),
        },
      );
      out.warnings.push(...fit.warnings.map((w) => `${data.path}: ${w}`));
      break;
    }
    // Read vs write.
    const reads = runs.filter((r) => r.op === 'read');
    const writes = runs.filter((r) => r.op === 'write');
    if (reads.length > 0 && writes.length > 0) {
      const path = profile.paths[data.path];
      const requestCost = path.function === 'vf' ? path.requestCost.value : 0;
      const inlineLimit = Math.max(...writes.map((w) => w.inlineUsed));
      const fit = fitReadExtra(
        reads.flatMap((r) => r.points),
        writes.flatMap((r) => r.points),
        { ...options([...reads, ...writes]), inlineLimit, requestCost },
      );
      out.params.push({
        field: `paths.${data.path}.readExtra`,
        param: asParam(fit.value, 'us', 'fitReadExtra', intervalHow(fit)),
      });
      out.warnings.push(...fit.warnings.map((w) => `${data.path}: ${w}`));
    }
  }
  const vfToVf = fitVfToVf(profile, paths, options);
  if (vfToVf) {
    out.params.push(vfToVf.param);
    out.warnings.push(...vfToVf.warnings);
  }
  return out;
}

/** The profile with these fitted parameters in place (a copy). */
function withParams(profile: Profile, params: readonly MechanismParam[]): Profile {
  if (params.length === 0) return profile;
  const out = structuredClone(profile);
  for (const { field, param } of params) {
    const [, pathName, name] = field.split('.');
    (out.paths[pathName] as unknown as Record<string, Param>)[name] = param;
  }
  return out;
}

/** The VF paths whose request cost a run on the PF beside them measures, and that PF path. */
const VF_AND_PF: readonly (readonly [string, string])[] = [
  ['vf', 'native'],
  ['vf-loopback', 'native-loopback'],
];

function fitRequestCosts(
  profile: Profile,
  paths: readonly PathData[],
  options: (runs: VerbsRun[]) => MechanismSettings & { measurement: string },
  fittedFields: ReadonlySet<string>,
): MechanismFits {
  const out: MechanismFits = { params: [], warnings: [] };
  // Inline turned off on a device that has it measures the inline saving, not the path.
  const plain = (name: string) =>
    (paths.find((p) => p.path === name)?.verbs ?? []).filter((r) => !(r.inlineUsed === 0 && r.inlineMax > 0));
  for (const [vfPath, pfPath] of VF_AND_PF) {
    if (!profile.paths[vfPath] || !profile.paths[pfPath]) continue;
    const vfRuns = plain(vfPath);
    const pfRuns = plain(pfPath);
    const op = (['read', 'send', 'write'] as const).find(
      (o) => vfRuns.some((r) => r.op === o) && pfRuns.some((r) => r.op === o),
    );
    if (!op) continue;
    const vf = vfRuns.filter((r) => r.op === op);
    const pf = pfRuns.filter((r) => r.op === op);
    const fit = fitVfRequestCost(
      vf.flatMap((r) => r.points),
      pf.flatMap((r) => r.points),
      { ...options([...vf, ...pf]), op, inlineLimit: Math.max(...pf.map((r) => r.inlineUsed)) },
    );
    const param = asParam(fit.value, 'us', 'fitVfRequestCost', intervalHow(fit));
    out.params.push({ field: `paths.${vfPath}.requestCost`, param });
    out.warnings.push(...fit.warnings.map((w) => `${vfPath}: ${w}`));
    if (!fittedFields.has(`paths.${vfPath}.L`)) continue;
    // L was solved from this path's own curve with the old request cost: keep that curve's
    // fit by moving L against the change, at the VF run's smallest size (L enters once).
    const s0 = Math.min(...vf.flatMap((r) => r.points.map((x) => x.bytes)));
    const q = (p: Profile) => p2pLatency(p, { path: vfPath, op, progress: 'poll' }, s0);
    const shift = q(withParams(profile, [{ field: `paths.${vfPath}.requestCost`, param }])) - q(profile);
    const L = profile.paths[vfPath].L;
    const value = Math.max(0, L.value - shift);
    if (L.value - shift < 0)
      out.warnings.push(
        `${vfPath}: L would be ${(L.value - shift).toPrecision(3)} us < 0 with the fitted requestCost; set to 0`,
      );
    out.params.push({
      field: `paths.${vfPath}.L`,
      param: {
        ...L,
        value,
        ...(L.interval
          ? {
              interval: [Math.max(0, L.interval[0] - shift), Math.max(0, L.interval[1] - shift)] as [
                number,
                number,
              ],
            }
          : {}),
        source: {
          kind: 'fit',
          ref: `${L.source.ref}; moved by ${Number((-shift).toPrecision(3))} us to keep that fit with requestCost refitted by fitVfRequestCost`,
        },
      },
    });
  }
  return out;
}

function fitVfToVf(
  profile: Profile,
  paths: readonly PathData[],
  options: (runs: VerbsRun[]) => MechanismSettings & { measurement: string },
): { param: MechanismParam; warnings: string[] } | null {
  const sends = (name: string) =>
    (paths.find((p) => p.path === name)?.verbs ?? []).filter(
      (r) => r.op === 'send' && !(r.inlineUsed === 0 && r.inlineMax > 0),
    );
  const across = sends('vf-to-vf');
  const within = sends('vf-loopback');
  if (across.length === 0 || within.length === 0) return null;
  const fit = fitVfToVfExtra(
    across.flatMap((r) => r.points),
    within.flatMap((r) => r.points),
    options([...across, ...within]),
  );
  const s0 = fit.bySize[0].bytes;
  const q = (path: string) => p2pLatency(profile, { path, op: 'send', progress: 'poll' }, s0);
  const L = profile.paths['vf-to-vf'].L.value;
  const shift = fit.value.value - (q('vf-to-vf') - q('vf-loopback'));
  const value = Math.max(0, L + shift);
  const warnings = fit.warnings.map((w) => `vf-to-vf: ${w}`);
  if (L + shift < 0)
    warnings.push(
      `vf-to-vf: L would be ${(L + shift).toPrecision(3)} us < 0 to give the measured difference; set to 0`,
    );
  const interval = fit.value.interval
    ? ([value + fit.value.interval[0] - fit.value.value, value + fit.value.interval[1] - fit.value.value] as [
        number,
        number,
      ])
    : null;
  const ref =
    `fitVfToVfExtra: ${fit.value.from} = ${Number(fit.value.value.toPrecision(4))} us; ` +
    `L set so the model's vf-to-vf minus vf-loopback send latency equals it at ${s0} B (vf-loopback's L ${Number(profile.paths['vf-loopback'].L.value.toPrecision(4))} us as calibrated or from the base); ${intervalHow(fit)}`;
  const param: Param = interval
    ? {
        value,
        unit: 'us',
        interval: [Math.max(0, Math.min(interval[0], value)), Math.max(interval[1], value)],
        source: { kind: 'fit', ref },
      }
    : { value, unit: 'us', source: { kind: 'fit', ref } };
  return { param: { field: 'paths.vf-to-vf.L', param }, warnings };
}
