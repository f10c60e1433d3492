/**
 * `ibvf probe noise`: the host-CPU noise probe (FWQ style, src/probe/noise-run.ts), its
 * options, help and the table it prints. In a file of its own so other probe subcommands
 * merge beside it.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { ProbeNoise } from '../../probe/noise-result.js';
import { probeNoise } from '../../probe/noise-run.js';
import { summarize } from '../../probe/stats.js';
import { formatTable } from '../format.js';
import type { CliIo } from '../io.js';
import { parseCount, parseNumber } from '../parse.js';

/** Worker threads at most (each keeps every quantum in memory until the end). */
const MAX_WORKERS = 1024;
/** Quanta in all (workers x samples) at most: 8 bytes each in memory, about 10 in the JSON file. */
const MAX_QUANTA = 1e7;

interface NoiseOpts {
  workers?: string;
  quantumUs: string;
  samples: string;
  pin?: boolean;
  vmsPerNode?: string;
  hostCores?: string;
  out?: string;
  json?: boolean;
}

const us = (x: number) => x.toFixed(1);

/** Per worker: its CPU, quanta, min, median, mean, p99 and max, and mean / the calibration's undisturbed quantum. */
export function noiseTable(r: ProbeNoise): string {
  const rows = r.workers.map((w) => ({ w, s: summarize(w.samples_us) }));
  const stretch = (mean: number) => (mean / r.quantum.undisturbed_us).toFixed(3);
  const where =
    r.node.vms_per_node === null
      ? 'native'
      : `guest, ${r.node.vms_per_node} VM(s) per node of ${r.node.host_cores} cores`;
  return (
    formatTable(
      [
        { header: 'Worker', value: (x: (typeof rows)[number]) => String(x.w.worker) },
        {
          header: 'CPU',
          value: (x) => (x.w.cpu === null ? '-' : `${x.w.cpu}${x.w.pinned ? '' : ' (not pinned)'}`),
        },
        { header: 'Quanta', value: (x) => String(x.w.samples_us.length) },
        { header: 'Min (us)', value: (x) => us(x.s.min_us) },
        { header: 'Median (us)', value: (x) => us(x.s.median_us) },
        { header: 'Mean (us)', value: (x) => us(x.s.mean_us) },
        { header: 'p99 (us)', value: (x) => us(x.s.p99_us) },
        { header: 'Max (us)', value: (x) => us(x.s.max_us) },
        { header: 'Mean/undisturbed', value: (x) => stretch(x.s.mean_us) },
      ],
      rows,
      `ibvf probe noise on ${r.host.name} (${r.host.cpus} CPUs, ${where}): ${r.options.workers} workers, ` +
        `quantum ${r.quantum.loops} loops = ${us(r.quantum.undisturbed_us)} us undisturbed${r.partial ? `, partial (stopped: ${r.stopped ?? 'not said'})` : ''}`,
    ) +
    `# all workers: mean ${us(r.summary.mean_us)} us, ${stretch(r.summary.mean_us)} x the undisturbed quantum\n`
  );
}

