import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { LOGGOPSIM_DEFAULTS, type LogGOPSParams, type SimOptions } from '../../model/sim/contract.js';
import { checkCompatParams, simulate } from '../../model/sim/engine.js';
import { DEFAULT_GOAL_MAX_BYTES, readGoalFile } from '../../model/sim/goal-parse.js';
import { uniformNetwork } from '../../model/sim/uniform-network.js';
import { startProgressBar } from '../../progress-bar.js';
import { formatJson } from '../format.js';
import type { CliIo } from '../io.js';
import { parseCount, parseNumber, parseSize } from '../parse.js';

interface SimCliOptions {
  L: string;
  o: string;
  g: string;
  G: string;
  O: string;
  S: string;
  native?: boolean;
  ranksPerNode?: string;
  hcaGap?: string;
  hcaPerByte?: string;
  hosts?: boolean;
  json?: boolean;
  maxGoalSize?: string;
}

/**
 * The largest parameter taken: 2^53 - 1 ns (104 days), the largest whole number a
 * double holds exactly; LogGOPSim's integer mode needs whole numbers, and sums of larger
 * ones would lose their units digits (or reach Infinity).
 */
const MAX_PARAM = Number.MAX_SAFE_INTEGER;

/**
 * A schedule of at least this many operations draws a progress bar (on a terminal): the
 * engine runs from half a million to a few million events a second (bench/), so this is a second or less.
 */
export const LONG_SCHEDULE_OPS = 200_000;

function ns(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}

