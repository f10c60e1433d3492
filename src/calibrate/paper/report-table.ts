import type { PaperFitReport, RowReport } from './types.js';

const pct = (x: number | undefined): string => (x === undefined ? '-' : `${(100 * x).toFixed(1)}%`);

function use(r: RowReport): string {
  return r.use.kind === 'sets' ? `sets ${r.use.parameter}` : r.use.kind;
}

/**
 * The fit's report as text: the parameters with their intervals, then one line per row
 * (paper, model, error, leave-one-out error), the fitted rows first, then the rows that
 * set a parameter alone, then the check rows, with the worst of each group.
 */
export function formatPaperReport(report: PaperFitReport): string {
  const params = report.parameters.map(
    (p) =>
      `  ${p.name.padEnd(20)} ${String(p.value).padStart(10)} ${p.unit.padEnd(5)} [${p.interval[0]}, ${p.interval[1]}]  ${p.kind === 'fit' ? 'fit' : 'set by one row (assumption)'}`,
  );
  const order = { fit: 0, sets: 1, check: 2 } as const;
  const rows = [...report.rows]
    .sort((a, b) => order[a.use.kind] - order[b.use.kind])
    .map(
      (r) =>
        `  ${r.row.id.padEnd(24)} ${`${r.row.section} ${r.row.figure}`.padEnd(16)} ${String(r.row.value).padStart(8)} ${r.model.toFixed(r.row.unit === 'us' ? 3 : 1).padStart(8)} ${pct(r.error).padStart(7)} ${pct(r.looError).padStart(8)}  ${use(r)}${r.looNote ? ` (${r.looNote})` : ''}`,
    );
  return [
    `method: ${report.method}`,
    `intervals: ${report.intervalMethod}`,
    '',
    'parameters:',
    ...params,
    '',
    `  ${'row'.padEnd(24)} ${'where'.padEnd(16)} ${'paper'.padStart(8)} ${'model'.padStart(8)} ${'error'.padStart(7)} ${'LOO'.padStart(8)}  use`,
    ...rows,
    '',
    `worst in-sample error of the jointly fitted rows: ${pct(report.worstFit)}; worst leave-one-out error: ${pct(report.worstLeaveOneOut)}; worst error of the check rows (never fitted): ${pct(report.worstCheck)}`,
  ].join('\n');
}
