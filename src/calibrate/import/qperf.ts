/**
 * Reads the text qperf prints (tcp_lat, tcp_bw, udp_lat, udp_bw, the other socket tests and
 * the RDMA tests rc_lat, rc_bw, rc_rdma_read_lat, ...) into ImportedRuns.
 *
 * The shape, as qperf 0.4.x prints it (checked against 0.4.11 on this machine and against
 * linux-rdma/qperf src/qperf.c): a line `test_name:` at column 0, then one indented
 * `name  =  value unit` line per result. The first line is the headline (`latency`, `bw`,
 * or `send_bw` and `recv_bw` for the datagram tests, `msg_rate` for the atomics); -v, -vv
 * and -vu add msg_rate, msg_size, cpu use, byte and message counts. `-oo msg_size:...`
 * repeats the whole block once per size; only -vu (or -v) makes each block say its size,
 * and -vv states it even when it is the default.
 *
 * Units (qperf.c, view_time/view_band/view_rate/view_size): every prefix is a power of
 * 1000 (KB/sec is 10^3 bytes/s, GB/sec 10^9), except sizes that are an exact multiple of
 * 1024, which qperf prints as KiB/MiB with the exact byte count in parentheses. With
 * --use_bits_per_sec bandwidths are bits (bits/sec, Kb/sec, Mb/sec, Gb/sec); with
 * --unify_units every value keeps its smallest unit (ns, bytes/sec). Numbers are rounded to
 * three significant digits, whole numbers keep all theirs, and thousands get commas (`52,998`).
 *
 * Latency: qperf divides the test's duration by the messages received on both sides, so a
 * ping-pong latency is half a round trip; rc_rdma_read_lat counts one message per read,
 * which is a whole round trip.
 */
import { InputError } from '../../errors.js';
import { stripBom } from '../../text.js';
import type { ImportMetric, ImportedPoint, ImportedRun, LatencyMeaning } from './types.js';

interface TestInfo {
  metric: ImportMetric;
  latency?: LatencyMeaning;
  /** The size qperf uses when none is given (socket.c, rdma.c, rds.c): what an unsized block measured. */
  defaultBytes: number;
}

function testTable(): Record<string, TestInfo> {
  const table: Record<string, TestInfo> = {};
  const add = (names: string[], info: TestInfo) => names.forEach((n) => (table[n] = info));
  add(
    [
      'tcp_lat',
      'udp_lat',
      'sctp_lat',
      'sdp_lat',
      'rds_lat',
      'rc_lat',
      'uc_lat',
      'ud_lat',
      'xrc_lat',
      'rc_rdma_write_lat',
      'rc_rdma_write_poll_lat',
      'uc_rdma_write_lat',
      'uc_rdma_write_poll_lat',
    ],
    { metric: 'latency', latency: 'one-way', defaultBytes: 1 },
  );
  add(['rc_rdma_read_lat'], { metric: 'latency', latency: 'round-trip', defaultBytes: 1 });
  add(
    [
      'tcp_bw',
      'sdp_bw',
      'rc_bw',
      'uc_bw',
      'xrc_bw',
      'rc_bi_bw',
      'uc_bi_bw',
      'xrc_bi_bw',
      'rc_rdma_read_bw',
      'rc_rdma_write_bw',
      'uc_rdma_write_bw',
    ],
    { metric: 'bandwidth', defaultBytes: 65536 },
  );
  add(['udp_bw', 'sctp_bw'], { metric: 'bandwidth', defaultBytes: 32768 });
  add(['rds_bw'], { metric: 'bandwidth', defaultBytes: 8192 });
  add(['ud_bw', 'ud_bi_bw'], { metric: 'bandwidth', defaultBytes: 2048 });
  // An atomic moves one 64-bit word; qperf has no size option for them.
  add(['rc_compare_swap_mr', 'rc_fetch_add_mr'], { metric: 'message-rate', defaultBytes: 8 });
  return table;
}

const TESTS = testTable();

type Kind = 'time' | 'bandwidth' | 'rate' | 'size' | 'cpu' | 'cost' | 'count';

