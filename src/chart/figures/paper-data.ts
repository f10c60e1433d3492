/**
 * The data of one paper figure, computed from a profile: predicted curves with their 95%
 * ranges and the paper's stated numbers as measured marks. Pure: the caller reads the
 * rows file and the profile.
 */
import type { PaperRow } from '../../calibrate/paper/types.js';
import { collectiveSizes } from '../../model/predict-collective.js';
import { predictP2pRange } from '../../model/uncertainty/p2p-range.js';
import { compareLayouts, FIGURE5_QUERY } from '../../model/whatif.js';
import type { Profile } from '../../profiles/types.js';
import { sizeSweepSpec } from '../specs/size-sweep.js';
import type { FigureSize } from '../size.js';
import type { MeasuredPoint, PredictedPoint } from '../types.js';
import type { CollectiveFigure, P2pFigure } from './paper-figures.js';
import type { TopLevelSpec } from 'vega-lite';

export function powersOfTwo([min, max]: [number, number]): number[] {
  const sizes: number[] = [];
  for (let s = min; s <= max; s *= 2) sizes.push(s);
  return sizes;
}

/**
 * A row of paper-rows.csv is drawn as measured only when the paper states it: rows whose
 * note says the text has no number (the 'Max Inline=0' stand-ins) are left out.
 */
export function isStatedInPaper(row: PaperRow): boolean {
  return !/^no number/i.test(row.note);
}

/** The paper's numbers on one curve of a figure. */
export function measuredOf(fig: P2pFigure, rows: readonly PaperRow[]): MeasuredPoint[] {
  const wanted = fig.metric === 'latency' ? 'latency' : 'peak-bandwidth';
  return fig.curves.flatMap((c) =>
    rows
      .filter(
        (r) =>
          r.figure === fig.cite &&
          r.metric === wanted &&
          r.path === c.path &&
          r.op === c.op &&
          r.progress === c.progress &&
          isStatedInPaper(r),
      )
      .map((r) => ({ series: c.label, x: r.bytes, y: r.value, source: `${r.section} ${r.figure}: ${r.id}` })),
  );
}

export function p2pFigureSpec(
  fig: P2pFigure,
  profile: Profile,
  rows: readonly PaperRow[],
  size: FigureSize,
): TopLevelSpec {
  const sizes = powersOfTwo(fig.sizes);
  const predicted: PredictedPoint[] = fig.curves.flatMap((c) =>
    predictP2pRange(profile, { path: c.path, op: c.op, progress: c.progress }, sizes).map((r) =>
      fig.metric === 'latency'
        ? { series: c.label, x: r.bytes, y: r.latency_us, lo: r.latency_lo_us, hi: r.latency_hi_us }
        : {
            series: c.label,
            x: r.bytes,
            y: r.bandwidth_MBps,
            lo: r.bandwidth_lo_MBps,
            hi: r.bandwidth_hi_MBps,
          },
    ),
  );
  const measured = measuredOf(fig, rows);
  return sizeSweepSpec({
    metric: fig.metric,
    predicted,
    measured,
    yLog: fig.yLog ?? fig.metric === 'latency',
    size,
    title: `${fig.cite} ${fig.title}`,
    subtitle: `${profile.name}: lines predicted, band 95%${measured.length > 0 ? '; marks: paper' : ''}`,
  });
}

/** Series label of a Fig. 5 layout, as the paper names them. */
function layoutLabel(placement: string, shm: boolean): string {
  if (placement === 'native') return shm ? 'Native (shm)' : 'Native (no shm)';
  return (
    { 'vm-per-core': 'VM per core', 'vm-per-socket': 'VM per socket', 'vm-per-node': 'VM per node' }[
      placement
    ] ?? placement
  );
}

/**
 * Fig. 5: one collective's latency against size for the paper's layouts, all predicted
 * (the paper withholds these results; nothing here is drawn as measured).
 */
export function collectiveFigureSpec(
  fig: CollectiveFigure,
  profile: Profile,
  size: FigureSize,
): TopLevelSpec {
  const result = compareLayouts(profile, {
    ...FIGURE5_QUERY,
    ops: [fig.op],
    sizes: collectiveSizes(fig.op, powersOfTwo(fig.sizes)),
  });
  const predicted: PredictedPoint[] = result.rows.map((r) => ({
    series: layoutLabel(r.placement, r.shm),
    x: r.bytes,
    y: r.latency_us,
    lo: r.latency_lo_us,
    hi: r.latency_hi_us,
  }));
  return sizeSweepSpec({
    metric: 'latency',
    predicted,
    measured: [],
    yLog: true,
    size,
    title: `${fig.cite} ${fig.title}`,
    subtitle: `${profile.name}: predicted, band 95% (paper withholds it)`,
  });
}
