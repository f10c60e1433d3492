import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { algorithmsFor } from '../model/collectives/index.js';
import { COLLECTIVE_OPS, type CollectiveOp } from '../model/collectives/types.js';
import type { CollectiveProgress } from '../model/network.js';
import type { Engine } from '../model/predict-collective.js';
import { parseChoice, parseCount } from './parse.js';

/** Options every collective command shares, as commander hands them over. */
export interface CollectiveCliOptions {
  nodes: string;
  procs: string;
  progress?: string;
  engine: string;
  draws?: string;
  seed: string;
}

export const COLLECTIVE_PROGRESS = ['poll', 'blocking', 'event'] as const;
export const ENGINES = ['sim', 'analytic'] as const;

/** The assumed parameters printed beside every layout answer. */
export const LAYOUT_ASSUMPTIONS = [
  'virtualization.perVfCost',
  'virtualization.hostCoresReserved',
  'virtualization.subscriptionPenalty',
  'hca.messageRate',
  'paths.vf.o_s',
  'paths.vf.o_r',
  'paths.vf.g',
  'paths.vf-loopback.L',
  'paths.shm.L',
  'paths.shm.G',
  'mpi.rdmaFastPathMax',
  'mpi.copyPerByte',
  'compute.reducePerByte',
] as const;

export function isCollectiveOp(op: string): op is CollectiveOp {
  return (COLLECTIVE_OPS as readonly string[]).includes(op);
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
      "with --engine sim: run N simulations with parameters drawn from the profile's intervals for the 95% range (default: range from the closed forms)",
    )
    .option('--seed <N>', 'seed of the parameter draws (results are reproducible)', '2013');
}

export interface CollectiveCommon {
  nodes: number;
  procs: number;
  engine: Engine;
  draws: number;
  seed: number;
  progress: CollectiveProgress;
}

export function parseCollectiveCommon(opts: CollectiveCliOptions): CollectiveCommon {
  const engine = parseChoice(opts.engine, ENGINES, '--engine');
  const draws = opts.draws === undefined ? 0 : parseCount(opts.draws, '--draws', 2);
  if (draws > 0 && engine !== 'sim')
    throw new UsageError('--draws runs the simulator: use it with --engine sim');
  return {
    nodes: parseCount(opts.nodes, '--nodes'),
    procs: parseCount(opts.procs, '--procs'),
    engine,
    draws,
    seed: parseCount(opts.seed, '--seed', 0),
    progress:
      opts.progress === undefined ? 'poll' : parseChoice(opts.progress, COLLECTIVE_PROGRESS, '--progress'),
  };
}

export function parseShm(text: string, what = '--shm'): boolean {
  return parseChoice(text, ['on', 'off'] as const, what) === 'on';
}
