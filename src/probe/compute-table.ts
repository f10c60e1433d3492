import type { ComputeRun, ComputeWarning, ProbeComputeResult } from './compute-result.js';

/**
 * The compute probe's tables for stdout: per run (operation and cache state) the time of
 * one operation per size, and the rate it makes (bytes / us = MB/s, 10^6 B/s, as OSU
 * prints bandwidth).
 */
const col = (v: string | number, w: number) => String(v).padStart(w);
const RULE = '-'.repeat(84) + '\n';

const WHAT = {
  copy: 'memcpy (the MPI eager copy)',
  reduce: 'a[i] += b[i] over doubles (MPI_SUM on MPI_DOUBLE)',
} as const;

export function computeRunTable(run: ComputeRun): string {
  const set =
    run.cache === 'cold' ? `, rotating set ${run.set_bytes} B per side` : ', one buffer pair reused';
  let out = RULE + ` ${WHAT[run.op]}, ${run.cache} cache${set}: us per operation\n` + RULE;
  out +=
    [
      col('#bytes', 11),
      col('#samples', 9),
      col('reps', 8),
      col('t_min', 11),
      col('t_typical', 11),
      col('99%', 11),
      col('MB/s', 11),
      col('ns/KB', 11),
    ].join('') + '\n';
  for (const p of run.sizes) {
    out +=
      [
        col(p.bytes, 11),
        col(p.iterations, 9),
        col(p.reps, 8),
        col(p.min_us.toFixed(4), 11),
        col(p.median_us.toFixed(4), 11),
        col(p.p99_us.toFixed(4), 11),
        col((p.bytes / p.median_us).toFixed(0), 11),
        col(((p.median_us * 1e3 * 1024) / p.bytes).toFixed(2), 11),
      ].join('') + '\n';
  }
  return out;
}

export function computeWarningsText(warnings: readonly ComputeWarning[]): string {
  if (warnings.length === 0) return '';
  return RULE + ' warnings\n' + warnings.map((w) => ` ! ${w.message}\n`).join('');
}

/** Every table of a result, with its heading. */
export function computeText(r: ProbeComputeResult): string {
  const head =
    `# ibvf probe compute, ${r.host.name} (${r.host.cpu}${r.host.is_vm ? ', a VM' : ''}), CPU ${r.cpu.requested}` +
    `${r.cpu.pinned ? ' (pinned)' : ' (not pinned)'}${r.partial ? `, partial (stopped: ${r.stopped ?? 'not said'})` : ''}\n`;
  return head + r.runs.map(computeRunTable).join('') + computeWarningsText(r.warnings);
}
