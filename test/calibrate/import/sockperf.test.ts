import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir } from '../../fixtures.js';
import { importSockperf } from '../../../src/calibrate/import/sockperf.js';
import { InputError } from '../../../src/errors.js';
import { inputErrorOf } from '../../input-error.js';

const FIXTURES = fixtureDir('sockperf');

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** The -m each fixture was recorded with (README.md), for the runs whose output does not print it. */
const RECORDED_SIZES: Record<string, number | number[]> = {
  'ping-pong-m14.txt': 14,
  'ping-pong-m1024.txt': 1024,
  'ping-pong-full-rtt-m14.txt': 14,
  'under-load-m14.txt': 14,
  'two-runs-m14-m256.txt': [14, 256],
};

/** The InputError importSockperf throws for `text`. */
function errorOf(text: string, file = 'bad.txt', msgSize?: number): InputError {
  return inputErrorOf(() => importSockperf(text, file, msgSize === undefined ? {} : { msgSize }));
}

const ESC = '\x1b';

/** A ping-pong report shaped like sockperf 3.7's, with the colour codes it prints. */
function pingPongReport(avgLine = `====> avg-latency=13.000 (std-dev=18.453)`): string[] {
  return [
    `sockperf: ${ESC}[2;35m== version #3.7-no.git == ${ESC}[0m`,
    '[ 0] IP = 127.0.0.1       PORT = 11111 # UDP',
    'sockperf: [Total Run] RunTime=2.001 sec; Warm up time=400 msec; SentMessages=100; ReceivedMessages=99',
    'sockperf: ========= Printing statistics for Server No: 0',
    'sockperf: [Valid Duration] RunTime=1.550 sec; SentMessages=80; ReceivedMessages=80',
    `sockperf: ${ESC}[2;35m${avgLine}${ESC}[0m`,
    'sockperf: ---> <MAX> observation = 20.000',
    'sockperf: ---> percentile 99.000 =   15.000',
    'sockperf: ---> percentile 50.000 =   11.000',
    'sockperf: ---> <MIN> observation =    8.000',
  ];
}

