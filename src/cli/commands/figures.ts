/**
 * `ibvf figures --out DIR`: every figure of the seed paper (Jose et al., CCGrid 2013)
 * redrawn from a profile, in every format asked for. The paper's stated numbers
 * (calibration/cx3-fdr-kvm-2013/paper-rows.csv) are the measured marks; everything else,
 * and all of Figs. 5 and 6, which the paper withholds, is predicted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { BUILTIN_ROWS_FILE, parsePaperRows } from '../../calibrate/paper/index.js';
import type { PaperRow } from '../../calibrate/paper/types.js';
import { graph500FigureSpec } from '../../chart/figures/graph500-data.js';
import { collectiveFigureSpec, p2pFigureSpec } from '../../chart/figures/paper-data.js';
import {
  PAPER_FIGURE_IDS,
  PAPER_FIGURES,
  paperFigure,
  type Graph500Figure,
  type PaperFigure,
} from '../../chart/figures/paper-figures.js';
import { CHART_FORMATS, EXTENSION_OF, renderChart, type ChartFormat } from '../../chart/render/index.js';
import type { FigureSize } from '../../chart/size.js';
import { DEFAULT_PROFILE } from '../../profiles/builtin.js';
import { loadProfile } from '../../profiles/load.js';
import type { Profile } from '../../profiles/types.js';
import {
  addChartSizeOptions,
  makeOutputDir,
  parseChartSize,
  writeChartFile,
  type ChartSizeCliOptions,
} from '../chart-output.js';
import { parseGraph500Options, runGraph500, type Graph500Plan } from '../graph500-run.js';
import type { CliIo } from '../io.js';
import { packageFile } from '../package-files.js';
import { parseChoice, parseList } from '../parse.js';

/** The paper's rows as shipped with the package (`calibration/` is in its files). */
const PAPER_ROWS_FILE = packageFile(BUILTIN_ROWS_FILE);

interface FiguresOptions extends ChartSizeCliOptions {
  out: string;
  only?: string;
  formats: string;
  profile: string;
  graph500Scale?: string;
  graph500Roots: string;
  graph500Draws: string;
  cache?: string;
  maxMemory: string;
}

/**
 * Fig. 6's question as `ibvf graph500` would take it, parsed up front so a bad option
 * costs nothing. Above --max-memory the scale is extrapolated (and the figure says so).
 */
function graph500Plan(fig: Graph500Figure, opts: FiguresOptions): Graph500Plan {
  return parseGraph500Options({
    scale: opts.graph500Scale ?? String(fig.scale),
    edgeFactor: '16',
    seed: '1',
    nodes: String(fig.nodes),
    perNode: fig.perNode.join(','),
    placements: fig.layouts.map((l) => l.placement).join(','),
    profile: opts.profile,
    variant: 'simple',
    roots: opts.graph500Roots,
    draws: opts.graph500Draws,
    cache: opts.cache,
    maxMemory: opts.maxMemory,
    extrapolate: true,
  });
}

function figureSpec(
  fig: PaperFigure,
  profile: Profile,
  rows: readonly PaperRow[],
  size: FigureSize,
  plans: { graph500?: Graph500Plan },
  io: CliIo,
) {
  if (fig.kind === 'p2p') return p2pFigureSpec(fig, profile, rows, size);
  if (fig.kind === 'collective') return collectiveFigureSpec(fig, profile, size);
  const result = runGraph500(plans.graph500!, io, 'ibvf figures');
  return graph500FigureSpec(
    fig,
    result.rows,
    {
      profileName: profile.name,
      scale: result.plan.scale,
      extrapolatedFrom: result.extrapolatedFrom,
      draws: result.plan.draws,
    },
    size,
  );
}

function pickFigures(only: string | undefined): PaperFigure[] {
  if (only === undefined) return [...PAPER_FIGURES];
  return parseList(only, '--only', (id) => {
    const fig = paperFigure(id);
    if (!fig)
      throw new UsageError(
        `--only: unknown figure '${id}'; the paper's figures are ${PAPER_FIGURE_IDS.join(', ')}`,
      );
    return fig;
  });
}

