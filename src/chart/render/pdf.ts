import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { PT_PER_INCH, PX_PER_INCH } from '../size.js';
import { FONT_FAMILY, fontFiles } from './fonts.js';
import { svgHeightPx, svgWidthPx } from './png.js';

/**
 * SVG to a one-page vector PDF whose page is the figure: vega's 96 px per inch become
 * PDF's 72 pt per inch, so a figure laid out 3.5 in wide is a 3.5 in (252 pt) page.
 * (`widthIn` scales a drawing vega could not fit exactly to the width asked for.)
 * Text stays text, in DejaVu embedded as a subset (pdfkit embeds every font it uses).
 */
export function renderPdf(svg: string, widthIn = svgWidthPx(svg) / PX_PER_INCH): Promise<Buffer> {
  const width = widthIn * PT_PER_INCH;
  const height = (svgHeightPx(svg) / svgWidthPx(svg)) * width;
  const files = fontFiles();
  // Fixed dates keep the file the same from run to run for the same chart.
  const doc = new PDFDocument({
    size: [width, height],
    margin: 0,
    info: { Producer: 'ibvf', Creator: 'ibvf', CreationDate: new Date(0), ModDate: new Date(0) },
  });
  doc.registerFont('regular', files.regular);
  doc.registerFont('bold', files.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  SVGtoPDF(doc, svg, 0, 0, {
    width,
    height,
    assumePt: false,
    // Every text is DejaVu: the font vega measured it with (text-metrics.ts).
    fontCallback: (_family: string, bold: boolean) => (bold ? 'bold' : 'regular'),
  });
  doc.end();
  return done;
}

export { FONT_FAMILY };
