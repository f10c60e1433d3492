/**
 * The ratio of two shared-memory sweeps' per-byte costs: the slope of latency over size at
 * the largest sizes both share, of `other` over `reference`. Rule 2 of
 * src/model/virtualization.ts stretches per-byte work by 1 + q (numaRemoteFactor - 1), and
 * this ratio is that stretch as a run shows it; numa-remote-factor.ts (a pair pinned to two
 * sockets against one) and spanning-remote-share.ts (a pair in a VM spanning both sockets
 * against one pinned to a socket) each solve the rule for their own unknown from it.
 *
 * Each slope is the least-squares line of latency over the largest sizes both sweeps share
 * (at or above 1/64 of the largest, at least three sizes), weighted by 1 / latency^2 (the
 * noise is relative). The draws: the same computed on each joint draw of the sizes' values
 * (resample.ts: seeded bootstrap over the raw samples); draws whose reference slope is not
 * positive have no ratio and are left out.
 */
import type { SizedMeasurement } from './from-probe.js';
import { drawCells, type IntervalOptions, type IntervalSource } from './resample.js';
import { commonSizes, cellsAt } from './curve-difference.js';
import { fitWeightedLine } from './weighted-line.js';

/** The largest sizes used: those at or above the largest shared size divided by this. */
const LARGE_SIZE_SPAN = 64;
const MIN_SIZES = 3;

/** A parameter solved from a slope ratio (numa-remote-factor.ts, spanning-remote-share.ts). */
export interface SlopeRatioFit {
  value: number;
  interval: [number, number] | null;
  /** rho, the measured slope ratio. */
  slopeRatio: number;
  /** The sizes the slopes were fitted over. */
  sizes: number[];
  intervals: IntervalSource;
  from: string;
  warnings: string[];
}

export interface SlopeRatio {
  /** slope(other) / slope(reference). */
  ratio: number;
  /** The ratio on each joint draw (finite ones only). */
  draws: number[];
  /** The sizes the slopes were fitted over. */
  sizes: number[];
  intervals: IntervalSource;
  /** In words: the ratio and the sizes. */
  from: string;
}

/**
 * `name` starts the errors (RangeError): fewer than three large sizes in common, or a
 * reference sweep whose latency does not grow with size.
 */
export function perByteSlopeRatio(
  reference: readonly SizedMeasurement[],
  other: readonly SizedMeasurement[],
  labels: { name: string; reference: string; other: string },
  options: IntervalOptions = {},
): SlopeRatio {
  const common = commonSizes(reference, other);
  const largest = common[common.length - 1] ?? 0;
  let sizes = common.filter((s) => s >= largest / LARGE_SIZE_SPAN);
  if (sizes.length < MIN_SIZES) sizes = common.slice(-MIN_SIZES);
  if (sizes.length < MIN_SIZES || sizes[0] === sizes[sizes.length - 1])
    throw new RangeError(
      `${labels.name}: the ${labels.reference} and ${labels.other} sweeps share ${common.length} size(s); the per-byte slope of each needs ${MIN_SIZES} or more large sizes in common`,
    );
  const cells = drawCells([...cellsAt(reference, sizes), ...cellsAt(other, sizes)], options);
  const m = sizes.length;
  const slopeOf = (values: number[], first: number) => {
    const ys = values.slice(first, first + m);
    return fitWeightedLine(
      sizes,
      ys,
      ys.map((y) => 1 / (y * y)),
      0,
      m - 1,
    ).slope;
  };
  const ratioOf = (values: number[]) => slopeOf(values, m) / slopeOf(values, 0);
  const ref = slopeOf(cells.values, 0);
  if (!(ref > 0))
    throw new RangeError(
      `${labels.name}: the ${labels.reference} latency does not grow with size over ${sizes[0]}..${largest} B (slope ${ref.toPrecision(3)} us/B); no per-byte copy cost to compare`,
    );
  const ratio = ratioOf(cells.values);
  return {
    ratio,
    draws: cells.draws
      .filter((d) => slopeOf(d, 0) > 0)
      .map(ratioOf)
      .filter(Number.isFinite),
    sizes,
    intervals: cells.source,
    from: `per-byte latency slope ${labels.other} / ${labels.reference} = ${ratio.toFixed(4)} over ${m} sizes ${sizes[0]}..${largest} B (weighted 1/latency^2)`,
  };
}
