/**
 * `ibvf chart predict|whatif|graph500|calibration|validate ... --out FILE`: the chart of what the
 * command of the same name prints, taking that command's options, written as SVG, PNG,
 * PDF or the Vega-Lite spec (`--format`, or the file's extension).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError, UsageError } from '../../errors.js';
import {
  BUILTIN_CONSTANTS_FILE,
  BUILTIN_ROWS_FILE,
  fitPaperRows,
  parsePaperConstants,
  parsePaperRows,
} from '../../calibrate/paper/index.js';
import { renderChart } from '../../chart/render/index.js';
import { calibrationSpec } from '../../chart/specs/calibration.js';
import { GRAPH500_METRICS, graph500Spec } from '../../chart/specs/graph500.js';
import { sizeSweepSpec } from '../../chart/specs/size-sweep.js';
import { validationSpec } from '../../chart/specs/validation.js';
import type { PredictedPoint } from '../../chart/types.js';
import { COLLECTIVE_OPS, isCollectiveOp } from '../../model/collectives/types.js';
import { parsePlacement } from '../../model/layout/index.js';
import { PROGRESS_OF_OP } from '../../model/p2p/predict.js';
import { collectiveSizes, predictCollective } from '../../model/predict-collective.js';
import { predictP2pRange } from '../../model/uncertainty/p2p-range.js';
import { compareLayouts, FIGURE5_QUERY } from '../../model/whatif.js';
import { placementName } from '../../model/layout/index.js';
import { DEFAULT_PROFILE } from '../../profiles/builtin.js';
import { parseJsonText } from '../../profiles/json.js';
import { loadProfile } from '../../profiles/load.js';
import { P2P_OPS, PROGRESS_MODES, type P2pOp } from '../../profiles/types.js';
import { stripBom } from '../../text.js';
import { readValidationRows, testbedProfileNamed, validate } from '../../validation/index.js';
import {
  addChartSizeOptions,
  chartFormat,
  parseChartSize,
  writeChartFile,
  type ChartSizeCliOptions,
} from '../chart-output.js';
import {
  addCollectiveOptions,
  parseCollectiveCommon,
  parseShm,
  type CollectiveCliOptions,
} from '../collective-options.js';
import {
  addGraph500Options,
  parseGraph500Options,
  runGraph500,
  type Graph500CliOptions,
} from '../graph500-run.js';
import type { CliIo } from '../io.js';
import { packageFile } from '../package-files.js';
import { parseChoice, parseList, parseSizes } from '../parse.js';
import type { TopLevelSpec } from 'vega-lite';

interface OutputOptions extends ChartSizeCliOptions {
  out: string;
  format?: string;
  title?: string;
}

function addOutputOptions(cmd: Command): Command {
  cmd
    .requiredOption('--out <file>', 'file to write: .svg, .png, .pdf or .vl.json (the Vega-Lite spec)')
    .option(
      '--format <svg|png|pdf|vl>',
      "format (default: from --out's extension; a contradiction is refused)",
    )
    .option(
      '--title <text>',
      'title above the chart (default: none for charts for papers, which take a caption)',
    );
  return addChartSizeOptions(cmd);
}

/** Checks the output options before any model runs, so a typo costs nothing. */
function outputPlan(opts: OutputOptions) {
  const format = chartFormat(opts.out, opts.format);
  const { size, dpi } = parseChartSize(opts);
  return {
    size,
    write: async (spec: TopLevelSpec, io: CliIo) => {
      writeChartFile(opts.out, await renderChart(spec, format, { dpi, widthIn: size.widthIn }));
      io.stderr(`ibvf: wrote ${opts.out}\n`);
    },
  };
}

interface ChartPredictOptions extends OutputOptions, CollectiveCliOptions {
  profile: string;
  op: string;
  sizes?: string;
  progress?: string;
  path?: string;
  metric: string;
  placement?: string;
  shm?: string;
  algorithm?: string;
}