describe('importSockperf on recorded sockperf 3.7 output', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt'));

  it('finds the fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)('parses %s', (name) => {
    const given = RECORDED_SIZES[name];
    const runs = importSockperf(fixture(name), name, given === undefined ? {} : { msgSize: given });
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      expect(run.tool).toBe('sockperf');
      expect(run.file).toBe(name);
      expect(run.points).toHaveLength(1);
      expect(run.points[0].bytes).toBeGreaterThan(0);
      expect(run.notes.length).toBeGreaterThan(0);
    }
  });

  it('reads a UDP ping-pong as one-way latency in us', () => {
    const [run] = importSockperf(fixture('ping-pong-m14.txt'), 'pp.txt', { msgSize: 14 });
    expect(run).toMatchObject({
      test: 'ping-pong',
      metric: 'latency',
      latency: 'one-way',
      line: 1,
      settings: {
        protocol: 'UDP',
        server_ip: '127.0.0.1',
        server_port: 11111,
        msg_size: 14,
        run_time_s: 2.001,
        warmup_ms: 400,
        sent_messages: 74105,
        received_messages: 74104,
        valid_run_time_s: 1.55,
        dropped_messages: 0,
        sockperf_version: '3.7-no.git',
      },
    });
    expect(run.points[0]).toEqual({
      bytes: 14,
      latency_us: 13.0,
      stdev_us: 18.453,
      max_us: 2020.666,
      p99_9_us: 61.676,
      p99_us: 41.899,
      median_us: 11.411,
      min_us: 8.375,
      iterations: 59497,
    });
    expect(run.notes.join(' ')).toMatch(/given by the caller/);
  });

  it('reads a 1024-byte ping-pong', () => {
    const [run] = importSockperf(fixture('ping-pong-m1024.txt'), 'pp.txt', { msgSize: 1024 });
    expect(run.points[0]).toMatchObject({ bytes: 1024, latency_us: 12.881, median_us: 11.551, min_us: 8.37 });
  });

  it('takes the message size and test from the -d settings dump, and reads TCP', () => {
    const [run] = importSockperf(fixture('ping-pong-tcp-m64-debug.txt'), 'tcp.txt');
    expect(run).toMatchObject({
      test: 'ping-pong',
      latency: 'one-way',
      line: 1,
      settings: { protocol: 'TCP', server_port: 11112, msg_size: 64, reply_every: 1 },
    });
    expect(run.points[0]).toMatchObject({ bytes: 64, latency_us: 17.821, p99_us: 48.396, max_us: 1720.351 });
    expect(run.notes.join(' ')).toMatch(/-d settings dump/);
  });

  it('reads --full-rtt output as round trip', () => {
    const [run] = importSockperf(fixture('ping-pong-full-rtt-m14.txt'), 'rtt.txt', { msgSize: 14 });
    expect(run.latency).toBe('round-trip');
    expect(run.points[0]).toMatchObject({
      latency_us: 25.573,
      stdev_us: 39.645,
      median_us: 21.701,
      min_us: 16,
    });
  });

  it('tells under-load from ping-pong by how few messages were answered', () => {
    const [run] = importSockperf(fixture('under-load-m14.txt'), 'ul.txt', { msgSize: 14 });
    expect(run).toMatchObject({
      test: 'under-load',
      latency: 'one-way',
      settings: { received_messages: 200 },
    });
    // sockperf wrote a stray "Test end" line between its percentiles; the percentiles after it still count.
    expect(run.points[0]).toMatchObject({
      latency_us: 14.462,
      median_us: 8.295,
      min_us: 7.949,
      iterations: 153,
    });
  });

  it('gives one run per sockperf invocation in a concatenated file', () => {
    const runs = importSockperf(fixture('two-runs-m14-m256.txt'), 'two.txt', { msgSize: [14, 256] });
    expect(runs.map((r) => [r.line, r.points[0].bytes, r.points[0].latency_us])).toEqual([
      [1, 14, 10.252],
      [26, 256, 12.409],
    ]);
  });

  it('converts throughput MBps (2^20 B/s) to 10^6 B/s and recovers the unprinted 1472-byte size', () => {
    const [run] = importSockperf(fixture('throughput-m1472.txt'), 'tp.txt');
    expect(run).toMatchObject({ test: 'throughput', metric: 'bandwidth', settings: { protocol: 'UDP' } });
    expect(run.latency).toBeUndefined();
    expect(run.points[0].bytes).toBe(1472);
    expect(run.points[0].msg_rate).toBe(151345);
    expect(run.points[0].iterations).toBe(302777);
    expect(run.points[0].bandwidth_MBps).toBeCloseTo((212.459 * 1048576) / 1e6, 9);
    // The conversion agrees with rate x size, which is how sockperf computes its figure.
    expect(run.points[0].bandwidth_MBps! * 1e6).toBeCloseTo(151345 * 1472, -3);
    expect(run.notes.join(' ')).toMatch(/derived/);
  });

  it('takes the throughput size from the NOTE line when sockperf prints one', () => {
    const [run] = importSockperf(fixture('throughput-m64.txt'), 'tp.txt');
    expect(run.points[0]).toEqual({
      bytes: 64,
      msg_rate: 139214,
      bandwidth_MBps: (8.497 * 1048576) / 1e6,
      iterations: 278499,
    });
    expect(run.settings).toMatchObject({ msg_size: 64, run_time_s: 2.001 });
  });

  it('accepts the older avg-lat spelling', () => {
    const [run] = importSockperf(
      pingPongReport('====> avg-lat= 11.375 (std-dev=1.635)').join('\n'),
      'old.txt',
      {
        msgSize: 32,
      },
    );
    expect(run.points[0]).toMatchObject({ bytes: 32, latency_us: 11.375, stdev_us: 1.635 });
  });
});

describe('importSockperf on newer sockperf wording', () => {
  it('reads the std-dev from the longer avg-latency line of later releases', () => {
    const avg = '====> avg-latency=9.512 (std-dev=2.101, mean-ad=1.2, median-ad=0.9, siqr=0.5, cv=0.221)';
    const [run] = importSockperf(pingPongReport(avg).join('\n'), 'new.txt', { msgSize: 14 });
    expect(run.points[0]).toMatchObject({ latency_us: 9.512, stdev_us: 2.101 });
  });
});

