/**
 * Outlying pairs of a rank-pair matrix: a slow link, or a VF with a wrong setting, shows
 * as a pair whose latency or bandwidth is far from the other pairs of its path class.
 *
 * Rule: within each path class (same-host, cross-host) and metric (the latency cell, the
 * bandwidth cell), the modified z-score of Iglewicz and Hoaglin ("How to Detect and Handle
 * Outliers", ASQC Basic References in Quality Control 16, 1993, section 3.3):
 *
 *   z = 0.6745 (x - median) / MAD,   MAD = median |x - median|
 *
 * flags z > 3.5 for latency and z < -3.5 for bandwidth (their cut-off, on the side that
 * means a worse link: a pair better than its class, e.g. two ranks sharing a cache, is a
 * placement, not a fault). When more than half the pairs share the median exactly
 * (MAD = 0), the mean absolute deviation stands in, scaled to agree with the MAD on normal
 * data: z = (x - median) / (1.2533 meanAD). Two further conditions, both assumptions of
 * ibvf: a class needs at least MIN_PAIRS pairs to have a median worth judging against, and
 * a flagged pair must also differ from the median by more than FLOOR (10%), so that the
 * ordinary scatter of a very uniform class (a few percent on shared CPUs) is not flagged.
 */
import { median } from 'simple-statistics';
import type { MatrixOutlier, MatrixPair, PathClass } from './matrix-result.js';

export const Z_CUTOFF = 3.5;
export const FLOOR = 0.1;
export const MIN_PAIRS = 4;

export const OUTLIER_RULE =
  `per path class and metric: modified z-score 0.6745 (x - median) / MAD above ${Z_CUTOFF} for latency, below -${Z_CUTOFF} for bandwidth ` +
  `(Iglewicz and Hoaglin 1993; mean absolute deviation x 1.2533 when MAD = 0), and more than ${100 * FLOOR}% from the median; ` +
  `classes of fewer than ${MIN_PAIRS} pairs are not judged`;

/** The robust z-scores of `values` against their median, or null when the spread is nil. */
export function robustZ(values: readonly number[]): { median: number; z: number[] } | null {
  const m = median(values as number[]);
  const dev = values.map((v) => Math.abs(v - m));
  const mad = median(dev);
  if (mad > 0) return { median: m, z: values.map((v) => (0.6745 * (v - m)) / mad) };
  const meanAd = dev.reduce((a, b) => a + b, 0) / dev.length;
  if (meanAd === 0) return null;
  return { median: m, z: values.map((v) => (v - m) / (1.2533 * meanAd)) };
}

const METRICS = [
  { metric: 'latency', of: (p: MatrixPair) => p.latency_us, unit: 'us', bad: 'higher' },
  { metric: 'bandwidth', of: (p: MatrixPair) => p.bandwidth_MBps, unit: 'MB/s', bad: 'lower' },
] as const;

/** The outlying pairs of each class and metric, by the rule above. */
export function findOutliers(pairs: readonly MatrixPair[]): MatrixOutlier[] {
  const out: MatrixOutlier[] = [];
  const classes = [...new Set(pairs.map((p) => p.class))] as PathClass[];
  for (const cls of classes) {
    for (const { metric, of, unit, bad } of METRICS) {
      const members = pairs.filter((p) => p.class === cls && of(p) !== null);
      if (members.length < MIN_PAIRS) continue;
      const values = members.map((p) => of(p)!);
      const scored = robustZ(values);
      if (!scored) continue;
      members.forEach((p, i) => {
        const v = values[i];
        const z = scored.z[i];
        const rel = scored.median === 0 ? Infinity : Math.abs(v - scored.median) / scored.median;
        const worse = bad === 'higher' ? z > Z_CUTOFF : z < -Z_CUTOFF;
        if (!worse || rel <= FLOOR) return;
        const side = bad === 'higher' ? 'above' : 'below';
        out.push({
          a: p.a,
          b: p.b,
          class: cls,
          metric,
          value: v,
          median: scored.median,
          z,
          message:
            `ranks ${p.a}-${p.b} (${cls}): ${metric} ${v.toPrecision(4)} ${unit} is ${(100 * rel).toFixed(0)}% ${side} ` +
            `the class median ${scored.median.toPrecision(4)} ${unit} (robust z ${z.toFixed(1)})`,
        });
      });
    }
  }
  return out;
}
