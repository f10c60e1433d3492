/**
 * `virtualization.subscriptionPenalty` from native noise runs (`ibvf probe noise`).
 *
 * Rule 1 (src/model/virtualization.ts, docs/virtualization.md): natively the CPU demand D
 * is the busy threads W, and with D above the node's cores C a thread's CPU work stretches
 * by s = 1 + p (W/C - 1). A noise run with W workers on C cores measures s (its mean
 * quantum over the undisturbed one, `noise-params.ts`); with x = W/C - 1 each
 * oversubscribed run is a point (x, s - 1) on a line through the origin of slope p, fitted
 * by least squares: p = sum x (s - 1) / sum x^2 (one run: p = (s - 1) / x). Pure time
 * sharing of fully busy threads gives p = 1; more is the cost of the switches (cache and TLB
 * refills, exits under a hypervisor); less means the workers were not always runnable.
 */

export interface OversubscribedRun {
  workers: number;
  cores: number;
  /** Mean quantum over the undisturbed (reference) quantum. */
  stretch: number;
}

export function subscriptionPenaltyOf(runs: readonly OversubscribedRun[]): number {
  const usable = runs.filter((r) => r.workers > r.cores);
  if (usable.length === 0)
    throw new RangeError('subscriptionPenalty: no run with more workers than cores (W > C) to measure it');
  let sxy = 0;
  let sxx = 0;
  for (const r of usable) {
    const x = r.workers / r.cores - 1;
    sxy += x * (r.stretch - 1);
    sxx += x * x;
  }
  return sxy / sxx;
}
