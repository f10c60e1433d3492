/** Charts: Vega-Lite specs of ibvf's results, and their headless rendering. */
export { sizeSweepSpec, type SizeSweepInput, type SweepMetric } from './specs/size-sweep.js';
export { validationSpec, type ValidationInput, type ValidationPoint } from './specs/validation.js';
export { calibrationSpec, type CalibrationInput, type FitPoint } from './specs/calibration.js';
export {
  graph500Spec,
  graph500Points,
  GRAPH500_METRICS,
  type Graph500ChartInput,
  type Graph500ChartRow,
  type Graph500Metric,
} from './specs/graph500.js';
export { sizeTicks, sizeLabel } from './axes.js';
export { COLUMN_WIDTHS_IN, COLUMN_TEMPLATES, type ColumnTemplate, type FigureSize } from './size.js';
export type { PredictedPoint, MeasuredPoint, ChartOptions } from './types.js';
export {
  renderChart,
  renderSvg,
  renderPng,
  renderPdf,
  CHART_FORMATS,
  EXTENSION_OF,
  type ChartFormat,
  type RenderOptions,
} from './render/index.js';
export {
  PAPER_FIGURES,
  paperFigure,
  type PaperFigure,
  type P2pFigure,
  type CollectiveFigure,
  type Graph500Figure,
} from './figures/paper-figures.js';
export { p2pFigureSpec, collectiveFigureSpec } from './figures/paper-data.js';
export { graph500FigureSpec, type Graph500FigureRun } from './figures/graph500-data.js';
