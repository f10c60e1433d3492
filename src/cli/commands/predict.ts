import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { COLLECTIVE_OPS, isCollectiveOp } from '../../model/collectives/types.js';
import { parsePlacement } from '../../model/layout/index.js';
import { predictP2p, PROGRESS_OF_OP, type P2pRow } from '../../model/p2p/predict.js';
import { collectiveSizes, predictCollective } from '../../model/predict-collective.js';
import { assumptionsOf, sensitivity } from '../../model/sensitivity.js';
import { DEFAULT_PROFILE } from '../../profiles/builtin.js';
import { loadProfile } from '../../profiles/load.js';
import { P2P_OPS, PROGRESS_MODES, type P2pOp, type Profile } from '../../profiles/types.js';
import {
  addCollectiveOptions,
  algorithmHelp,
  parseCollectiveCommon,
  parseShm,
  withSimulationBar,
  type CollectiveCliOptions,
} from '../collective-options.js';
import {
  assumptionLines,
  collectiveCsv,
  collectiveTable,
  layoutLine,
  sensitivityTable,
} from '../collective-output.js';
import { formatCsv, formatJson, formatTable } from '../format.js';
import type { CliIo } from '../io.js';
import { parseChoice, parseSizes } from '../parse.js';

interface PredictOptions extends CollectiveCliOptions {
  profile: string;
  path?: string;
  op: string;
  sizes?: string;
  progress?: string;
  placement?: string;
  shm?: string;
  algorithm?: string;
  sensitivity?: boolean;
  json?: boolean;
  csv?: boolean;
}

const OP_HELP = `operation (default send)
  point-to-point (over --path):
    send, write, read   InfiniBand verbs as perftest measures them (ib_send_lat, ib_write_lat, ib_read_lat)
    mpi                 MPI send/recv as osu_latency and osu_bw measure it (MVAPICH2-like)
    upc-get             UPC upc_memget: an RDMA read plus the PGAS runtime
    tcp                 TCP over IPoIB as netperf TCP_RR measures it (paths ipoib-native, ipoib-vf)
  collectives (over --nodes/--procs/--placement), as OSU's osu_<op> measures them:
    ${COLLECTIVE_OPS.join(', ')}`;

const POINT_TO_POINT_ONLY = ['path'] as const;
const COLLECTIVE_ONLY = ['placement', 'shm', 'algorithm', 'sensitivity', 'draws', 'closedFormDraws'] as const;

function rejectForeign(cmd: Command, names: readonly string[], why: string): void {
  for (const name of names) {
    const flag = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    if (cmd.getOptionValueSource(name) === 'cli') throw new UsageError(`--${flag} ${why}`);
  }
}

function runPointToPoint(profile: Profile, opts: PredictOptions, io: CliIo): void {
  const op = opts.op as P2pOp;
  const path = opts.path ?? 'vf';
  const progress =
    opts.progress === undefined
      ? PROGRESS_OF_OP[op][0]
      : parseChoice(opts.progress, PROGRESS_MODES, '--progress');
  const sizes = parseSizes(opts.sizes ?? '1:4M');
  const rows = predictP2p(profile, { path, op, progress }, sizes);
  if (opts.json) return io.stdout(formatJson({ profile: profile.name, path, op, progress, rows }));
  if (opts.csv) {
    return io.stdout(
      formatCsv<P2pRow>(
        [
          { name: 'bytes', value: (r) => r.bytes },
          { name: 'latency_us', value: (r) => r.latency_us },
          { name: 'bandwidth_MBps', value: (r) => r.bandwidth_MBps },
        ],
        rows,
      ),
    );
  }
  io.stdout(
    formatTable<P2pRow>(
      [
        { header: 'Size', value: (r) => r.bytes },
        { header: 'Latency (us)', value: (r) => r.latency_us },
        { header: 'Bandwidth (MB/s)', value: (r) => r.bandwidth_MBps },
      ],
      rows,
      `ibvf predict (model): profile ${profile.name}, path ${path}, op ${op}, progress ${progress}`,
    ),
  );
}

