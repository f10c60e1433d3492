/**
 * `node.numaRemoteFactor`: how much slower a memory-bound copy runs on the other socket's
 * memory than on its own. The model applies it in one place (src/model/virtualization.ts,
 * rule 2, `remoteMemoryStretch`): per-byte copy work whose accesses go to remote memory in a
 * share q stretches by
 *
 *   1 + q (numaRemoteFactor - 1).
 *
 * A shared-memory message costs per byte the copies of both ends (src/model/p2p/mpi.ts,
 * shared memory: max(2 s O, s G); the probe's sweep shows it as the slope of latency over
 * size at large sizes). Pinned to two sockets, the same pair's copies stretch by the rule's
 * factor, so the ratio of the two slopes is
 *
 *   rho = slope(other-socket) / slope(same-socket) = 1 + q (f - 1),  f = 1 + (rho - 1) / q.
 *
 * q for a pair on two sockets: a message makes four memory streams (the sender reads its
 * buffer and writes the ring, the receiver reads the ring and writes its buffer,
 * native/shm_channel.cc). The private buffers stay local; the ring (128 slots of 64 KiB per
 * direction, src/probe/transports.ts) is reused, so its lines move between the two sockets
 * on every message whichever memory holds them: the receiver reads lines the sender's socket
 * modified, the sender writes lines the receiver's socket read last. Two streams in four
 * cross: q = 1/2 (`remoteShare`, an assumption of this fit, stated in its source).
 *
 * Each slope is the least-squares line of latency over the largest sizes both sweeps share
 * (at or above 1/64 of the largest, at least three sizes), weighted by 1 / latency^2 (the
 * noise is relative). The interval: the same computed on each joint draw of the sizes'
 * values (resample.ts: seeded bootstrap over the raw samples). A ratio below 1 (remote no
 * slower than local) is set to f = 1 with a warning: the data cannot tell f from 1.
 *
 * Measured by: `ibvf probe run --transport shm --pin same-socket` and the same with
 * `--pin other-socket` (the probe records the pin as `placement.relation`).
 */
import type { SizedMeasurement } from './from-probe.js';
import { drawCells, intervalsOf, type IntervalOptions, type IntervalSource } from './resample.js';
import { commonSizes, cellsAt } from './curve-difference.js';
import { fitWeightedLine } from './weighted-line.js';

/** Share of a cross-socket shared-memory message's memory streams that are remote (see above). */
export const CROSS_SOCKET_REMOTE_SHARE = 0.5;

/** The largest sizes used: those at or above the largest shared size divided by this. */
const LARGE_SIZE_SPAN = 64;
const MIN_SIZES = 3;

export interface NumaFactorOptions extends IntervalOptions {
  /** q of the formula; default CROSS_SOCKET_REMOTE_SHARE. */
  remoteShare?: number;
}

export interface NumaFactorFit {
  /** The ratio, >= 1. */
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

export function fitNumaRemoteFactor(
  sameSocket: readonly SizedMeasurement[],
  otherSocket: readonly SizedMeasurement[],
  options: NumaFactorOptions = {},
): NumaFactorFit {
  const q = options.remoteShare ?? CROSS_SOCKET_REMOTE_SHARE;
  if (!(q > 0 && q <= 1)) throw new RangeError(`numaRemoteFactor: remote share ${q} is not in (0, 1]`);
  const common = commonSizes(sameSocket, otherSocket);
  const largest = common[common.length - 1] ?? 0;
  let sizes = common.filter((s) => s >= largest / LARGE_SIZE_SPAN);
  if (sizes.length < MIN_SIZES) sizes = common.slice(-MIN_SIZES);
  if (sizes.length < MIN_SIZES || sizes[0] === sizes[sizes.length - 1])
    throw new RangeError(
      `numaRemoteFactor: the same-socket and other-socket sweeps share ${common.length} size(s); the per-byte slope of each needs ${MIN_SIZES} or more large sizes in common`,
    );
  const cells = drawCells([...cellsAt(sameSocket, sizes), ...cellsAt(otherSocket, sizes)], options);
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
  const same = slopeOf(cells.values, 0);
  if (!(same > 0))
    throw new RangeError(
      `numaRemoteFactor: the same-socket latency does not grow with size over ${sizes[0]}..${largest} B (slope ${same.toPrecision(3)} us/B); no per-byte copy cost to compare`,
    );
  const factor = (rho: number) => Math.max(1, 1 + (rho - 1) / q);
  const rho = ratioOf(cells.values);
  const warnings: string[] = [];
  if (rho < 1)
    warnings.push(
      `numaRemoteFactor: the other-socket sweep's per-byte cost is ${rho.toFixed(3)} times the same-socket one's (< 1); set to 1, the data cannot pin numaRemoteFactor down`,
    );
  // Draws whose same-socket slope is not positive have no ratio; they are left out.
  const draws = cells.draws
    .filter((d) => slopeOf(d, 0) > 0)
    .map((d) => factor(ratioOf(d)))
    .filter(Number.isFinite);
  return {
    value: factor(rho),
    interval: intervalsOf({ f: draws }).f,
    slopeRatio: rho,
    sizes,
    intervals: cells.source,
    from:
      `per-byte latency slope other-socket / same-socket = ${rho.toFixed(4)} over ${m} sizes ${sizes[0]}..${largest} B ` +
      `(weighted 1/latency^2), f = 1 + (ratio - 1) / ${q} (remote share of a cross-socket message's memory streams, an assumption)`,
    warnings,
  };
}
