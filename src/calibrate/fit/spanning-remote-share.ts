/**
 * `virtualization.spanningRemoteShare`: the share q of a rank's per-byte memory work that
 * goes to the other socket's memory when its VM's vCPUs span both sockets. Rule 2 of
 * src/model/virtualization.ts (`remoteMemoryStretch`) stretches that work by
 *
 *   1 + q (numaRemoteFactor - 1),
 *
 * so the same shared-memory pair's per-byte slope inside a spanning VM (unpinned: the
 * guest's scheduler and its memory placement decide, which is what q averages over)
 * against a pair pinned to one socket gives rho = slope_span / slope_same and
 *
 *   q = (rho - 1) / (numaRemoteFactor - 1),
 *
 * with numaRemoteFactor fitted in the same calibration (a `--pin other-socket` sweep) or
 * kept from the base profile; the caller names which. rho and its draws come from
 * perByteSlopeRatio (slope-ratio.ts), the slope code numaRemoteFactor uses. q is a
 * share: outside [0, 1] it is clamped with a warning (below 0 the spanning VM ran faster
 * than one socket; above 1 it ran slower than all-remote memory, which numaRemoteFactor
 * does not explain). With numaRemoteFactor at 1 (no remote penalty) q cannot be told.
 *
 * Measured by: `ibvf probe run --transport shm --spanning-vm` inside the spanning VM
 * (placement.relation "spanning-vm") and `ibvf probe run --transport shm --pin
 * same-socket` (on the host, or in a VM within one socket).
 */
import type { SizedMeasurement } from './from-probe.js';
import { perByteSlopeRatio, type SlopeRatioFit } from './slope-ratio.js';
import { intervalsOf, type IntervalOptions } from './resample.js';

/** numaRemoteFactor - 1 below this leaves q undetermined (a 2% remote penalty is within a sweep's scatter). */
const MIN_REMOTE_EXCESS = 0.02;

/** q, in [0, 1]; slopeRatio is rho = spanning / same-socket. */
export type SpanningShareFit = SlopeRatioFit;

export function fitSpanningRemoteShare(
  sameSocket: readonly SizedMeasurement[],
  spanning: readonly SizedMeasurement[],
  numaRemoteFactor: number,
  options: IntervalOptions = {},
): SpanningShareFit {
  if (!(numaRemoteFactor - 1 >= MIN_REMOTE_EXCESS))
    throw new RangeError(
      `spanningRemoteShare: numaRemoteFactor is ${numaRemoteFactor}; with remote memory no slower than local the share cannot be told (fit numaRemoteFactor with a --pin other-socket sweep)`,
    );
  const slopes = perByteSlopeRatio(
    sameSocket,
    spanning,
    { name: 'spanningRemoteShare', reference: 'same-socket', other: 'spanning-vm' },
    options,
  );
  const raw = (rho: number) => (rho - 1) / (numaRemoteFactor - 1);
  const share = (rho: number) => Math.min(1, Math.max(0, raw(rho)));
  const q = raw(slopes.ratio);
  const warnings: string[] = [];
  if (q < 0 || q > 1)
    warnings.push(
      `spanningRemoteShare: the spanning VM's per-byte cost is ${slopes.ratio.toFixed(3)} times the same-socket one's, ` +
        `a share of ${q.toFixed(3)} with numaRemoteFactor ${numaRemoteFactor}; clamped to ${share(slopes.ratio)}` +
        (q < 0
          ? ' (faster than one socket: noise, or the same-socket run was slowed)'
          : ' (slower than all-remote memory)'),
    );
  return {
    value: share(slopes.ratio),
    interval: intervalsOf({ q: slopes.draws.map(share) }).q,
    slopeRatio: slopes.ratio,
    sizes: slopes.sizes,
    intervals: slopes.intervals,
    from: `${slopes.from}, q = (ratio - 1) / (numaRemoteFactor - 1) with numaRemoteFactor ${numaRemoteFactor}`,
    warnings,
  };
}