/**
 * Each unit qperf prints and its factor to ibvf's units: time in us, bandwidth in
 * 10^6 bytes/s, rates per second, sizes in bytes, cpu in percent, cost in us per 10^9
 * bytes, counts as plain numbers.
 */
const UNITS: Record<string, { kind: Kind; factor: number; bits?: true }> = {
  ns: { kind: 'time', factor: 1e-3 },
  us: { kind: 'time', factor: 1 },
  ms: { kind: 'time', factor: 1e3 },
  sec: { kind: 'time', factor: 1e6 },
  'bytes/sec': { kind: 'bandwidth', factor: 1e-6 },
  'KB/sec': { kind: 'bandwidth', factor: 1e-3 },
  'MB/sec': { kind: 'bandwidth', factor: 1 },
  'GB/sec': { kind: 'bandwidth', factor: 1e3 },
  'TB/sec': { kind: 'bandwidth', factor: 1e6 },
  'bits/sec': { kind: 'bandwidth', factor: 1e-6 / 8, bits: true },
  'Kb/sec': { kind: 'bandwidth', factor: 1e-3 / 8, bits: true },
  'Mb/sec': { kind: 'bandwidth', factor: 1 / 8, bits: true },
  'Gb/sec': { kind: 'bandwidth', factor: 1e3 / 8, bits: true },
  'Tb/sec': { kind: 'bandwidth', factor: 1e6 / 8, bits: true },
  '/sec': { kind: 'rate', factor: 1 },
  'K/sec': { kind: 'rate', factor: 1e3 },
  'M/sec': { kind: 'rate', factor: 1e6 },
  'G/sec': { kind: 'rate', factor: 1e9 },
  'T/sec': { kind: 'rate', factor: 1e12 },
  bytes: { kind: 'size', factor: 1 },
  KB: { kind: 'size', factor: 1e3 },
  MB: { kind: 'size', factor: 1e6 },
  GB: { kind: 'size', factor: 1e9 },
  TB: { kind: 'size', factor: 1e12 },
  KiB: { kind: 'size', factor: 2 ** 10 },
  MiB: { kind: 'size', factor: 2 ** 20 },
  GiB: { kind: 'size', factor: 2 ** 30 },
  TiB: { kind: 'size', factor: 2 ** 40 },
  '% cpus': { kind: 'cpu', factor: 1 },
  'ns/GB': { kind: 'cost', factor: 1e-3 },
  'us/GB': { kind: 'cost', factor: 1 },
  'ms/GB': { kind: 'cost', factor: 1e3 },
  'sec/GB': { kind: 'cost', factor: 1e6 },
  '': { kind: 'count', factor: 1 },
  thousand: { kind: 'count', factor: 1e3 },
  million: { kind: 'count', factor: 1e6 },
  billion: { kind: 'count', factor: 1e9 },
  trillion: { kind: 'count', factor: 1e12 },
};

/** The results whose unit must be of one kind, because the point is built from them. */
const EXPECTED_KIND: Record<string, Kind> = {
  latency: 'time',
  bw: 'bandwidth',
  send_bw: 'bandwidth',
  recv_bw: 'bandwidth',
  msg_rate: 'rate',
  msg_size: 'size',
};

/** Parameters qperf echoes as text (device names, static rates) and its configuration lines. */
const TEXT_KEY = /^(loc_|rem_)?(id|rate|static_rate|node|cpu|os|qperf)$/;

const HEADER = /^([A-Za-z]\w*):\s*$/;
const RESULT = /^\s+([A-Za-z]\w*)\s*=\s*(.*?)\s*$/;
const NUMBER = /^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?/;
const EXACT_BYTES = /^(.*?)\s*\((\d[\d,]*)\)$/;

type Reading = { line: number; text: string } | Measured;

interface Measured {
  line: number;
  kind: Kind;
  value: number;
  /** Printed in bits per second (--use_bits_per_sec). */
  bits: boolean;
  /** A size qperf rounded to three digits (1234 bytes prints as 1.23 KB). */
  rounded: boolean;
}

