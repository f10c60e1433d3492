/**
 * `ibvf report --profile P --out report.html`: one self-contained page with the profile's
 * parameters and an interactive what-if chart over a grid predicted when it is written.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import type { Command } from 'commander';
import { InputError, UsageError } from '../../errors.js';
import { compareLayouts, FIGURE5_QUERY } from '../../model/whatif.js';
import { DEFAULT_PROFILE } from '../../profiles/builtin.js';
import { loadProfile } from '../../profiles/load.js';
import type { Profile } from '../../profiles/types.js';
import { builtinCalibration, BUILTIN_ROWS_FILE } from '../../calibrate/paper/index.js';
import {
  fitQualityRows,
  profileFits,
  reportAssumptionGrid,
  reportGrid,
  reportParameters,
} from '../../report/report-data.js';
import { packageFile } from '../package-files.js';
import { reportHtml, type EmbeddedLibraries } from '../../report/report-html.js';
import { assumptionInteractiveSpec, whatifInteractiveSpec } from '../../report/whatif-interactive-spec.js';
import { writeChartFile } from '../chart-output.js';
import type { CliIo } from '../io.js';
import { parseSizes } from '../parse.js';

/** The browser builds of vega, vega-lite and vega-embed, from the installed packages. */
function libraries(): EmbeddedLibraries {
  const require = createRequire(import.meta.url);
  const read = (pkg: string, file: string) => {
    // The packages' exports hide package.json: find the folder from the main entry.
    const main = require.resolve(pkg);
    const root = main.slice(0, main.lastIndexOf(`/node_modules/${pkg}/`) + `/node_modules/${pkg}/`.length);
    const path = `${root}${file}`;
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      throw new InputError(
        `cannot read ${pkg}'s browser build (${(e as NodeJS.ErrnoException).code}): reinstall ibvf`,
        path,
      );
    }
  };
  return {
    vega: read('vega', 'build/vega.min.js'),
    vegaLite: read('vega-lite', 'build/vega-lite.min.js'),
    vegaEmbed: read('vega-embed', 'build/vega-embed.min.js'),
  };
}

/**
 * The built-in profile's fit to the paper's rows, redone from the shipped inputs (the same
 * fit \`ibvf calibrate ... --base none\` runs); other profiles carry no fit report.
 */
function fitOf(profile: Profile) {
  if (profile.name !== DEFAULT_PROFILE) return undefined;
  const { fit } = builtinCalibration((file) => readFileSync(packageFile(file), 'utf8'));
  // A file that only borrows the name is not the fitted profile: its fit is unknown.
  if (!isDeepStrictEqual(fit.profile, profile)) return undefined;
  const name = profile.name;
  return {
    source: `${name} fitted to the paper's stated numbers (${BUILTIN_ROWS_FILE}); worst in-sample error ${(fit.report.worstFit * 100).toFixed(1)}%, worst leave-one-out ${(fit.report.worstLeaveOneOut * 100).toFixed(1)}%`,
    rows: fitQualityRows(fit.report),
  };
}

interface ReportOptions {
  profile: string;
  out: string;
  sizes: string;
}

export function registerReport(program: Command, io: CliIo): void {
  program
    .command('report')
    .summary('write a self-contained HTML report of a profile: parameters and interactive what-if charts')
    .description(
      "One HTML page that needs no network to view: the profile's parameters with intervals and sources, and " +
        "the paper's Fig. 5 what-if (alltoall, bcast, allreduce; 32 ranks on 4 nodes; native and VM layouts) " +
        'predicted over --sizes when the page is written, drawn with Vega (a drop-down picks the collective, the ' +
        'legend picks layouts). The page runs no model.',
    )
    .option('--profile <name|file>', 'built-in profile name or profile JSON file', DEFAULT_PROFILE)
    .requiredOption('--out <file.html>', 'the page to write')
    .option('--sizes <MIN:MAX>', 'message sizes of the what-if grid', '1:64K')
    .addHelpText(
      'after',
      '\nExamples:\n  ibvf report --out report.html\n  ibvf report --profile my.json --sizes 1:1M --out my.html\n',
    )
    .action((opts: ReportOptions) => {
      if (!/\.html?$/i.test(opts.out))
        throw new UsageError(`--out ${opts.out}: the report is HTML; name it *.html`);
      const profile = loadProfile(opts.profile);
      const sizes = parseSizes(opts.sizes, '--sizes', false);
      if (sizes.length < 2) throw new UsageError('--sizes: a chart needs at least two sizes (MIN:MAX)');
      // The page holds a whole grid (every layout and size): its ranges are closed-form
      // draws scaled to the simulated answers, as `whatif --closed-form-draws` gives, since
      // 100 simulations per point would take minutes (bench/whatif-draws.bench.ts).
      const result = compareLayouts(profile, { ...FIGURE5_QUERY, sizes, draws: 0 });
      const grid = reportGrid(result.rows);
      // The assumption sweep at the paper's Fig. 5 size (8 KB), one simulation per
      // parameter end and layout.
      const swept = compareLayouts(profile, { ...FIGURE5_QUERY, sensitivity: true, draws: 0 });
      const assumptions = reportAssumptionGrid(swept.rows);
      const data = {
        profile: profile.name,
        parameters: reportParameters(profile),
        grid,
        assumptions,
        fit: fitOf(profile),
        profileFits: profileFits(profile),
        assumptionSetting: `${FIGURE5_QUERY.sizes[0]} bytes, ${FIGURE5_QUERY.procs} ranks on ${FIGURE5_QUERY.nodes} nodes`,
        setting: `${FIGURE5_QUERY.procs} ranks on ${FIGURE5_QUERY.nodes} nodes, sizes ${sizes[0]} to ${sizes.at(-1)} bytes`,
      };
      const charts = {
        whatif: whatifInteractiveSpec(grid),
        assumptions: assumptionInteractiveSpec(assumptions),
      };
      writeChartFile(opts.out, Buffer.from(reportHtml(data, charts, libraries())));
      io.stderr(`ibvf: wrote ${opts.out}\n`);
    });
}
