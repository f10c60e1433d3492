import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir } from '../../fixtures.js';
import { InputError } from '../../../src/errors.js';
import { importPerftest } from '../../../src/calibrate/import/perftest.js';
import { inputErrorOf } from '../../input-error.js';

/** Test doubles built from perftest's printf formats (see fixtures/perftest/README.md). */
const DIR = fixtureDir('perftest');

function importFixture(name: string) {
  const file = path.join(DIR, name);
  return importPerftest(readFileSync(file, 'utf8'), file);
}

/** The error importPerftest throws for `text`, which must be an InputError. */
function errorOf(text: string): InputError {
  return inputErrorOf(() => importPerftest(text, 'run.txt'));
}

const RULE = '-'.repeat(87);
const LAT_HEADER =
  ' #bytes #iterations    t_min[usec]    t_max[usec]  t_typical[usec]    t_avg[usec]    t_stdev[usec]   99% percentile[usec]   99.9% percentile[usec] ';
const LAT_ROW =
  ' 2       1000          1.64           5.22         1.70     \t       1.73        \t0.00   \t\t1.91    \t\t4.61   ';
const BW_HEADER = ' #bytes     #iterations    BW peak[MB/sec]    BW average[MB/sec]   MsgRate[Mpps]';

/** A minimal client run: title, one header line, the address block and `body` (table and after). */
function run(title: string, ...body: string[]): string {
  return [
    RULE,
    `                    ${title}`,
    ' Number of qps   : 1\t\tTransport type : IB',
    ' Connection type : RC\t\tUsing SRQ      : OFF',
    RULE,
    ' local address: LID 0x07 QPN 0x00a8 PSN 0x3f21c0',
    ' remote address: LID 0x03 QPN 0x0218 PSN 0x62349f',
    RULE,
    ...body,
  ].join('\n');
}