interface Block {
  test: string;
  info: TestInfo;
  line: number;
  results: Map<string, Reading>;
}

export function importQperf(text: string, file: string): ImportedRun[] {
  text = stripBom(text);
  const blocks = readBlocks(text, file);
  return groupBySweep(blocks, file).map((group) => buildRun(group, file));
}

function readBlocks(text: string, file: string): Block[] {
  if (text.trim() === '') {
    throw new InputError(
      'the file is empty: expected qperf output such as "tcp_lat:" then "    latency  =  26.3 us"',
      file,
      1,
    );
  }
  const blocks: Block[] = [];
  let open: Block | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i];
    if (line.trim() === '') continue;
    const header = HEADER.exec(line);
    if (header) {
      if (open) blocks.push(checkComplete(open, file));
      open = startBlock(header[1], file, lineNo);
      continue;
    }
    const result = RESULT.exec(line);
    if (!result) {
      throw new InputError(
        `"${line.trim()}" is not qperf output (expected "test_name:" or an indented "name = value"); ` +
          'if qperf printed an error here, that test did not run: fix it, rerun, and import the new output',
        file,
        lineNo,
      );
    }
    if (!open) {
      throw new InputError(
        `"${result[1]} = ${result[2]}" comes before any test name line such as "tcp_lat:": the start of the output is missing`,
        file,
        lineNo,
      );
    }
    addResult(open, result[1], result[2], file, lineNo);
  }
  if (open) blocks.push(checkComplete(open, file));
  return blocks;
}

function startBlock(test: string, file: string, line: number): Block {
  const info = TESTS[test];
  if (!info) {
    throw new InputError(
      `unknown qperf test "${test}": the importer reads ${Object.keys(TESTS).join(', ')} ` +
        '(conf, quit and the ver_* tests measure nothing); remove that block or rerun with a supported test',
      file,
      line,
    );
  }
  return { test, info, line, results: new Map() };
}

function addResult(block: Block, key: string, raw: string, file: string, line: number): void {
  if (block.results.has(key)) {
    throw new InputError(
      `"${key}" a second time in the ${block.test} block of line ${block.line}: a test name line is missing`,
      file,
      line,
    );
  }
  block.results.set(key, TEXT_KEY.test(key) ? { line, text: raw } : readValue(key, raw, file, line));
}

/** A number, its unit, and for sizes qperf shows in KiB/MiB the exact byte count it adds. */
function readValue(key: string, raw: string, file: string, line: number): Measured {
  const number = NUMBER.exec(raw);
  if (!number) {
    throw new InputError(
      `${key} = "${raw}" is not a number: qperf prints a number then a unit (e.g. "26.3 us"); the line was damaged`,
      file,
      line,
    );
  }
  let unitText = raw.slice(number[0].length).trim();
  let value = Number(number[0].replace(/,/g, ''));
  const exact = EXACT_BYTES.exec(unitText);
  const exactSize = exact !== null && UNITS[exact[1]]?.kind === 'size';
  if (exactSize) {
    unitText = exact[1];
    value = Number(exact[2].replace(/,/g, ''));
  }
  const unit = UNITS[unitText];
  if (!unit) {
    throw new InputError(
      `${key} = "${raw}": unknown unit "${unitText}" (qperf prints ${Object.keys(UNITS)
        .filter((u) => u !== '')
        .join(', ')}); the line was damaged or comes from another tool`,
      file,
      line,
    );
  }
  const expected = EXPECTED_KIND[key];
  if (expected && unit.kind !== expected) {
    throw new InputError(
      `${key} in "${unitText}", which is not a ${expected} unit: the line was damaged`,
      file,
      line,
    );
  }
  const converted = exactSize ? value : value * unit.factor;
  if (!Number.isFinite(converted) || converted < 0) {
    throw new InputError(`${key} = "${raw}" is not a number >= 0: the line was damaged`, file, line);
  }
  return {
    line,
    kind: unit.kind,
    value: tidy(converted),
    bits: unit.bits === true,
    rounded: unit.kind === 'size' && unit.factor > 1 && !exactSize,
  };
}

