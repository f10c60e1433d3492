/**
 * The Graph500 question as `ibvf graph500`, `ibvf chart graph500` and `ibvf figures` ask
 * it: the options they share, their parsing (every check before anything is generated),
 * and the run: level profiles from the cache or generated (or extrapolated above
 * --max-memory), then the prediction per layout (src/model/graph500/compare.ts).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { graphMemoryBytes } from '../model/graph500/csr.js';
import { BFS_VARIANTS, type BfsVariant } from '../model/graph500/bfs-predict.js';
import { compareGraph500, type Graph500Row } from '../model/graph500/compare.js';
import { extrapolateProfile } from '../model/graph500/extrapolate.js';
import { GRAPH500_EDGE_FACTOR } from '../model/graph500/kronecker.js';
import {
  GRAPH500_ROOTS,
  modulusFor,
  profileGraph,
  type GraphProfile,
  type GraphProfileKey,
} from '../model/graph500/profile.js';
import { parsePlacement, type Placement } from '../model/layout/index.js';
import { assumptionsOf, LAYOUT_ASSUMPTIONS } from '../model/sensitivity.js';
import { builtinProfile, DEFAULT_PROFILE } from '../profiles/builtin.js';
import { loadProfile } from '../profiles/load.js';
import type { Profile } from '../profiles/types.js';
import { progressReporter } from '../progress-bar.js';
import { defaultCacheDir, parseProfile, readCachedProfile, writeCachedProfile } from './graph500-cache.js';
import type { CliIo } from './io.js';
import { parseChoice, parseCount, parseList, parseSize } from './parse.js';

/** The options as commander hands them over (strings). */
export interface Graph500CliOptions {
  scale?: string;
  edgeFactor: string;
  seed: string;
  nodes: string;
  perNode: string;
  placements: string;
  profile: string;
  variant: string;
  roots: string;
  draws: string;
  cache?: string;
  maxMemory: string;
  extrapolate?: boolean;
  levelsFrom?: string;
}

/** The question, parsed and checked. */
export interface Graph500Plan {
  scale: number;
  /** The scale generated: `scale`, or a smaller one to extrapolate from. */
  generated: number;
  edgeFactor: number;
  seed: number;
  nodes: number;
  perNode: number[];
  placements: Placement[];
  variant: BfsVariant;
  roots: number;
  draws: number;
  maxMemory: number;
  profile: Profile;
  key: GraphProfileKey;
  cacheDir: string;
  /** A level profile read with --levels-from (a cluster's `graph500-levels`), used instead of generating. */
  fromFile?: GraphProfile;
}

export interface Graph500Result {
  plan: Graph500Plan;
  graph: GraphProfile;
  extrapolatedFrom?: number;
  rows: Graph500Row[];
  /** Each assumption the answer rests on, with why. */
  assumptions: { field: string; value: string | number; unit: string; why: string }[];
}

/** Above this many rank classes the pair matrices (modulus^2 per level) outgrow the point of caching them. */
const MAX_MODULUS = 1024;

/** `vm` is the paper's VM layout, one single-vCPU VM per rank; any --placement word works too. */
function parseGraphPlacement(text: string): Placement {
  return text.trim() === 'vm' ? 'vm-per-core' : parsePlacement(text);
}

/** A level profile file, or one clear line saying why it is not one. */
function readLevelsFile(file: string): GraphProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `--levels-from ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
  try {
    return parseProfile(text);
  } catch (e) {
    throw new UsageError(
      `--levels-from ${file}: not a level profile (${(e as Error).message}); make one with ibvf graph500-levels`,
    );
  }
}

/** Bytes as people read a memory size: GiB from 1 GiB up, MiB below. */
export const gib = (b: number) =>
  b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(2)} GiB` : `${(b / 2 ** 20).toFixed(1)} MiB`;

