import type { TopLevelSpec } from 'vega-lite';
import { renderPdf } from './pdf.js';
import { renderPng } from './png.js';
import { renderSvg } from './svg.js';

export const CHART_FORMATS = ['svg', 'png', 'pdf', 'vl'] as const;
export type ChartFormat = (typeof CHART_FORMATS)[number];

/** The file extension of each format (`vl` is the Vega-Lite spec, for restyling). */
export const EXTENSION_OF: Record<ChartFormat, string> = {
  svg: '.svg',
  png: '.png',
  pdf: '.pdf',
  vl: '.vl.json',
};

export interface RenderOptions {
  /** PNG resolution in dots per inch. */
  dpi: number;
  /** The figure's width in inches as asked for: the PNG and PDF are exactly this wide. */
  widthIn: number;
}

/** One chart in one format: the bytes of the file. */
export async function renderChart(
  spec: TopLevelSpec,
  format: ChartFormat,
  options: RenderOptions,
): Promise<Buffer> {
  if (format === 'vl') return Buffer.from(`${JSON.stringify(spec, null, 2)}\n`);
  const svg = await renderSvg(spec);
  if (format === 'svg') return Buffer.from(svg);
  if (format === 'png') return renderPng(svg, options.dpi, options.widthIn);
  return renderPdf(svg, options.widthIn);
}

export { renderSvg, renderPng, renderPdf };
