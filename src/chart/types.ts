/**
 * The data contracts of a chart: what a spec builder takes. Everything is in ibvf units
 * (microseconds, bytes, MB/s); a point says whether it was measured or predicted, and a
 * chart never draws a predicted value with a measured point's mark.
 */
import type { FigureSize } from './size.js';

/** A predicted value with the 95% range the model propagates from the profile's intervals. */
export interface PredictedPoint {
  series: string;
  x: number;
  y: number;
  lo?: number;
  hi?: number;
}

/** A measured (published or probed) value, with where it comes from. */
export interface MeasuredPoint {
  series: string;
  x: number;
  y: number;
  source: string;
}

export interface ChartText {
  title?: string;
  /** Line under the title: where the data come from. */
  subtitle?: string;
}

export interface ChartOptions extends ChartText {
  size: FigureSize;
}
