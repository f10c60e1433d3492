/**
 * Partitions of sorted points into contiguous segments, each a weighted least-squares line:
 * the best partition into exactly k segments for every k (dynamic programming over the end
 * of the last segment: Bellman, R. 1961, "On the approximation of curves by line segments
 * using dynamic programming", Communications of the ACM 4(6):284), and the best single
 * split of one segment. Candidate segments are costed in O(1) from prefix sums.
 *
 * A segment is admissible when it has at least `minPoints` points and `minSizes` distinct
 * sizes, and segments meet only where the size changes, so replicates of a size stay
 * together.
 */
import { PrefixMoments } from './weighted-line.js';

/** A segment as inclusive indices into the sorted points. */
export type Span = [start: number, end: number];

export interface SegmentRules {
  minPoints: number;
  minSizes: number;
}

/** The sorted sizes with what the partition search needs to know about them. */
export class SortedSizes {
  readonly n: number;
  /** Ordinal of each point's size among the distinct sizes. */
  private readonly sizeOrdinal: Int32Array;

  constructor(
    readonly xs: ArrayLike<number>,
    readonly rules: SegmentRules,
  ) {
    this.n = xs.length;
    this.sizeOrdinal = new Int32Array(this.n);
    for (let i = 1; i < this.n; i++) {
      this.sizeOrdinal[i] = this.sizeOrdinal[i - 1] + (xs[i - 1] < xs[i] ? 1 : 0);
    }
  }

  /** Whether a segment may start at (or end just before) index j. */
  isBoundary(j: number): boolean {
    return j === 0 || j === this.n || this.xs[j - 1] < this.xs[j];
  }

  /** Whether points start..end (inclusive) may form one segment. */
  admissible(start: number, end: number): boolean {
    const points = end - start + 1;
    const sizes = this.sizeOrdinal[end] - this.sizeOrdinal[start] + 1;
    return points >= this.rules.minPoints && sizes >= this.rules.minSizes && sizes >= 2;
  }
}

/**
 * For each k = 1..maxSegments, the k admissible segments with the least weighted RSS
 * (partitions[k - 1]), or undefined when no admissible partition into k segments exists.
 * best[k][j] is the least cost of covering the first j points with k segments.
 */
export function bestPartitions(
  sizes: SortedSizes,
  sums: PrefixMoments,
  maxSegments: number,
): (Span[] | undefined)[] {
  const { n } = sizes;
  const { minPoints } = sizes.rules;
  const kMax = Math.min(maxSegments, Math.floor(n / minPoints));
  const cost: Float64Array[] = [new Float64Array(n + 1).fill(Infinity)];
  cost[0][0] = 0;
  const lastStart: Int32Array[] = [new Int32Array(n + 1).fill(-1)];
  for (let k = 1; k <= kMax; k++) {
    const row = new Float64Array(n + 1).fill(Infinity);
    const from = new Int32Array(n + 1).fill(-1);
    const previous = cost[k - 1];
    for (let j = k * minPoints; j <= n; j++) {
      if (!sizes.isBoundary(j)) continue;
      for (let m = (k - 1) * minPoints; m <= j - minPoints; m++) {
        const before = previous[m];
        if (before === Infinity || !sizes.isBoundary(m) || !sizes.admissible(m, j - 1)) continue;
        const total = before + sums.lineRss(m, j - 1);
        if (total < row[j]) {
          row[j] = total;
          from[j] = m;
        }
      }
    }
    cost.push(row);
    lastStart.push(from);
  }
  const partitions: (Span[] | undefined)[] = [];
  for (let k = 1; k <= maxSegments; k++) {
    partitions.push(k <= kMax && cost[k][n] < Infinity ? traceBack(lastStart, k, n) : undefined);
  }
  return partitions;
}

function traceBack(lastStart: Int32Array[], k: number, n: number): Span[] {
  const spans: Span[] = [];
  let end = n;
  for (let level = k; level >= 1; level--) {
    const start = lastStart[level][end];
    spans.unshift([start, end - 1]);
    end = start;
  }
  return spans;
}

export interface Split {
  /** Index of the first point of the right part. */
  at: number;
  /** RSS of the two parts (from the prefix sums). */
  rss: number;
  /** How many admissible split positions the segment has: the multiplicity of the search. */
  candidates: number;
}

/** The admissible split of one segment into two with the least RSS, or undefined if none. */
export function bestSplit(sizes: SortedSizes, sums: PrefixMoments, [start, end]: Span): Split | undefined {
  let best: Split | undefined;
  let candidates = 0;
  for (let at = start + 1; at <= end; at++) {
    if (!sizes.isBoundary(at) || !sizes.admissible(start, at - 1) || !sizes.admissible(at, end)) continue;
    candidates++;
    const rss = sums.lineRss(start, at - 1) + sums.lineRss(at, end);
    if (!best || rss < best.rss) best = { at, rss, candidates: 0 };
  }
  if (best) best.candidates = candidates;
  return best;
}
