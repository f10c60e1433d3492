import type { Command } from 'commander';
import { ALGORITHMS, COLLECTIVE_OPS, type AlgorithmEntry } from '../../model/collectives/index.js';
import { formatCsv, formatJson } from '../format.js';
import type { CliIo } from '../io.js';
import { parseChoice } from '../parse.js';

/** What `ibvf algorithms` shows of a registry entry (the JSON field names). */
function describe(a: AlgorithmEntry) {
  return {
    op: a.op,
    name: a.name,
    description: a.description,
    source: a.source,
    two_level: a.twoLevel,
    shmem: a.shmem,
    closed_form_exact: a.closedForm.exactWhen,
    closed_form_tolerance: a.closedForm.tolerance,
  };
}

/**
 * `ibvf algorithms [--op OP]`: the collective algorithms ibvf models, straight from the
 * registry that also drives selection and `--algorithm`.
 */
export function registerAlgorithms(program: Command, io: CliIo): void {
  program
    .command('algorithms')
    .summary('list the collective algorithms (names for --algorithm) and their sources')
    .description(
      'List the MPI collective algorithms ibvf models (names for --algorithm), what they do, where they come from, ' +
        'and when their closed form equals the simulator',
    )
    .option('--op <op>', `only this operation: ${COLLECTIVE_OPS.join(', ')}`)
    .option(
      '--json',
      'print [{"op","name","description","source","two_level","shmem","closed_form_exact","closed_form_tolerance"}]',
    )
    .option('--csv', 'print one row per algorithm with the JSON field names as header')
    .addHelpText(
      'after',
      '\nExamples:\n  ibvf algorithms\n  ibvf algorithms --op alltoall\n' +
        '  ibvf predict --op alltoall --algorithm pairwise --sizes 8K:8K     predict with the algorithm named\n',
    )
    .action((opts: { op?: string; json?: boolean; csv?: boolean }) => {
      const op = opts.op === undefined ? undefined : parseChoice(opts.op, COLLECTIVE_OPS, '--op');
      const rows = ALGORITHMS.filter((a) => op === undefined || a.op === op).map(describe);
      if (opts.json) return io.stdout(formatJson(rows));
      if (opts.csv) {
        const keys = Object.keys(rows[0] ?? describe(ALGORITHMS[0])) as (keyof ReturnType<typeof describe>)[];
        return io.stdout(
          formatCsv(
            keys.map((k) => ({ name: k, value: (r: (typeof rows)[number]) => String(r[k]) })),
            rows,
          ),
        );
      }
      // Grouped by operation, names padded: the name is what --algorithm takes.
      const width = Math.max(...rows.map((r) => r.name.length)) + 2;
      let text = '';
      for (const o of COLLECTIVE_OPS) {
        const mine = rows.filter((r) => r.op === o);
        if (mine.length === 0) continue;
        text += `${o}\n`;
        for (const r of mine) {
          text += `  ${r.name.padEnd(width)}${r.description}\n  ${''.padEnd(width)}closed form exact: ${r.closed_form_exact}${r.closed_form_tolerance > 0 ? ` (else within ${Math.round(r.closed_form_tolerance * 100)}% of the simulator)` : ''}; ${r.source}\n`;
        }
      }
      io.stdout(text);
    });
}
