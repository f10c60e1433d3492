/**
 * Reads what linux-rdma/perftest prints (ib_send_lat, ib_write_lat, ib_read_lat,
 * ib_atomic_lat, ib_send_bw, ib_write_bw, ib_read_bw, ib_atomic_bw) into ImportedRuns.
 *
 * The shape, from perftest's source (github.com/linux-rdma/perftest):
 *  - `src/perftest_parameters.c` ctx_print_test_info: a rule of dashes, a title
 *    `<verb> [Bidirectional ][Post List ]BW|Latency Test` (verb one of Send, RDMA_Write,
 *    RDMA_Write_imm, RDMA_Read, Atomic), then `Key : value` lines, two to a line joined by
 *    tabs (`Dual-port : OFF  Device : mlx5_0`, `Mtu : 4096[B]`, `Max inline data : 236[B]`).
 *    Perftest 2.x printed fewer keys and `Inline data is used up to N bytes message`.
 *  - `src/perftest_communication.h` BASIC_ADDR_FMT: ` local address: LID ...` and
 *    ` remote address: ...` lines, maybe with ` GID: ...` lines, closed by a rule.
 *  - `src/perftest_parameters.h` RESULT_FMT*, REPORT_FMT*: the table header and its rows.
 *    Latency: `#bytes #iterations t_min[usec] t_max[usec] t_typical[usec]` (commit 9d86b341
 *    of the header), to which later versions (commit 00ad4a05) add
 *    `t_avg[usec] t_stdev[usec] 99% percentile[usec] 99.9% percentile[usec]`;
 *    with -D, `#bytes #iterations t_avg[usec]` (and later `tps average`). Bandwidth:
 *    `#bytes #iterations BW peak[U] BW average[U] MsgRate[Mpps]` with U = MB/sec,
 *    MiB/sec (the same unit relabelled by perftest PR #257, 2024) or Gb/sec with
 *    --report_gbits; perftest 2.x had no MsgRate column. --cpu_util adds `CPU_Util[%]`,
 *    --report-per-port adds per-port columns, raw QoS adds `#sl`.
 *
 * Units, from print_report_bw and print_report_lat in `src/perftest_parameters.c`:
 * MB/sec (MiB/sec) divides bytes/s by 0x100000, Gb/sec by 125000000, MsgRate by 10^6;
 * latencies are divided by 2 for Send and RDMA Write (one-way) and by 1 for RDMA Read and
 * Atomic (a full round trip).
 *
 * The server prints the same header after a `Waiting for client to connect...` banner.
 * ib_read_lat's and ib_atomic_lat's servers then stop without a table (`src/read_lat.c`, `src/atomic_lat.c`);
 * such a block is skipped. Any other header without a table is a cut-off run: an error.
 * A message size twice in one run, and a last row cut off (the file ends without a newline
 * in it, with fewer decimals than the row above or fewer values than the header), are errors.
 * `--report-cycles` prints CPU cycles under the same `[usec]` header, which only a
 * `-H` histogram (`#, cycles`) reveals; such a run is refused.
 */
import { InputError } from '../../errors.js';
import { stripBom } from '../../text.js';
import { checkCutLastRow, endsWithoutNewline, SizeSet } from './rows.js';
import type { ImportedPoint, ImportedRun, LatencyMeaning } from './types.js';

type Verb = 'send' | 'write' | 'read' | 'atomic';
type Kind = 'lat' | 'bw';

/** testsStr in perftest_parameters.c: the title's first word, and the program it belongs to. */
const VERBS: Record<string, Verb> = {
  Send: 'send',
  RDMA_Write: 'write',
  RDMA_Write_imm: 'write',
  RDMA_Read: 'read',
  Atomic: 'atomic',
};

const TITLE = /^\s*(Send|RDMA_Write_imm|RDMA_Write|RDMA_Read|Atomic)\s+((?:[A-Za-z_]+\s+)*)Test\s*$/;
const RULE = /^\s*-{10,}\s*$/;
/** Printed by a server before its header (the main of each test, e.g. src/send_lat.c). */
const SERVER_BANNER = /Waiting for client to connect/;
/** Printed by an rdma_cm (-R) server inside its header (ctx_print_test_info). */
const RDMA_CM_SERVER = /Waiting for client rdma_cm QP to connect/;
const ADDRESS_LINE = /^\s*(?:local address|remote address|GID|MGID)\s*:/;
const OLD_INLINE = /Inline data is used up to (\d+) bytes? message/;
/** `-H`/`-U` print every sample as `<i>, <value>` under `#, usec` (print_report_lat). */
const SAMPLE_HEADER = /^\s*#,\s*(\w+)\s*$/;
const SAMPLE_LINE = /^\s*\d+,\s*\S+\s*$/;
const LOCAL_REMOTE = /^\s*(?:Local|Remote) results:\s*$/;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * Lines perftest (get_clock.c, via stderr merged into the log) or the system prints in the
 * middle of a header or a table; they say nothing about the run's numbers.
 */
