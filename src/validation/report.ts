import { median } from 'simple-statistics';
import { forEachParam } from '../profiles/validate.js';
import type { Profile } from '../profiles/types.js';
import { predictRow, type RowPrediction } from './predict-row.js';
import type { ValidationRow } from './rows.js';

/** One row of the validation report: the published value beside ibvf's. */
export interface ValidationResult {
  row: ValidationRow;
  prediction: RowPrediction;
  /** predicted / published - 1, when predicted. */
  error?: number;
  /** Whether this row was used to build its testbed's profile (then it stays out of the statistics). */
  usedToBuild: boolean;
}

export interface ErrorSummary {
  rows: number;
  /** Median and largest |predicted / published - 1|. */
  median_abs_error: number;
  worst_abs_error: number;
  worst_id: string;
}

export interface ValidationReport {
  results: ValidationResult[];
  /** Over every predicted row not used to build a profile. */
  all?: ErrorSummary;
  /** The same over collective (`judge`) rows only. */
  judge?: ErrorSummary;
  predicted: number;
  notPredictable: number;
}

function summarize(results: ValidationResult[]): ErrorSummary | undefined {
  const scored = results.filter((r) => r.error !== undefined && !r.usedToBuild);
  if (scored.length === 0) return undefined;
  const abs = scored.map((r) => Math.abs(r.error!));
  const worst = scored[abs.indexOf(Math.max(...abs))];
  return {
    rows: scored.length,
    median_abs_error: median(abs),
    worst_abs_error: Math.abs(worst.error!),
    worst_id: worst.row.id,
  };
}

/** Whether any parameter of the profile names the row as its source (e.g. "validation row zh15-01"). */
function citesRow(profile: Profile, id: string): boolean {
  const pattern = new RegExp(`\\b${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
  let cited = false;
  forEachParam(profile, (_, param) => {
    if (pattern.test(param.source.ref)) cited = true;
  });
  return cited;
}

/**
 * Predicts every row under its testbed's profile and scores it. A row a profile was built
 * from (one its sources name) is reported but left out of the statistics
 * (validation/README.md, rule 3): it cannot judge what it set.
 */
export function validate(
  rows: readonly ValidationRow[],
  profileOf: (testbed: string) => Profile | undefined,
): ValidationReport {
  const results = rows.map((row): ValidationResult => {
    const profile = profileOf(row.testbed);
    const prediction: RowPrediction = profile
      ? predictRow(profile, row)
      : { status: 'not-predictable', why: `no profile for testbed '${row.testbed}'` };
    const error = prediction.status === 'predicted' ? prediction.value / row.value - 1 : undefined;
    return { row, prediction, error, usedToBuild: profile !== undefined && citesRow(profile, row.id) };
  });
  const predicted = results.filter((r) => r.prediction.status === 'predicted').length;
  return {
    results,
    all: summarize(results),
    judge: summarize(results.filter((r) => r.row.role === 'judge')),
    predicted,
    notPredictable: results.length - predicted,
  };
}
