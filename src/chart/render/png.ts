import { FONT_FAMILY, fontFiles } from './fonts.js';
import { PX_PER_INCH } from '../size.js';

/**
 * SVG to PNG with resvg at `dpi` dots per inch: vega lays out at 96 px per inch, so the
 * PNG is (SVG width / 96) x dpi pixels wide, or `widthIn` x dpi when the figure was asked
 * for at a width vega could not fit exactly (stacked views). The DejaVu files are handed over explicitly
 * and system fonts are not loaded, so the PNG's text is the measured font or nothing.
 */
export async function renderPng(
  svg: string,
  dpi: number,
  widthIn = svgWidthPx(svg) / PX_PER_INCH,
): Promise<Buffer> {
  // resvg is a native addon: loaded only when a PNG is asked for, so the rest of ibvf
  // (and the package's import) works where it cannot load.
  const { Resvg } = await import('@resvg/resvg-js');
  const files = fontFiles();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.round(widthIn * dpi) },
    font: {
      fontFiles: [files.regular, files.bold],
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    background: 'white',
  });
  return resvg.render().asPng();
}

/** The width attribute vega's toSVG writes on the root element, in px. */
export function svgWidthPx(svg: string): number {
  return svgDimension(svg, 'width');
}

export function svgHeightPx(svg: string): number {
  return svgDimension(svg, 'height');
}

function svgDimension(svg: string, name: 'width' | 'height'): number {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const m = new RegExp(`\\b${name}="([0-9.]+)"`).exec(root);
  if (!m) throw new Error(`SVG without a numeric ${name} on its root element`);
  return Number(m[1]);
}
