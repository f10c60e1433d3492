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
 * rho comes from perByteSlopeRatio (slope-ratio.ts: weighted slopes over the largest shared
 * sizes, bootstrap draws over the raw samples). A ratio below 1 (remote no slower than
 * local) is set to f = 1 with a warning: the data cannot tell f from 1.
 *
 * Measured by: `ibvf probe run --transport shm --pin same-socket` and the same with
 * `--pin other-socket` (the probe records the pin as `placement.relation`).
 */
import type { SizedMeasurement } from './from-probe.js';
import { perByteSlopeRatio, type SlopeRatioFit } from './slope-ratio.js';
import { intervalsOf, type IntervalOptions } from './resample.js';

/** Share of a cross-socket shared-memory message's memory streams that are remote (see above). */
export const CROSS_SOCKET_REMOTE_SHARE = 0.5;

export interface NumaFactorOptions extends IntervalOptions {
  /** q of the formula; default CROSS_SOCKET_REMOTE_SHARE. */
  remoteShare?: number;
}

/** The ratio, >= 1; slopeRatio is rho = other-socket / same-socket. */
export type NumaFactorFit = SlopeRatioFit;

export function fitNumaRemoteFactor(
  sameSocket: readonly SizedMeasurement[],
  otherSocket: readonly SizedMeasurement[],
  options: NumaFactorOptions = {},
): NumaFactorFit {
  const q = options.remoteShare ?? CROSS_SOCKET_REMOTE_SHARE;
  if (!(q > 0 && q <= 1)) throw new RangeError(`numaRemoteFactor: remote share ${q} is not in (0, 1]`);
  const slopes = perByteSlopeRatio(
    sameSocket,
    otherSocket,
    { name: 'numaRemoteFactor', reference: 'same-socket', other: 'other-socket' },
    options,
  );
  const factor = (rho: number) => Math.max(1, 1 + (rho - 1) / q);
  const rho = slopes.ratio;
  const warnings: string[] = [];
  if (rho < 1)
    warnings.push(
      `numaRemoteFactor: the other-socket sweep's per-byte cost is ${rho.toFixed(3)} times the same-socket one's (< 1); set to 1, the data cannot pin numaRemoteFactor down`,
    );
  return {
    value: factor(rho),
    interval: intervalsOf({ f: slopes.draws.map(factor) }).f,
    slopeRatio: rho,
    sizes: slopes.sizes,
    intervals: slopes.intervals,
    from: `${slopes.from}, f = 1 + (ratio - 1) / ${q} (remote share of a cross-socket message's memory streams, an assumption)`,
    warnings,
  };
}
