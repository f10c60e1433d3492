import { InputError } from '../../errors.js';
import type { Profile } from '../../profiles/types.js';
import { rowModel } from './row-model.js';
import type { PaperRow } from './types.js';

/**
 * A row shows a parameter when changing the parameter by its whole value moves the
 * row's model by at least this share of the row's tolerance: enough to be told apart
 * from the other terms at the paper's precision. (The 4 MB bandwidth in blocking mode
 * moves by 0.01% when the 5 us event cost doubles: it does not show it.)
 */
const SHOWN_SHARE_OF_TOLERANCE = 0.1;

/** Which rows show each fitted parameter (indices into `rows`). */
export function dependence(
  profile: Profile,
  set: (values: readonly number[]) => void,
  start: readonly number[],
  rows: readonly PaperRow[],
): Set<number>[] {
  const base = rows.map((r) => rowModel(profile, r));
  const deps = start.map((_, j) => {
    const moved = [...start];
    moved[j] = start[j] * 2;
    set(moved);
    const shown = new Set<number>();
    rows.forEach((r, i) => {
      const moves = Math.abs(rowModel(profile, r) - base[i]) / Math.abs(base[i]);
      if (moves >= SHOWN_SHARE_OF_TOLERANCE * r.tolerance) shown.add(i);
    });
    return shown;
  });
  set(start);
  return deps;
}

/** How the fit uses its rows: the parameters fitted jointly, and those each set by one row. */
export interface Identification {
  /** Indices of the parameters fitted jointly. */
  joint: number[];
  /** Indices of the rows (of the fit rows) they are fitted to. */
  jointRows: number[];
  /** A parameter shown by a single row, in the order found; solved in reverse order. */
  setByRow: { parameter: number; row: number }[];
}

/**
 * Separates what the rows can fit from what one row alone would set. A parameter that
 * only one of the remaining rows shows is not fitted: that row and the parameter are set
 * aside (the row then tests nothing), and the search repeats, since a row set aside can
 * leave another parameter with one row (IPoIB 1 B sets the stack cost, which leaves the
 * verbs event row alone with the event cost). A parameter no row shows is an error: it
 * belongs in the constants.
 */
export function identify(
  names: readonly string[],
  deps: readonly Set<number>[],
  rows: readonly PaperRow[],
  file: string,
): Identification {
  const remaining = new Set(rows.keys());
  const joint = new Set(names.keys());
  const setByRow: Identification['setByRow'] = [];
  for (;;) {
    let found = false;
    for (const j of [...joint]) {
      const shown = [...deps[j]].filter((i) => remaining.has(i));
      if (shown.length === 0) {
        throw new InputError(
          `fitted parameter '${names[j]}' is shown by no fit row: make it a constant (with its source) or add a row that measures it`,
          file,
        );
      }
      if (shown.length === 1) {
        setByRow.push({ parameter: j, row: shown[0] });
        joint.delete(j);
        remaining.delete(shown[0]);
        found = true;
      }
    }
    if (!found) break;
  }
  return { joint: [...joint], jointRows: [...remaining], setByRow };
}
