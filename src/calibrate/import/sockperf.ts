/**
 * Reads what the sockperf client prints (ping-pong, under-load, throughput) into ImportedRun records.
 *
 * What sockperf states and what it leaves out (checked against sockperf 3.7 on this project's VM and
 * Mellanox/sockperf src/client.cpp):
 * - ping-pong and under-load print the same report: `[Total Run]`, `[Valid Duration]`, one
 *   `====> avg-latency=` (or `avg-lat=` in older releases, `avg-rtt=` with --full-rtt) line and the
 *   `---> percentile` lines, once per server. They never print the message size unless run with -d,
 *   whose settings dump has `msg_size = N`. Without -d the caller must say which size was used.
 * - throughput prints `Summary: Message Rate is N [msg/sec]` and `Summary: BandWidth is X MBps (Y Mbps)`,
 *   where MBps = msg/s x size / 1024 / 1024, i.e. 2^20 bytes per second. It names the size in a NOTE
 *   line unless the size was 1472 at full rate; then the size is recovered from bandwidth / rate.
 */
import { InputError } from '../../errors.js';
import { stripBom } from '../../text.js';
import type { ImportedPoint, ImportedRun, LatencyMeaning } from './types.js';

/** What the caller knows that sockperf's output does not say. */
export interface SockperfImportOptions {
  /**
   * The -m each run used: one number for every run in the file, or one per run in file order. Only
   * consulted for runs whose output does not state the size itself.
   */
  msgSize?: number | readonly number[];
}

type SockperfTest = 'ping-pong' | 'under-load' | 'throughput';

/** One server's statistics block inside a latency run. */
interface ServerStats {
  server: number;
  line: number;
  avgLine?: number;
  meaning?: LatencyMeaning;
  point: Partial<ImportedPoint>;
  validRunTime?: number;
  validSent?: number;
  validReceived?: number;
  dropped?: number;
  duplicated?: number;
  outOfOrder?: number;
}

/** Everything one sockperf invocation printed that the importer keeps. */
interface RawRun {
  line: number;
  hasVersion: boolean;
  openedByDump: boolean;
  version?: string;
  dump: Map<string, string>;
  servers: Map<number, { ip: string; port: number; protocol: string }>;
  totalRunTime?: number;
  warmupMs?: number;
  warmupPackets?: number;
  sent?: number;
  received?: number;
  stats: ServerStats[];
  throughputSent?: number;
  throughputSeconds?: number;
  notedMsgSize?: number;
  msgRate?: number;
  ipFragsPerMsg?: number;
  bandwidth2p20?: number;
  bandwidthLine?: number;
  noResultLine?: number;
  noResultReason?: string;
}

/** A line with its 1-based number, sockperf's colour codes removed and its `sockperf: ` prefix split off. */
interface Line {
  no: number;
  text: string;
  /** The text after `sockperf: ` (or `sockperf[CLIENT] `), or undefined for lines without the prefix. */
  body?: string;
}

// sockperf colours its headline lines; built from a string so the escape byte is not a regex literal.
const ANSI_COLOUR = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g');
const BYTES_PER_MB_SOCKPERF = 1024 * 1024;

/**
 * Every run in `text` (the client's stdout and stderr, one or more invocations one after another),
 * converted to ibvf's units. Throws InputError with the line for anything that is not complete sockperf
 * client output, and when a latency run's message size is neither printed nor given in `options`.
 */
export function importSockperf(
  text: string,
  file: string,
  options: SockperfImportOptions = {},
): ImportedRun[] {
  const lines = splitLines(stripBom(text));
  if (!lines.some((l) => l.body !== undefined)) {
    throw new InputError(
      'not sockperf output: no line starts with "sockperf:"; give the stdout of a sockperf client run (ping-pong, under-load or throughput)',
      file,
      1,
    );
  }
  checkCutLastLine(lines, file);
  const raws = groupIntoRuns(lines, file);
  const runs: ImportedRun[] = [];
  raws.forEach((raw, index) =>
    runs.push(...toImportedRuns(raw, file, sizeGivenFor(options, index, raws.length, file))),
  );
  return runs;
}

