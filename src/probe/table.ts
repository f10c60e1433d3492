import type { LatencyRun, OverheadRun, PrttRun, StreamRun } from './result.js';

/**
 * Human tables for stdout, laid out like perftest's (#bytes, #iterations, t_min,
 * t_typical, t_avg, 99% and 99.9% percentiles) and osu_bw's (size, MB/s).
 */
const col = (v: string | number, w: number) => String(v).padStart(w);
const us = (v: number) => v.toFixed(2);
const RULE = '-'.repeat(100) + '\n';

export function latencyTable(
  run: LatencyRun,
  transport: string,
  pairs: number,
  kind: 'half round trip' | 'round trip' = 'half round trip',
): string {
  let out = RULE;
  const what = kind === 'round trip' ? 'latency = whole round trip' : 'one-way latency = half round trip';
  out += ` ${transport} ping-pong, ${run.mode} mode${pairs > 1 ? `, pair ${run.pair}` : ''}: ${what} (usec)\n`;
  out += RULE;
  out +=
    [
      col('#bytes', 9),
      col('#iterations', 12),
      col('t_min', 10),
      col('t_max', 10),
      col('t_typical', 10),
      col('t_avg', 10),
      col('t_stdev', 10),
      col('99%', 10),
      col('99.9%', 10),
    ].join('') + '\n';
  for (const p of run.sizes) {
    out +=
      [
        col(p.bytes, 9),
        col(p.iterations, 12),
        col(us(p.min_us), 10),
        col(us(p.max_us), 10),
        col(us(p.median_us), 10),
        col(us(p.mean_us), 10),
        col(us(p.stdev_us), 10),
        col(us(p.p99_us), 10),
        col(us(p.p99_9_us), 10),
      ].join('') + '\n';
  }
  return out;
}

export function streamHeader(transport: string): string {
  return (
    RULE +
    (transport === 'verbs'
      ? ` verbs streaming: up to window messages in flight, completions polled (perftest's ib_*_bw; MB/s = 10^6 B/s)\n`
      : ` ${transport} streaming: window messages in flight, then an ack (MB/s = 10^6 B/s)\n`) +
    RULE +
    [
      col('mode', 6),
      col('#bytes', 9),
      col('window', 8),
      col('pairs', 6),
      col('Mmsg/s', 10),
      col('MB/s', 11),
      col('cpu us/post', 12),
    ].join('') +
    '\n'
  );
}

export function streamRow(r: StreamRun): string {
  const cpu = r.per_pair.reduce((a, p) => a + p.cpu_us_per_post, 0) / r.per_pair.length;
  return (
    [
      col(r.mode, 6),
      col(r.bytes, 9),
      col(r.window, 8),
      col(r.pairs, 6),
      col((r.aggregate.msg_rate / 1e6).toFixed(3), 10),
      col(r.aggregate.bandwidth_MBps.toFixed(1), 11),
      col(cpu.toFixed(3), 12),
    ].join('') + '\n'
  );
}

export function prttHeader(transport: string): string {
  return (
    RULE +
    ` ${transport} PRTT(n, d, s) (Hoefler, Lichei, Rehm; Netgauge): whole round trips (usec)\n` +
    RULE +
    [
      col('mode', 6),
      col('#bytes', 9),
      col('n', 4),
      col('d', 9),
      col('#iter', 7),
      col('t_min', 10),
      col('t_typical', 10),
      col('t_avg', 10),
    ].join('') +
    '\n'
  );
}

export function prttRow(r: PrttRun): string {
  return (
    [
      col(r.mode, 6),
      col(r.bytes, 9),
      col(r.n, 4),
      col(us(r.d_us), 9),
      col(r.iterations, 7),
      col(us(r.min_us), 10),
      col(us(r.median_us), 10),
      col(us(r.mean_us), 10),
    ].join('') + '\n'
  );
}

export function overheadHeader(op: string): string {
  return (
    RULE +
    ` verbs ${op}: CPU time per message inside the verbs calls (usec; each includes one timer read)\n` +
    `   o_send = ibv_post_send; o_recv = the ibv_poll_cq that returned the receive + ibv_post_recv\n` +
    RULE +
    [
      col('mode', 6),
      col('during', 10),
      col('window', 8),
      col('#bytes', 9),
      col('send avg', 10),
      col('send 99%', 10),
      col('recv avg', 10),
      col('recv 99%', 10),
    ].join('') +
    '\n'
  );
}

export function overheadRow(r: OverheadRun): string {
  const or = (v: number | undefined) => (v === undefined ? '-' : us(v));
  return (
    [
      col(r.mode, 6),
      col(r.during, 10),
      col(r.window, 8),
      col(r.bytes, 9),
      col(us(r.o_send.mean_us), 10),
      col(us(r.o_send.p99_us), 10),
      col(or(r.o_recv?.mean_us), 10),
      col(or(r.o_recv?.p99_us), 10),
    ].join('') + '\n'
  );
}
