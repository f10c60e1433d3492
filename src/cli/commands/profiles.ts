import { UsageError } from '../../errors.js';
import type { Command } from 'commander';
import { BUILTIN_PROFILES, DEFAULT_PROFILE } from '../../profiles/builtin.js';
import { loadProfile } from '../../profiles/load.js';
import { forEachParam } from '../../profiles/validate.js';
import { Profile as ProfileSchema, PROFILE_SCHEMA_ID, type Param } from '../../profiles/types.js';
import { formatCsv, formatJson } from '../format.js';
import type { CliIo } from '../io.js';

function paramRows(profile: object): { field: string; param: Param }[] {
  const rows: { field: string; param: Param }[] = [];
  forEachParam(profile, (field, param) => rows.push({ field, param }));
  return rows;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : Math.abs(v) < 0.01 ? v.toExponential(3) : v.toFixed(3);
}

export function registerProfiles(program: Command, io: CliIo): void {
  program
    .command('profiles')
    .summary('list the built-in profiles')
    .description(
      'List the built-in profiles (a profile describes one node type, its paths and its MPI library)',
    )
    .option('--json', 'print the list as JSON')
    .addHelpText('after', '\nExamples:\n  ibvf profiles\n  ibvf profile show cx3-fdr-kvm-2013\n')
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        io.stdout(
          formatJson(
            BUILTIN_PROFILES.map((p) => ({
              name: p.name,
              description: p.description,
              paths: Object.keys(p.paths),
            })),
          ),
        );
        return;
      }
      for (const p of BUILTIN_PROFILES) {
        io.stdout(
          `${p.name}${p.name === DEFAULT_PROFILE ? ' (default)' : ''}\n  ${p.description}\n  paths: ${Object.keys(p.paths).join(', ')}\n`,
        );
      }
    });

  const profile = program
    .command('profile')
    .summary('show a profile with every number and its source, or print the schema')
    .description('Inspect a profile, or print its JSON schema')
    .addHelpText(
      'after',
      '\nExamples:\n  ibvf profile show cx3-fdr-kvm-2013\n' +
        '  ibvf profile show cx3-fdr-kvm-2013 --json > mine.json     a profile to edit, then --profile mine.json\n' +
        '  ibvf profile schema > ibvf.profile.schema.json\n',
    );
  profile
    .command('schema')
    .description(
      `Print the JSON schema of ${PROFILE_SCHEMA_ID} (draft 2020-12 compatible) for editors and validators`,
    )
    .addHelpText('after', '\nExample:\n  ibvf profile schema > ibvf.profile-1.schema.json\n')
    .action(() => io.stdout(formatJson({ $id: PROFILE_SCHEMA_ID, ...ProfileSchema })));
  profile
    .command('show')
    .description('Show every parameter of a profile with its unit, 95% interval and source')
    .argument('<name|file>', 'a built-in profile name (see `ibvf profiles`) or a profile JSON file')
    .option('--json', 'print the whole profile as JSON (a file `ibvf --profile FILE` accepts)')
    .option('--csv', 'print one row per parameter: field,value,unit,lo,hi,source_kind,source')
    .addHelpText(
      'after',
      '\nExamples:\n  ibvf profile show cx3-fdr-kvm-2013\n  ibvf profile show cx3-fdr-kvm-2013 --json > my-profile.json\n',
    )
    .action((nameOrFile: string, opts: { json?: boolean; csv?: boolean }) => {
      if (opts.json && opts.csv) throw new UsageError('choose one of --json and --csv');
      const p = loadProfile(nameOrFile);
      if (opts.json) return io.stdout(formatJson(p));
      const rows = paramRows(p);
      if (opts.csv) {
        return io.stdout(
          formatCsv(
            [
              { name: 'field', value: (r) => r.field },
              { name: 'value', value: (r) => r.param.value },
              { name: 'unit', value: (r) => r.param.unit },
              { name: 'lo', value: (r) => r.param.interval?.[0] ?? '' },
              { name: 'hi', value: (r) => r.param.interval?.[1] ?? '' },
              { name: 'source_kind', value: (r) => r.param.source.kind },
              { name: 'source', value: (r) => r.param.source.ref },
            ],
            rows,
          ),
        );
      }
      io.stdout(`# ${p.name}: ${p.description}\n# testbed: ${p.testbed.summary}\n`);
      const width = Math.max(...rows.map((r) => r.field.length));
      for (const { field, param } of rows) {
        const range = param.interval ? ` [${fmt(param.interval[0])}, ${fmt(param.interval[1])}]` : '';
        io.stdout(
          `${field.padEnd(width)}  ${`${fmt(param.value)} ${param.unit}${range}`.padEnd(34)} ${param.source.kind}: ${param.source.ref}\n`,
        );
      }
      // Groups drawn together: the ranges of predictions take one row of each per draw.
      for (const group of p.fits ?? []) {
        io.stdout(
          `# drawn together (${group.draws.length} joint draws): ${group.params.join(', ')}; ${group.source.kind}: ${group.source.ref}\n`,
        );
      }
    });
}
