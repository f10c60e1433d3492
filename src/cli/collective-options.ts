import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { algorithmsFor } from '../model/collectives/index.js';
import { COLLECTIVE_OPS } from '../model/collectives/types.js';
import { COLLECTIVE_PROGRESS, type CollectiveProgress } from '../model/network.js';
import { DEFAULT_RANGE_DRAWS, DEFAULT_SIM_DRAWS, ENGINES, type Engine } from '../model/predict-collective.js';
import { progressReporter } from '../progress-bar.js';
import type { CliIo } from './io.js';
import { parseChoice, parseCount, parseSize } from './parse.js';

/** Options every collective command shares, as commander hands them over. */
export interface CollectiveCliOptions {
  nodes: string;
  procs: string;
  progress?: string;
  engine: string;
  draws?: string;
  closedFormDraws?: boolean;
  seed: string;
  maxMemory: string;
}

/** The algorithm list for `--help`, from the registry. */
export function algorithmHelp(): string {
  return COLLECTIVE_OPS.map(
    (op) =>
      `  ${op.padEnd(10)} ${algorithmsFor(op)
        .map((a) => a.name)
        .join(', ')}`,
  ).join('\n');
}

export function addCollectiveOptions(cmd: Command): Command {
  return cmd
    .option('--nodes <N>', "physical nodes (any count: a profile describes one node's shape)", '4')
    .option('--procs <P>', 'MPI ranks in total, placed on nodes in blocks', '32')
    .option(
      '--engine <sim|analytic>',
      "sim: discrete-event LogGOPS simulation with each pair's path and shared HCAs; analytic: contention-free closed forms (fast, a lower bound)",
      'sim',
    )
    .option(
      '--draws <N>',
      `with --engine sim: the 95% range from N simulations with parameters drawn from the profile's intervals (default ${DEFAULT_SIM_DRAWS})`,
    )
    .option(
      '--closed-form-draws',
      `with --engine sim: the 95% range from ${DEFAULT_RANGE_DRAWS} closed-form draws scaled to the simulated answer instead (faster for long sweeps, approximate; not with --progress event, which has no closed form)`,
    )
    .option('--seed <N>', 'seed of the parameter draws (results are reproducible)', '2013')
    .option('--max-memory <bytes>', 'refuse a simulation estimated to need more memory than this', '2G');
}

export interface CollectiveCommon {
  nodes: number;
  procs: number;
  engine: Engine;
  /** Simulated draws for the range; 0: closed-form draws (`--closed-form-draws`, or the analytic engine). */
  draws: number;
  seed: number;
  progress: CollectiveProgress;
  maxMemoryBytes: number;
}

export function parseCollectiveCommon(opts: CollectiveCliOptions): CollectiveCommon {
  const engine = parseChoice(opts.engine, ENGINES, '--engine');
  if (opts.draws !== undefined && engine !== 'sim')
    throw new UsageError('--draws runs the simulator: use it with --engine sim');
  if (opts.closedFormDraws && opts.draws !== undefined)
    throw new UsageError('--draws and --closed-form-draws are two ways to take the range: give one');
  const progress =
    opts.progress === undefined ? 'poll' : parseChoice(opts.progress, COLLECTIVE_PROGRESS, '--progress');
  if (opts.closedFormDraws && progress === 'event')
    throw new UsageError(
      '--closed-form-draws with --progress event: event progress has no closed form (a wake-up depends on how long each rank waits); drop --closed-form-draws',
    );
  // Simulated draws unless asked otherwise; the analytic engine's range is closed-form anyway.
  const draws =
    engine !== 'sim' || opts.closedFormDraws
      ? 0
      : opts.draws === undefined
        ? DEFAULT_SIM_DRAWS
        : parseCount(opts.draws, '--draws', 2);
  const procs = parseCount(opts.procs, '--procs');
  // A collective on one rank has no messages: its times would be 0 and its ratios 0/0.
  if (procs < 2)
    throw new UsageError(
      `--procs ${procs}: a collective needs at least 2 ranks (OSU's collective benchmarks refuse fewer too)`,
    );
  return {
    nodes: parseCount(opts.nodes, '--nodes'),
    procs,
    engine,
    draws,
    seed: parseCount(opts.seed, '--seed', 0),
    maxMemoryBytes: parseSize(opts.maxMemory, '--max-memory'),
    progress,
  };
}

export function parseShm(text: string, what = '--shm'): boolean {
  return parseChoice(text, ['on', 'off'] as const, what) === 'on';
}

/**
 * A run of at least this many simulations draws a progress bar (on a terminal): the
 * default range is 100 simulated draws per point, seconds for one size of a small layout.
 */
export const LONG_RUN_SIMULATIONS = 50;

/**
 * Runs `work` with a progress bar of its simulations on stderr when stderr is a terminal
 * and the run is long (`LONG_RUN_SIMULATIONS`); the bar ends on every path.
 */
export function withSimulationBar<T>(
  io: CliIo,
  label: string,
  work: (progress: (done: number, total: number) => void) => T,
): T {
  const bar = progressReporter(io, label, { minTotal: LONG_RUN_SIMULATIONS });
  try {
    return work((done, total) => bar.report(done, total, `${done}/${total} simulations`));
  } finally {
    bar.stop();
  }
}
