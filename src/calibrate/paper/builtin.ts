import { parseJsonText } from '../../profiles/json.js';
import { parsePaperConstants } from './constants.js';
import { fitPaperRows } from './fit-paper.js';
import { parsePaperRows } from './rows-csv.js';
import type { PaperFit } from './types.js';

/** The built-in profile's committed inputs and its generated output, relative to the repository. */
export const BUILTIN_ROWS_FILE = 'calibration/cx3-fdr-kvm-2013/paper-rows.csv';
export const BUILTIN_CONSTANTS_FILE = 'calibration/cx3-fdr-kvm-2013/constants.json';
export const BUILTIN_PROFILE_FILE = 'src/profiles/cx3-fdr-kvm-2013.json';

/**
 * The built-in profile cx3-fdr-kvm-2013 fitted from its committed inputs, and the text of
 * its JSON file as shipped. `read` gives a file's text by its repository-relative path
 * (the caller does the I/O).
 */
export function builtinCalibration(read: (file: string) => string): { fit: PaperFit; json: string } {
  const rows = parsePaperRows(read(BUILTIN_ROWS_FILE), BUILTIN_ROWS_FILE);
  const constants = parsePaperConstants(
    parseJsonText(read(BUILTIN_CONSTANTS_FILE), BUILTIN_CONSTANTS_FILE),
    BUILTIN_CONSTANTS_FILE,
  );
  const fit = fitPaperRows(rows, constants, BUILTIN_CONSTANTS_FILE);
  return { fit, json: `${JSON.stringify(fit.profile, null, 2)}\n` };
}