function runCollective(profile: Profile, opts: PredictOptions, io: CliIo): void {
  if (!isCollectiveOp(opts.op)) throw new UsageError(`--op: '${opts.op}' is not a collective`);
  const common = parseCollectiveCommon(opts);
  const placement = parsePlacement(opts.placement ?? 'vm-per-core');
  const shm = opts.shm === undefined ? placement === 'native' : parseShm(opts.shm);
  // A barrier moves no data: one row, whatever --sizes says (still checked, as a typo is a typo).
  const sizes = collectiveSizes(opts.op, parseSizes(opts.sizes ?? '1:1M', '--sizes', false));
  const query = { op: opts.op, placement, shm, algorithm: opts.algorithm, ...common };
  const prediction = withSimulationBar(io, 'predict', (progress) =>
    predictCollective(profile, query, sizes, progress),
  );
  const sweeps = opts.sensitivity
    ? sizes.map((bytes) => ({ bytes, rows: sensitivity(profile, query, bytes) }))
    : [];
  const assumptions = assumptionsOf(profile);
  for (const note of prediction.notes) io.stderr(`ibvf: note: ${note}\n`);
  if (opts.json) {
    return io.stdout(
      formatJson({
        profile: profile.name,
        op: opts.op,
        layout: prediction.layout,
        engine: prediction.engine,
        mpi: prediction.mpi,
        rows: prediction.rows,
        ...(opts.sensitivity ? { sensitivity: sweeps } : {}),
        assumptions,
        notes: prediction.notes,
      }),
    );
  }
  if (opts.csv) return io.stdout(collectiveCsv(prediction.rows));
  io.stdout(
    collectiveTable(
      prediction,
      `ibvf predict (model): ${opts.op}, profile ${profile.name}, ${layoutLine(prediction)}`,
    ),
  );
  for (const s of sweeps) io.stdout(`\n${sensitivityTable(s.rows, s.bytes)}`);
  io.stdout(`\n${assumptionLines(assumptions)}`);
}

export function registerPredict(program: Command, io: CliIo): void {
  const cmd = program
    .command('predict')
    .summary('predict point-to-point latency and bandwidth, or a collective on a VM layout')
    .description(
      'Predict from a profile (a model, not a measurement).\n' +
        'Point-to-point: latency (us) and bandwidth (MB/s) per size over one path; latency is one-way (half the ' +
        'round trip) as perftest and OSU print it, except read and upc-get, which are full round trips.\n' +
        'Collectives: average latency over ranks (us) with its 95% range, the maximum over ranks and the ' +
        "algorithm MVAPICH2 would choose, as OSU's collective benchmarks report them.",
    )
    .option('--profile <name|file>', 'built-in profile name or profile JSON file', DEFAULT_PROFILE)
    .option('--op <op>', OP_HELP, 'send')
    .option(
      '--sizes <MIN:MAX>',
      'message sizes in bytes, doubling from MIN to MAX as OSU does (8K, 1M allowed); default 1:4M, collectives 1:1M',
    )
    .option(
      '--progress <mode>',
      "poll (busy polling), event (interrupt and wake-up; verbs send/read, tcp, collectives), blocking (MVAPICH2 MV2_USE_BLOCKING=1; mpi and collectives). Default: the op's usual mode",
    )
    .option(
      '--path <name>',
      'point-to-point: path between the two ranks: native, vf, native-inline0, shm, native-loopback, vf-loopback, ipoib-native, ipoib-vf (default vf)',
    )
    .option(
      '--placement <p>',
      'collectives: native, vm-per-core, vm-per-socket, vm-per-node or vms-per-node=K (default vm-per-core)',
    )
    .option(
      '--shm <on|off>',
      "collectives: MPI's intra-node shared memory (default: on natively, off in VMs, as in the paper)",
    )
    .option(
      '--algorithm <name>',
      `collectives: force an algorithm instead of MVAPICH2-like selection:\n${algorithmHelp()}`,
    )
    .option(
      '--sensitivity',
      'collectives: sweep each assumed virtualization parameter over its interval and show how the answer moves',
    );
  addCollectiveOptions(cmd)
    .option(
      '--json',
      'print JSON on stdout: point-to-point {"profile","path","op","progress","rows":[{"bytes","latency_us","bandwidth_MBps"}]}; collectives {"rows":[{"bytes","latency_us","latency_lo_us","latency_hi_us","max_us","algorithm"}],"layout",...}',
    )
    .option('--csv', 'print the rows as CSV on stdout')
    .addHelpText(
      'after',
      `
Examples:
  ibvf predict --path vf --op send                      verbs send over an SR-IOV VF, 1 B to 4 MB
  ibvf predict --path native --op mpi --sizes 1:64K     MPI latency natively, like osu_latency
  ibvf predict --path vf --op send --progress event     the cost of interrupts on a VF
  ibvf predict --op alltoall --nodes 4 --procs 32 --placement vm-per-core --shm off --sizes 8K:8K
  ibvf predict --op allreduce --placement native --shm on --sizes 4:1M --csv
  ibvf predict --op bcast --placement vm-per-socket --sizes 8K:8K --sensitivity`,
    )
    .action((opts: PredictOptions) => {
      if (opts.json && opts.csv) throw new UsageError('choose one of --json and --csv');
      const op = opts.op;
      if (isCollectiveOp(op)) {
        rejectForeign(
          cmd,
          POINT_TO_POINT_ONLY,
          `is for point-to-point operations; --op ${op} takes --placement (and --nodes, --procs)`,
        );
        runCollective(loadProfile(opts.profile), opts, io);
      } else {
        parseChoice(op, [...P2P_OPS, ...COLLECTIVE_OPS], '--op');
        rejectForeign(
          cmd,
          COLLECTIVE_ONLY,
          `is for collective operations (--op ${COLLECTIVE_OPS.join('|')})`,
        );
        runPointToPoint(loadProfile(opts.profile), opts, io);
      }
    });
}
