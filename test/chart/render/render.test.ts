import { execFileSync } from 'node:child_process';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { fontFiles } from '../../../src/chart/render/fonts.js';
import { renderChart, renderPdf, renderPng, renderSvg } from '../../../src/chart/render/index.js';
import { calibrationSpec } from '../../../src/chart/specs/calibration.js';
import { sizeSweepSpec } from '../../../src/chart/specs/size-sweep.js';

const xs = [1, 4, 16, 64, 256, 1024, 4096, 16384];
const spec = (widthIn = 3.5) =>
  sizeSweepSpec({
    metric: 'latency',
    size: { widthIn, heightIn: 2.6 },
    predicted: xs.map((x) => ({
      series: 'SR-IOV',
      x,
      y: 1.5 + x / 1000,
      lo: 1.4 + x / 1000,
      hi: 1.6 + x / 1000,
    })),
    measured: [{ series: 'SR-IOV', x: 4, y: 1.53, source: 'test' }],
  });

/** The pixels resvg draws for an SVG, with the DejaVu files as the renderer gets them. */
function pixels(svg: string): Uint8Array {
  const f = fontFiles();
  return new Resvg(svg, { font: { fontFiles: [f.regular, f.bold], loadSystemFonts: false } }).render().pixels;
}

/** Width and height of a PNG from its IHDR chunk. */
function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

/** The page size in points of a one-page PDF. */
function mediaBox(pdf: Buffer): number[] {
  const m = /\/MediaBox\s*\[([^\]]+)\]/.exec(pdf.toString('latin1'));
  expect(m).not.toBeNull();
  return m![1].trim().split(/\s+/).map(Number);
}

function hasPdffonts(): boolean {
  try {
    execFileSync('pdffonts', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('rendering', () => {
  it('the SVG has the axis titles and the size labels 1, 4, ..., 1K, 4K, 16K', async () => {
    const svg = await renderSvg(spec());
    for (const text of ['Message size (bytes)', 'Latency (us)', '>1K<', '>4K<', '>16K<', '>SR-IOV<'])
      expect(svg).toContain(text);
  });

  it('the PNG draws the text: it differs from the same chart with its text removed', async () => {
    const svg = await renderSvg(spec());
    const noText = svg.replace(/<text\b[^>]*>[^<]*<\/text>/g, '');
    expect(noText).not.toBe(svg);
    const a = pixels(svg);
    const b = pixels(noText);
    expect(a.length).toBe(b.length);
    let differing = 0;
    for (let i = 0; i < a.length; i += 4) if (a[i + 3] !== b[i + 3] || a[i] !== b[i]) differing++;
    // Axis titles, tick labels and the legend: thousands of pixels at 96 dpi.
    expect(differing).toBeGreaterThan(1000);
  });

  it('a 3.5 in figure is 3.5 in x DPI pixels wide in the PNG and 252 pt wide in the PDF', async () => {
    const svg = await renderSvg(spec(3.5));
    expect(pngSize(await renderPng(svg, 300, 3.5))[0]).toBe(1050);
    expect(pngSize(await renderChart(spec(3.5), 'png', { dpi: 600, widthIn: 3.5 }))[0]).toBe(2100);
    const [x0, , x1] = mediaBox(await renderPdf(svg, 3.5));
    expect(Math.abs(x1 - x0 - 252) / 252).toBeLessThan(0.01);
  });

  it('stacked views (calibration) are scaled to the width asked for too', async () => {
    const cal = calibrationSpec({
      unit: 'us',
      size: { widthIn: 7.16, heightIn: 2.6 },
      points: [
        { id: 'a', group: 'native', measured: 1, fitted: 1.02, tolerance: 0.05, role: 'fit' },
        { id: 'b', group: 'vf', measured: 2, fitted: 1.9, tolerance: 0.05, role: 'check' },
      ],
    });
    const [x0, , x1] = mediaBox(await renderChart(cal, 'pdf', { dpi: 300, widthIn: 7.16 }));
    expect(Math.abs(x1 - x0 - 7.16 * 72) / (7.16 * 72)).toBeLessThan(0.01);
    expect(pngSize(await renderChart(cal, 'png', { dpi: 100, widthIn: 7.16 }))[0]).toBe(716);
  });

  it('the PDF keeps text as text in embedded DejaVu fonts', async () => {
    const pdf = await renderChart(spec(), 'pdf', { dpi: 300, widthIn: 3.5 });
    const text = pdf.toString('latin1');
    expect(text).toMatch(/\/FontFile2/);
    expect(text).toMatch(/\/BaseFont\s*\/[A-Z]{6}\+DejaVuSans/);
    if (hasPdffonts()) {
      const { writeFileSync, mkdtempSync } = await import('node:fs');
      const { join } = await import('node:path');
      const { tmpdir } = await import('node:os');
      const file = join(mkdtempSync(join(tmpdir(), 'ibvf-pdf-')), 'c.pdf');
      writeFileSync(file, pdf);
      const listed = execFileSync('pdffonts', [file], { encoding: 'utf8' });
      const rows = listed.split('\n').filter((l) => /DejaVuSans/.test(l));
      expect(rows.length).toBeGreaterThan(0);
      // Column "emb" is yes for every font.
      for (const row of rows) expect(row).toMatch(/\byes\s+yes\s+yes\b/);
    }
  });

  it('the vl format is the Vega-Lite spec itself', async () => {
    const vl = JSON.parse((await renderChart(spec(), 'vl', { dpi: 300, widthIn: 3.5 })).toString());
    expect(vl).toEqual(JSON.parse(JSON.stringify(spec())));
    expect(vl.$schema).toMatch(/vega-lite/);
  });
});
