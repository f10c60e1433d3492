import type { Command } from 'commander';
import { predictP2p, PROGRESS_OF_OP, type P2pRow } from '../../model/p2p/predict.js';
import { DEFAULT_PROFILE } from '../../profiles/builtin.js';
import { loadProfile } from '../../profiles/load.js';
import { P2P_OPS, PROGRESS_MODES, type P2pOp } from '../../profiles/types.js';
import { UsageError } from '../../errors.js';
import { formatCsv, formatJson, formatTable } from '../format.js';
import type { CliIo } from '../io.js';
import { parseChoice, parseSizes } from '../parse.js';

interface PredictOptions {
  profile: string;
  path: string;
  op: string;
  sizes: string;
  progress?: string;
  json?: boolean;
  csv?: boolean;
}

const OP_HELP = `operation (default send): ${P2P_OPS.join(', ')}
  send, write, read   InfiniBand verbs as perftest measures them (ib_send_lat, ib_write_lat, ib_read_lat)
  mpi                 MPI send/recv as osu_latency and osu_bw measure it (MVAPICH2-like)
  upc-get             UPC upc_memget: an RDMA read plus the PGAS runtime
  tcp                 TCP over IPoIB as netperf TCP_RR measures it (paths ipoib-native, ipoib-vf)`;

export function registerPredict(program: Command, io: CliIo): void {
  program
    .command('predict')
    .description(
      'Predict latency (us) and bandwidth (MB/s) per message size from a profile: a model, not a measurement.\n' +
        'Latency is one-way (half the round trip), as perftest and OSU print it; read and upc-get are full round trips.',
    )
    .option('--profile <name|file>', 'built-in profile name or profile JSON file', DEFAULT_PROFILE)
    .option(
      '--path <name>',
      'path between the two ranks: native, vf, native-inline0, shm, native-loopback, vf-loopback, ipoib-native, ipoib-vf',
      'vf',
    )
    .option('--op <op>', OP_HELP, 'send')
    .option(
      '--sizes <MIN:MAX>',
      'message sizes in bytes, doubling from MIN to MAX as OSU does (8K, 1M allowed)',
      '1:4M',
    )
    .option(
      '--progress <mode>',
      `completion: poll (busy polling), event (interrupt and wake-up; verbs send/read, tcp), blocking (MVAPICH2 MV2_USE_BLOCKING=1; mpi). Default: the op's usual mode`,
    )
    .option(
      '--json',
      'print {"profile","path","op","progress","rows":[{"bytes","latency_us","bandwidth_MBps"}]} on stdout',
    )
    .option('--csv', 'print bytes,latency_us,bandwidth_MBps rows on stdout')
    .addHelpText(
      'after',
      `
Examples:
  ibvf predict --path vf --op send                      verbs send over an SR-IOV VF, 1 B to 4 MB
  ibvf predict --path native --op mpi --sizes 1:64K     MPI latency natively, like osu_latency
  ibvf predict --path vf --op send --progress event     the cost of interrupts on a VF
  ibvf predict --path vf --op mpi --progress blocking --json`,
    )
    .action((opts: PredictOptions) => {
      if (opts.json && opts.csv) throw new UsageError('choose one of --json and --csv');
      const op = parseChoice(opts.op, P2P_OPS, '--op') as P2pOp;
      const progress =
        opts.progress === undefined
          ? PROGRESS_OF_OP[op][0]
          : parseChoice(opts.progress, PROGRESS_MODES, '--progress');
      const sizes = parseSizes(opts.sizes);
      const profile = loadProfile(opts.profile);
      const rows = predictP2p(profile, { path: opts.path, op, progress }, sizes);
      if (opts.json) {
        io.stdout(formatJson({ profile: profile.name, path: opts.path, op, progress, rows }));
      } else if (opts.csv) {
        io.stdout(
          formatCsv<P2pRow>(
            [
              { name: 'bytes', value: (r) => r.bytes },
              { name: 'latency_us', value: (r) => r.latency_us },
              { name: 'bandwidth_MBps', value: (r) => r.bandwidth_MBps },
            ],
            rows,
          ),
        );
      } else {
        io.stdout(
          formatTable<P2pRow>(
            [
              { header: 'Size', value: (r) => r.bytes },
              { header: 'Latency (us)', value: (r) => r.latency_us },
              { header: 'Bandwidth (MB/s)', value: (r) => r.bandwidth_MBps },
            ],
            rows,
            `ibvf predict (model): profile ${profile.name}, path ${opts.path}, op ${op}, progress ${progress}`,
          ),
        );
      }
    });
}