describe('importSockperf on malformed input', () => {
  it('rejects text that is not sockperf output, at line 1', () => {
    const error = errorOf('# OSU MPI Latency Test\n# Size  Latency (us)\n0  1.2\n', 'osu.txt');
    expect(error.message).toContain('osu.txt:1:');
    expect(error.message).toMatch(/not sockperf output/);
  });

  it('rejects a ping-pong cut off before its avg-latency line, at the statistics block', () => {
    const text = pingPongReport().slice(0, 5).join('\n');
    const error = errorOf(text, 'cut.txt', 14);
    expect(error.message).toContain('cut.txt:4:');
    expect(error.message).toMatch(/no "====> avg-latency" line/);
  });

  it('rejects a run that is only a banner', () => {
    const error = errorOf(pingPongReport().slice(0, 2).join('\n'), 'banner.txt', 14);
    expect(error.message).toContain('banner.txt:1:');
  });

  it('rejects an unparsable latency number with its line', () => {
    const text = pingPongReport('====> avg-latency=1x.000 (std-dev=18.453)').join('\n');
    const error = errorOf(text, 'num.txt', 14);
    expect(error.message).toContain('num.txt:6:');
    expect(error.message).toMatch(/"1x\.000" is not a number/);
  });

  it('rejects an unparsable percentile with its line', () => {
    const lines = pingPongReport();
    lines[7] = 'sockperf: ---> percentile 99.000 =   fifteen';
    const error = errorOf(lines.join('\n'), 'pct.txt', 14);
    expect(error.message).toContain('pct.txt:8:');
  });

  it('asks for the message size when the output does not state it', () => {
    const error = errorOf(pingPongReport().join('\n'), 'nosize.txt');
    expect(error.message).toContain('nosize.txt:1:');
    expect(error.message).toMatch(/-d/);
  });

  it('rejects a size that contradicts the one the output states', () => {
    const error = errorOf(fixture('throughput-m64.txt'), 'tp.txt', 1472);
    expect(error.message).toContain('tp.txt:1:');
    expect(error.message).toMatch(/64 bytes but 1472/);
  });

  it('rejects a throughput run cut off before its summary', () => {
    const text = fixture('throughput-m64.txt').split('\n').slice(0, 8).join('\n');
    const error = errorOf(text, 'tp.txt');
    expect(error.message).toContain('tp.txt:1:');
    expect(error.message).toMatch(/Summary: BandWidth/);
  });

  it('rejects a run in which the server never answered', () => {
    const text = [
      'sockperf: == version #3.7-no.git == ',
      'sockperf: Test ended',
      'sockperf: No messages were received from the server. Is the server down?',
    ].join('\n');
    const error = errorOf(text, 'down.txt', 14);
    expect(error.message).toContain('down.txt:3:');
  });

  it('rejects two results merged into one run without a banner between them', () => {
    const lines = pingPongReport();
    const text = [...lines, ...lines.slice(5)].join('\n');
    const error = errorOf(text, 'merged.txt', 14);
    expect(error.message).toContain('merged.txt:11:');
  });

  it('rejects a list of sizes that does not match the number of runs', () => {
    expect(() => importSockperf(fixture('two-runs-m14-m256.txt'), 'two.txt', { msgSize: [14] })).toThrow(
      InputError,
    );
  });

  it('a file cut mid-number at its end (8.375 saved as 8.3, no newline) is truncated, not read as 8.3', () => {
    const whole = readFileSync(join(FIXTURES, 'ping-pong-m14.txt'), 'utf8');
    expect(whole.endsWith('<MIN> observation =    8.375\n')).toBe(true);
    const cut = whole.slice(0, whole.lastIndexOf('8.375') + 3);
    const e = errorOf(cut, 'pp.txt', 14);
    expect(e.message).toMatch(
      /^pp\.txt:\d+: the file ends in the middle of this line: "8\.3" has fewer decimals/,
    );
    expect(importSockperf(whole.trimEnd(), 'pp.txt', { msgSize: 14 })[0].points[0].min_us).toBe(8.375);
  });
});