const NOISE = [/Conflicting CPU frequency/i, /CPU Frequency is not max/i, /Test integrity may be harmed/i];

/** Bytes per second in one unit of each bandwidth label, over 10^6 (ibvf's MB/s). */
const BW_UNITS: Record<string, { toMBps: number; note: string }> = {
  'MB/sec': {
    toMBps: 1.048576,
    note: 'BW read as 2^20 B/s (perftest divides bytes/s by 0x100000 for MB/sec) and converted to 10^6 B/s (x 1.048576)',
  },
  'MiB/sec': {
    toMBps: 1.048576,
    note: 'BW read as 2^20 B/s (MiB/sec) and converted to 10^6 B/s (x 1.048576)',
  },
  'Gb/sec': {
    toMBps: 125,
    note: 'BW read as 10^9 bit/s (perftest divides bytes/s by 125000000 for Gb/sec) and converted to 10^6 B/s (x 125)',
  },
};

type Field =
  | 'bytes'
  | 'iterations'
  | 'sl'
  | 't_min'
  | 't_max'
  | 't_typical'
  | 't_avg'
  | 't_stdev'
  | 'p99'
  | 'p99_9'
  | 'tps'
  | 'bw_peak'
  | 'bw_avg'
  | 'msg_rate'
  | 'per_port'
  | 'cpu_util';

interface Column {
  label: string;
  field: Field;
  bwUnit?: string;
}

/** Every column label perftest_parameters.h's RESULT_FMT* strings print, longest first. */
const COLUMNS: Column[] = buildColumns();

function buildColumns(): Column[] {
  const columns: Column[] = [
    { label: '#bytes', field: 'bytes' },
    { label: '#iterations', field: 'iterations' },
    { label: '#sl', field: 'sl' },
    { label: 't_min[usec]', field: 't_min' },
    { label: 't_max[usec]', field: 't_max' },
    { label: 't_typical[usec]', field: 't_typical' },
    { label: 't_avg[usec]', field: 't_avg' },
    { label: 't_stdev[usec]', field: 't_stdev' },
    { label: '99% percentile[usec]', field: 'p99' },
    { label: '99.9% percentile[usec]', field: 'p99_9' },
    { label: 'tps average', field: 'tps' },
    { label: 'MsgRate[Mpps]', field: 'msg_rate' },
    { label: 'MsgRate Port1[Mpps]', field: 'per_port' },
    { label: 'MsgRate Port2[Mpps]', field: 'per_port' },
    { label: 'CPU_Util[%]', field: 'cpu_util' },
  ];
  for (const unit of Object.keys(BW_UNITS)) {
    columns.push({ label: `BW peak[${unit}]`, field: 'bw_peak', bwUnit: unit });
    columns.push({ label: `BW average[${unit}]`, field: 'bw_avg', bwUnit: unit });
    columns.push({ label: `BW Port1[${unit}]`, field: 'per_port', bwUnit: unit });
    columns.push({ label: `BW Port2[${unit}]`, field: 'per_port', bwUnit: unit });
  }
  return columns.sort((a, b) => b.label.length - a.label.length);
}

/** Header keys ctx_print_test_info prints, the setting each becomes, and how to read its value. */
const SETTINGS: Record<string, { key: string; read: 'text' | 'count' | 'bytes' }> = {
  'dual-port': { key: 'dual_port', read: 'text' },
  device: { key: 'device', read: 'text' },
  'number of qps': { key: 'qps', read: 'count' },
  'transport type': { key: 'transport_type', read: 'text' },
  'connection type': { key: 'connection_type', read: 'text' },
  'using srq': { key: 'srq', read: 'text' },
  'tx depth': { key: 'tx_depth', read: 'count' },
  'rx depth': { key: 'rx_depth', read: 'count' },
  'cq moderation': { key: 'cq_moderation', read: 'count' },
  'post list': { key: 'post_list', read: 'count' },
  mtu: { key: 'mtu', read: 'bytes' },
  'link type': { key: 'link_type', read: 'text' },
  'gid index': { key: 'gid_index', read: 'count' },
  'max inline data': { key: 'max_inline_bytes', read: 'bytes' },
  'outstand reads': { key: 'outstanding_reads', read: 'count' },
  'rdma_cm qps': { key: 'rdma_cm', read: 'text' },
  'data ex. method': { key: 'exchange_method', read: 'text' },
};