/** Strips the float noise a unit factor leaves on qperf's three significant digits. */
function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

function headlineKey(block: Block): string | undefined {
  const keys =
    block.info.metric === 'latency'
      ? ['latency']
      : block.info.metric === 'bandwidth'
        ? ['bw', 'recv_bw']
        : ['msg_rate'];
  return keys.find((k) => block.results.has(k));
}

function checkComplete(block: Block, file: string): Block {
  if (headlineKey(block) === undefined) {
    const wanted =
      block.info.metric === 'latency'
        ? '"latency = ..."'
        : block.info.metric === 'bandwidth'
          ? '"bw = ..." or "recv_bw = ..."'
          : '"msg_rate = ..."';
    throw new InputError(
      `the ${block.test} block has no ${wanted} line: it was cut short ` +
        '(qperf prints the test name, then stops when the test fails: see its error output and rerun)',
      file,
      block.line,
    );
  }
  return block;
}

function numberOf(block: Block, key: string): number | undefined {
  const reading = block.results.get(key);
  return reading && 'value' in reading ? reading.value : undefined;
}

/**
 * Blocks of one test in a row that state their sizes are one -oo msg_size loop; any other
 * block is a run of its own. A loop printed without -vu states no sizes, and nothing in
 * the file tells them apart, so that is refused rather than guessed.
 */
function groupBySweep(blocks: Block[], file: string): Block[][] {
  const groups: Block[][] = [];
  let sizes = new Set<number>();
  for (const block of blocks) {
    const current = groups[groups.length - 1];
    const previous = current?.[current.length - 1];
    const size = numberOf(block, 'msg_size');
    const sameTest = previous?.test === block.test;
    if (sameTest && size === undefined && numberOf(previous, 'msg_size') === undefined) {
      throw new InputError(
        `${block.test} again, and neither block states its msg_size: this looks like a -oo msg_size loop run ` +
          'without -vu, so the message sizes are not in the file; rerun with -vu (e.g. qperf -vu -oo msg_size:1:64K:*2 ...)',
        file,
        block.line,
      );
    }
    if (sameTest && size !== undefined && sizes.size > 0 && !sizes.has(size)) {
      current.push(block);
      sizes.add(size);
      continue;
    }
    groups.push([block]);
    sizes = new Set(size === undefined ? [] : [size]);
  }
  return groups;
}

function buildRun(blocks: Block[], file: string): ImportedRun {
  const first = blocks[0];
  const { info } = first;
  const run: ImportedRun = {
    tool: 'qperf',
    test: first.test,
    metric: info.metric,
    file,
    line: first.line,
    settings: {},
    points: [],
    notes: [],
  };
  if (info.latency) run.latency = info.latency;
  const { settings, varying } = splitSettings(blocks);
  run.settings = settings;
  const empty: number[] = [];
  for (const block of blocks) {
    const point = pointOf(block);
    if (point) run.points.push(point);
    else empty.push(block.line);
  }
  if (run.points.length === 0) {
    throw new InputError(
      `${first.test}: every result is 0, which qperf prints when no message completed ` +
        '(e.g. a UDP message over 65,507 bytes); nothing was measured',
      file,
      first.line,
    );
  }
  run.notes.push(...notesFor(blocks, empty, varying));
  return run;
}

/** Null when qperf printed 0: it does so when no message got through, not for a fast link. */
function pointOf(block: Block): ImportedPoint | null {
  const headline = numberOf(block, headlineKey(block)!)!;
  if (headline === 0) return null;
  const size = numberOf(block, 'msg_size');
  const point: ImportedPoint = { bytes: size === undefined ? block.info.defaultBytes : Math.round(size) };
  if (block.info.metric === 'latency') point.latency_us = headline;
  if (block.info.metric === 'bandwidth') point.bandwidth_MBps = headline;
  const rate = numberOf(block, 'msg_rate');
  if (rate !== undefined) point.msg_rate = rate;
  return point;
}

/** What the points already hold, so settings do not repeat it. */
const POINT_KEYS = new Set(['latency', 'bw', 'recv_bw', 'msg_rate']);

