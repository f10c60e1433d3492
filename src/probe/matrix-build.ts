/**
 * Assembling an `ibvf.probe-matrix/1` file from the pairs measured so far (pure): each
 * pair's session result cut to summaries, the two matrices, and the outliers.
 */
import { findOutliers, OUTLIER_RULE } from './matrix-outliers.js';
import { pathClass, type RankPair } from './matrix-plan.js';
import { MATRIX_SCHEMA_ID, type MatrixPair, type MatrixRank, type ProbeMatrix } from './matrix-result.js';
import type { ProbeResult } from './result.js';

type Mode = 'poll' | 'event';

/** The cells' definition: the smallest size's median latency and the largest streamed size at its widest window, in the first mode. */
export function cellDefinition(
  sizes: readonly number[],
  progress: readonly Mode[],
  streamed: { bytes: number; window: number } | null,
): Pick<ProbeMatrix, 'latency_at' | 'bandwidth_at'> {
  const mode = progress[0];
  return {
    latency_at: { bytes: sizes[0], mode },
    bandwidth_at: streamed ? { ...streamed, mode } : null,
  };
}

/** One pair's session result, as the matrix keeps it (summaries, no samples). */
export function matrixPair(
  [a, b]: RankPair,
  ranks: readonly MatrixRank[],
  r: Pick<ProbeResult, 'latency' | 'streaming'>,
  cells: Pick<ProbeMatrix, 'latency_at' | 'bandwidth_at'>,
): MatrixPair {
  const latency = r.latency
    .filter((run) => run.pair === 0)
    .map((run) => ({
      mode: run.mode,
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      sizes: run.sizes.map(({ samples_us, ...stats }) => stats),
    }));
  const streaming = r.streaming.map((s) => ({
    mode: s.mode,
    bytes: s.bytes,
    window: s.window,
    msg_rate: s.aggregate.msg_rate,
    bandwidth_MBps: s.aggregate.bandwidth_MBps,
  }));
  const lat = latency
    .find((l) => l.mode === cells.latency_at.mode)
    ?.sizes.find((p) => p.bytes === cells.latency_at.bytes);
  const at = cells.bandwidth_at;
  const bw = at
    ? streaming.find((s) => s.mode === at.mode && s.bytes === at.bytes && s.window === at.window)
    : undefined;
  return {
    a,
    b,
    class: pathClass(ranks[a].host.name, ranks[b].host.name),
    latency_us: lat?.median_us ?? null,
    bandwidth_MBps: bw?.bandwidth_MBps ?? null,
    latency,
    streaming,
  };
}

/** N x N, symmetric, null on the diagonal and where no pair was measured. */
export function cellMatrix(n: number, pairs: readonly MatrixPair[], of: (p: MatrixPair) => number | null) {
  const m: (number | null)[][] = Array.from({ length: n }, () => Array<number | null>(n).fill(null));
  for (const p of pairs) m[p.a][p.b] = m[p.b][p.a] = of(p);
  return m;
}

export interface MatrixHead {
  time: string;
  launcher: string;
  transport: ProbeMatrix['transport'];
  op: ProbeMatrix['op'];
  options: ProbeMatrix['options'];
  sample: ProbeMatrix['sample'];
  ranks: MatrixRank[];
  planned: RankPair[];
  cells: Pick<ProbeMatrix, 'latency_at' | 'bandwidth_at'>;
}

/** The file as it stands: partial until every planned pair is in. */
export function buildMatrix(head: MatrixHead, pairs: readonly MatrixPair[], stopped?: string): ProbeMatrix {
  const done = pairs.length === head.planned.length && stopped === undefined;
  return {
    schema: MATRIX_SCHEMA_ID,
    partial: !done,
    ...(stopped !== undefined ? { stopped } : {}),
    tool: { name: 'ibvf', version: process.env.npm_package_version ?? '0.1.0' },
    time: head.time,
    ...(done ? { finished: new Date().toISOString() } : {}),
    launcher: head.launcher,
    transport: head.transport,
    op: head.op,
    options: head.options,
    sample: head.sample,
    ranks: head.ranks,
    planned: head.planned,
    pairs: [...pairs],
    ...head.cells,
    latency_us: cellMatrix(head.ranks.length, pairs, (p) => p.latency_us),
    bandwidth_MBps: cellMatrix(head.ranks.length, pairs, (p) => p.bandwidth_MBps),
    outlier_rule: OUTLIER_RULE,
    outliers: findOutliers(pairs),
  };
}