export function registerSim(program: Command, io: CliIo): void {
  program
    .command('sim')
    .description(
      'Simulate a GOAL schedule (the text format of LogGOPSim and schedgen) in the LogGOPS model and ' +
        'print when the last host finishes, in nanoseconds. LogGOPSim-compatible by default (same integer ' +
        'arithmetic, same results); --native uses ibvf float64 semantics.',
    )
    .argument(
      '<file.goal>',
      'GOAL schedule: num_ranks N, then "rank R { ... }" blocks of send/recv/calc lines',
    )
    .option(
      '--L <ns>',
      'L, latency: wire time of a message from sender NIC to receiver NIC (ns)',
      String(LOGGOPSIM_DEFAULTS.L),
    )
    .option(
      '--o <ns>',
      'o, overhead: CPU time to send or to receive one message (ns)',
      String(LOGGOPSIM_DEFAULTS.o),
    )
    .option(
      '--g <ns>',
      'g, gap: minimum time between two messages at one NIC, per direction (ns)',
      String(LOGGOPSIM_DEFAULTS.g),
    )
    .option(
      '--G <ns>',
      'G, gap per byte: NIC time per additional byte, 1/bandwidth (ns/byte)',
      String(LOGGOPSIM_DEFAULTS.G),
    )
    .option(
      '--O <ns>',
      'O, overhead per byte: CPU time per additional byte (ns/byte)',
      String(LOGGOPSIM_DEFAULTS.O),
    )
    .option(
      '--S <bytes>',
      'S, eager limit: sends up to S bytes complete locally; larger ones wait for the receive (rendezvous)',
      String(LOGGOPSIM_DEFAULTS.S),
    )
    .option(
      '--native',
      'ibvf native mode: float64 ns, zero-byte messages cost as one byte, optional shared HCA',
    )
    .option(
      '--ranks-per-node <k>',
      'native mode: consecutive ranks sharing one node (and its HCA); default 1',
    )
    .option('--hca-gap <ns>', "native mode: the node HCA's time per message, shared by its ranks (ns)")
    .option('--hca-per-byte <ns>', "native mode: the node HCA's time per byte, shared by its ranks (ns/byte)")
    .option('--max-goal-size <bytes>', 'largest GOAL file to read (default 512M)')
    .option('--hosts', 'print every host\'s finishing time ("Host H: T"), not only the maximum')
    .option(
      '--json',
      'print {"file","mode","params","ranks","ops","maxHost","maxFinishNs","finishNs":[...],"events","parseSeconds","simSeconds","eventsPerSecond"}',
    )
    .addHelpText(
      'after',
      `
The model (Hoefler, Schneider, Lumsdaine, "LogGOPSim", HPDC 2010): a send of s bytes occupies the
sender's CPU for o+(s-1)O and its NIC for g+(s-1)G; the first byte arrives o+L after the send
starts; the receiver's NIC is busy g+(s-1)G and its CPU o+max((s-1)O,(s-1)G). Defaults are
LogGOPSim's: --L 2500 --o 1500 --g 1000 --G 6 --O 0 --S 65535.

Output: "Maximum finishing time at host H: T" (T in ns: when that host's CPU is last busy), then
the events simulated and events per second. A schedule that deadlocks (a receive never matched)
lists the stuck operations and exits with 3; a malformed file names FILE:LINE and exits with 2.

Examples:
  ibvf sim bcast.goal                                  LogGOPSim's default parameters
  ibvf sim alltoall.goal --L 1000 --o 500 --g 300 --G 1 --S 12288 --hosts
  ibvf sim alltoall.goal --native --ranks-per-node 8 --hca-gap 50 --hca-per-byte 0.16 --json`,
    )
    .action((file: string, opts: SimCliOptions) => {
      const params: LogGOPSParams = {
        L: parseNumber(opts.L, '--L', 0, MAX_PARAM),
        o: parseNumber(opts.o, '--o', 0, MAX_PARAM),
        g: parseNumber(opts.g, '--g', 0, MAX_PARAM),
        G: parseNumber(opts.G, '--G', 0, MAX_PARAM),
        O: parseNumber(opts.O, '--O', 0, MAX_PARAM),
        S: parseNumber(opts.S, '--S', 0, MAX_PARAM),
      };
      const nativeOnly = opts.ranksPerNode ?? opts.hcaGap ?? opts.hcaPerByte;
      if (!opts.native && nativeOnly !== undefined) {
        throw new UsageError('--ranks-per-node, --hca-gap and --hca-per-byte need --native');
      }
      if ((opts.hcaGap === undefined) !== (opts.hcaPerByte === undefined)) {
        throw new UsageError('give both --hca-gap and --hca-per-byte (the shared HCA needs both)');
      }
      if (!opts.native) checkCompatParams(params);

      const t0 = performance.now();
      const schedule = readGoalFile(file, {
        maxBytes:
          opts.maxGoalSize === undefined
            ? DEFAULT_GOAL_MAX_BYTES
            : parseSize(opts.maxGoalSize, '--max-goal-size'),
        override: 'raise it with --max-goal-size',
      });
      const t1 = performance.now();
      let options: SimOptions = { mode: 'compat', params };
      if (opts.native) {
        const ranksPerNode =
          opts.ranksPerNode === undefined ? 1 : parseCount(opts.ranksPerNode, '--ranks-per-node');
        const hca =
          opts.hcaGap === undefined
            ? undefined
            : {
                messageGapNs: parseNumber(opts.hcaGap, '--hca-gap', 0, MAX_PARAM),
                perByteNs: parseNumber(opts.hcaPerByte!, '--hca-per-byte', 0, MAX_PARAM),
              };
        options = {
          mode: 'native',
          network: uniformNetwork(schedule.numRanks, params, { ranksPerNode, hca }),
        };
      }
      const bar = startProgressBar(io, 'sim', schedule.numOps, { minTotal: LONG_SCHEDULE_OPS });
      let result: ReturnType<typeof simulate>;
      try {
        result = simulate(schedule, options, {
          progress: bar ? (done, total) => bar.update(done, `${done}/${total} operations`) : undefined,
        });
      } finally {
        bar?.stop();
      }
      const t2 = performance.now();
      const parseSeconds = (t1 - t0) / 1000;
      const simSeconds = (t2 - t1) / 1000;
      const eventsPerSecond = simSeconds > 0 ? Math.round(result.events / simSeconds) : 0;

      if (opts.json) {
        io.stdout(
          formatJson({
            file,
            mode: options.mode,
            params,
            ranks: schedule.numRanks,
            ops: schedule.numOps,
            maxHost: result.maxHost,
            maxFinishNs: result.maxFinishNs,
            finishNs: Array.from(result.finishNs),
            events: result.events,
            parseSeconds,
            simSeconds,
            eventsPerSecond,
          }),
        );
        return;
      }
      if (opts.hosts) {
        let text = '';
        for (let h = 0; h < result.finishNs.length; h++) text += `Host ${h}: ${ns(result.finishNs[h])}\n`;
        io.stdout(text);
      }
      io.stdout(`Maximum finishing time at host ${result.maxHost}: ${ns(result.maxFinishNs)}\n`);
      io.stdout(
        `Events: ${result.events} in ${simSeconds.toFixed(3)} s (${eventsPerSecond} events/s); ` +
          `parsing ${schedule.numOps} operations took ${parseSeconds.toFixed(3)} s\n`,
      );
    });
}
