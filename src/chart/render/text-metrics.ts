import PDFDocument from 'pdfkit';
import * as vega from 'vega';
import { fontFiles } from './fonts.js';

/**
 * Vega lays out axis titles, labels and legends from text widths. Without node-canvas it
 * estimates them (a fixed fraction of the font size per character), which clips long
 * labels in a narrow column figure. This installs a measurer that reads the advance
 * widths of the DejaVu glyphs (through pdfkit's font engine), the font the PNG and PDF
 * draw with, so the layout vega computes is the one that is drawn.
 */
let installed = false;

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
}

export function installTextMetrics(): void {
  if (installed) return;
  const files = fontFiles();
  // A document is only a handle on the font engine here; nothing is written.
  const doc = new PDFDocument({ autoFirstPage: false });
  doc.registerFont('regular', files.regular);
  doc.registerFont('bold', files.bold);
  // vega exports textMetrics at run time (vega-scenegraph) but its typings omit it.
  const metrics = (vega as unknown as { textMetrics: unknown }).textMetrics as {
    width: (item: TextItem, text: string | string[]) => number;
  };
  metrics.width = (item, text) => {
    const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
    doc.font(bold ? 'bold' : 'regular').fontSize(item.fontSize ?? 11);
    const line = Array.isArray(text) ? text.join(' ') : String(text ?? '');
    return doc.widthOfString(line);
  };
  installed = true;
}