/**
 * sockperf ends every line with a newline and prints its statistics with 3 decimals
 * (`percentile 99.000 =   14.210`). A file ending without a newline in a `= number` line
 * with fewer decimals than the `= number` line before it was cut mid-number: refused as
 * truncated rather than read as a smaller number.
 */
function checkCutLastLine(lines: Line[], file: string): void {
  const last = lines.at(-1);
  if (last?.body === undefined) return;
  const value = /=\s*(\d+(?:\.(\d*))?)$/.exec(last.body);
  if (!value) return;
  const before = lines
    .slice(0, -1)
    .reverse()
    .map((l) => (l.body === undefined ? undefined : /=\s*\d+(?:\.(\d*))?$/.exec(l.body)))
    .find((m) => m);
  const decimals = (m: RegExpExecArray, k: number) => (m[k] ?? '').length;
  if (before && decimals(value, 2) < decimals(before, 1)) {
    throw new InputError(
      `the file ends in the middle of this line: "${value[1]}" has fewer decimals than sockperf prints and no newline follows, so it was cut mid-number (truncated output); re-run sockperf or remove the partial line`,
      file,
      last.no,
    );
  }
}

function splitLines(text: string): Line[] {
  return text.split(/\r?\n/).map((raw, i) => {
    const clean = raw.replace(ANSI_COLOUR, '');
    const m = /^sockperf(?::\s?|\[[A-Z]+\]\s?)(.*)$/.exec(clean);
    return { no: i + 1, text: clean, body: m ? m[1].trim() : undefined };
  });
}

function sizeGivenFor(
  options: SockperfImportOptions,
  index: number,
  runCount: number,
  file: string,
): number | undefined {
  const given = options.msgSize;
  if (given === undefined || typeof given === 'number') return given;
  if (given.length !== runCount) {
    throw new InputError(
      `${runCount} sockperf run(s) in the file but ${given.length} message size(s) given; give one size per run, in file order`,
      file,
    );
  }
  return given[index];
}

function newRun(line: number, openedByDump: boolean): RawRun {
  return { line, hasVersion: false, openedByDump, dump: new Map(), servers: new Map(), stats: [] };
}

/**
 * A run begins at sockperf's version banner, or at the -d settings dump, which sockperf prints before
 * its banner; so a banner right after a dump belongs to the same run.
 */
function groupIntoRuns(lines: Line[], file: string): RawRun[] {
  const runs: RawRun[] = [];
  let current: RawRun | undefined;
  for (const line of lines) {
    if (line.body === '+INFO:') {
      current = newRun(line.no, true);
      runs.push(current);
      continue;
    }
    const version = /^== version #(\S+) ==/.exec(line.body ?? '');
    if (version) {
      if (!current || current.hasVersion || !current.openedByDump) {
        current = newRun(line.no, false);
        runs.push(current);
      }
      current.hasVersion = true;
      current.version = version[1];
      continue;
    }
    if (!current) {
      if (line.body === undefined || line.body === '') continue;
      // Output whose banner was cut off still counts as one run, starting where sockperf's lines begin.
      current = newRun(line.no, false);
      runs.push(current);
    }
    readLine(current, line, file);
  }
  return runs;
}

function readLine(run: RawRun, line: Line, file: string): void {
  const dumpEntry = /^\t(\w[\w ]*?)\s*=\s*(.*?)\s*$/.exec(line.text);
  if (dumpEntry && line.body === undefined) {
    run.dump.set(dumpEntry[1], dumpEntry[2]);
    return;
  }
  const serverAddress = /^\[\s*(\d+)\]\s+IP\s*=\s*(\S+)\s+PORT\s*=\s*(\d+)\s*#\s*(\w+)/.exec(line.text);
  if (serverAddress) {
    run.servers.set(Number(serverAddress[1]), {
      ip: serverAddress[2],
      port: Number(serverAddress[3]),
      protocol: serverAddress[4],
    });
    return;
  }
  if (line.body === undefined) return;
  for (const reader of LINE_READERS) {
    if (reader(run, line.body, line.no, file)) return;
  }
}

type LineReader = (run: RawRun, body: string, no: number, file: string) => boolean;

