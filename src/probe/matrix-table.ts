/**
 * The human view of an `ibvf.probe-matrix/1` file: the ranks (host, function), one row per
 * pair as it is measured, and at the end the latency and bandwidth matrices and the
 * outliers.
 */
import type { MatrixPair, ProbeMatrix } from './matrix-result.js';

const col = (v: string | number, w: number) => String(v).padStart(w);
const cell = (v: number | null, digits: number) => (v === null ? '-' : v.toFixed(digits));

export function ranksTable(m: Pick<ProbeMatrix, 'ranks'>): string {
  let out = `${col('rank', 6)}  ${'host'.padEnd(24)}${'function'.padEnd(10)}evidence\n`;
  for (const r of m.ranks)
    out += `${col(r.rank, 6)}  ${r.host.name.padEnd(24)}${r.function.padEnd(10)}${r.function_evidence}\n`;
  return out;
}

export function pairHeader(m: Pick<ProbeMatrix, 'latency_at' | 'bandwidth_at'>): string {
  const lat = `lat ${m.latency_at.bytes} B (us)`;
  const bw = m.bandwidth_at ? `bw ${m.bandwidth_at.bytes} B w${m.bandwidth_at.window} (MB/s)` : 'bw (MB/s)';
  return `${col('pair', 9)}  ${'class'.padEnd(12)}${col(lat, 20)}${col(bw, 28)}\n`;
}

export function pairRow(p: MatrixPair): string {
  return `${col(`${p.a}-${p.b}`, 9)}  ${p.class.padEnd(12)}${col(cell(p.latency_us, 2), 20)}${col(cell(p.bandwidth_MBps, 1), 28)}\n`;
}

function square(title: string, rows: (number | null)[][], digits: number): string {
  const w = Math.max(8, ...rows.flat().map((v) => cell(v, digits).length + 2));
  let out = `${title}\n${col('', 6)}${rows.map((_, j) => col(j, w)).join('')}\n`;
  rows.forEach((r, i) => (out += `${col(i, 6)}${r.map((v) => col(cell(v, digits), w)).join('')}\n`));
  return out;
}

/** The matrices and the outliers, after the last pair (or a stop). */
export function matrixSummary(m: ProbeMatrix): string {
  let out = '\n';
  out += square(
    `one-way latency (us), median at ${m.latency_at.bytes} B, ${m.latency_at.mode} mode, rank x rank:`,
    m.latency_us,
    2,
  );
  if (m.bandwidth_at)
    out += square(
      `\nbandwidth (MB/s) at ${m.bandwidth_at.bytes} B, window ${m.bandwidth_at.window}, ${m.bandwidth_at.mode} mode:`,
      m.bandwidth_MBps,
      1,
    );
  out += `\noutliers (${m.outlier_rule}):\n`;
  out += m.outliers.length === 0 ? '  none\n' : m.outliers.map((o) => `  ${o.message}\n`).join('');
  return out;
}

/** The whole file as tables (`ibvf probe show`): what the run printed, from the file. */
export function matrixText(m: ProbeMatrix): string {
  const state = m.partial
    ? `partial: ${m.pairs.length} of ${m.planned.length} planned pairs (stopped: ${m.stopped ?? 'not said'})`
    : `${m.pairs.length} pairs${m.sample ? ` (a sample of ${m.sample.of}, seed ${m.sample.seed})` : ''}`;
  return (
    `# ibvf probe --matrix, ${m.transport}${m.transport === 'verbs' ? ` ${m.op}` : ''}, ${m.ranks.length} ranks (${m.launcher}), ${state}\n` +
    ranksTable(m) +
    '\n' +
    pairHeader(m) +
    m.pairs.map(pairRow).join('') +
    matrixSummary(m)
  );
}