function registerChartPredict(chart: Command, io: CliIo): void {
  const cmd = chart
    .command('predict')
    .summary('chart ibvf predict: latency or bandwidth vs message size, with the 95% range')
    .description(
      'Chart what `ibvf predict` prints, with its options. Point-to-point: --path and --progress take comma lists ' +
        'and each combination is a line (e.g. --path native,vf). Collectives: the latency on one layout. ' +
        "Lines are predictions; the shaded band is the 95% range from the profile's intervals.",
    )
    .option('--profile <name|file>', 'built-in profile name or profile JSON file', DEFAULT_PROFILE)
    .option('--op <op>', `${P2P_OPS.join(', ')} or a collective (${COLLECTIVE_OPS.join(', ')})`, 'send')
    .option('--sizes <MIN:MAX>', 'message sizes in bytes, doubling (default 1:4M, collectives 1:1M)')
    .option('--path <list>', 'point-to-point: comma list of paths (default vf)')
    .option('--progress <list>', "comma list of progress modes (default: the op's usual one)")
    .option('--metric <latency|bandwidth>', 'point-to-point: what to plot', 'latency')
    .option('--placement <p>', 'collectives: native, vm-per-core, vm-per-socket, vm-per-node, vms-per-node=K')
    .option('--shm <on|off>', "collectives: MPI's shared memory (default: on natively, off in VMs)")
    .option('--algorithm <name>', 'collectives: force an algorithm');
  addOutputOptions(addCollectiveOptions(cmd))
    .addHelpText(
      'after',
      `
Examples:
  ibvf chart predict --op send --path native,vf,native-inline0 --sizes 1:16K --out send.pdf
  ibvf chart predict --op mpi --path native,vf --metric bandwidth --out bw.png --dpi 600
  ibvf chart predict --op alltoall --placement vm-per-core --out a2a.svg --column acm-1col`,
    )
    .action(async (opts: ChartPredictOptions) => {
      const plan = outputPlan(opts);
      const profile = loadProfile(opts.profile);
      const text = { title: opts.title, size: plan.size };
      if (isCollectiveOp(opts.op)) {
        if (opts.path !== undefined)
          throw new UsageError(`--path is for point-to-point operations; --op ${opts.op} takes --placement`);
        const placement = parsePlacement(opts.placement ?? 'vm-per-core');
        const shm = opts.shm === undefined ? placement === 'native' : parseShm(opts.shm);
        const sizes = collectiveSizes(opts.op, parseSizes(opts.sizes ?? '1:1M', '--sizes', false));
        if (sizes.length < 2)
          throw new UsageError(`--op ${opts.op}: a chart needs at least two sizes (--sizes MIN:MAX)`);
        const p = predictCollective(
          profile,
          { op: opts.op, placement, shm, algorithm: opts.algorithm, ...parseCollectiveCommon(opts) },
          sizes,
        );
        for (const note of p.notes) io.stderr(`ibvf: note: ${note}\n`);
        const series = `${opts.op}, ${placementName(placement)}, shm ${shm ? 'on' : 'off'}`;
        const predicted = p.rows.map((r) => ({
          series,
          x: r.bytes,
          y: r.latency_us,
          lo: r.latency_lo_us,
          hi: r.latency_hi_us,
        }));
        return plan.write(
          sizeSweepSpec({ metric: 'latency', predicted, measured: [], yLog: true, ...text }),
          io,
        );
      }
      const op = parseChoice(opts.op, [...P2P_OPS, ...COLLECTIVE_OPS], '--op') as P2pOp;
      for (const name of ['placement', 'shm', 'algorithm'] as const)
        if (opts[name] !== undefined)
          throw new UsageError(`--${name} is for collective operations (--op ${COLLECTIVE_OPS.join('|')})`);
      const metric = parseChoice(opts.metric, ['latency', 'bandwidth'] as const, '--metric');
      const paths = parseList(opts.path ?? 'vf', '--path', (t) => t);
      const modes = parseList(opts.progress ?? PROGRESS_OF_OP[op][0], '--progress', (t) =>
        parseChoice(t, PROGRESS_MODES, '--progress'),
      );
      const sizes = parseSizes(opts.sizes ?? '1:4M');
      const predicted: PredictedPoint[] = paths.flatMap((path) =>
        modes.flatMap((progress) => {
          const series = modes.length > 1 ? `${path} ${progress}` : path;
          return predictP2pRange(profile, { path, op, progress }, sizes).map((r) =>
            metric === 'latency'
              ? { series, x: r.bytes, y: r.latency_us, lo: r.latency_lo_us, hi: r.latency_hi_us }
              : { series, x: r.bytes, y: r.bandwidth_MBps, lo: r.bandwidth_lo_MBps, hi: r.bandwidth_hi_MBps },
          );
        }),
      );
      const positive = predicted.filter((p) => p.x > 0);
      return plan.write(
        sizeSweepSpec({ metric, predicted: positive, measured: [], yLog: metric === 'latency', ...text }),
        io,
      );
    });
}

interface ChartWhatifOptions extends OutputOptions, CollectiveCliOptions {
  profile: string;
  op: string;
  sizes: string;
  placements: string;
  shm?: string;
}

