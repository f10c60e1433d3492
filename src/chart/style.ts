import { FONT_FAMILY } from './render/fonts.js';
import { PX_PER_INCH, type FigureSize } from './size.js';

/**
 * Look shared by every chart: camera-ready at column width, and grey-scale safe. Each
 * series differs in lightness of its colour AND in its mark shape (points) and dash
 * (lines), so a black-and-white print still tells them apart.
 */
export const SERIES_COLORS = ['#000000', '#0b5fa5', '#d55e00', '#7a7a7a', '#009e73', '#cc79a7'];
export const SERIES_SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down'];
// A solid line is one dash longer than any plot (pdfkit refuses a zero-length gap).
export const SERIES_DASHES = [
  [4000, 1],
  [6, 3],
  [2, 2],
  [8, 3, 2, 3],
  [4, 1],
  [1, 3],
];

/** Fonts in pt at print size: 8 pt labels, 9 pt titles, as IEEE and ACM templates use for figures. */
const pt = (points: number) => (points * PX_PER_INCH) / 72;

export function baseConfig() {
  return {
    font: FONT_FAMILY,
    background: 'white',
    view: { stroke: '#000000', strokeWidth: 0.75 },
    axis: {
      labelFontSize: pt(7),
      titleFontSize: pt(8),
      labelFont: FONT_FAMILY,
      titleFont: FONT_FAMILY,
      titleFontWeight: 'normal' as const,
      gridColor: '#e0e0e0',
      domainColor: '#000000',
      tickColor: '#000000',
      labelColor: '#000000',
      titleColor: '#000000',
    },
    legend: {
      labelFontSize: pt(7),
      titleFontSize: pt(7),
      labelFont: FONT_FAMILY,
      titleFont: FONT_FAMILY,
      orient: 'bottom' as const,
      direction: 'horizontal' as const,
      columns: 2,
      symbolSize: 40,
      labelLimit: 0,
    },
    title: {
      fontSize: pt(8),
      subtitleFontSize: pt(6.5),
      font: FONT_FAMILY,
      subtitleFont: FONT_FAMILY,
      anchor: 'start' as const,
      color: '#000000',
      subtitleColor: '#333333',
    },
    line: { strokeWidth: 1.25 },
    point: { size: 30, filled: true },
  };
}

/** Scales mapping series names to colour, shape and dash in one fixed order. */
export function seriesScales(series: readonly string[]) {
  const pick = <T>(list: readonly T[]) => series.map((_, i) => list[i % list.length]);
  return {
    color: { domain: [...series], range: pick(SERIES_COLORS) },
    shape: { domain: [...series], range: pick(SERIES_SHAPES) },
    strokeDash: { domain: [...series], range: pick(SERIES_DASHES) },
  };
}

/** Width and height of a single or layered view, fitted so the whole figure is the size. */
export function fitSize(size: FigureSize) {
  return {
    width: Math.round(size.widthIn * PX_PER_INCH),
    height: Math.round(size.heightIn * PX_PER_INCH),
    autosize: { type: 'fit' as const, contains: 'padding' as const },
    padding: 4,
  };
}
