import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { graphMemoryBytes } from '../../model/graph500/csr.js';
import { BFS_VARIANTS, type BfsVariant } from '../../model/graph500/bfs-predict.js';
import { compareGraph500, type Graph500Row } from '../../model/graph500/compare.js';
import { extrapolateProfile } from '../../model/graph500/extrapolate.js';
import { GRAPH500_EDGE_FACTOR } from '../../model/graph500/kronecker.js';
import {
  GRAPH500_ROOTS,
  modulusFor,
  profileGraph,
  type GraphProfile,
  type GraphProfileKey,
} from '../../model/graph500/profile.js';
import { parsePlacement, type Placement } from '../../model/layout/index.js';
import { assumptionsOf, LAYOUT_ASSUMPTIONS } from '../../model/sensitivity.js';
import { builtinProfile, DEFAULT_PROFILE } from '../../profiles/builtin.js';
import { loadProfile } from '../../profiles/load.js';
import { formatCsv, formatJson, formatTable } from '../format.js';
import { defaultCacheDir, parseProfile, readCachedProfile, writeCachedProfile } from '../graph500-cache.js';
import { progressReporter } from '../../progress-bar.js';
import type { CliIo } from '../io.js';
import { parseChoice, parseCount, parseList, parseSize } from '../parse.js';

interface Graph500Options {
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
  levels?: boolean;
  levelsFrom?: string;
  extrapolate?: boolean;
  json?: boolean;
  csv?: boolean;
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
const gib = (b: number) =>
  b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(2)} GiB` : `${(b / 2 ** 20).toFixed(1)} MiB`;

/**
 * `ibvf graph500`: generates (or reads from its cache) the Graph500 level profiles of a
 * scale, predicts BFS time and TEPS for each layout (src/model/graph500/) and prints them.
 */
export function registerGraph500(program: Command, io: CliIo): void {
  program
    .command('graph500')
    .summary('predict Graph500 BFS time and TEPS for native ranks and VMs per node')
    .description(
      'Predict the MPI Graph500 BFS (reference bfs_simple of Graph500 2.1.x, or bfs_replicated) on a layout: ' +
        'generate the Kronecker graph of --scale (edge factor 16), run a BFS from each of 64 sampled roots, ' +
        'record per level the frontier, the edges scanned and the (target, predecessor) pairs each rank sends ' +
        "each other rank (owner = v mod P), and time each level through the layout's paths and the simulator: " +
        'compute = edges scanned x compute.bfsPerEdgeCost (stretched by CPU sharing and memory bandwidth per ' +
        'socket), coalesced 4 KB messages, the end-of-level exchange and the allreduce. Time is the mean over ' +
        'roots, TEPS their harmonic mean (input edges of the traversed component / time), as Graph500 reports. ' +
        'Level profiles are cached on disk.',
    )
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
    .option('--levels', "print the first root's levels for every layout")
    .option(
      '--levels-from <file>',
      'predict from a level profile file (ibvf graph500-levels under mpiexec, or a cache file) instead of generating',
    )
    .option(
      '--extrapolate',
      'above --max-memory, generate the largest scale that fits and scale its level profiles up (flagged in the output)',
    )
    .option(
      '--json',
      'print {"scale","rows":[{"placement","perNode","procs","time_s","time_lo_s","time_hi_s","teps",...}]}',
    )
    .option('--csv', 'print one CSV row per placement and count')
    .addHelpText(
      'after',
      `
Examples:
  ibvf graph500 --scale 18                              4 nodes, 1-16 ranks or VMs per node
  ibvf graph500 --scale 22 --placements native,vm --json    the paper's experiment
  ibvf graph500 --scale 16 --nodes 2 --per-node 8 --variant replicated --levels

