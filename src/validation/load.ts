import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import { parseValidationRows, type ValidationRow } from './rows.js';

/** The public validation set shipped with ibvf (`validation/rows.csv` at the package root). */
export const VALIDATION_ROWS_FILE = fileURLToPath(new URL('../../validation/rows.csv', import.meta.url));

/** Reads a validation CSV (the shipped one by default). */
export function readValidationRows(file: string = VALIDATION_ROWS_FILE): ValidationRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, file);
  }
  return parseValidationRows(text, file);
}
