import type { TopLevelSpec } from 'vega-lite';
import { sizeAxisX } from '../axes.js';
import { baseConfig, fitSize, seriesScales } from '../style.js';
import type { ChartOptions, MeasuredPoint, PredictedPoint } from '../types.js';

export type SweepMetric = 'latency' | 'bandwidth';

export interface SizeSweepInput extends ChartOptions {
  metric: SweepMetric;
  predicted: PredictedPoint[];
  measured: MeasuredPoint[];
  /** y axis on a log scale (latency spanning decades) or linear. */
  yLog?: boolean;
  /** Label of the y axis; default from the metric. */
  yTitle?: string;
  /** Label of the x axis; default 'Message size (bytes)'. */
  xTitle?: string;
  /** Ticks of the x axis; default every factor 4 (or 16) within the sizes. */
  xTicks?: readonly number[];
}

const Y_TITLE: Record<SweepMetric, string> = {
  latency: 'Latency (us)',
  bandwidth: 'Bandwidth (MB/s)',
};

/** The series names in first-seen order, predicted then measured. */
export function seriesOf(predicted: readonly { series: string }[], measured: readonly { series: string }[]) {
  return [...new Set([...predicted.map((p) => p.series), ...measured.map((m) => m.series)])];
}

/**
 * Latency or bandwidth against message size: predicted lines (one per series, each with
 * its own dash) over the shaded 95% range, and measured values as filled marks (one
 * shape per series). A predicted value is never drawn with a mark, so a reader can tell
 * what was measured from what the model says.
 */
export function sizeSweepSpec(input: SizeSweepInput): TopLevelSpec {
  const xs = [...input.predicted.map((p) => p.x), ...input.measured.map((m) => m.x)];
  const series = seriesOf(input.predicted, input.measured);
  const scales = seriesScales(series);
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: input.yTitle ?? Y_TITLE[input.metric],
    // A log axis is not niced: vega would round it out to whole decades and leave
    // most of a small figure empty.
    scale: input.yLog ? { type: 'log' as const, nice: false } : { zero: input.metric === 'bandwidth' },
  };
  const x = sizeAxisX(Math.min(...xs), Math.max(...xs), input.size.widthIn, input.xTitle, input.xTicks);
  const color = { field: 'series', type: 'nominal' as const, title: null, scale: scales.color };
  const withRange = input.predicted.filter((p) => p.lo !== undefined && p.hi !== undefined);
  const layers: object[] = [];
  // One band layer per series, its colour a constant: a band has no legend entry (the
  // legend shows each series' dash and mark), and a fill legend set to null would also
  // hide the filled marks' legend, which shares vega's fill channel.
  series.forEach((name, i) => {
    const values = withRange.filter((p) => p.series === name);
    if (values.length === 0) return;
    layers.push({
      data: { values },
      mark: { type: 'area', opacity: 0.18, color: scales.color.range[i] },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
    });
  });
  if (input.predicted.length > 0) {
    layers.push({
      data: { values: input.predicted },
      mark: { type: 'line' },
      encoding: {
        x,
        y,
        color,
        strokeDash: { field: 'series', type: 'nominal', title: null, scale: scales.strokeDash },
      },
    });
  }
  if (input.measured.length > 0) {
    layers.push({
      data: { values: input.measured },
      mark: { type: 'point', filled: true, size: 36, stroke: '#000000', strokeWidth: 0.5 },
      encoding: {
        x,
        y,
        color,
        shape: { field: 'series', type: 'nominal', title: null, scale: scales.shape },
        tooltip: [
          { field: 'series', type: 'nominal' },
          { field: 'x', type: 'quantitative', title: 'bytes' },
          { field: 'y', type: 'quantitative', title: 'measured' },
          { field: 'source', type: 'nominal' },
        ],
      },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...titleOf(input),
    ...fitSize(input.size),
    // Legend entries side by side as the width allows (two in one column).
    config: {
      ...baseConfig(),
      legend: { ...baseConfig().legend, columns: Math.max(2, Math.floor(input.size.widthIn / 1.6)) },
    },
    layer: layers,
  } as TopLevelSpec;
}

/** The title block, or nothing: a figure in a paper usually takes its caption instead. */
export function titleOf(input: { title?: string; subtitle?: string }) {
  if (!input.title) return {};
  return { title: { text: input.title, ...(input.subtitle ? { subtitle: input.subtitle } : {}) } };
}
