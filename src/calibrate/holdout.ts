/**
 * Held-out measurements predicted with a calibrated profile (out of sample): probe PRTT,
 * streaming and ping-pong runs through the path's LogGP (loggp-predict.ts), other tools'
 * point-to-point runs through the model's p2p prediction (src/model/p2p/predict.ts), as
 * `ibvf predict` computes them.
 */
import { median } from 'simple-statistics';
import type { Profile } from '../profiles/types.js';
import { curveModel } from './fit-path.js';
import type { PathInput, HoldoutRow } from './input.js';
import { loggpPrtt } from './loggp-predict.js';
import { curvesOf } from './path-data.js';
import { pathOf } from '../model/p2p/path.js';

export function predictHoldout(profile: Profile, inputs: readonly PathInput[]): HoldoutRow[] {
  const rows: HoldoutRow[] = [];
  for (const input of inputs) {
    const path = pathOf(profile, input.path);
    const row = (
      line: number | null,
      what: string,
      label: string,
      unit: string,
      predicted: number,
      measured: number,
    ) =>
      rows.push({
        file: input.file,
        line,
        path: input.path,
        what,
        label,
        unit,
        predicted,
        measured,
        relError: (predicted - measured) / measured,
      });
    if (input.kind === 'probe') {
      for (const r of input.result.prtt.filter((x) => x.mode === 'poll' && x.pair === 0)) {
        row(
          null,
          'PRTT',
          `PRTT(${r.n},${r.d_us.toFixed(2)},${r.bytes})`,
          'us',
          loggpPrtt(path, r.n, r.d_us, r.bytes),
          r.median_us,
        );
      }
    }
    for (const curve of curvesOf(input)) {
      if (curve.progress !== 'poll' && !(curve.op === 'tcp' || curve.op === 'mpi')) continue;
      for (const p of curve.points) {
        const what =
          curve.metric === 'latency'
            ? `${curve.op} latency`
            : `${curve.op} bandwidth${curve.window ? ` window ${curve.window}` : ''}`;
        row(
          curve.line,
          what,
          `${p.bytes} B`,
          curve.metric === 'latency' ? 'us' : 'MB/s',
          curveModel(profile, input.path, curve, p.bytes),
          p.value,
        );
      }
    }
  }
  return rows;
}

/** The median of |relative error| and the row with the largest, or nulls without rows. */
export function summarize(rows: readonly HoldoutRow[]): {
  medianAbsRelError: number | null;
  worst: HoldoutRow | null;
} {
  if (rows.length === 0) return { medianAbsRelError: null, worst: null };
  const medianAbsRelError = median(rows.map((r) => Math.abs(r.relError)));
  const worst = rows.reduce((w, r) => (Math.abs(r.relError) > Math.abs(w.relError) ? r : w));
  return { medianAbsRelError, worst };
}
