import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The one font family every chart uses, and its files. DejaVu ships in the npm package
 * `dejavu-fonts-ttf`, so the PNG (resvg) and the PDF (pdfkit) draw with the same font
 * vega measured the labels with, and neither depends on what fonts the machine has:
 * text can never silently fall back to a missing face.
 */
export const FONT_FAMILY = 'DejaVu Sans';

export interface FontFiles {
  regular: string;
  bold: string;
}

let cached: FontFiles | undefined;

export function fontFiles(): FontFiles {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  cached = { regular: join(dir, 'DejaVuSans.ttf'), bold: join(dir, 'DejaVuSans-Bold.ttf') };
  return cached;
}