/** The question's options, shared by `ibvf graph500` and `ibvf chart graph500`. */
export function addGraph500Options(cmd: Command): Command {
  return cmd
    .option('--scale <n>', 'log2 of the vertex count (22: 4M vertices, 64M edges, as in the paper)')
    .option('--nodes <n>', 'nodes', '4')
    .option('--per-node <list>', 'ranks (native) or single-rank VMs per node, comma list', '1,2,4,8,16')
    .option(
      '--placements <list>',
      'comma list: native, vm (one single-vCPU VM per rank), vm-per-socket, vm-per-node, vms-per-node=K',
      'native,vm',
    )
    .option('--profile <name|file>', 'built-in profile name or profile JSON file', DEFAULT_PROFILE)
    .option(
      '--variant <v>',
      `${BFS_VARIANTS.join(' or ')} (the paper does not say; simple assumed)`,
      'simple',
    )
    .option('--roots <n>', 'BFS roots sampled among vertices of degree >= 1', String(GRAPH500_ROOTS))
    .option('--edge-factor <n>', 'edges per vertex', String(GRAPH500_EDGE_FACTOR))
    .option('--seed <n>', 'generator seed', '1')
    .option('--draws <n>', 'drawn profiles for the 95% ranges (0: none)', '16')
    .option('--cache <dir>', 'where level profiles are kept (default $XDG_CACHE_HOME/ibvf or ~/.cache/ibvf)')
    .option('--max-memory <bytes>', 'refuse a scale estimated to need more memory than this', '2G')
    .option(
      '--extrapolate',
      'above --max-memory, generate the largest scale that fits and scale its level profiles up (flagged in the output)',
    )
    .option(
      '--levels-from <file>',
      'predict from a level profile file (ibvf graph500-levels under mpiexec, or a cache file) instead of generating',
    );
}

/** Parses and checks the options; throws a UsageError naming the option at the first bad one. */
export function parseGraph500Options(opts: Graph500CliOptions): Graph500Plan {
  const fromFile = opts.levelsFrom === undefined ? undefined : readLevelsFile(opts.levelsFrom);
  if (opts.scale === undefined && !fromFile)
    throw new UsageError('--scale is required (e.g. --scale 18), or --levels-from FILE');
  const scale = opts.scale === undefined ? fromFile!.key.scale : parseCount(opts.scale, '--scale');
  if (fromFile && fromFile.key.scale !== scale)
    throw new UsageError(
      `--levels-from ${opts.levelsFrom} holds scale ${fromFile.key.scale}, not --scale ${scale}: leave --scale out`,
    );
  const edgeFactor = parseCount(opts.edgeFactor, '--edge-factor');
  const seed = parseCount(opts.seed, '--seed', 0);
  const nodes = parseCount(opts.nodes, '--nodes');
  const perNode = parseList(opts.perNode, '--per-node', (t) => parseCount(t, '--per-node'));
  const placements = parseList(opts.placements, '--placements', parseGraphPlacement);
  const variant = parseChoice(opts.variant, BFS_VARIANTS, '--variant') as BfsVariant;
  const roots = parseCount(opts.roots, '--roots');
  const draws = parseCount(opts.draws, '--draws', 0);
  const maxMemory = parseSize(opts.maxMemory, '--max-memory');
  if (scale > 30) throw new UsageError(`--scale ${scale}: at most 30 (2^30 vertices)`);
  const need = graphMemoryBytes(scale, edgeFactor);
  let generated = scale;
  if (need > maxMemory && !fromFile) {
    if (!opts.extrapolate)
      throw new UsageError(
        `--scale ${scale} needs about ${gib(need)} to generate and search (CSR and BFS arrays), above --max-memory ${gib(maxMemory)}: use a smaller --scale, raise --max-memory, or add --extrapolate`,
      );
    while (generated > 1 && graphMemoryBytes(generated, edgeFactor) > maxMemory) generated--;
    if (graphMemoryBytes(generated, edgeFactor) > maxMemory)
      throw new UsageError(`--max-memory ${gib(maxMemory)} fits no scale to extrapolate from`);
  }
  const profile = loadProfile(opts.profile);
  const modulus = modulusFor(perNode.map((k) => k * nodes));
  if (modulus > MAX_MODULUS)
    throw new UsageError(
      `--per-node ${opts.perNode} on ${nodes} nodes needs pair counts for ${modulus} rank classes (the least common multiple of the rank counts), above ${MAX_MODULUS}: run counts that divide each other in one command`,
    );
  if (fromFile && fromFile.key.modulus % modulus !== 0)
    throw new UsageError(
      `--levels-from ${opts.levelsFrom} has pair counts for ${fromFile.key.modulus} rank classes; ${perNode.join(',')} per node on ${nodes} nodes needs a multiple of ${modulus}: rerun graph500-levels with these --nodes and --per-node`,
    );
  return {
    scale,
    generated,
    edgeFactor,
    seed,
    nodes,
    perNode,
    placements,
    variant,
    roots,
    draws,
    maxMemory,
    profile,
    key: fromFile ? fromFile.key : { scale: generated, edgeFactor, seed, roots, modulus },
    cacheDir: opts.cache ?? defaultCacheDir(),
    ...(fromFile ? { fromFile } : {}),
  };
}