interface Table {
  columns: Column[];
  headerLine: number;
  headerText: string;
}

interface OpenRun {
  run: ImportedRun;
  verb: Verb;
  kind: Kind;
  server: boolean;
  table?: Table;
  /** A rule ended the table; another header or a title decides what comes next. */
  tableClosed: boolean;
  noise: number;
  samples: number;
  sizes: SizeSet;
  previousCells: string[] | undefined;
  /** Rows after the first of a bandwidth run that repeats one size (--run_infinitely). */
  intervals: number;
}

/** Reads every perftest run in `text`; `file` names it in the runs and in errors. */
export function importPerftest(text: string, file: string): ImportedRun[] {
  text = stripBom(text);
  const reader = new PerftestReader(file);
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => reader.read(line, i + 1, endsWithoutNewline(lines, i)));
  return reader.end();
}

class PerftestReader {
  private readonly runs: ImportedRun[] = [];
  private open: OpenRun | undefined;
  private serverBannerSeen = false;
  /** --report-both repeats the summed row as separate Local/Remote tables after the run. */
  private skippingSideTables = false;
  private skippedServerRun: { line: number; test: string } | undefined;

  constructor(private readonly file: string) {}

  /** `cut`: the line is the file's last and no newline ends it (it may be truncated). */
  read(line: string, lineNo: number, cut = false): void {
    if (line.trim() === '') return;
    const title = TITLE.exec(line);
    if (title) {
      this.closeRun();
      this.startRun(title, lineNo);
      return;
    }
    if (SERVER_BANNER.test(line)) {
      this.serverBannerSeen = true;
      return;
    }
    if (RDMA_CM_SERVER.test(line) && this.open && !this.open.table) {
      this.open.server = true;
      return;
    }
    if (this.isNoise(line)) return;
    if (!this.open) {
      this.readOutsideRun(line, lineNo);
      return;
    }
    if (this.open.table) this.readInTable(this.open, line, lineNo, cut);
    else this.readInHeader(this.open, line, lineNo);
  }

  end(): ImportedRun[] {
    this.closeRun();
    if (this.runs.length > 0) return this.runs;
    if (this.skippedServerRun) {
      throw new InputError(
        `only the server side of ${this.skippedServerRun.test} is here, and its server prints no results: import the client's output`,
        this.file,
        this.skippedServerRun.line,
      );
    }
    throw new InputError(
      'no perftest run found: expected a title such as "Send Latency Test" or "RDMA_Write BW Test" followed by a results table (import the whole output of ib_*_lat or ib_*_bw)',
      this.file,
      1,
    );
  }

  private isNoise(line: string): boolean {
    if (!NOISE.some((re) => re.test(line))) return false;
    if (this.open) this.open.noise++;
    return true;
  }

  private startRun(title: RegExpExecArray, lineNo: number): void {
    const words = title[2].trim().split(/\s+/);
    const kind: Kind | undefined = words.includes('BW')
      ? 'bw'
      : words.includes('Latency')
        ? 'lat'
        : undefined;
    if (!kind) {
      throw new InputError(
        `"${title[0].trim()}" is neither a BW nor a Latency test; this importer reads ib_{send,write,read,atomic}_{lat,bw}`,
        this.file,
        lineNo,
      );
    }
    const verb = VERBS[title[1]];
    const run: ImportedRun = {
      tool: 'perftest',
      test: `ib_${verb}_${kind}`,
      metric: kind === 'lat' ? 'latency' : 'bandwidth',
      file: this.file,
      line: lineNo,
      settings: { title: title[0].trim(), verb: title[1] },
      points: [],
      notes: [],
    };
    if (kind === 'lat') run.latency = latencyMeaning(verb);
    if (words.includes('Bidirectional')) run.settings.direction = 'bidirectional';
    this.open = {
      run,
      verb,
      kind,
      server: this.serverBannerSeen,
      tableClosed: false,
      noise: 0,
      samples: 0,
      sizes: new SizeSet(),
      previousCells: undefined,
      intervals: 0,
    };
    this.serverBannerSeen = false;
    this.skippingSideTables = false;
  }

