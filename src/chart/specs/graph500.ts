/**
 * Graph500 BFS time (or TEPS) against VMs or ranks per node, one line per layout with
 * its 95% range: what `ibvf graph500` predicts (src/model/graph500/compare.ts). Every
 * value is predicted, so nothing is drawn with a measured mark.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ChartOptions, PredictedPoint } from '../types.js';
import { sizeSweepSpec } from './size-sweep.js';

export type Graph500Metric = 'time' | 'teps';
export const GRAPH500_METRICS: readonly Graph500Metric[] = ['time', 'teps'];

/** What the chart needs of a prediction row (compare.ts's `Graph500Row` has it). */
export interface Graph500ChartRow {
  placement: string;
  perNode: number;
  time_s: number;
  time_lo_s: number;
  time_hi_s: number;
  teps: number;
  teps_lo: number;
  teps_hi: number;
}

export interface Graph500ChartInput extends ChartOptions {
  metric: Graph500Metric;
  rows: readonly Graph500ChartRow[];
  /** The series name of a placement (default: the placement as ibvf names it). */
  seriesOf?: (placement: string) => string;
}

const Y_TITLE: Record<Graph500Metric, string> = {
  time: 'BFS time (s)',
  teps: 'TEPS (edges/s)',
};

export function graph500Points(
  rows: readonly Graph500ChartRow[],
  metric: Graph500Metric,
  seriesOf: (placement: string) => string = (p) => p,
): PredictedPoint[] {
  return rows.map((r) =>
    metric === 'time'
      ? { series: seriesOf(r.placement), x: r.perNode, y: r.time_s, lo: r.time_lo_s, hi: r.time_hi_s }
      : { series: seriesOf(r.placement), x: r.perNode, y: r.teps, lo: r.teps_lo, hi: r.teps_hi },
  );
}

/**
 * The chart: x is VMs (or native ranks) per node on a log2 axis ticked at each count
 * asked for; y is linear unless the values span more than a factor 10, when a log axis
 * keeps the small counts readable.
 */
export function graph500Spec(input: Graph500ChartInput): TopLevelSpec {
  const predicted = graph500Points(input.rows, input.metric, input.seriesOf);
  const ys = predicted.flatMap((p) => [p.lo ?? p.y, p.hi ?? p.y]);
  const yLog = Math.max(...ys) > 10 * Math.min(...ys);
  return sizeSweepSpec({
    metric: 'latency',
    predicted,
    measured: [],
    yLog,
    yTitle: Y_TITLE[input.metric],
    xTitle: 'VMs or ranks per node',
    xTicks: [...new Set(input.rows.map((r) => r.perNode))].sort((a, b) => a - b),
    size: input.size,
    title: input.title,
    subtitle: input.subtitle,
  });
}
