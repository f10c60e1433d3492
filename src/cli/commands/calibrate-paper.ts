/**
 * `ibvf calibrate --base none`: a whole profile from a paper's rows and its cited
 * constants (calibration/<profile>/paper-rows.csv and constants.json), the way the
 * built-in profile cx3-fdr-kvm-2013 is made. With no base profile every number must come
 * from the inputs: the fitted ones from the rows, the rest from the constants file.
 */
import { writeFileSync } from 'node:fs';
import { InputError, UsageError } from '../../errors.js';
import {
  fitPaperRows,
  formatPaperReport,
  parsePaperConstants,
  parsePaperRows,
} from '../../calibrate/paper/index.js';
import { parseJsonText } from '../../profiles/json.js';
import { readTextFile } from '../../read-text.js';
import { formatJson } from '../format.js';
import type { CliIo } from '../io.js';

export interface PaperCalibrateOptions {
  name: string;
  out?: string;
  json?: boolean;
}

const readText = (file: string) => readTextFile(file);

/** The one rows file (.csv) and the one constants file (.json) among the inputs. */
function pickInputs(files: readonly string[]): { rows: string; constants: string } {
  const csv = files.filter((f) => f.toLowerCase().endsWith('.csv'));
  const json = files.filter((f) => f.toLowerCase().endsWith('.json'));
  const other = files.filter((f) => !csv.includes(f) && !json.includes(f));
  const what =
    'with --base none, give a paper-rows CSV and its constants JSON (or the folder holding them, as calibration/cx3-fdr-kvm-2013)';
  if (other.length > 0) throw new InputError(`not a paper-rows CSV or constants JSON: ${what}`, other[0]);
  if (csv.length !== 1 || json.length !== 1)
    throw new UsageError(`${what}; found ${csv.length} CSV and ${json.length} JSON files`);
  return { rows: csv[0], constants: json[0] };
}

export function calibrateFromPaper(files: readonly string[], opts: PaperCalibrateOptions, io: CliIo): void {
  const { rows: rowsFile, constants: constantsFile } = pickInputs(files);
  const rows = parsePaperRows(readText(rowsFile), rowsFile);
  const constants = parsePaperConstants(parseJsonText(readText(constantsFile), constantsFile), constantsFile);
  const fit = fitPaperRows(rows, constants, constantsFile);
  const profile = { ...fit.profile, name: opts.name };
  const out = opts.out ?? `${opts.name}.json`;
  try {
    writeFileSync(out, formatJson(profile));
  } catch (e) {
    throw new InputError(
      `cannot write the profile (${(e as NodeJS.ErrnoException).code ?? String(e)}): choose another --out`,
      out,
    );
  }
  if (opts.json) return io.stdout(formatJson({ out, report: fit.report }));
  io.stdout(`# profile ${opts.name} fitted to ${rowsFile} with ${constantsFile}, written to ${out}\n`);
  io.stdout(`${formatPaperReport(fit.report)}\n`);
}