describe('importPerftest on the constructed fixtures', () => {
  it('ib_send_lat on a VF (-a): one-way latency per size, with every statistic perftest prints', () => {
    const runs = importFixture('ib_send_lat-vf.txt');
    expect(runs).toHaveLength(1);
    const [r] = runs;
    expect(r).toMatchObject({
      tool: 'perftest',
      test: 'ib_send_lat',
      metric: 'latency',
      latency: 'one-way',
      line: 2,
    });
    expect(r.points).toHaveLength(23);
    expect(r.points.map((p) => p.bytes)).toEqual(Array.from({ length: 23 }, (_, i) => 2 ** (i + 1)));
    expect(r.points[0]).toEqual({
      bytes: 2,
      iterations: 1000,
      latency_us: 1.73,
      min_us: 1.64,
      max_us: 5.22,
      median_us: 1.7,
      p99_us: 1.91,
      p99_9_us: 4.61,
      stdev_us: 0,
    });
    expect(r.points.at(-1)).toMatchObject({
      bytes: 8388608,
      latency_us: 1337.98,
      median_us: 1335.28,
      stdev_us: 5,
    });
    expect(r.settings).toEqual({
      title: 'Send Latency Test',
      verb: 'Send',
      dual_port: 'OFF',
      device: 'mlx4_0',
      qps: 1,
      transport_type: 'IB',
      connection_type: 'RC',
      srq: 'OFF',
      pcie_relax_order: 'Unsupported',
      lock_free: 'Unsupported',
      ibv_wr_api: 'ON',
      using_ddp: 'OFF',
      tx_depth: 1,
      mtu: 4096,
      link_type: 'IB',
      max_inline_bytes: 236,
      rdma_cm: 'OFF',
      exchange_method: 'Ethernet',
      side: 'client',
    });
    const notes = r.notes.join('\n');
    expect(notes).toMatch(/one-way/);
    expect(notes).toMatch(/latency_us is t_avg/);
    expect(notes).toMatch(/skipped 1 CPU-frequency warning/);
  });

  it('ib_send_lat server side on the PF: the same table, side "server", RX depth instead of TX depth', () => {
    const [r] = importFixture('ib_send_lat-pf-server.txt');
    expect(r).toMatchObject({ test: 'ib_send_lat', latency: 'one-way', line: 6 });
    expect(r.settings).toMatchObject({ side: 'server', rx_depth: 512, max_inline_bytes: 236 });
    expect(r.settings.tx_depth).toBeUndefined();
    expect(r.points).toEqual([
      {
        bytes: 2,
        iterations: 1000,
        latency_us: 0.96,
        min_us: 0.89,
        max_us: 4.62,
        median_us: 0.95,
        p99_us: 1.12,
        p99_9_us: 3.88,
        stdev_us: 0,
      },
    ]);
  });

  it('ib_write_bw twice in one file: MB/sec is 2^20 B/s and Gb/sec is 10^9 bit/s, both become 10^6 B/s', () => {
    const runs = importFixture('ib_write_bw.txt');
    expect(runs).toHaveLength(2);
    const [mib, gbit] = runs;
    for (const r of runs) {
      expect(r).toMatchObject({ test: 'ib_write_bw', metric: 'bandwidth' });
      expect(r.latency).toBeUndefined();
      expect(r.settings).toMatchObject({ tx_depth: 128, cq_moderation: 100, max_inline_bytes: 0, mtu: 4096 });
    }
    expect([mib.line, gbit.line]).toEqual([3, 25]);
    // 5998.74 MB/sec as perftest prints it = 5998.74 * 2^20 bytes/s = 6290.135 * 10^6 bytes/s.
    expect(mib.points[0].bandwidth_MBps).toBeCloseTo((5998.74 * 1048576) / 1e6, 9);
    expect(mib.points[0].bandwidth_MBps).toBeCloseTo(6290.135, 3);
    expect(mib.points[0]).toMatchObject({ bytes: 65536, iterations: 5000, msg_rate: 95980 });
    expect(mib.notes.join('\n')).toMatch(/2\^20 B\/s.*10\^6 B\/s/);
    // The same run reported with --report_gbits: 50.32 Gb/s = 6290 * 10^6 bytes/s.
    expect(gbit.points[0].bandwidth_MBps).toBeCloseTo(50.32 * 125, 9);
    expect(gbit.points[0].msg_rate).toBeCloseTo(95980, 6);
    expect(Math.abs(gbit.points[0].bandwidth_MBps! - mib.points[0].bandwidth_MBps!)).toBeLessThan(1);
  });

  it('ib_read_lat: a read is a full round trip and is not halved', () => {
    const [r] = importFixture('ib_read_lat.txt');
    expect(r).toMatchObject({ test: 'ib_read_lat', metric: 'latency', latency: 'round-trip' });
    expect(r.settings).toMatchObject({ outstanding_reads: 16, verb: 'RDMA_Read', side: 'client' });
    expect(r.settings.max_inline_bytes).toBeUndefined();
    expect(r.points[0]).toMatchObject({ bytes: 2, latency_us: 2.65, median_us: 2.62 });
    expect(r.notes.join('\n')).toMatch(/round trip/);
  });

  it('ib_read_lat server alone: perftest prints it no table, and the error says to import the client side', () => {
    const file = path.join(DIR, 'ib_read_lat-server.txt');
    let error: unknown;
    try {
      importPerftest(readFileSync(file, 'utf8'), file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).line).toBe(6);
    expect((error as InputError).message).toMatch(/server side of ib_read_lat.*client/);
  });

  it('an older perftest with the 5-column latency table: latency_us falls back to t_typical', () => {
    const runs = importFixture('ib_write_lat-old.txt');
    expect(runs.map((r) => r.test)).toEqual(['ib_write_lat', 'ib_write_lat']);
    expect(runs[0].latency).toBe('one-way');
    expect(runs[0].points).toEqual([
      { bytes: 2, iterations: 1000, latency_us: 1.58, min_us: 1.52, max_us: 5.83, median_us: 1.58 },
    ]);
    expect(runs[1].points[0]).toMatchObject({ bytes: 4096, latency_us: 2.4 });
    expect(runs[0].notes.join('\n')).toMatch(/no t_avg/);
    expect(runs[0].settings.max_inline_bytes).toBe(220);
  });
});

