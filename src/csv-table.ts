/**
 * The part every cited-rows CSV reader shares (the validation set, a paper's calibration
 * rows): parse with csv-parse, check the header is exactly the expected columns, and give
 * each body row with its line number for file:line errors.
 */
import { parse } from 'csv-parse/sync';
import { InputError } from './errors.js';

export interface CsvRow<C extends string> {
  /** Each column's cell, trimmed. */
  cell: Record<C, string>;
  /** 1-based line in the file (csv-parse counts records; the readers' quoted cells never span lines). */
  line: number;
}

/**
 * The body rows of `text` (the file at `file`) under the header `columns`, each with every
 * column; a column named in `choices` must hold one of its values.
 */
export function readCsvTable<C extends string>(
  text: string,
  file: string,
  columns: readonly C[],
  choices: Partial<Record<C, readonly string[]>> = {},
): CsvRow<C>[] {
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new InputError(`not valid CSV: ${err.message}`, file, err.lines ?? 1);
  }
  const [header, ...body] = records;
  if (!header || header.join(',') !== columns.join(',')) {
    throw new InputError(`expected the header ${columns.join(',')}`, file, 1);
  }
  return body.map((cells, i) => {
    const line = i + 2;
    if (cells.length !== columns.length) {
      throw new InputError(`${cells.length} columns, expected ${columns.length}`, file, line);
    }
    const cell = Object.fromEntries(columns.map((c, k) => [c, cells[k].trim()])) as Record<C, string>;
    for (const [column, allowed] of Object.entries(choices) as [C, readonly string[]][]) {
      if (!allowed.includes(cell[column])) {
        throw new InputError(`${column} '${cell[column]}' is not one of ${allowed.join(', ')}`, file, line);
      }
    }
    return { cell, line };
  });
}
