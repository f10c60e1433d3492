/**
 * `compute.bfsPerEdgeCost`: one core's time per adjacency entry a BFS scans, the cost the
 * Graph500 prediction charges per entry (src/model/graph500/bfs-predict.ts). From a run of
 * the Graph500 reference with one MPI process (`mpiexec -n 1 graph500_reference_bfs SCALE`):
 * each input edge of the traversed component is stored both ways, so a BFS that traverses
 * E edges (the reference's nedge, the count its TEPS divides) scans 2E entries, and
 *
 *   bfsPerEdgeCost = T / (2 E),
 *
 * T the mean BFS time over the roots, E the mean nedge: the same arithmetic that derived the
 * built-in profile's value from the reference measured on the build machine
 * (calibration/cx3-fdr-kvm-2013/constants.json). With the per-root lines (stderr kept), the
 * 95% interval is a seeded bootstrap over the roots (each root's nedge is its TEPS times
 * its time); without them, none, and the fit says why.
 *
 * Refused (RangeError): a run of more than one process, whose time holds the exchange
 * between ranks too, so it is no single core's cost.
 */
import { range95 } from '../../model/uncertainty/draw.js';
import { seededRng } from '../../model/uncertainty/rng.js';
import type { Graph500Run } from '../import/graph500.js';

export interface BfsPerEdgeFit {
  /** us per adjacency entry. */
  value: number;
  interval: [number, number] | null;
  /** How the interval was made, or why there is none. */
  how: string;
  from: string;
  warnings: string[];
}

/** Roots needed for a bootstrap interval (Graph500 runs 64 by default). */
export const MIN_BOOTSTRAP_ROOTS = 8;

export function fitBfsPerEdgeCost(
  runs: readonly Graph500Run[],
  options: { draws?: number; seed?: number } = {},
): BfsPerEdgeFit {
  if (runs.length === 0) throw new RangeError('bfsPerEdgeCost: no Graph500 run');
  const multi = runs.find((r) => r.processes !== 1);
  if (multi)
    throw new RangeError(
      `bfsPerEdgeCost: a run of ${multi.processes} MPI processes times the exchange between them too, not one core's scan; run the reference with mpiexec -n 1`,
    );
  const warnings: string[] = [];
  const scales = [...new Set(runs.map((r) => r.scale))];
  if (scales.length > 1)
    warnings.push(
      `bfsPerEdgeCost: pooled over SCALE ${scales.join(', ')}; the cost per entry grows with the graph as it leaves the caches, so predict at the scale measured`,
    );
  // Per root: its time and the entries it scanned; a run without per-root lines counts as its mean.
  const roots = runs.flatMap((r) =>
    r.perRoot.length > 0
      ? r.perRoot.map((x) => ({ time: x.time_s, entries: 2 * x.teps * x.time_s }))
      : [{ time: r.bfsMeanTime_s, entries: 2 * r.meanNedge }],
  );
  const costOf = (sample: readonly { time: number; entries: number }[]) => {
    let t = 0;
    let e = 0;
    for (const x of sample) {
      t += x.time;
      e += x.entries;
    }
    return (t / e) * 1e6;
  };
  const value = costOf(roots);
  const perRoot = runs.every((r) => r.perRoot.length > 0);
  const draws = options.draws ?? 1000;
  let interval: [number, number] | null = null;
  let how: string;
  if (!perRoot)
    how = 'no interval: the per-root times were not kept (run the reference with 2>&1 into the file)';
  else if (roots.length < MIN_BOOTSTRAP_ROOTS)
    how = `no interval: ${roots.length} roots, fewer than ${MIN_BOOTSTRAP_ROOTS} to bootstrap`;
  else if (draws === 0) how = 'no interval: no draws asked for';
  else {
    const rng = seededRng(options.seed ?? 1);
    const costs = Array.from({ length: draws }, () =>
      costOf(Array.from({ length: roots.length }, () => roots[Math.floor(rng() * roots.length)])),
    );
    interval = range95(costs);
    how = `95% interval: seeded bootstrap over the ${roots.length} roots (${draws} draws)`;
  }
  const unvalidated = runs.filter((r) => !r.validated).length;
  if (unvalidated > 0)
    warnings.push(
      `bfsPerEdgeCost: ${unvalidated} of ${runs.length} Graph500 runs skipped validation (SKIP_VALIDATION): their BFS trees were not checked`,
    );
  const described = runs
    .map(
      (r) =>
        `SCALE ${r.scale}, edgefactor ${r.edgefactor}, ${r.roots} roots, mean BFS ${r.bfsMeanTime_s} s over ${r.meanNedge} edges`,
    )
    .join('; ');
  return { value, interval, how, from: `T / (2 E) with ${described}`, warnings };
}