describe('importPerftest on other shapes perftest prints', () => {
  it('perftest 2.x: no MsgRate column, "Mtu : 2048" and "Inline data is used up to 0 bytes message"', () => {
    const text = [
      '------------------------------------------------------------------',
      '                    RDMA_Write BW Test',
      ' Number of qps   : 1',
      ' Connection type : RC',
      ' TX depth        : 300',
      ' Mtu             : 2048',
      ' Inline data is used up to 0 bytes message',
      ' local address: LID 0x04 QPN 0xaa0408 PSN 0xf9c072 RKey 0x59260052 VAddr 0x002b03a8af3000',
      '------------------------------------------------------------------',
      ' #bytes #iterations BW peak[MB/sec] BW average[MB/sec]',
      'Conflicting CPU frequency values detected: 3300.000000 != 1600.000000',
      'Test integrity may be harmed !',
      ' 65536 5000 3235.80 3235.66',
      '------------------------------------------------------------------',
    ].join('\n');
    const [r] = importPerftest(text, 'old.txt');
    expect(r.settings).toMatchObject({ mtu: 2048, max_inline_bytes: 0, tx_depth: 300 });
    expect(r.points).toHaveLength(1);
    expect(r.points[0]).toMatchObject({ bytes: 65536, iterations: 5000 });
    expect(r.points[0].bandwidth_MBps).toBeCloseTo((3235.66 * 1048576) / 1e6, 9);
    expect(r.points[0].msg_rate).toBeUndefined();
  });

  it('MiB/sec (perftest since 2024) is the same 2^20 unit', () => {
    const text = run(
      'Send BW Test',
      ' #bytes     #iterations    BW peak[MiB/sec]    BW average[MiB/sec]   MsgRate[Mpps]',
      ' 65536      1000             6000.00            6000.00\t\t     0.096000',
    );
    const [r] = importPerftest(text, 'x.txt');
    expect(r.test).toBe('ib_send_bw');
    expect(r.points[0].bandwidth_MBps).toBeCloseTo(6291.456, 9);
  });

  it('a bidirectional run, and a duration (-D) latency run with tps', () => {
    const bw = run(
      'RDMA_Read Bidirectional BW Test',
      BW_HEADER,
      ' 65536      1000             11800.00            11790.12\t\t   0.188642',
    );
    expect(importPerftest(bw, 'x.txt')[0]).toMatchObject({
      test: 'ib_read_bw',
      settings: { direction: 'bidirectional' },
    });
    const dur = run(
      'RDMA_Write Latency Test',
      ' #bytes        #iterations       t_avg[usec]    tps average',
      ' 2             2931577            0.85           588235.29',
    );
    const [r] = importPerftest(dur, 'x.txt');
    expect(r.points).toEqual([{ bytes: 2, iterations: 2931577, latency_us: 0.85, msg_rate: 588235.29 }]);
  });

  it('-H histograms: the sample lines and the repeated header are skipped, the summary row kept', () => {
    const text = run(
      'Send Latency Test',
      LAT_HEADER,
      '#, usec',
      '1, 1.71',
      '2, 1.69',
      RULE,
      LAT_HEADER,
      LAT_ROW,
      RULE,
    );
    const [r] = importPerftest(text, 'x.txt');
    expect(r.points).toHaveLength(1);
    expect(r.notes.join('\n')).toMatch(/skipped 2 per-sample/);
  });

  it('--report-both: the separate Local and Remote tables after the run are not read as rows', () => {
    const text = run(
      'RDMA_Write Bidirectional BW Test',
      BW_HEADER,
      ' 65536      5000             11800.00            11790.12\t\t   0.188642',
      RULE,
      '',
      ' Local results: ',
      RULE,
      BW_HEADER,
      ' 65536      5000             5900.00            5895.06\t\t   0.094321',
      RULE,
    );
    const runs = importPerftest(text, 'x.txt');
    expect(runs).toHaveLength(1);
    expect(runs[0].points).toHaveLength(1);
  });
});

