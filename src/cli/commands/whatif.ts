import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { COLLECTIVE_OPS } from '../../model/collectives/types.js';
import { parsePlacement, placementName } from '../../model/layout/index.js';
import { COLLECTIVE_PROGRESS } from '../../model/network.js';
import { collectiveSizes, DEFAULT_SIM_DRAWS } from '../../model/predict-collective.js';
import { explainLayouts, NEGLIGIBLE_GAP, type GapExplanation } from '../../model/explain.js';
import { compareLayouts, FIGURE5_QUERY, type WhatifRow } from '../../model/whatif.js';
import { DEFAULT_PROFILE } from '../../profiles/builtin.js';
import { loadProfile } from '../../profiles/load.js';
import {
  addCollectiveOptions,
  parseCollectiveCommon,
  parseShm,
  withSimulationBar,
  type CollectiveCliOptions,
} from '../collective-options.js';
import { assumptionLines, COLLECTIVE_CSV_FIELDS, sensitivityTable } from '../collective-output.js';
import { formatCsv, formatJson, formatTable } from '../format.js';
import type { CliIo } from '../io.js';
import { parseChoice, parseList, parseSizes } from '../parse.js';

/**
 * The "vs best" cell: the ratio to the best layout, or `~ratio (indistinguishable)` when
 * the 95% range of the paired difference to the best layout contains 0. The best row
 * (the first with the smallest latency, as `compareLayouts` picks it) is `1.00x`.
 */
function vsBest(r: WhatifRow, group: readonly WhatifRow[]): string {
  const ratio = `${r.ratio_to_best.toFixed(2)}x`;
  if (r.distinguishable || group.find((x) => x.ratio_to_best === 1) === r) return ratio;
  return `~${ratio} (indistinguishable)`;
}

const VS_BEST_NOTE = (draws: number): string =>
  `# vs best: latency over the best layout's; ~ (indistinguishable): the 95% range of the paired difference to it (same ${draws > 0 ? `${draws} simulated` : 'closed-form'} draws for both) contains 0`;

interface WhatifOptions extends CollectiveCliOptions {
  profile: string;
  op: string;
  sizes: string;
  placements: string;
  shm?: string;
  sensitivity?: boolean;
  explain?: boolean;
  json?: boolean;
  csv?: boolean;
}

/**
 * `ibvf whatif`: parses options into a what-if query, runs the comparison of the model
 * (src/model/whatif.ts) and prints it as tables, JSON or CSV.
 */
