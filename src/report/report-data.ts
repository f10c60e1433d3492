/**
 * What the HTML report shows, computed when it is written (the page runs no model):
 * every parameter of the profile with its interval and source, and a grid of what-if
 * predictions over collectives, sizes and layouts.
 */
import type { PaperFitReport } from '../calibrate/paper/types.js';
import type { WhatifRow } from '../model/whatif.js';
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
