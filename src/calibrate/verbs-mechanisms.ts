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
  profile: Profile,
  paths: readonly PathData[],
  settings: MechanismSettings,
): MechanismFits {
  const out: MechanismFits = { params: [], warnings: [] };
  const options = (runs: VerbsRun[]) => ({ ...settings, measurement: filesOf(runs) });
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