describe('importPerftest refuses malformed input with file:line', () => {
  it('an unknown table header', () => {
    const e = errorOf(
      run('Send Latency Test', ' #bytes #iterations    t_min[usec]    t_median[usec]', ' 2 1000 1.0 1.1'),
    );
    expect(e.message).toMatch(
      /^run\.txt:9: unknown perftest table header: no known column at "t_median\[usec\]"/,
    );
  });

  it('a row with the wrong number of columns', () => {
    const e = errorOf(
      run('Send Latency Test', LAT_HEADER, ' 2       1000          1.64           5.22         1.70', RULE) +
        '\n',
    );
    expect(e.message).toMatch(/^run\.txt:10: 5 values where the table header at line 9 names 9 columns/);
  });

  it('a last row cut off at the end of the file: truncated, not read as whole', () => {
    const partial = errorOf(
      run('Send Latency Test', LAT_HEADER, ' 2       1000          1.64           5.22         1.70'),
    );
    expect(partial.message).toMatch(/^run\.txt:10: the file ends in the middle of this row \(5 of 9 values/);
    const second = LAT_ROW.replace(' 2 ', ' 4 ');
    const midNumber = errorOf(
      run('Send Latency Test', LAT_HEADER, LAT_ROW, second.replace(/4\.61\s*$/, '4.6')),
    );
    expect(midNumber.message).toMatch(
      /^run\.txt:11: the file ends in the middle of this row: "4\.6" has fewer decimals/,
    );
    // the same row with a newline after it is whole
    expect(
      importPerftest(run('Send Latency Test', LAT_HEADER, LAT_ROW, second) + '\n', 'run.txt')[0].points,
    ).toHaveLength(2);
  });

  it('a message size twice in one run', () => {
    const e = errorOf(run('Send Latency Test', LAT_HEADER, LAT_ROW, LAT_ROW, RULE) + '\n');
    expect(e.message).toMatch(/^run\.txt:11: message size 2 appears twice in one run \(first at line 10\)/);
  });

  it('one size repeated in every row of a BW run is --run_infinitely, kept with a note; mixed sizes after it are not', () => {
    const row = (bytes: number, bw: string) =>
      ` ${bytes}      5000             ${bw}              ${bw}     0.095980`;
    const [r] = importPerftest(
      run('RDMA_Write BW Test', BW_HEADER, row(65536, '6000.10'), row(65536, '6001.20'), RULE) + '\n',
      'run.txt',
    );
    expect(r.points.map((p) => p.bytes)).toEqual([65536, 65536]);
    expect(r.notes.join(' ')).toContain('--run_infinitely');
    const mixed = errorOf(
      run(
        'RDMA_Write BW Test',
        BW_HEADER,
        row(65536, '6000.10'),
        row(65536, '6001.20'),
        row(8, '1.00'),
        RULE,
      ) + '\n',
    );
    expect(mixed.message).toMatch(/^run\.txt:12: message size 8 after 2 rows of size 65536/);
  });

  it('a value that is not a number', () => {
    const e = errorOf(run('Send Latency Test', LAT_HEADER, LAT_ROW.replace('1.73', '1.7x')));
    expect(e.message).toMatch(/^run\.txt:10: "1\.7x" is not a number \(column t_avg\[usec\]\)/);
  });

  it('a header with no table: a cut-off run', () => {
    const cut = run('Send Latency Test').split('\n').slice(0, 6).join('\n');
    expect(errorOf(cut).message).toMatch(
      /^run\.txt:2: the ib_send_lat run that starts here has a header but no results table/,
    );
    const followedByAnother = run('Send Latency Test') + '\n' + run('Send Latency Test', LAT_HEADER, LAT_ROW);
    expect(errorOf(followedByAnother).line).toBe(2);
  });

  it('a table header with no rows under it', () => {
    expect(errorOf(run('RDMA_Write BW Test', BW_HEADER)).message).toMatch(
      /^run\.txt:9: a results table header with no rows/,
    );
  });

  it('a results table with no perftest header before it', () => {
    expect(errorOf(`${BW_HEADER}\n 65536 5000 1.0 1.0 0.1`).message).toMatch(
      /^run\.txt:1: a results table with no perftest header/,
    );
  });

  it('a BW table under a Latency title, and a title that is neither', () => {
    expect(errorOf(run('Send Latency Test', BW_HEADER, ' 65536 5000 1.0 1.0 0.1')).line).toBe(9);
    expect(errorOf(run('Send forwarding Test', LAT_HEADER, LAT_ROW)).message).toMatch(
      /^run\.txt:2: .*neither a BW nor a Latency/,
    );
  });

  it('a stray line inside a table, a bad header value and -C cycles', () => {
    expect(errorOf(run('Send Latency Test', LAT_HEADER, ' Completion with error at client')).message).toMatch(
      /^run\.txt:10: unexpected line inside the results table/,
    );
    const badMtu = run('Send Latency Test', LAT_HEADER, LAT_ROW).replace(
      ' Number of qps   : 1',
      ' Mtu             : large',
    );
    expect(errorOf(badMtu).message).toMatch(/^run\.txt:3: "Mtu" is "large", not a byte count/);
    expect(errorOf(run('Send Latency Test', LAT_HEADER, '#, cycles', '1, 3400')).message).toMatch(
      /^run\.txt:10: .*--report-cycles/,
    );
  });

  it('text that is not perftest output at all', () => {
    expect(errorOf('# OSU MPI Latency Test v5.3\n0 0.13\n').message).toMatch(
      /^run\.txt:1: no perftest run found/,
    );
  });
});
