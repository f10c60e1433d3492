import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import {
  readValidationRows,
  testbedProfileNamed,
  validate,
  validationMarkdown,
  type ValidationReport,
  type ValidationResult,
} from '../../validation/index.js';
import { formatCsv, formatJson, formatTable } from '../format.js';
import type { CliIo } from '../io.js';

interface ValidateOptions {
  rows?: string;
  json?: boolean;
  csv?: boolean;
  markdown?: boolean;
}

function jsonOf(report: ValidationReport) {
  return {
    predicted: report.predicted,
    not_predictable: report.notPredictable,
    all: report.all ?? null,
    judge: report.judge ?? null,
    rows: report.results.map((r) => ({
      id: r.row.id,
      testbed: r.row.testbed,
      operation: r.row.operation,
      bytes: r.row.size_bytes ?? null,
      metric: r.row.metric,
      role: r.row.role,
      used_to_build: r.usedToBuild,
      published: r.row.value,
      predicted: r.prediction.status === 'predicted' ? r.prediction.value : null,
      error: r.error ?? null,
      how: r.prediction.status === 'predicted' ? r.prediction.how : null,
      caveats: r.prediction.status === 'predicted' ? r.prediction.caveats : [],
      not_predictable: r.prediction.status === 'not-predictable' ? r.prediction.why : null,
    })),
  };
}

const predictedValue = (r: ValidationResult) =>
  r.prediction.status === 'predicted' ? r.prediction.value : '-';

/**
 * `ibvf validate`: predicts every row of the public validation set (published native and
 * SR-IOV measurements other than the seed paper's) and prints predicted vs published.
 */
export function registerValidate(program: Command, io: CliIo): void {
  program
    .command('validate')
    .summary('predict the public validation set (published results of other testbeds) and print the errors')
    .description(
      'Predict every row of the public validation set: published native and SR-IOV MPI and verbs results ' +
        'from papers and vendor pages other than the seed paper (validation/ holds the rows, their quotes and ' +
        "sources). Each row is predicted under its testbed's profile (the built-in one with only what the " +
        'source states changed); rows ibvf cannot predict say why. Error = predicted / published - 1.',
    )
    .option('--rows <file>', 'a CSV of rows in the same columns (default: the shipped validation/rows.csv)')
    .option('--json', 'print {predicted, not_predictable, all, judge, rows: [...]}')
    .option('--csv', 'print one line per row')
    .option('--markdown', 'print the report as docs/validation.md holds it')
    .addHelpText(
      'after',
      '\nExamples:\n  ibvf validate\n  ibvf validate --json | jq .all\n  ibvf validate --markdown > docs/validation.md\n',
    )
    .action((opts: ValidateOptions) => {
      if ([opts.json, opts.csv, opts.markdown].filter(Boolean).length > 1)
        throw new UsageError('choose one of --json, --csv and --markdown');
      const report = validate(readValidationRows(opts.rows), testbedProfileNamed);
      if (opts.markdown) return io.stdout(validationMarkdown(report));
      const json = jsonOf(report);
      if (opts.json) return io.stdout(formatJson(json));
      if (opts.csv) {
        const keys = Object.keys(json.rows[0]) as (keyof (typeof json.rows)[number])[];
        return io.stdout(
          formatCsv(
            keys.map((k) => ({
              name: k,
              value: (r: (typeof json.rows)[number]) => {
                const v = r[k];
                return Array.isArray(v)
                  ? v.join('; ')
                  : v === null
                    ? ''
                    : typeof v === 'boolean'
                      ? String(v)
                      : v;
              },
            })),
            json.rows,
          ),
        );
      }
      const table = formatTable<ValidationResult>(
        [
          { header: 'Row', value: (r) => r.row.id },
          { header: 'Operation', value: (r) => r.row.operation.replace(/ \(.*\)$/, '') },
          { header: 'Size', value: (r) => r.row.size_bytes ?? '-' },
          { header: 'Published', value: (r) => r.row.value, digits: 2 },
          { header: 'Predicted', value: predictedValue, digits: 2 },
          {
            header: 'Error',
            value: (r) =>
              r.error === undefined
                ? 'n/a'
                : `${(100 * r.error).toFixed(1)}%${r.usedToBuild ? ' (built from)' : ''}`,
          },
        ],
        report.results,
        'public validation set: published vs predicted (validation/rows.csv; units per row: us, MB/s or ratio)',
      );
      const line = (label: string, s: ValidationReport['all']) =>
        s
          ? `${label}: ${s.rows} rows, median |error| ${(100 * s.median_abs_error).toFixed(1)}%, worst ${(100 * s.worst_abs_error).toFixed(1)}% (${s.worst_id})\n`
          : `${label}: none predicted\n`;
      io.stdout(
        table +
          `\n${report.predicted} of ${report.results.length} rows predicted (n/a: not predictable; --json or --markdown say why)\n` +
          line('all predicted rows', report.all) +
          line('collective rows', report.judge),
      );
    });
}
