/**
 * Options every chart-writing command shares (`ibvf chart ...`, `ibvf figures`): the
 * file or folder, the format, the figure's size in inches or a journal column, and the
 * PNG's resolution. Also the one place charts are written to disk.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError, UsageError } from '../errors.js';
import { CHART_FORMATS, EXTENSION_OF, type ChartFormat } from '../chart/render/index.js';
import { COLUMN_TEMPLATES, COLUMN_WIDTHS_IN, DEFAULT_SIZE, type FigureSize } from '../chart/size.js';
import { parseChoice } from './parse.js';

export interface ChartSizeCliOptions {
  width?: string;
  column?: string;
  height?: string;
  dpi: string;
}

export function addChartSizeOptions(cmd: Command): Command {
  return cmd
    .option(
      '--column <template>',
      `figure width of a journal column: ${COLUMN_TEMPLATES.map((t) => `${t} (${COLUMN_WIDTHS_IN[t]} in)`).join(', ')}`,
    )
    .option('--width <inches>', `figure width in inches (default ${DEFAULT_SIZE.widthIn}, IEEE's one column)`)
    .option('--height <inches>', `figure height in inches (default ${DEFAULT_SIZE.heightIn})`)
    .option('--dpi <N>', 'PNG resolution in dots per inch (the PNG is width x dpi pixels wide)', '300');
}

function parseInches(text: string, what: string): number {
  const v = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(v >= 1 && v <= 20))
    throw new UsageError(`${what}: '${text}' is not a size in inches from 1 to 20 (example: ${what} 3.5)`);
  return v;
}

export interface ChartSizeChoice {
  size: FigureSize;
  dpi: number;
}

export function parseChartSize(opts: ChartSizeCliOptions): ChartSizeChoice {
  if (opts.width !== undefined && opts.column !== undefined)
    throw new UsageError('choose one of --width and --column');
  const widthIn =
    opts.column !== undefined
      ? COLUMN_WIDTHS_IN[parseChoice(opts.column, COLUMN_TEMPLATES, '--column')]
      : opts.width !== undefined
        ? parseInches(opts.width, '--width')
        : DEFAULT_SIZE.widthIn;
  const heightIn = opts.height !== undefined ? parseInches(opts.height, '--height') : DEFAULT_SIZE.heightIn;
  const dpi = Number(opts.dpi);
  if (!/^\d+$/.test(opts.dpi.trim()) || dpi < 30 || dpi > 2400)
    throw new UsageError(`--dpi: '${opts.dpi}' is not a whole number of dots per inch from 30 to 2400`);
  return { size: { widthIn, heightIn }, dpi };
}

/** The format a file name's extension says, if it says one. */
export function formatOfFile(file: string): ChartFormat | undefined {
  const lower = file.toLowerCase();
  // `.vl.json` before the others: it is the only two-part extension.
  return CHART_FORMATS.find((f) => lower.endsWith(EXTENSION_OF[f]));
}

/**
 * `--format` and `--out` together: the format given, or the one the extension says; a
 * format the extension contradicts is refused rather than written under a wrong name.
 */
export function chartFormat(out: string, format: string | undefined): ChartFormat {
  const fromFile = formatOfFile(out);
  if (format === undefined) {
    if (fromFile) return fromFile;
    throw new UsageError(
      `--out ${out}: cannot tell the format from the name; end it in ${CHART_FORMATS.map((f) => EXTENSION_OF[f]).join(', ')} or give --format`,
    );
  }
  const chosen = parseChoice(format, CHART_FORMATS, '--format');
  if (fromFile !== undefined && fromFile !== chosen)
    throw new UsageError(
      `--format ${chosen} contradicts --out ${out} (a ${fromFile} name): name the file *${EXTENSION_OF[chosen]} or drop --format`,
    );
  return chosen;
}

function errnoOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String(e);
}

export function writeChartFile(file: string, data: Buffer): void {
  try {
    writeFileSync(file, data);
  } catch (e) {
    throw new InputError(`cannot write the chart (${errnoOf(e)}): choose another --out`, file);
  }
}

export function makeOutputDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new InputError(`cannot create the folder (${errnoOf(e)}): choose another --out`, dir);
  }
}
