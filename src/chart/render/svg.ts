import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { installTextMetrics } from './text-metrics.js';

/**
 * A Vega-Lite spec to SVG, headless: compiled to Vega, run in a View with no renderer
 * attached, serialized by vega's `toSVG`. Text is measured with the fonts drawn later
 * (text-metrics.ts), so the SVG's layout holds in the PNG and the PDF.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  installTextMetrics();
  const vgSpec = compile(spec).spec;
  const view = new View(parse(vgSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