function registerChartWhatif(chart: Command, io: CliIo): void {
  const cmd = chart
    .command('whatif')
    .summary('chart ibvf whatif: collective latency vs size, one line per layout')
    .description(
      "Chart what `ibvf whatif` compares, with its options: each layout's predicted collective latency against " +
        'message size with its 95% range. One collective per chart.',
    )
    .option('--profile <name|file>', 'built-in profile name or profile JSON file', DEFAULT_PROFILE)
    .option('--op <op>', `one of ${COLLECTIVE_OPS.join(', ')}`, 'alltoall')
    .option('--sizes <MIN:MAX>', 'message sizes in bytes, doubling', '1:64K')
    .option(
      '--placements <list>',
      'comma list of native, vm-per-core, vm-per-socket, vm-per-node, vms-per-node=K',
      FIGURE5_QUERY.placements.join(','),
    )
    .option('--shm <list>', 'on, off or on,off for every layout (default: native on and off, VMs off)');
  addOutputOptions(addCollectiveOptions(cmd))
    .addHelpText(
      'after',
      `
Examples:
  ibvf chart whatif --out fig5a.pdf                           alltoall, the paper's Fig. 5 layouts
  ibvf chart whatif --op bcast --sizes 1:1M --placements native,vm-per-node --out bcast.png`,
    )
    .action(async (opts: ChartWhatifOptions) => {
      const plan = outputPlan(opts);
      const profile = loadProfile(opts.profile);
      const op = parseChoice(opts.op, COLLECTIVE_OPS, '--op');
      const placements = parseList(opts.placements, '--placements', parsePlacement);
      const shm = opts.shm === undefined ? undefined : parseList(opts.shm, '--shm', (t) => parseShm(t));
      const sizes = collectiveSizes(op, parseSizes(opts.sizes, '--sizes', false));
      if (sizes.length < 2)
        throw new UsageError(`--op ${op}: a chart needs at least two sizes (--sizes MIN:MAX)`);
      const result = compareLayouts(profile, {
        ops: [op],
        sizes,
        placements,
        shm,
        ...parseCollectiveCommon(opts),
      });
      for (const n of result.notes) io.stderr(`ibvf: note: ${n}\n`);
      const predicted = result.rows.map((r) => ({
        series: `${r.placement}${r.placement === 'native' || shm ? `, shm ${r.shm ? 'on' : 'off'}` : ''}`,
        x: r.bytes,
        y: r.latency_us,
        lo: r.latency_lo_us,
        hi: r.latency_hi_us,
      }));
      return plan.write(
        sizeSweepSpec({
          metric: 'latency',
          predicted,
          measured: [],
          yLog: true,
          title: opts.title,
          size: plan.size,
        }),
        io,
      );
    });
}

interface ChartGraph500Options extends OutputOptions, Graph500CliOptions {
  metric: string;
}

function registerChartGraph500(chart: Command, io: CliIo): void {
  const cmd = chart
    .command('graph500')
    .summary('chart ibvf graph500: BFS time (or TEPS) vs VMs or ranks per node, one line per layout')
    .description(
      'Chart what `ibvf graph500` predicts, with its options (the same level-profile cache): the BFS time, or ' +
        'TEPS with --metric teps, against VMs or native ranks per node, one line per placement with the 95% ' +
        'range from --draws drawn profiles. All predicted: nothing is drawn as measured.',
    )
    .option('--metric <time|teps>', 'what to plot: mean BFS time (s) or harmonic-mean TEPS', 'time');
  addOutputOptions(addGraph500Options(cmd))
    .addHelpText(
      'after',
      `
Examples:
  ibvf chart graph500 --scale 18 --out bfs.pdf                 4 nodes, 1-16 per node, native and VMs
  ibvf chart graph500 --scale 22 --metric teps --out teps.png  the paper's scale (cached after the first run)`,
    )
    .action(async (opts: ChartGraph500Options) => {
      const plan = outputPlan(opts);
      const metric = parseChoice(opts.metric, GRAPH500_METRICS, '--metric');
      const question = parseGraph500Options(opts);
      if (question.perNode.length < 2)
        throw new UsageError(`--per-node ${opts.perNode}: a chart needs at least two counts (e.g. 1,2,4)`);
      const result = runGraph500(question, io, 'ibvf chart graph500');
      const extrapolated =
        result.extrapolatedFrom === undefined ? '' : `, extrapolated from scale ${result.extrapolatedFrom}`;
      return plan.write(
        graph500Spec({
          metric,
          rows: result.rows,
          size: plan.size,
          title: opts.title,
          subtitle: opts.title
            ? `${question.profile.name}, scale ${question.scale}${extrapolated}, ${question.nodes} nodes, bfs_${question.variant}: predicted`
            : undefined,
        }),
        io,
      );
    });
}

function readText(file: string): string {
  try {
    return stripBom(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, file);
  }
}

interface ChartCalibrationOptions extends OutputOptions {
  rows?: string;
  constants?: string;
}