/**
 * Runs the question: level profiles from the cache (or generated and cached), scaled up
 * when extrapolating, then predicted per layout. `command` names the command in its notes
 * and progress bar (drawn on stderr only on a terminal).
 */
export function runGraph500(plan: Graph500Plan, io: CliIo, command: string): Graph500Result {
  const { scale, generated, edgeFactor, profile } = plan;
  const builtin = builtinProfile(DEFAULT_PROFILE)!;
  if (generated < scale)
    io.stderr(
      `${command}: note: --scale ${scale} needs about ${gib(graphMemoryBytes(scale, edgeFactor))}, above --max-memory ${gib(plan.maxMemory)}: level profiles extrapolated from scale ${generated} (${gib(graphMemoryBytes(generated, edgeFactor))})\n`,
    );
  const warn = (t: string) => io.stderr(`${command}: warning: ${t}\n`);
  let base = plan.fromFile ?? readCachedProfile(plan.cacheDir, plan.key, warn);
  if (!base) {
    // From scale 20 up generating takes minutes (docs/design.md, Graph500): say so once.
    if (generated >= 20)
      io.stderr(
        `${command}: note: generating and searching the scale-${generated} graph (about ${gib(graphMemoryBytes(generated, edgeFactor))}; minutes on a small machine), cached in ${plan.cacheDir} for next time\n`,
      );
    const searching = progressReporter(io, 'graph500 graph');
    try {
      base = profileGraph(plan.key, searching.report);
    } finally {
      searching.stop();
    }
    writeCachedProfile(plan.cacheDir, base, warn);
  }
  const graph = generated < scale ? extrapolateProfile(base, scale) : base;
  const extrapolatedFrom = generated < scale ? generated : undefined;
  const predicting = progressReporter(io, 'graph500 predicting');
  let rows: Graph500Row[];
  try {
    rows = compareGraph500(
      profile,
      builtin,
      graph,
      {
        nodes: plan.nodes,
        perNode: plan.perNode,
        placements: plan.placements,
        variant: plan.variant,
        draws: plan.draws,
        rangeRoots: Math.min(8, plan.roots),
        seed: plan.seed,
      },
      predicting.report,
    );
  } finally {
    predicting.stop();
  }
  const edgeCost = profile.compute.bfsPerEdgeCost ?? builtin.compute.bfsPerEdgeCost!;
  const assumptions = [
    {
      field: 'variant',
      value: `bfs_${plan.variant}`,
      unit: '',
      why: 'the paper does not name the Graph500 variant it ran; --variant chooses',
    },
    ...assumptionsOf(profile, [...LAYOUT_ASSUMPTIONS, 'compute.bfsPerEdgeCost']),
    ...(profile.compute.bfsPerEdgeCost
      ? []
      : [
          {
            field: 'compute.bfsPerEdgeCost',
            value: edgeCost.value,
            unit: edgeCost.unit,
            why: `not in profile ${profile.name}: ${builtin.name}'s (${edgeCost.source.ref})`,
          },
        ]),
  ];
  return { plan, graph, extrapolatedFrom, rows, assumptions };
}
