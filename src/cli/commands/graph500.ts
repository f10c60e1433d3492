import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { Graph500Row } from '../../model/graph500/compare.js';
import { formatCsv, formatJson, formatTable } from '../format.js';
import {
  addGraph500Options,
  parseGraph500Options,
  runGraph500,
  type Graph500CliOptions,
} from '../graph500-run.js';
import type { CliIo } from '../io.js';

interface Graph500Options extends Graph500CliOptions {
  levels?: boolean;
  json?: boolean;
  csv?: boolean;
}

/**
 * `ibvf graph500`: generates (or reads from its cache) the Graph500 level profiles of a
 * scale, predicts BFS time and TEPS for each layout (src/model/graph500/) and prints them.
 */
export function registerGraph500(program: Command, io: CliIo): void {
  const cmd = program
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
    );
  addGraph500Options(cmd)
    .option('--levels', "print the first root's levels for every layout")
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
      const { plan, graph, extrapolatedFrom, rows, assumptions } = runGraph500(
        parseGraph500Options(opts),
        io,
        'ibvf graph500',
      );
      const { scale, variant, profile, nodes, draws, roots } = plan;
      if (opts.json) {
        return io.stdout(
          formatJson({
            scale,
            edgeFactor: plan.key.edgeFactor,
            seed: plan.key.seed,
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