const LINE_READERS: LineReader[] = [
  readTotalRun,
  readServerHeader,
  readValidDuration,
  readAverage,
  readErrorCounts,
  readPercentile,
  readThroughputTotal,
  readThroughputNote,
  readMessageRate,
  readBandwidth,
  readNoResult,
];

function toNumber(textValue: string, what: string, no: number, file: string): number {
  const value = Number(textValue);
  if (textValue.trim() === '' || !Number.isFinite(value)) {
    throw new InputError(
      `${what}: "${textValue}" is not a number; the line looks damaged, re-run sockperf or restore the line as it printed it`,
      file,
      no,
    );
  }
  return value;
}

/** Reads `key=value` pairs separated by `;`, as sockperf's `[Total Run]` and `[Valid Duration]` lines print them. */
function keyValues(textValue: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const part of textValue.split(';')) {
    const m = /^\s*([\w ]+?)\s*=\s*(\S+)/.exec(part);
    if (m) pairs.set(m[1], m[2]);
  }
  return pairs;
}

function numberField(pairs: Map<string, string>, key: string, no: number, file: string): number | undefined {
  const value = pairs.get(key);
  return value === undefined ? undefined : toNumber(value, key, no, file);
}

function readTotalRun(run: RawRun, body: string, no: number, file: string): boolean {
  const m = /^\[Total Run\]\s*(.*)$/.exec(body);
  if (!m) return false;
  const pairs = keyValues(m[1]);
  run.totalRunTime = numberField(pairs, 'RunTime', no, file);
  run.warmupMs = numberField(pairs, 'Warm up time', no, file);
  run.warmupPackets = numberField(pairs, 'Warm up packets', no, file);
  run.sent = numberField(pairs, 'SentMessages', no, file);
  run.received = numberField(pairs, 'ReceivedMessages', no, file);
  return true;
}

function readServerHeader(run: RawRun, body: string, no: number, file: string): boolean {
  const m = /^=+ Printing statistics for Server No:\s*(\S+)/.exec(body);
  if (!m) return false;
  run.stats.push({ server: toNumber(m[1], 'server number', no, file), line: no, point: {} });
  return true;
}

/** The statistics block a result line belongs to; sockperf opens one per server before its results. */
function currentStats(run: RawRun, no: number, file: string, what: string): ServerStats {
  const stats = run.stats.at(-1);
  if (!stats) {
    throw new InputError(
      `${what} comes before any "Printing statistics for Server No:" line; the output is out of order or cut, give sockperf's output unedited`,
      file,
      no,
    );
  }
  return stats;
}

function readValidDuration(run: RawRun, body: string, no: number, file: string): boolean {
  const m = /^\[Valid Duration\]\s*(.*)$/.exec(body);
  if (!m) return false;
  const stats = currentStats(run, no, file, '[Valid Duration]');
  const pairs = keyValues(m[1]);
  stats.validRunTime = numberField(pairs, 'RunTime', no, file);
  stats.validSent = numberField(pairs, 'SentMessages', no, file);
  stats.validReceived = numberField(pairs, 'ReceivedMessages', no, file);
  return true;
}