export function registerWhatif(program: Command, io: CliIo): void {
  const cmd = program
    .command('whatif')
    .summary("compare VM layouts for collectives side by side (default: the paper's Figure 5 question)")
    .description(
      'Compare VM layouts side by side: for each collective and size, the predicted OSU latency of every layout, ' +
        'its 95% range, the algorithm chosen and its ratio to the best layout. Defaults answer the question of ' +
        "the paper's Figure 5: alltoall, bcast and allreduce of 8 KB among 32 ranks on 4 nodes, one VM per core, " +
        'per socket or per node (shared memory off in VMs), against native with and without shared memory.',
    )
    .option('--profile <name|file>', 'built-in profile name or profile JSON file', DEFAULT_PROFILE)
    .option(
      '--op <list>',
      `collectives to compare, comma list of ${COLLECTIVE_OPS.join(', ')}`,
      FIGURE5_QUERY.ops.join(','),
    )
    .option('--sizes <MIN:MAX>', 'message sizes in bytes, doubling (8K, 1M allowed)', '8K:8K')
    .option(
      '--placements <list>',
      'comma list of native, vm-per-core, vm-per-socket, vm-per-node, vms-per-node=K',
      FIGURE5_QUERY.placements.map(placementName).join(','),
    )
    .option('--shm <list>', 'on, off or on,off for every layout (default: native on and off, VMs off)')
    .option(
      '--progress <mode>',
      `${COLLECTIVE_PROGRESS.join(', ')}: how ranks wait (blocking = MVAPICH2 MV2_USE_BLOCKING=1)`,
    );
  addCollectiveOptions(cmd)
    .option('--sensitivity', 'sweep each assumed virtualization parameter over its interval for every layout')
    .option(
      '--explain',
      'switch each mechanism of docs/virtualization.md off in turn: how much of the gap between layouts each makes',
    )
    .option(
      '--json',
      'print {"rows":[{"op","bytes","placement","shm","latency_us","latency_lo_us","latency_hi_us","max_us","algorithm","ratio_to_best","layout"}],...} on stdout',
    )
    .option('--csv', 'print one CSV row per op, size and layout')
    .addHelpText(
      'after',
      `
Examples:
  ibvf whatif                                           the paper's Figure 5 question
  ibvf whatif --op alltoall --sizes 1:64K --placements vm-per-core,vm-per-node
  ibvf whatif --nodes 16 --procs 256 --placements native,vms-per-node=4 --shm on,off
  ibvf whatif --op allreduce --progress blocking --sensitivity
  ibvf whatif --explain                                 which mechanism makes each gap between layouts
  ibvf whatif --op alltoall --sizes 1:1M --closed-form-draws   a long sweep: cheaper, approximate ranges

Ranges: 95% of ${DEFAULT_SIM_DRAWS} simulations with parameters drawn from the profile's intervals, the
same draws for every layout (--draws N for another count, --closed-form-draws for ranges
from the closed forms scaled to the simulated answer; not with --progress event).`,
    )
    .action((opts: WhatifOptions) => {
      if (opts.json && opts.csv) throw new UsageError('choose one of --json and --csv');
      const profile = loadProfile(opts.profile);
      const ops = parseList(opts.op, '--op', (t) => parseChoice(t, COLLECTIVE_OPS, '--op'));
      const placements = parseList(opts.placements, '--placements', parsePlacement);
      const shm = opts.shm === undefined ? undefined : parseList(opts.shm, '--shm', (t) => parseShm(t));
      const common = parseCollectiveCommon(opts);
      const sizes = parseSizes(opts.sizes, '--sizes', false);
      const result = withSimulationBar(io, 'whatif', (progress) =>
        compareLayouts(
          profile,
          { ops, sizes, placements, shm, ...common, sensitivity: opts.sensitivity },
          progress,
        ),
      );
      const { rows, assumptions } = result;
      const explanation = opts.explain
        ? explainLayouts(profile, { ops, sizes, placements, shm, ...common })
        : undefined;
      for (const n of result.notes) io.stderr(`ibvf: note: ${n}\n`);
      if (opts.json) {
        return io.stdout(formatJson(explanation ? { ...result, explanation } : result));
      }
      if (opts.csv) {
        return io.stdout(
          formatCsv<WhatifRow>(
            [
              { name: 'op', value: (r) => r.op },
              { name: 'placement', value: (r) => r.placement },
              { name: 'shm', value: (r) => (r.shm ? 'on' : 'off') },
              ...COLLECTIVE_CSV_FIELDS,
              { name: 'ratio_to_best', value: (r) => r.ratio_to_best },
              { name: 'diff_lo_us', value: (r) => r.diff_lo_us },
              { name: 'diff_hi_us', value: (r) => r.diff_hi_us },
              { name: 'distinguishable', value: (r) => String(r.distinguishable) },
            ],
            rows,
          ),
        );
      }
      io.stdout(
        `# ibvf whatif (model): profile ${profile.name}, ${common.nodes} nodes, ${common.procs} ranks, progress ${common.progress}, engine ${common.engine}\n`,
      );
      for (const op of ops) {
        for (const bytes of collectiveSizes(op, sizes)) {
          const group = rows.filter((r) => r.op === op && r.bytes === bytes);
          io.stdout(
            `\n${formatTable<WhatifRow>(
              [
                { header: 'Layout', value: (r) => r.placement },
                {
                  header: 'VMs x vCPUs/node',
                  value: (r) =>
                    r.layout.perNode.vms
                      ? `${r.layout.perNode.vms} x ${r.layout.perNode.vcpusPerVm.join('/')}`
                      : '-',
                },
                { header: 'shm', value: (r) => (r.shm ? 'on' : 'off') },
                { header: 'Avg Latency(us)', value: (r) => r.latency_us },
                {
                  header: '95% range (us)',
                  value: (r) => `${r.latency_lo_us.toFixed(2)}-${r.latency_hi_us.toFixed(2)}`,
                },
                { header: 'Max Latency(us)', value: (r) => r.max_us },
                { header: 'Algorithm', value: (r) => r.algorithm },
                { header: 'vs best', value: (r) => vsBest(r, group) },
              ],
              group,
              `${op}, ${bytes} bytes`,
            )}`,
          );
          io.stdout(`${VS_BEST_NOTE(common.draws)}\n`);
          for (const r of group) {
            if (r.sensitivity)
              io.stdout(
                `\n# ${r.placement}, shm ${r.shm ? 'on' : 'off'}:\n${sensitivityTable(r.sensitivity, bytes)}`,
              );
          }
        }
      }
      if (explanation) io.stdout(`\n${explanationTables(explanation.gaps, explanation.mechanisms)}`);
      io.stdout(`\n${assumptionLines(assumptions)}`);
    });
}

/** The ablation as one table per op and size: each pair's gap and each mechanism's share of it. */
function explanationTables(
  gaps: readonly GapExplanation[],
  mechanisms: readonly { name: string; what: string }[],
): string {
  const pct = (x: number | undefined) => (x === undefined ? '-' : `${(100 * x).toFixed(0)}%`);
  const keys = [...new Set(gaps.map((g) => `${g.op}|${g.bytes}`))];
  const tables = keys.map((key) => {
    const group = gaps.filter((g) => `${g.op}|${g.bytes}` === key);
    return formatTable<GapExplanation>(
      [
        { header: 'Slower layout', value: (g) => g.layout },
        { header: 'vs', value: (g) => g.versus },
        { header: 'Gap(us)', value: (g) => g.gap_us },
        ...mechanisms.map((m, i) => ({
          header: m.name,
          value: (g: GapExplanation) => pct(g.shares[i].share),
        })),
        { header: 'together', value: (g) => pct(g.interaction) },
      ],
      group,
      `where the gaps come from: ${group[0].op}, ${group[0].bytes} bytes (share of each gap that goes when one mechanism is off)`,
    );
  });
  const legend = mechanisms.map((m) => `#   ${m.name}: ${m.what}`).join('\n');
  return (
    `${tables.join('\n')}# '-': a gap under ${100 * NEGLIGIBLE_GAP}% of the faster layout, the order of the simulator's tie effects.\n` +
    `# mechanisms (docs/virtualization.md); 'together' is the part only mechanisms acting together make:\n${legend}\n`
  );
}