export function registerFigures(program: Command, io: CliIo): void {
  const cmd = program
    .command('figures')
    .summary('write every figure of the seed paper (CCGrid 2013) as measured vs predicted charts')
    .description(
      'Redraw the figures of Jose et al., "SR-IOV Support for Virtualization on InfiniBand Clusters: Early ' +
        'Experience" (CCGrid 2013) from a profile: Figs. 2(a)-(c) verbs and IPoIB latency, 3(a)-(c) MPI latency, ' +
        'bandwidth and UPC get, 4(a)-(c) polling vs event/blocking, 5(a)-(c) alltoall, allreduce and bcast per VM ' +
        'layout, 6 Graph500 BFS time per VMs or ranks per node (scale 22, 4 nodes, as `ibvf graph500`). Lines ' +
        'are predicted with their 95% range; marks are only the numbers the paper states ' +
        '(calibration/cx3-fdr-kvm-2013/paper-rows.csv). Figs. 5 and 6 are all predicted (the paper withholds ' +
        'them).',
    )
    .requiredOption('--out <dir>', 'folder to write fig2a.svg, fig2a.png, ... into (created if missing)')
    .option('--only <list>', `comma list of figures (${PAPER_FIGURE_IDS.join(', ')})`)
    .option(
      '--formats <list>',
      `comma list of ${CHART_FORMATS.join(', ')} (vl: the Vega-Lite spec)`,
      'svg,png,pdf,vl',
    )
    .option('--profile <name|file>', 'profile to predict with', DEFAULT_PROFILE)
    .option(
      '--graph500-scale <n>',
      "Fig. 6's graph scale (default the paper's 22: about 0.7 GiB and minutes to generate the first time, then cached)",
    )
    .option('--graph500-roots <n>', "Fig. 6's BFS roots", '64')
    .option('--graph500-draws <n>', "Fig. 6's drawn profiles for the 95% range (0: none)", '16')
    .option('--cache <dir>', "where Fig. 6's level profiles are kept (as ibvf graph500 --cache)")
    .option(
      '--max-memory <bytes>',
      'Fig. 6: above this, the scale is extrapolated from the largest that fits (as ibvf graph500 --extrapolate)',
      '2G',
    );
  addChartSizeOptions(cmd)
    .addHelpText(
      'after',
      `
Examples:
  ibvf figures --out figs                          every figure, SVG, PNG (300 dpi), PDF and .vl.json
  ibvf figures --out figs --only 2a,4a --formats pdf --column acm-1col
  ibvf figures --out figs --only 5a --width 7.16 --formats png --dpi 600
  ibvf figures --out figs --only 6 --graph500-scale 16      Fig. 6 quickly, at a smaller scale (it says so)`,
    )
    .action(async (opts: FiguresOptions) => {
      const figures = pickFigures(opts.only);
      const formats = parseList(opts.formats, '--formats', (f) => parseChoice(f, CHART_FORMATS, '--formats'));
      const { size, dpi } = parseChartSize(opts);
      const profile = loadProfile(opts.profile);
      const six = figures.find((f): f is Graph500Figure => f.kind === 'graph500');
      const plans = { graph500: six ? graph500Plan(six, opts) : undefined };
      const rows = parsePaperRows(readFileSync(PAPER_ROWS_FILE, 'utf8'), PAPER_ROWS_FILE);
      makeOutputDir(opts.out);
      for (const fig of figures) {
        const spec = figureSpec(fig, profile, rows, size, plans, io);
        for (const format of formats as ChartFormat[]) {
          const file = join(opts.out, `fig${fig.id}${EXTENSION_OF[format]}`);
          writeChartFile(file, await renderChart(spec, format, { dpi, widthIn: size.widthIn }));
          io.stdout(`${file}\n`);
        }
      }
    });
}
