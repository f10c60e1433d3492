/**
 * What the HTML report shows, computed when it is written (the page runs no model):
 * every parameter of the profile with its interval and source, and a grid of what-if
 * predictions over collectives, sizes and layouts.
 */
import type { PaperFitReport } from '../calibrate/paper/types.js';
import type { WhatifRow } from '../model/whatif.js';
import { quantile, sampleCorrelation, sampleStandardDeviation } from 'simple-statistics';
import { forEachParam } from '../profiles/validate.js';
import type { Profile } from '../profiles/types.js';

export interface ReportParameter {
  name: string;
  value: number;
  unit: string;
  lo: number | null;
  hi: number | null;
  source: string;
  ref: string;
}

export interface ReportGridPoint {
  op: string;
  bytes: number;
  layout: string;
  latency_us: number;
  lo_us: number;
  hi_us: number;
}

export interface ReportData {
  profile: string;
  parameters: ReportParameter[];
  grid: ReportGridPoint[];
  assumptions: AssumptionGridPoint[];
  /** The what-if setting, in words. */
  setting: string;
  /** The size and setting of the assumption sweep, in words. */
  assumptionSetting: string;
  /** The fit behind the profile, row by row, when ibvf has it (the built-in profile's paper fit). */
  fit?: { source: string; rows: FitQualityRow[] };
  /** What any other profile says of its fits (it keeps no residuals). */
  profileFits?: ProfileFits;
}

/** A group of parameters fitted together, as a profile keeps it: its joint draws, summarised. */
export interface FitGroupSummary {
  source: string;
  draws: number;
  /** Each parameter's value in the profile and the 2.5% and 97.5% quantiles of its draws. */
  params: { name: string; value: number; unit: string; lo: number; hi: number }[];
  /** The strongest correlation between two of its parameters over the draws (null: none varies with another). */
  strongest: { a: string; b: string; r: number } | null;
}

export interface ProfileFits {
  /** Parameters whose source is a fit, with what it says it was fitted to and how. */
  fitted: { name: string; value: number; unit: string; ref: string }[];
  groups: FitGroupSummary[];
}

/**
 * What a profile records of its fits: the fitted parameters' sources and the joint draws
 * of the groups fitted together (a bootstrap's, e.g. LogGP from PRTT runs). A profile keeps
 * no residuals (ibvf.profile/2 has no place for the points fitted): `ibvf calibrate`'s
 * report has them.
 */
export function profileFits(profile: Profile): ProfileFits {
  const params = new Map<string, { value: number; unit: string }>();
  const fitted: ProfileFits['fitted'] = [];
  forEachParam(profile, (name, p) => {
    params.set(name, { value: p.value, unit: p.unit });
    if (p.source.kind === 'fit') fitted.push({ name, value: p.value, unit: p.unit, ref: p.source.ref });
  });
  const groups = (profile.fits ?? []).map((g): FitGroupSummary => {
    const column = (i: number) => g.draws.map((row) => row[i]);
    const varies = g.params.map((_, i) => sampleStandardDeviation(column(i)) > 0);
    let strongest: FitGroupSummary['strongest'] = null;
    for (let i = 0; i < g.params.length; i++)
      for (let j = i + 1; j < g.params.length; j++) {
        if (!varies[i] || !varies[j]) continue;
        const r = sampleCorrelation(column(i), column(j));
        if (strongest === null || Math.abs(r) > Math.abs(strongest.r))
          strongest = { a: g.params[i], b: g.params[j], r };
      }
    return {
      source: g.source.ref,
      draws: g.draws.length,
      params: g.params.map((name, i) => ({
        name,
        value: params.get(name)?.value ?? NaN,
        unit: params.get(name)?.unit ?? '',
        lo: quantile(column(i), 0.025),
        hi: quantile(column(i), 0.975),
      })),
      strongest,
    };
  });
  return { fitted, groups };
}

export function reportParameters(profile: Profile): ReportParameter[] {
  const out: ReportParameter[] = [];
  forEachParam(profile, (name, p) =>
    out.push({
      name,
      value: p.value,
      unit: p.unit,
      lo: p.interval ? p.interval[0] : null,
      hi: p.interval ? p.interval[1] : null,
      source: p.source.kind,
      ref: p.source.ref,
    }),
  );
  return out;
}

export function reportGrid(rows: readonly WhatifRow[]): ReportGridPoint[] {
  return rows.map((r) => ({
    op: r.op,
    bytes: r.bytes,
    layout: `${r.placement}, shm ${r.shm ? 'on' : 'off'}`,
    latency_us: r.latency_us,
    lo_us: r.latency_lo_us,
    hi_us: r.latency_hi_us,
  }));
}

/** One layout's latency with one assumed parameter at the low end, the value, or the high end of its interval. */
export interface AssumptionGridPoint {
  op: string;
  bytes: number;
  layout: string;
  field: string;
  setting: 'low' | 'value' | 'high';
  parameter: number;
  unit: string;
  latency_us: number;
}

const SETTINGS = ['low', 'value', 'high'] as const;

/** The one-at-a-time sweep of each assumed parameter (`sensitivity`), flattened for a chart. */
export function reportAssumptionGrid(rows: readonly WhatifRow[]): AssumptionGridPoint[] {
  return rows.flatMap((r) =>
    (r.sensitivity ?? []).flatMap((s) =>
      SETTINGS.map((setting, i) => ({
        op: r.op,
        bytes: r.bytes,
        layout: `${r.placement}, shm ${r.shm ? 'on' : 'off'}`,
        field: s.field,
        setting,
        parameter: s.values[i],
        unit: s.unit,
        latency_us: s.latency_us[i],
      })),
    ),
  );
}

/** One row of a paper-rows fit: what the paper states and what the fitted profile gives. */
export interface FitQualityRow {
  id: string;
  what: string;
  use: string;
  stated: number;
  unit: string;
  model: number;
  error: number;
  looError: number | null;
  tolerance: number;
}

export function fitQualityRows(report: PaperFitReport): FitQualityRow[] {
  return report.rows.map((r) => ({
    id: r.row.id,
    what: r.row.what,
    use: r.use.kind === 'sets' ? `sets ${r.use.parameter}` : r.use.kind,
    stated: r.row.value,
    unit: r.row.unit,
    model: r.model,
    error: r.error,
    looError: r.looError ?? null,
    tolerance: r.row.tolerance,
  }));
}