  private readOutsideRun(line: string, lineNo: number): void {
    if (LOCAL_REMOTE.test(line)) {
      this.skippingSideTables = true;
      const last = this.runs.at(-1);
      last?.notes.push(
        'the separate Local and Remote tables of --report-both were skipped; the rows are their sum',
      );
      return;
    }
    if (this.skippingSideTables) return;
    if (isTableHeader(line)) {
      throw new InputError(
        'a results table with no perftest header before it: import the whole output, from the "----" rule and the "<verb> ... Test" title on',
        this.file,
        lineNo,
      );
    }
  }

  private readInHeader(open: OpenRun, line: string, lineNo: number): void {
    if (RULE.test(line) || ADDRESS_LINE.test(line)) return;
    if (isTableHeader(line)) {
      open.table = this.readTableHeader(open, line, lineNo);
      return;
    }
    const inline = OLD_INLINE.exec(line);
    if (inline) {
      open.run.settings.max_inline_bytes = Number(inline[1]);
      return;
    }
    readSettings(open.run.settings, line, this.file, lineNo);
  }

  private readTableHeader(open: OpenRun, line: string, lineNo: number): Table {
    const headerText = line.trim().replace(/\s+/g, ' ');
    const columns = splitColumns(headerText, this.file, lineNo);
    const isBw = columns.some((c) => c.field === 'bw_avg');
    const isLat = columns.some((c) => c.field === 't_typical' || c.field === 't_avg');
    if (columns[0].field !== 'bytes' || (open.kind === 'bw' ? !isBw : !isLat)) {
      throw new InputError(
        `the table header "${headerText}" does not fit a ${open.run.settings.title} run (expected a ${open.kind === 'bw' ? 'BW average' : 't_typical/t_avg'} column after #bytes)`,
        this.file,
        lineNo,
      );
    }
    return { columns, headerLine: lineNo, headerText };
  }

  private readInTable(open: OpenRun, line: string, lineNo: number, cut: boolean): void {
    const table = open.table as Table;
    if (RULE.test(line)) {
      open.tableClosed = true;
      return;
    }
    if (isTableHeader(line)) {
      if (line.trim().replace(/\s+/g, ' ') !== table.headerText) {
        throw new InputError(
          `a second, different table header in one run (the first is at line ${table.headerLine})`,
          this.file,
          lineNo,
        );
      }
      open.tableClosed = false;
      return;
    }
    if (open.tableClosed) {
      // Past the closing rule: whatever follows (a prompt, cleanup messages) is not the run's.
      this.closeRun();
      this.readOutsideRun(line, lineNo);
      return;
    }
    if (this.readSampleLine(open, line, lineNo)) return;
    const cells = line.trim().split(/\s+/);
    if (cut && /^\d/.test(cells[0]))
      checkCutLastRow(cells, table.columns.length, open.previousCells, this.file, lineNo);
    const point = readRow(open, table, cells, this.file, lineNo);
    this.checkSize(open, point.bytes, lineNo);
    open.previousCells = cells;
    open.run.points.push(point);
  }

  /**
   * A size twice in one run is an error, except in a BW run whose every row has that one
   * size: --run_infinitely (BW tests only) prints one row per --duration interval.
   */
  private checkSize(open: OpenRun, bytes: number, lineNo: number): void {
    const points = open.run.points;
    if (open.kind === 'bw' && points.length > 0 && points.every((p) => p.bytes === bytes)) {
      open.intervals++;
      return;
    }
    if (open.intervals > 0) {
      throw new InputError(
        `message size ${bytes} after ${open.intervals + 1} rows of size ${points[0].bytes}: a --run_infinitely run repeats one size, this run mixes sizes; keep each run's output whole`,
        this.file,
        lineNo,
      );
    }
    open.sizes.add(bytes, this.file, lineNo);
  }

  /** `-H`/`-U` sample lines; refuses `#, cycles` since its table then holds cycles too. */
  private readSampleLine(open: OpenRun, line: string, lineNo: number): boolean {
    const header = SAMPLE_HEADER.exec(line);
    if (header) {
      if (header[1] !== 'usec') {
        throw new InputError(
          `this run reports in "${header[1]}" (--report-cycles) although its table header says usec: rerun without -C`,
          this.file,
          lineNo,
        );
      }
      return true;
    }
    if (!SAMPLE_LINE.test(line)) return false;
    open.samples++;
    return true;
  }

