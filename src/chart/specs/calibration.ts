import type { TopLevelSpec } from 'vega-lite';
import { PX_PER_INCH } from '../size.js';
import { baseConfig, seriesScales } from '../style.js';
import type { ChartOptions } from '../types.js';
import { titleOf } from './size-sweep.js';

/** One fitted row: the measured value, what the fitted profile gives, and the row's tolerance. */
export interface FitPoint {
  id: string;
  group: string;
  measured: number;
  fitted: number;
  /** Largest relative error allowed on the row (0.05 = 5%). */
  tolerance: number;
  /** `fit` rows were used by the fit; `check` rows were held out of it. */
  role: 'fit' | 'check';
}

export interface CalibrationInput extends ChartOptions {
  points: FitPoint[];
  unit: string;
}

/**
 * A calibration's quality: above, fitted against measured per row (log-log, diagonal
 * drawn); below, each row's residual (fitted / measured - 1, in %) with its tolerance as
 * an error bar, fit rows filled and held-out check rows hollow. Two stacked views cannot
 * be fitted to a width by vega, so each view's width is the figure's less room for the
 * axis; the renderers scale the drawing to the exact width asked for.
 */
export function calibrationSpec(input: CalibrationInput): TopLevelSpec {
  const width = Math.round(input.size.widthIn * PX_PER_INCH) - 60;
  const heightAll = Math.round(input.size.heightIn * PX_PER_INCH) - 70;
  const values = input.points.flatMap((p) => [p.measured, p.fitted]);
  const lo = Math.min(...values) / 1.5;
  const hi = Math.max(...values) * 1.5;
  const scale = { type: 'log' as const, domain: [lo, hi], nice: false };
  const groups = [...new Set(input.points.map((p) => p.group))];
  const scales = seriesScales(groups);
  const data = input.points.map((p) => ({
    ...p,
    residual: (p.fitted / p.measured - 1) * 100,
    tol: p.tolerance * 100,
    negTol: -p.tolerance * 100,
  }));
  const color = { field: 'group', type: 'nominal', title: null, scale: scales.color };
  const shape = { field: 'group', type: 'nominal', title: null, scale: scales.shape };
  // Fit rows filled in their series' colour, check rows hollow (white inside): the
  // difference survives grey-scale printing.
  const fill = {
    condition: { test: "datum.role === 'fit'", ...color },
    value: '#ffffff',
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...titleOf(input),
    config: baseConfig(),
    padding: 4,
    data: { values: data },
    vconcat: [
      {
        width,
        height: Math.round(heightAll * 0.6),
        layer: [
          {
            data: { values: [{ a: lo }, { a: hi }] },
            mark: { type: 'line', color: '#555555', strokeWidth: 0.75 },
            encoding: {
              x: { field: 'a', type: 'quantitative', scale },
              y: { field: 'a', type: 'quantitative', scale },
            },
          },
          {
            mark: { type: 'point', size: 30, strokeWidth: 1.25, filled: false, opacity: 1 },
            encoding: {
              x: { field: 'measured', type: 'quantitative', title: `Measured (${input.unit})`, scale },
              y: { field: 'fitted', type: 'quantitative', title: `Fitted (${input.unit})`, scale },
              color,
              shape,
              fill,
              tooltip: [{ field: 'id' }, { field: 'measured' }, { field: 'fitted' }],
            },
          },
        ],
      },
      {
        width,
        height: Math.round(heightAll * 0.4),
        layer: [
          {
            mark: { type: 'rule', color: '#999999' },
            encoding: {
              x: {
                field: 'id',
                type: 'nominal',
                sort: null,
                axis: { labels: false, ticks: false },
                title: 'Row',
              },
              y: { field: 'negTol', type: 'quantitative', title: 'Residual (%)' },
              y2: { field: 'tol' },
            },
          },
          {
            mark: { type: 'point', size: 24, strokeWidth: 1.25, filled: false, opacity: 1 },
            encoding: {
              x: { field: 'id', type: 'nominal', sort: null },
              y: { field: 'residual', type: 'quantitative' },
              color,
              shape,
              fill,
              tooltip: [{ field: 'id' }, { field: 'residual', format: '.1f' }, { field: 'tol' }],
            },
          },
        ],
      },
    ],
  } as TopLevelSpec;
}