function registerChartCalibration(chart: Command, io: CliIo): void {
  const cmd = chart
    .command('calibration')
    .summary('chart a paper-rows calibration (calibrate --base none): fitted vs measured, and residuals')
    .description(
      'Fit a profile to a paper-rows CSV and its constants JSON as `ibvf calibrate --base none` does, and chart ' +
        "each row: fitted against stated (diagonal drawn), and below, the residual in % with the row's tolerance. " +
        'Filled marks: rows the fit used; hollow: check rows held out of it.',
    )
    .option('--rows <file>', `paper-rows CSV (default: the built-in profile's, ${BUILTIN_ROWS_FILE})`)
    .option('--constants <file>', `constants JSON (default: ${BUILTIN_CONSTANTS_FILE})`);
  addOutputOptions(cmd)
    .addHelpText('after', '\nExamples:\n  ibvf chart calibration --out fit.pdf\n')
    .action(async (opts: ChartCalibrationOptions) => {
      const plan = outputPlan(opts);
      const rowsFile = opts.rows ?? packageFile(BUILTIN_ROWS_FILE);
      const constantsFile = opts.constants ?? packageFile(BUILTIN_CONSTANTS_FILE);
      const rows = parsePaperRows(readText(rowsFile), rowsFile);
      const constants = parsePaperConstants(
        parseJsonText(readText(constantsFile), constantsFile),
        constantsFile,
      );
      const fit = fitPaperRows(rows, constants, constantsFile);
      // Latencies (us) and bandwidths (MB/s) differ by three decades: one unit per chart,
      // latency rows, since those are most of them; bandwidth rows are listed on stderr.
      const latency = fit.report.rows.filter((r) => r.row.unit === 'us');
      const left = fit.report.rows.length - latency.length;
      if (left > 0)
        io.stderr(
          `ibvf: note: ${left} MB/s rows are not on the chart (it is in us); \`ibvf calibrate\` prints them\n`,
        );
      const points = latency.map((r) => ({
        id: r.row.id,
        group: r.row.path,
        measured: r.row.value,
        fitted: r.model,
        tolerance: r.row.tolerance,
        role: r.row.role,
      }));
      return plan.write(calibrationSpec({ points, unit: 'us', title: opts.title, size: plan.size }), io);
    });
}

interface ChartValidateOptions extends OutputOptions {
  rows?: string;
}

function registerChartValidate(chart: Command, io: CliIo): void {
  const cmd = chart
    .command('validate')
    .summary('chart ibvf validate: predicted vs published for every predictable row')
    .description(
      'Chart what `ibvf validate` prints: one point per row of the public validation set, predicted against ' +
        'published on log-log axes, the diagonal y = x and factor-2 lines drawn. Latency rows (us) and ' +
        'bandwidth rows (MB/s) are told apart by colour and shape.',
    )
    .option('--rows <file>', 'a CSV of rows in the same columns (default: the shipped validation/rows.csv)');
  addOutputOptions(cmd)
    .addHelpText('after', '\nExamples:\n  ibvf chart validate --out validation.pdf --column ieee-1col\n')
    .action(async (opts: ChartValidateOptions) => {
      const plan = outputPlan(opts);
      const report = validate(readValidationRows(opts.rows), testbedProfileNamed);
      const points = report.results.flatMap((r) =>
        r.prediction.status === 'predicted'
          ? [
              {
                id: r.row.id,
                group: `${r.row.metric}${r.usedToBuild ? ', used to build its profile' : ''}`,
                published: r.row.value,
                predicted: r.prediction.value,
              },
            ]
          : [],
      );
      if (points.length === 0)
        throw new InputError('no row of the set could be predicted: nothing to chart', opts.rows);
      return plan.write(
        validationSpec({ points, unit: 'as published', title: opts.title, size: plan.size }),
        io,
      );
    });
}

export function registerChart(program: Command, io: CliIo): void {
  const chart = program
    .command('chart')
    .summary('charts of predict, whatif, graph500, calibration and validate as SVG, PNG, PDF or Vega-Lite')
    .description(
      'Camera-ready charts: SVG, PNG at a chosen DPI, vector PDF with embedded DejaVu fonts, or the Vega-Lite ' +
        'spec (.vl.json) to restyle. Sized for journal columns (--column ieee-1col|ieee-2col|acm-1col|acm-2col ' +
        'or --width in inches); grey-scale safe (dash and mark shape as well as colour).',
    );
  chart.addHelpText(
    'after',
    `
Examples:
  ibvf chart predict --op send --path native,vf --sizes 1:16K --out send.pdf
  ibvf chart whatif --op bcast --sizes 1:1M --out bcast.png --column ieee-2col --dpi 600
  ibvf chart graph500 --scale 18 --out bfs.pdf
  ibvf chart calibration --out fit.svg
  ibvf chart validate --out validation.vl.json

Run \`ibvf chart COMMAND --help\` for each chart's options.`,
  );
  registerChartPredict(chart, io);
  registerChartWhatif(chart, io);
  registerChartGraph500(chart, io);
  registerChartCalibration(chart, io);
  registerChartValidate(chart, io);
}