function readAverage(run: RawRun, body: string, no: number, file: string): boolean {
  const m = /^=+>\s*avg-(lat|latency|rtt)\s*=\s*([^\s(]*)\s*\(std-dev\s*=\s*([^,)\s]*)/.exec(body);
  if (!m) {
    if (/^=+>\s*avg-/.test(body)) {
      throw new InputError(
        'cannot read this avg- line: expected "====> avg-latency=<us> (std-dev=<us>...)"; restore the line as sockperf printed it',
        file,
        no,
      );
    }
    return false;
  }
  const stats = currentStats(run, no, file, `avg-${m[1]}`);
  if (stats.avgLine !== undefined) {
    throw new InputError(
      `a second avg-${m[1]} line for server ${stats.server} (the first is on line ${stats.avgLine}); two runs seem merged without sockperf's banner between them, keep each run's output whole`,
      file,
      no,
    );
  }
  stats.avgLine = no;
  stats.meaning = m[1] === 'rtt' ? 'round-trip' : 'one-way';
  stats.point.latency_us = toNumber(m[2], `avg-${m[1]}`, no, file);
  stats.point.stdev_us = toNumber(m[3], 'std-dev', no, file);
  return true;
}

function readErrorCounts(run: RawRun, body: string, no: number, file: string): boolean {
  const m =
    /^# dropped messages = (\S+); # duplicated messages = (\S+); # out-of-order messages = (\S+)/.exec(body);
  if (!m) return false;
  const stats = currentStats(run, no, file, 'the dropped-messages line');
  stats.dropped = toNumber(m[1], 'dropped messages', no, file);
  stats.duplicated = toNumber(m[2], 'duplicated messages', no, file);
  stats.outOfOrder = toNumber(m[3], 'out-of-order messages', no, file);
  return true;
}

/** Which ImportedPoint field each percentile sockperf prints fills; the others have no field. */
const PERCENTILE_FIELDS: Record<string, keyof ImportedPoint> = {
  '99.9': 'p99_9_us',
  '99': 'p99_us',
  '50': 'median_us',
};

function readPercentile(run: RawRun, body: string, no: number, file: string): boolean {
  const m = /^-+>\s*(?:<(MAX|MIN)> observation|percentile\s+(\S+))\s*=\s*(.*?)\s*$/.exec(body);
  if (!m) return false;
  const stats = currentStats(run, no, file, 'a percentile line');
  const value = toNumber(m[3], m[1] ? `<${m[1]}> observation` : `percentile ${m[2]}`, no, file);
  if (m[1] === 'MAX') stats.point.max_us = value;
  else if (m[1] === 'MIN') stats.point.min_us = value;
  else {
    const field = PERCENTILE_FIELDS[String(toNumber(m[2], 'percentile', no, file))];
    if (field) (stats.point as Record<string, number>)[field] = value;
  }
  return true;
}

function readThroughputTotal(run: RawRun, body: string, no: number, file: string): boolean {
  const m = /^Total of (\S+) messages sent in (\S+) sec/.exec(body);
  if (!m) return false;
  run.throughputSent = toNumber(m[1], 'messages sent', no, file);
  run.throughputSeconds = toNumber(m[2], 'seconds', no, file);
  return true;
}

function readThroughputNote(run: RawRun, body: string, no: number, file: string): boolean {
  const m = /^NOTE: test was performed, using (?:average )?msg-size=(\S+?)[.,\s]/.exec(body);
  if (!m) return false;
  run.notedMsgSize = toNumber(m[1], 'msg-size', no, file);
  return true;
}

function readMessageRate(run: RawRun, body: string, no: number, file: string): boolean {
  const m = /^Summary: Message Rate is (\S+) \[msg\/sec\](?:.*\((\S+) ip frags \/ msg\))?/.exec(body);
  if (!m) return false;
  run.msgRate = toNumber(m[1], 'message rate', no, file);
  if (m[2] !== undefined) run.ipFragsPerMsg = toNumber(m[2], 'ip frags per message', no, file);
  return true;
}

function readBandwidth(run: RawRun, body: string, no: number, file: string): boolean {
  const m = /^Summary: BandWidth is (\S+) (MBps|GBps)/.exec(body);
  if (!m) return false;
  const value = toNumber(m[1], 'bandwidth', no, file);
  // --giga-size prints sockperf's MBps divided by 1000, so undo that to keep one unit.
  run.bandwidth2p20 = m[2] === 'GBps' ? value * 1000 : value;
  run.bandwidthLine = no;
  return true;
}

function readNoResult(run: RawRun, body: string, no: number): boolean {
  const m =
    /^(No messages were received from the server.*|No valid observations found.*|No messages were sent.*|Test end before test start.*)$/.exec(
      body,
    );
  if (!m) return false;
  run.noResultLine ??= no;
  run.noResultReason ??= m[1];
  return true;
}

function toImportedRuns(raw: RawRun, file: string, givenSize: number | undefined): ImportedRun[] {
  if (raw.noResultLine !== undefined) {
    throw new InputError(
      `this sockperf run has no results: sockperf said "${raw.noResultReason}"; re-run it, or remove this run from the file`,
      file,
      raw.noResultLine,
    );
  }
  const test = whichTest(raw);
  return test.name === 'throughput'
    ? [throughputRun(raw, file, givenSize, test.notes)]
    : latencyRuns(raw, file, givenSize, test.name, test.notes);
}

function whichTest(raw: RawRun): { name: SockperfTest; notes: string[] } {
  const stream = raw.dump.get('b_stream');
  const pingPong = raw.dump.get('b_client_ping_pong');
  if (
    stream === '1' ||
    (stream === undefined && (raw.msgRate !== undefined || raw.throughputSent !== undefined))
  ) {
    return { name: 'throughput', notes: [] };
  }
  if (pingPong !== undefined) return { name: pingPong === '1' ? 'ping-pong' : 'under-load', notes: [] };
  // ping-pong and under-load print the same report; only under-load's server answers a fraction of the messages.
  const underLoad = raw.sent !== undefined && raw.received !== undefined && raw.received * 2 < raw.sent;
  return {
    name: underLoad ? 'under-load' : 'ping-pong',
    notes: [
      `test read as ${underLoad ? 'under-load' : 'ping-pong'} from the message counts (${raw.received} of ${raw.sent} answered); sockperf's report does not name it`,
    ],
  };
}

function commonSettings(raw: RawRun): Record<string, string | number> {
  const settings: Record<string, string | number> = {};
  if (raw.version !== undefined) settings.sockperf_version = raw.version;
  const protocols = new Set([...raw.servers.values()].map((s) => s.protocol));
  if (protocols.size === 1) settings.protocol = [...protocols][0];
  const stated: [string, number | undefined][] = [
    ['run_time_s', raw.totalRunTime ?? raw.throughputSeconds],
    ['warmup_ms', raw.warmupMs],
    ['warmup_packets', raw.warmupPackets],
    ['sent_messages', raw.sent ?? raw.throughputSent],
    ['received_messages', raw.received],
    ['ip_frags_per_msg', raw.ipFragsPerMsg],
  ];
  for (const [key, value] of stated) if (value !== undefined) settings[key] = value;
  for (const key of ['mps', 'burst_size', 'reply_every']) {
    const value = Number(raw.dump.get(key));
    if (raw.dump.has(key) && Number.isFinite(value)) settings[key] = value;
  }
  return settings;
}

/** The message size the output states, from the -d dump or throughput's NOTE line. */
function statedSize(raw: RawRun): { bytes: number; note: string } | undefined {
  const dumped = raw.dump.get('msg_size');
  if (dumped !== undefined && Number.isInteger(Number(dumped))) {
    const range = Number(raw.dump.get('msg_size_range') ?? 0);
    const spread = range > 0 ? ` (sockperf varied it by +-${range} bytes, -r)` : '';
    return {
      bytes: Number(dumped),
      note: `message size from msg_size in sockperf's -d settings dump${spread}`,
    };
  }
  if (raw.notedMsgSize !== undefined) {
    return { bytes: raw.notedMsgSize, note: "message size from sockperf's NOTE line (msg-size=...)" };
  }
  return undefined;
}

function messageSize(
  raw: RawRun,
  file: string,
  givenSize: number | undefined,
  test: SockperfTest,
): { bytes: number; note: string } {
  const stated = statedSize(raw);
  if (stated && givenSize !== undefined && stated.bytes !== givenSize) {
    throw new InputError(
      `the output states a message size of ${stated.bytes} bytes but ${givenSize} was given for this run; give the size the run used, or none`,
      file,
      raw.line,
    );
  }
  if (stated) return stated;
  if (givenSize !== undefined) {
    if (!Number.isInteger(givenSize) || givenSize < 0) {
      throw new InputError(`message size ${givenSize} is not a whole number of bytes`, file, raw.line);
    }
    return { bytes: givenSize, note: 'message size as given by the caller; sockperf does not print it' };
  }
  if (test === 'throughput' && raw.msgRate && raw.bandwidth2p20 !== undefined) {
    return sizeFromBandwidth(raw.bandwidth2p20, raw.msgRate);
  }
  throw new InputError(
    `sockperf ${test} does not print its message size; say which -m this run used (ibvf import --msg-size N; msgSize in the library), or re-run sockperf with -d, which prints msg_size`,
    file,
    raw.line,
  );
}

/** sockperf omits the size only for its 1472-byte default, so recover it from MBps = rate x size / 2^20. */
function sizeFromBandwidth(bandwidth2p20: number, msgRate: number): { bytes: number; note: string } {
  const exact = (bandwidth2p20 * BYTES_PER_MB_SOCKPERF) / msgRate;
  const bytes = Math.round(exact);
  return {
    bytes,
    note: `message size derived as ${bandwidth2p20} MBps x 2^20 / ${msgRate} msg/s = ${exact.toFixed(2)} B, rounded to ${bytes}; sockperf prints no size for this run`,
  };
}

function throughputRun(
  raw: RawRun,
  file: string,
  givenSize: number | undefined,
  testNotes: string[],
): ImportedRun {
  if (raw.msgRate === undefined || raw.bandwidth2p20 === undefined) {
    throw new InputError(
      'this sockperf throughput run has no "Summary: Message Rate" and "Summary: BandWidth" lines: the output is cut short; re-run it or remove the partial run',
      file,
      raw.line,
    );
  }
  const size = messageSize(raw, file, givenSize, 'throughput');
  const point: ImportedPoint = {
    bytes: size.bytes,
    bandwidth_MBps: (raw.bandwidth2p20 * BYTES_PER_MB_SOCKPERF) / 1e6,
    msg_rate: raw.msgRate,
  };
  if (raw.throughputSent !== undefined) point.iterations = raw.throughputSent;
  return {
    tool: 'sockperf',
    test: 'throughput',
    metric: 'bandwidth',
    file,
    line: raw.line,
    settings: { ...commonSettings(raw), msg_size: size.bytes },
    points: [point],
    notes: [
      ...testNotes,
      size.note,
      "sockperf's MBps is 2^20 bytes/s (it divides msg/s x size by 1024 twice); converted to 10^6 bytes/s",
    ],
  };
}

function latencyRuns(
  raw: RawRun,
  file: string,
  givenSize: number | undefined,
  test: SockperfTest,
  testNotes: string[],
): ImportedRun[] {
  const complete = raw.stats.filter((s) => s.avgLine !== undefined);
  if (complete.length === 0 || complete.length < raw.stats.length) {
    const where = raw.stats.find((s) => s.avgLine === undefined)?.line ?? raw.line;
    throw new InputError(
      'this sockperf run has no "====> avg-latency" line: the output is cut short (or is not a sockperf client run); re-run it or remove the partial run',
      file,
      where,
    );
  }
  const size = messageSize(raw, file, givenSize, test);
  const multiServer = raw.stats.length > 1;
  return complete.map((stats) => ({
    tool: 'sockperf',
    test,
    metric: 'latency',
    latency: stats.meaning,
    file,
    line: multiServer ? stats.line : raw.line,
    settings: { ...commonSettings(raw), msg_size: size.bytes, ...serverSettings(raw, stats) },
    points: [{ ...stats.point, bytes: size.bytes, ...observationCount(stats) }],
    notes: [...testNotes, size.note, meaningNote(stats.meaning)],
  }));
}

function observationCount(stats: ServerStats): Partial<ImportedPoint> {
  return stats.validReceived === undefined ? {} : { iterations: stats.validReceived };
}

function serverSettings(raw: RawRun, stats: ServerStats): Record<string, string | number> {
  const settings: Record<string, string | number> = { server: stats.server };
  const address = raw.servers.get(stats.server);
  if (address) {
    settings.server_ip = address.ip;
    settings.server_port = address.port;
    settings.protocol = address.protocol;
  }
  const counts: [string, number | undefined][] = [
    ['valid_run_time_s', stats.validRunTime],
    ['valid_sent_messages', stats.validSent],
    ['valid_received_messages', stats.validReceived],
    ['dropped_messages', stats.dropped],
    ['duplicated_messages', stats.duplicated],
    ['out_of_order_messages', stats.outOfOrder],
  ];
  for (const [key, value] of counts) if (value !== undefined) settings[key] = value;
  return settings;
}

function meaningNote(meaning: LatencyMeaning | undefined): string {
  return meaning === 'round-trip'
    ? 'avg-rtt and percentiles are full round trips (--full-rtt); usec read as us'
    : "avg-latency and percentiles are sockperf's one-way latency, each round trip halved; usec read as us";
}
