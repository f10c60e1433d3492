import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import {
  IMPORT_TOOLS,
  importBenchmarkFile,
  type ImportedPoint,
  type ImportedRun,
  type ImportTool,
} from '../../calibrate/import/index.js';
import { formatCsv, formatJson, formatTable, type Column } from '../format.js';
import type { CliIo } from '../io.js';
import { parseCount } from '../parse.js';

interface ImportCliOptions {
  tool?: string;
  msgSize?: string;
  json?: boolean;
  csv?: boolean;
}

/** Point fields in the order tables and CSV show them, with OSU-style headers. */
const FIELDS: { key: keyof ImportedPoint; header: string; digits?: number }[] = [
  { key: 'bytes', header: 'Size' },
  { key: 'latency_us', header: 'Latency (us)' },
  { key: 'min_us', header: 'Min (us)' },
  { key: 'median_us', header: 'Median (us)' },
  { key: 'max_us', header: 'Max (us)' },
  { key: 'p99_us', header: 'P99 (us)' },
  { key: 'p99_9_us', header: 'P99.9 (us)' },
  { key: 'stdev_us', header: 'Stdev (us)' },
  { key: 'bandwidth_MBps', header: 'Bandwidth (MB/s)' },
  { key: 'msg_rate', header: 'Messages/s', digits: 0 },
  { key: 'iterations', header: 'Iterations' },
  { key: 'validation', header: 'Validation' },
];

function parseMsgSizes(text: string): number | number[] {
  const sizes = text.split(',').map((part) => parseCount(part.trim(), '--msg-size', 0));
  return sizes.length === 1 ? sizes[0] : sizes;
}

function describeRun(run: ImportedRun): string {
  const what = run.latency ? `${run.metric}, ${run.latency}` : run.metric;
  const settings = Object.entries(run.settings).map(([k, v]) => `${k}=${v}`);
  return `${run.file}:${run.line}: ${run.tool} ${run.test} (${what})${settings.length ? `; ${settings.join(', ')}` : ''}`;
}

function runTable(run: ImportedRun): string {
  const shown = FIELDS.filter((f) => run.points.some((p) => p[f.key] !== undefined));
  const columns: Column<ImportedPoint>[] = shown.map((f) => ({
    header: f.header,
    value: (p) => p[f.key] ?? '-',
    digits: f.key === 'bytes' || f.key === 'iterations' ? undefined : (f.digits ?? 2),
  }));
  const notes = run.notes.map((n) => `# note: ${n}\n`).join('');
  return formatTable(columns, run.points, describeRun(run)) + notes;
}

export function registerImport(program: Command, io: CliIo): void {
  program
    .command('import')
    .summary('read OSU, perftest, qperf or sockperf output into ibvf units')
    .description(
      'Read the text OSU Micro-Benchmarks, perftest, qperf or sockperf printed and show what ibvf takes from it, ' +
        'in ibvf units: microseconds, bytes, MB/s = 10^6 bytes/s (perftest MB/s is 2^20 and is converted), ' +
        'messages/s. Latencies keep their meaning: one-way (half a round trip: osu_latency, ib_send_lat, ' +
        'tcp_lat, sockperf ping-pong), round trip (ib_read_lat), or a collective averaged over ranks. ' +
        'This is what calibration reads beside probe results; use it to check a file before calibrating.',
    )
    .argument('<file...>', 'files holding the text a benchmark printed (several runs per file are fine)')
    .option(
      '--tool <name>',
      `which tool printed the files (${IMPORT_TOOLS.join(', ')}); default: recognised from the text`,
    )
    .option(
      '--msg-size <bytes>',
      'the message size of sockperf ping-pong/under-load runs (sockperf does not print its -m): one, or a comma list with one per run',
    )
    .option('--json', 'print the runs as JSON')
    .option(
      '--csv',
      'print one row per message size: file,line,tool,test,metric,latency,bytes,latency_us,...',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  ibvf import osu_latency.txt osu_bw.txt\n  ib_send_lat -a > send_lat.txt; ibvf import send_lat.txt --json\n' +
        '  qperf -vu -oo msg_size:1:64K:*2 node2 tcp_lat > tcp.txt; ibvf import tcp.txt --csv\n' +
        '  sockperf ping-pong -i node2 -m 64 > pp.txt; ibvf import pp.txt --msg-size 64\n',
    )
    .action((files: string[], opts: ImportCliOptions) => {
      if (opts.json && opts.csv) throw new UsageError('--json and --csv: choose one');
      let tool: ImportTool | undefined;
      if (opts.tool !== undefined) {
        if (!(IMPORT_TOOLS as readonly string[]).includes(opts.tool)) {
          throw new UsageError(`--tool ${opts.tool}: expected one of ${IMPORT_TOOLS.join(', ')}`);
        }
        tool = opts.tool as ImportTool;
      }
      const msgSize = opts.msgSize === undefined ? undefined : parseMsgSizes(opts.msgSize);
      const runs = files.flatMap((f) => importBenchmarkFile(f, { tool, msgSize }));
      for (const run of runs) {
        const failed = run.points.filter((p) => p.validation === 'fail').map((p) => p.bytes);
        if (failed.length > 0) {
          io.stderr(
            `ibvf import: warning: ${run.file}:${run.line}: ${run.test} failed its own data validation (-c) at ${failed.join(', ')} bytes\n`,
          );
        }
      }
      if (opts.json) return io.stdout(formatJson(runs));
      if (opts.csv) {
        const rows = runs.flatMap((run) => run.points.map((point) => ({ run, point })));
        return io.stdout(
          formatCsv(
            [
              { name: 'file', value: (r) => r.run.file },
              { name: 'line', value: (r) => r.run.line },
              { name: 'tool', value: (r) => r.run.tool },
              { name: 'test', value: (r) => r.run.test },
              { name: 'metric', value: (r) => r.run.metric },
              { name: 'latency', value: (r) => r.run.latency ?? '' },
              ...FIELDS.map((f) => ({
                name: f.key,
                value: (r: { point: ImportedPoint }) => r.point[f.key] ?? '',
              })),
            ],
            rows,
          ),
        );
      }
      io.stdout(runs.map(runTable).join('\n'));
    });
}