export function registerProbeNoise(probe: Command, io: CliIo): void {
  probe
    .command('noise')
    .description(
      'Measure how much CPU time this machine takes from busy threads: N workers each repeat a fixed quantum of CPU work ' +
        "(LLNL's FWQ, Fixed Work Quanta; FTQ's sibling) and time every repetition. A quantum longer than the undisturbed " +
        'one lost time to the kernel, other threads or a hypervisor. ibvf calibrate fits from these files the host-CPU ' +
        'parameters of rule 1 (docs/virtualization.md): subscriptionPenalty from a native run with more workers than cores ' +
        'against one with at most as many, tickOverhead from a guest run against the host run, hostCoresReserved and ' +
        'hostWorkPerVm from guest runs with every vCPU busy at two or more VM counts per node.',
    )
    .option('--workers <N>', 'worker threads (default: every CPU this process may run on)')
    .option(
      '--quantum-us <Q>',
      'the quantum of work, in us of undisturbed time (calibrated here before the run)',
      '100',
    )
    .option(
      '--samples <S>',
      'quanta per worker; the first worker done stops the others, so all quanta ran under the same load',
      '10000',
    )
    .option('--pin', 'pin worker i to the i-th CPU this process may use, modulo their count (default)')
    .option('--no-pin', 'leave the workers where the scheduler puts them')
    .option(
      '--vms-per-node <K>',
      'in a guest: how many VMs of this node run the probe at the same time (this one included)',
    )
    .option(
      '--host-cores <C>',
      "the physical node's cores: required in a guest with --vms-per-node; on a host, its cores when SMT doubles the CPUs",
    )
    .option(
      '--out <FILE>',
      'result file, ibvf.probe-noise/1 (default: ibvf-probe-noise-HOST-TIME.json; with --json, none unless given)',
    )
    .option(
      '--json',
      'print the result JSON on stdout instead of the table (and write a file only if --out is given)',
    )
    .addHelpText(
      'after',
      `
Each quantum is timed end to end with CLOCK_MONOTONIC_RAW; the file keeps every quantum, so
calibrate can bootstrap its intervals. The run is written as it goes; Ctrl-C keeps what was measured.
Run it on an otherwise idle node: other jobs' threads take their shares of the cores too, which
counts as noise and pulls the fitted penalty down. Runs taken in turn (2, 8, 2, 8 workers) average
a load that comes and goes; calibrate pools runs of the same configuration.

Examples:
  ibvf probe noise --workers 2 --out ref.json               the reference: no more workers than cores
  ibvf probe noise --workers 4 --out over.json              2 cores oversubscribed twice
  ibvf calibrate ref.json over.json --name here             subscriptionPenalty from the two
The campaign for the guest-side parameters: run it in every VM of a node at once, and once on the host.
  ibvf probe noise --out host.json                          on the host (the node's CPUs, no VM running)
  ibvf probe noise --workers 4 --out host4.json             on the host at the one VM's worker count (same clock)
  ibvf probe noise --vms-per-node 1 --host-cores 16 --workers 4 --out k1.json   in the one VM running
  ibvf probe noise --vms-per-node 2 --host-cores 16 --out k2-vm0.json    in each of 2 VMs at once
  ibvf probe noise --vms-per-node 4 --host-cores 16 --out k4-vm0.json    in each of 4 VMs at once
  ibvf calibrate host*.json k1.json k2-*.json k4-*.json --name node      tickOverhead, hostCoresReserved, hostWorkPerVm
`,
    )
    .action(async (opts: NoiseOpts) => {
      const workers = opts.workers === undefined ? undefined : parseCount(opts.workers, '--workers');
      if (workers !== undefined && workers > MAX_WORKERS)
        throw new UsageError(`--workers: ${workers} is above the limit of ${MAX_WORKERS} threads`);
      const quantumUs = parseNumber(opts.quantumUs, '--quantum-us', 1, 1e6);
      const samples = parseCount(opts.samples, '--samples');
      if (samples * (workers ?? 1) > MAX_QUANTA)
        throw new UsageError(
          `--samples ${samples} x --workers ${workers ?? 1}: more than ${MAX_QUANTA} quanta in all (each is kept); take fewer samples`,
        );
      const vmsPerNode = opts.vmsPerNode === undefined ? null : parseCount(opts.vmsPerNode, '--vms-per-node');
      const hostCores = opts.hostCores === undefined ? null : parseCount(opts.hostCores, '--host-cores');
      if (vmsPerNode !== null && hostCores === null)
        throw new UsageError(
          "--vms-per-node K needs --host-cores C, the physical node's cores: a guest cannot see them, and calibrate needs them",
        );
      const { result, file } = await probeNoise(
        {
          workers,
          quantumUs,
          samples,
          pin: opts.pin !== false,
          vmsPerNode,
          hostCores,
          out: opts.out,
          json: Boolean(opts.json),
        },
        io,
      );
      if (opts.json) io.stdout(JSON.stringify(result) + '\n');
      else io.stdout(noiseTable(result));
      if (file) io.stderr(`ibvf probe noise: results in ${file}\nnext: ibvf calibrate ${file} ...\n`);
    });
}