  private closeRun(): void {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    if (!open.table) {
      if (open.server && (open.verb === 'read' || open.verb === 'atomic') && open.kind === 'lat') {
        this.skippedServerRun ??= { line: open.run.line, test: open.run.test };
        return;
      }
      throw new InputError(
        `the ${open.run.test} run that starts here has a header but no results table: the output was cut short (or is the server side of a perftest that prints no results; import the client's output)`,
        this.file,
        open.run.line,
      );
    }
    if (open.run.points.length === 0) {
      throw new InputError(
        'a results table header with no rows under it: the output was cut short',
        this.file,
        open.table.headerLine,
      );
    }
    open.run.settings.side = open.server ? 'server' : 'client';
    open.run.notes.push(...runNotes(open, open.table));
    this.runs.push(open.run);
  }
}

function latencyMeaning(verb: Verb): LatencyMeaning {
  // print_report_lat divides by rtt_factor: 1 for RDMA Read and Atomic, 2 otherwise.
  return verb === 'read' || verb === 'atomic' ? 'round-trip' : 'one-way';
}

/** Every RESULT_FMT* in perftest_parameters.h starts with `#bytes` (fs_rate's with `#flows`). */
function isTableHeader(line: string): boolean {
  return /^\s*#(?:bytes|flows)\b/.test(line);
}

function splitColumns(headerText: string, file: string, lineNo: number): Column[] {
  const columns: Column[] = [];
  let rest = headerText;
  while (rest !== '') {
    const column = COLUMNS.find((c) => rest === c.label || rest.startsWith(`${c.label} `));
    if (!column) {
      throw new InputError(
        `unknown perftest table header: no known column at "${rest}" (known: ${COLUMNS.map((c) => c.label).join(', ')})`,
        file,
        lineNo,
      );
    }
    columns.push(column);
    rest = rest.slice(column.label.length).trimStart();
  }
  return columns;
}

/** `Key : value` pairs, two to a line in ctx_print_test_info; unknown keys are kept by name. */
function readSettings(settings: ImportedRun['settings'], line: string, file: string, lineNo: number): void {
  for (const m of line.matchAll(/([A-Za-z][\w .*-]*?)\s*:\s*(\S+)/g)) {
    const label = m[1].trim();
    if (/^warning/i.test(label)) continue;
    const known = SETTINGS[label.toLowerCase()];
    if (!known) {
      settings[label.toLowerCase().replace(/[^a-z0-9]+/g, '_')] = m[2];
      continue;
    }
    settings[known.key] =
      known.read === 'text' ? m[2] : readHeaderNumber(label, m[2], known.read, file, lineNo);
  }
}

function readHeaderNumber(
  label: string,
  value: string,
  read: 'count' | 'bytes',
  file: string,
  lineNo: number,
) {
  const m = (read === 'bytes' ? /^(\d+)(?:\[B\]|B)?$/ : /^(\d+)$/).exec(value);
  if (!m) {
    throw new InputError(
      `"${label}" is "${value}", not ${read === 'bytes' ? 'a byte count such as 4096[B]' : 'a whole number'}`,
      file,
      lineNo,
    );
  }
  return Number(m[1]);
}

function readRow(open: OpenRun, table: Table, cells: string[], file: string, lineNo: number): ImportedPoint {
  if (!/^\d/.test(cells[0])) {
    throw new InputError(
      `unexpected line inside the results table that starts at line ${table.headerLine}: expected a row of ${table.columns.length} numbers`,
      file,
      lineNo,
    );
  }
  if (cells.length !== table.columns.length) {
    throw new InputError(
      `${cells.length} values where the table header at line ${table.headerLine} names ${table.columns.length} columns (a cut or merged line?)`,
      file,
      lineNo,
    );
  }
  const values = new Map<Field, number>();
  const units = new Map<Field, string>();
  cells.forEach((cell, k) => {
    const column = table.columns[k];
    if (!NUMBER.test(cell)) {
      throw new InputError(`"${cell}" is not a number (column ${column.label})`, file, lineNo);
    }
    values.set(column.field, Number(cell));
    if (column.bwUnit) units.set(column.field, column.bwUnit);
  });
  for (const field of ['bytes', 'iterations'] as const) {
    const value = values.get(field);
    if (value !== undefined && !Number.isInteger(value)) {
      throw new InputError(`${field} is ${value}, not a whole number`, file, lineNo);
    }
  }
  return open.kind === 'lat' ? latencyPoint(values) : bandwidthPoint(values, units);
}

