/**
 * `virtualization.hostCoresReserved` and `hostWorkPerVm` from guest noise runs with every
 * vCPU busy, run in all K VMs of a node at once, at two or more K.
 *
 * Rule 1 (src/model/virtualization.ts): a guest's CPU work stretches by
 *   s = (1 + t) (1 + p (D/C - 1)),  D = busy vCPUs + hostCoresReserved + K x hostWorkPerVm,
 * when D > C (C the node's cores, t tickOverhead, p subscriptionPenalty). Inverted, a run's
 * stretch gives the node's demand D = C (1 + (s / (1 + t) - 1) / p), and what the host adds
 * to the busy vCPUs, y = D - K W (W workers in each VM), is a line over K:
 *   y(K) = hostCoresReserved + K x hostWorkPerVm.
 * With two or more K the line is fitted by least squares (simple-statistics'
 * linearRegression); the intercept is a whole number of cores in a profile, so it is
 * rounded (at least 0) and the slope refitted through it: h = sum K (y - r) / sum K^2.
 * With one K only y = r + K h is known: the data cannot separate the two, so r stays the
 * base profile's and h = (y - r) / K takes the rest.
 * A run with s / (1 + t) <= 1 showed no oversubscription: it bounds y <= C - K W but does
 * not measure it (the caller leaves it out and says so).
 */
import { linearRegression } from 'simple-statistics';

/** Rule 1 inverted: the CPU demand (cores) that stretches a guest's work by `stretch`. */
export function demandOf(stretch: number, cores: number, tick: number, penalty: number): number {
  return cores * (1 + (stretch / (1 + tick) - 1) / penalty);
}

export interface HostWorkPoint {
  /** VMs of the node running at once. */
  vms: number;
  /** The demand beyond the busy vCPUs: D - K W (cores). */
  extra: number;
}

export interface HostDemandFit {
  /** Whole cores; the base's when `separated` is false. */
  reserved: number;
  hostWork: number;
  /** The line's intercept before rounding (null with one K). */
  rawReserved: number | null;
  /** Whether the runs had two or more VM counts, so both were fitted. */
  separated: boolean;
}

export function hostDemandOf(points: readonly HostWorkPoint[], baseReserved: number): HostDemandFit {
  if (points.length === 0)
    throw new RangeError('hostCoresReserved, hostWorkPerVm: no oversubscribed guest run');
  const ks = new Set(points.map((p) => p.vms));
  if (ks.size < 2) {
    const k = points[0].vms;
    const y = points.reduce((a, p) => a + p.extra, 0) / points.length;
    return { reserved: baseReserved, hostWork: (y - baseReserved) / k, rawReserved: null, separated: false };
  }
  const line = linearRegression(points.map((p) => [p.vms, p.extra]));
  const reserved = Math.max(0, Math.round(line.b));
  let skk = 0;
  let sky = 0;
  for (const p of points) {
    skk += p.vms * p.vms;
    sky += p.vms * (p.extra - reserved);
  }
  return { reserved, hostWork: sky / skk, rawReserved: line.b, separated: true };
}
