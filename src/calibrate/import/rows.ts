/**
 * Checks shared by the table readers (OSU, perftest) for damage a file can carry
 * without looking damaged: a row cut off at the end of the file, and a message size
 * that appears twice in one run.
 */
import { InputError } from '../../errors.js';

/** Digits after the decimal point of a number as the tool printed it. */
function decimals(cell: string): number {
  const dot = cell.indexOf('.');
  return dot < 0 ? 0 : cell.length - dot - 1;
}

/**
 * The last row of a file that ends without a newline may be cut mid-number (`276.04`
 * saved as `276`): its cells then have fewer decimals than the row above, or it has
 * fewer cells than the header names. Tools end every row with a newline, so such a row
 * is refused as truncated instead of being read as whole.
 */
export function checkCutLastRow(
  cells: readonly string[],
  expected: number,
  previous: readonly string[] | undefined,
  file: string,
  lineNo: number,
): void {
  if (cells.length < expected) {
    throw new InputError(
      `the file ends in the middle of this row (${cells.length} of ${expected} values, no newline): the output is truncated; re-run the benchmark or remove the partial row`,
      file,
      lineNo,
    );
  }
  if (!previous) return;
  cells.forEach((cell, k) => {
    const before = previous[k];
    if (before === undefined || !/^[-+]?\d/.test(cell)) return;
    if (decimals(cell) < decimals(before)) {
      throw new InputError(
        `the file ends in the middle of this row: "${cell}" has fewer decimals than "${before}" in the row above and no newline follows, so it was cut mid-number (truncated output); re-run the benchmark or remove the partial row`,
        file,
        lineNo,
      );
    }
  });
}

/** Remembers each message size of one run and refuses a second row for one of them. */
export class SizeSet {
  private readonly seen = new Map<number, number>();

  add(bytes: number, file: string, lineNo: number): void {
    const first = this.seen.get(bytes);
    if (first !== undefined) {
      throw new InputError(
        `message size ${bytes} appears twice in one run (first at line ${first}): two runs merged or a line duplicated; keep each run's output whole`,
        file,
        lineNo,
      );
    }
    this.seen.set(bytes, lineNo);
  }
}

/** Whether line `i` of `lines` (split at newlines) is the last line and the text ends without a newline. */
export function endsWithoutNewline(lines: readonly string[], i: number): boolean {
  return i === lines.length - 1 && lines[i].trim() !== '';
}