/**
 * The results every block states with the same value go to settings, named with their
 * unit; the others differ from size to size and are only named in a note.
 */
function splitSettings(blocks: Block[]): { settings: Record<string, string | number>; varying: string[] } {
  const settings: Record<string, string | number> = {};
  const varying: string[] = [];
  const keys = new Set(blocks.flatMap((b) => [...b.results.keys()]));
  for (const key of keys) {
    if (POINT_KEYS.has(key)) continue;
    const reading = blocks[0].results.get(key);
    const value = reading && plainValue(reading);
    if (!reading || !blocks.every((b) => plainValue(b.results.get(key)) === value)) {
      if (key !== 'msg_size') varying.push(key);
      continue;
    }
    if ('text' in reading) settings[key] = reading.text;
    else settings[settingName(key, reading.kind)] = settingValue(reading.kind, reading.value);
  }
  return { settings, varying };
}

function plainValue(reading: Reading | undefined): string | number | undefined {
  if (!reading) return undefined;
  return 'text' in reading ? reading.text : reading.value;
}

/** Settings are descriptive: durations read better in seconds than in the points' us. */
function settingName(key: string, kind: Kind): string {
  switch (kind) {
    case 'time':
      return `${key}_s`;
    case 'bandwidth':
      return `${key}_MBps`;
    case 'rate':
      return `${key}_per_s`;
    case 'size':
      return key.endsWith('bytes') ? key : `${key}_bytes`;
    case 'cpu':
      return `${key}_pct`;
    case 'cost':
      return `${key}_s_per_GB`;
    case 'count':
      return key;
  }
}

function settingValue(kind: Kind, value: number): number {
  return kind === 'time' || kind === 'cost' ? tidy(value / 1e6) : value;
}

function notesFor(blocks: Block[], emptyLines: number[], varying: string[]): string[] {
  const first = blocks[0];
  const notes: string[] = [];
  const headline = first.results.get(headlineKey(first)!) as Measured;
  if (first.info.metric === 'latency') {
    notes.push("qperf's ns/us/ms/sec converted to microseconds");
    notes.push(
      first.info.latency === 'round-trip'
        ? 'latency is a round trip: qperf counts one message per completed RDMA read'
        : "latency is one-way: qperf divides the test's time by the messages received on both sides",
    );
  } else if (first.info.metric === 'bandwidth') {
    notes.push(
      headline.bits
        ? 'bandwidth printed in bits (--use_bits_per_sec), prefixes powers of 1000: divided by 8 into MB/s = 10^6 B/s'
        : "qperf's KB/sec, MB/sec, GB/sec are powers of 1000 (qperf.c view_band): read as MB/s = 10^6 B/s",
    );
    if (first.results.has('recv_bw')) {
      notes.push(
        'bandwidth is recv_bw (what arrived); send_bw counts what was sent, lost datagrams included',
      );
    }
    if (first.test.includes('_bi_')) notes.push('two-way test: the bandwidth is both directions added');
  } else {
    notes.push('message rate per second; bytes is the 8-byte word an atomic moves');
  }
  if (numberOf(first, 'msg_size') === undefined && first.info.metric !== 'message-rate') {
    notes.push(
      `qperf printed no msg_size (it does with -vv, or -v/-vu when one was set): bytes is its default for ${first.test}, ` +
        `${first.info.defaultBytes}, which is wrong if the run used -m`,
    );
  }
  notes.push('qperf rounds to 3 significant digits (whole numbers keep all their digits)');
  if (emptyLines.length > 0) {
    notes.push(
      `left out ${emptyLines.length} block(s) whose result is 0 (no message completed), at line(s) ${emptyLines.join(', ')}`,
    );
  }
  if (blocks.some((b) => (b.results.get('msg_size') as Measured | undefined)?.rounded)) {
    notes.push(
      'some msg_size values were printed rounded to 3 digits (e.g. 1.23 KB): bytes may be off by 0.5%',
    );
  }
  if (varying.length > 0) notes.push(`differ from size to size, so not in settings: ${varying.join(', ')}`);
  return notes;
}