function latencyPoint(values: Map<Field, number>): ImportedPoint {
  const point: ImportedPoint = { bytes: values.get('bytes') as number };
  const headline = values.get('t_avg') ?? values.get('t_typical');
  if (headline !== undefined) point.latency_us = headline;
  setIfPresent(point, 'min_us', values.get('t_min'));
  setIfPresent(point, 'max_us', values.get('t_max'));
  setIfPresent(point, 'median_us', values.get('t_typical'));
  setIfPresent(point, 'p99_us', values.get('p99'));
  setIfPresent(point, 'p99_9_us', values.get('p99_9'));
  setIfPresent(point, 'stdev_us', values.get('t_stdev'));
  setIfPresent(point, 'msg_rate', values.get('tps'));
  setIfPresent(point, 'iterations', values.get('iterations'));
  return point;
}

function bandwidthPoint(values: Map<Field, number>, units: Map<Field, string>): ImportedPoint {
  const point: ImportedPoint = { bytes: values.get('bytes') as number };
  const average = values.get('bw_avg') as number;
  point.bandwidth_MBps = average * BW_UNITS[units.get('bw_avg') as string].toMBps;
  const mpps = values.get('msg_rate');
  if (mpps !== undefined) point.msg_rate = mpps * 1e6;
  setIfPresent(point, 'iterations', values.get('iterations'));
  return point;
}

function setIfPresent(
  point: ImportedPoint,
  key: Exclude<keyof ImportedPoint, 'validation'>,
  value: number | undefined,
): void {
  if (value !== undefined) point[key] = value;
}

/** What was read how, in words, from the table's columns and what the reader skipped. */
function runNotes(open: OpenRun, table: Table): string[] {
  const fields = new Set(table.columns.map((c) => c.field));
  const notes: string[] =
    open.kind === 'lat' ? latencyNotes(open.verb, fields) : bandwidthNotes(table, fields);
  if (fields.has('per_port')) notes.push('per-port BW and MsgRate columns not kept; the totals are');
  if (fields.has('cpu_util')) notes.push('CPU_Util[%] column not kept');
  if (fields.has('sl')) notes.push('#sl (service level) column not kept');
  if (open.server) notes.push('server side: read after perftest\'s "Waiting for client to connect" banner');
  if (open.noise > 0)
    notes.push(`skipped ${open.noise} CPU-frequency warning line(s) perftest printed into the output`);
  if (open.intervals > 0)
    notes.push(
      `one size in ${open.intervals + 1} rows: --run_infinitely prints a row per --duration interval; each is kept as a point`,
    );
  if (open.samples > 0)
    notes.push(`skipped ${open.samples} per-sample line(s) of -H/-U; the summary rows are kept`);
  return notes;
}

function latencyNotes(verb: Verb, fields: Set<Field>): string[] {
  const notes = [
    verb === 'read' || verb === 'atomic'
      ? 'latency is a full round trip: perftest does not halve RDMA Read or Atomic latency'
      : 'latency is one-way: perftest halves each measured round trip for Send and RDMA Write',
  ];
  if (fields.has('t_avg') && fields.has('t_typical')) {
    notes.push(
      'latency_us is t_avg, median_us is t_typical; perftest drops the 2 largest samples before computing all of its statistics',
    );
  } else if (fields.has('t_avg')) {
    notes.push('latency_us is t_avg: a duration (-D) run, total time over iterations');
  } else {
    notes.push('this perftest prints no t_avg: latency_us is t_typical, the median');
  }
  if (fields.has('t_stdev')) {
    notes.push(
      't_stdev as printed: perftest truncates each deviation to a whole microsecond, so it reads 0 below ~1 us',
    );
  }
  if (fields.has('tps')) notes.push('tps average (iterations per second) kept as msg_rate');
  return notes;
}

function bandwidthNotes(table: Table, fields: Set<Field>): string[] {
  const unit = table.columns.find((c) => c.field === 'bw_avg')?.bwUnit as string;
  const notes = [BW_UNITS[unit].note, 'bandwidth_MBps is BW average; BW peak is not kept'];
  if (fields.has('msg_rate')) notes.push('MsgRate[Mpps] read as 10^6 messages/s');
  return notes;
}