Memory: about 192 bytes per vertex (the CSR, BFS arrays, 4 generator threads); scale 22 needs
about 0.75 GiB. Larger scales: --extrapolate, or a level profile computed on a cluster with
ibvf graph500-levels under mpiexec, then --levels-from FILE.`,
    )
    .action((opts: Graph500Options) => {
      if (opts.json && opts.csv) throw new UsageError('choose one of --json and --csv');
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
      const builtin = builtinProfile(DEFAULT_PROFILE)!;
      const modulus = modulusFor(perNode.map((k) => k * nodes));
      if (modulus > MAX_MODULUS)
        throw new UsageError(
          `--per-node ${opts.perNode} on ${nodes} nodes needs pair counts for ${modulus} rank classes (the least common multiple of the rank counts), above ${MAX_MODULUS}: run counts that divide each other in one command`,
        );
      if (fromFile && fromFile.key.modulus % modulus !== 0)
        throw new UsageError(
          `--levels-from ${opts.levelsFrom} has pair counts for ${fromFile.key.modulus} rank classes; ${perNode.join(',')} per node on ${nodes} nodes needs a multiple of ${modulus}: rerun graph500-levels with these --nodes and --per-node`,
        );
      const key: GraphProfileKey = fromFile
        ? fromFile.key
        : { scale: generated, edgeFactor, seed, roots, modulus };
      if (generated < scale)
        io.stderr(
          `ibvf graph500: note: --scale ${scale} needs about ${gib(need)}, above --max-memory ${gib(maxMemory)}: level profiles extrapolated from scale ${generated} (${gib(graphMemoryBytes(generated, edgeFactor))})\n`,
        );
      const warn = (t: string) => io.stderr(`ibvf graph500: warning: ${t}\n`);
      const dir = opts.cache ?? defaultCacheDir();
      let base = fromFile ?? readCachedProfile(dir, key, warn);
      if (!base) {
        const searching = progressReporter(io, 'graph500 graph');
        try {
          base = profileGraph(key, searching.report);
        } finally {
          searching.stop();
        }
        writeCachedProfile(dir, base, warn);
      }
      const graph = generated < scale ? extrapolateProfile(base, scale) : base;
      const extrapolatedFrom = generated < scale ? generated : undefined;
      const predicting = progressReporter(io, 'graph500 predicting');
      let rows: ReturnType<typeof compareGraph500>;
      try {
        rows = compareGraph500(
          profile,
          builtin,
          graph,
          { nodes, perNode, placements, variant, draws, rangeRoots: Math.min(8, roots), seed },
          predicting.report,
        );
      } finally {
        predicting.stop();
      }
      const edgeCost = profile.compute.bfsPerEdgeCost ?? builtin.compute.bfsPerEdgeCost!;
      const assumptions = [
        {
          field: 'variant',
          value: `bfs_${variant}`,
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
      if (opts.json) {
        return io.stdout(
          formatJson({
            scale,
            edgeFactor: key.edgeFactor,
            seed: key.seed,
            roots: graph.runs.length,
            variant,
            ...(extrapolatedFrom !== undefined ? { extrapolatedFrom } : {}),
            profile: profile.name,
            nodes,
            assumptions,
            rows: rows.map((r) => ({
              placement: r.placement,
              perNode: r.perNode,
              procs: r.procs,
              time_s: r.time_s,
              time_lo_s: r.time_lo_s,
              time_hi_s: r.time_hi_s,
              teps: r.teps,
              teps_lo: r.teps_lo,
              teps_hi: r.teps_hi,
              perRoot: r.prediction.perRoot,
              ...(opts.levels ? { levels: r.prediction.levels } : {}),
            })),
          }),
        );
      }
      if (opts.csv) {
        return io.stdout(
          formatCsv<Graph500Row>(
            [
              { name: 'placement', value: (r) => r.placement },
              { name: 'per_node', value: (r) => r.perNode },
              { name: 'procs', value: (r) => r.procs },
              { name: 'time_s', value: (r) => r.time_s },
              { name: 'time_lo_s', value: (r) => r.time_lo_s },
              { name: 'time_hi_s', value: (r) => r.time_hi_s },
              { name: 'teps', value: (r) => r.teps },
              { name: 'teps_lo', value: (r) => r.teps_lo },
              { name: 'teps_hi', value: (r) => r.teps_hi },
              {
                name: 'extrapolated_from',
                value: () => (extrapolatedFrom === undefined ? '' : extrapolatedFrom),
              },
            ],
            rows,
          ),
        );
      }
      io.stdout(
        `# ibvf graph500 (model): scale ${scale} (${graph.vertices} vertices, ${graph.inputEdges} edges), ${graph.runs.length} roots, ` +
          `bfs_${variant}, profile ${profile.name}, ${nodes} node${nodes === 1 ? '' : 's'}` +
          (extrapolatedFrom !== undefined ? `, EXTRAPOLATED from scale ${extrapolatedFrom}` : '') +
          '\n',
      );
      const sci = (x: number) => x.toExponential(3);
      for (const placement of [...new Set(rows.map((r) => r.placement))]) {
        io.stdout(
          `\n${formatTable<Graph500Row>(
            [
              { header: 'per node', value: (r) => r.perNode },
              { header: 'ranks', value: (r) => r.procs },
              { header: 'BFS time (s)', value: (r) => sci(r.time_s) },
              { header: '95% range (s)', value: (r) => `${sci(r.time_lo_s)}-${sci(r.time_hi_s)}` },
              { header: 'TEPS', value: (r) => sci(r.teps) },
              { header: '95% range', value: (r) => `${sci(r.teps_lo)}-${sci(r.teps_hi)}` },
            ],
            rows.filter((r) => r.placement === placement),
            placement,
          )}`,
        );
      }
      io.stdout(
        `# time: mean over roots; TEPS: harmonic mean over roots of (input edges in the root's component) / time; ranges from ${draws} drawn profiles over ${Math.min(8, roots)} roots\n` +
          `# assumptions this answer rests on (ibvf profile show lists all):\n` +
          assumptions
            .map((a) => `#   ${a.field} = ${a.value}${a.unit ? ` ${a.unit}` : ''}: ${a.why}\n`)
            .join(''),
      );
      if (opts.levels) {
        for (const r of rows) {
          io.stdout(
            `\n${formatTable(
              [
                { header: 'level', value: (l: (typeof r.prediction.levels)[number]) => l.level },
                { header: 'frontier', value: (l) => l.frontier },
                { header: 'edges scanned', value: (l) => l.scanned },
                { header: 'messages', value: (l) => l.time.messages },
                { header: 'slowest rank', value: (l) => l.time.slowestRank },
                { header: 'compute (us)', value: (l) => (l.time.computeNs / 1000).toFixed(1) },
                {
                  header: 'send+recv (us)',
                  value: (l) => ((l.time.sendNs + l.time.recvNs) / 1000).toFixed(1),
                },
                { header: 'HCA (us)', value: (l) => (l.time.hcaNs / 1000).toFixed(1) },
                { header: 'end+allreduce (us)', value: (l) => (l.time.endNs / 1000).toFixed(1) },
                { header: 'level (us)', value: (l) => (l.time.ns / 1000).toFixed(1) },
              ],
              r.prediction.levels,
              `${r.placement}, ${r.perNode} per node: levels of root ${r.prediction.perRoot[0].root}`,
            )}`,
          );
        }
      }
    });
}
