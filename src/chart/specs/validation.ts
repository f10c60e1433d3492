import type { TopLevelSpec } from 'vega-lite';
import { baseConfig, fitSize, seriesScales } from '../style.js';
import type { ChartOptions } from '../types.js';
import { titleOf } from './size-sweep.js';

/** One row of the validation set: what was published and what the model predicts. */
export interface ValidationPoint {
  id: string;
  /** Grouping shown by colour and shape (e.g. the testbed or the metric). */
  group: string;
  published: number;
  predicted: number;
}

export interface ValidationInput extends ChartOptions {
  points: ValidationPoint[];
  unit: string;
}

/**
 * Predicted against published, one point per row, on log-log axes (rows span latencies
 * of 1 us and bandwidths of thousands of MB/s), with the diagonal y = x where a perfect
 * prediction falls and dotted lines at a factor 2 either side.
 */
export function validationSpec(input: ValidationInput): TopLevelSpec {
  const values = input.points.flatMap((p) => [p.published, p.predicted]).filter((v) => v > 0);
  const lo = Math.min(...values) / 1.5;
  const hi = Math.max(...values) * 1.5;
  const groups = [...new Set(input.points.map((p) => p.group))];
  const scales = seriesScales(groups);
  const scale = { type: 'log' as const, domain: [lo, hi], nice: false };
  const guide = (factor: number, dash: number[]) => ({
    data: {
      values: [
        { a: lo, b: lo * factor },
        { a: hi / Math.max(factor, 1), b: hi * Math.min(factor, 1) },
      ],
    },
    mark: { type: 'line', color: '#555555', strokeDash: dash, strokeWidth: 0.75, clip: true },
    encoding: {
      x: { field: 'a', type: 'quantitative', scale },
      y: { field: 'b', type: 'quantitative', scale },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...titleOf(input),
    ...fitSize(input.size),
    // One legend entry per line: group names are long.
    config: { ...baseConfig(), legend: { ...baseConfig().legend, columns: 1 } },
    layer: [
      guide(1, [4000, 1]),
      guide(2, [2, 2]),
      guide(0.5, [2, 2]),
      {
        data: { values: input.points.filter((p) => p.published > 0 && p.predicted > 0) },
        mark: { type: 'point', filled: true, size: 30, stroke: '#000000', strokeWidth: 0.5 },
        encoding: {
          x: { field: 'published', type: 'quantitative', title: `Published (${input.unit})`, scale },
          y: { field: 'predicted', type: 'quantitative', title: `Predicted (${input.unit})`, scale },
          color: { field: 'group', type: 'nominal', title: null, scale: scales.color },
          shape: { field: 'group', type: 'nominal', title: null, scale: scales.shape },
          tooltip: [
            { field: 'id', type: 'nominal' },
            { field: 'published', type: 'quantitative' },
            { field: 'predicted', type: 'quantitative' },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}
