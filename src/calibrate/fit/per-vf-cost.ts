/**
 * `virtualization.perVfCost`: the extra HCA engine time per message for each other VF
 * active on the node. The model (src/model/virtualization.ts, rule 4, `hcaMessageUs`) holds
 * the engine per message for
 *
 *   t(k) = 1 / messageRate + (k - 1) perVfCost      (us; messageRate in Mmsg/s)
 *
 * with k VMs, each with its VF, active on the node, so streams that saturate the engine
 * reach an aggregate R_k = 1 / t(k). Pairs inside one VM (k = 1) saturate at R_1 =
 * messageRate; pairs across k VMs at R_k, and
 *
 *   perVfCost = (1 / R_k - 1 / R_1) / (k - 1).
 *
 * Saturated runs are found by aggregate-plateau.ts's rule (more than 10% short of N times
 * one pair's rate), separately for the runs in one VM and across VMs. R_1 is the mean of
 * the saturated one-VM runs; perVfCost the mean over the saturated runs across VMs of their
 * own estimate. Interval: a seeded bootstrap over the runs (streaming runs keep no
 * per-message samples), resampling both sets with replacement, when each has two or more
 * saturated runs; otherwise none, and why. A negative estimate (across VMs faster) is set
 * to 0 with a warning.
 *
 * Measured by: `ibvf probe run --transport verbs --pairs N` streaming at a small size with
 * a deep window, once with every pair inside one VM (path `vf-loopback`) and once with the
 * pairs' ranks spread over k VMs of the node (path `vf-to-vf`, under a launcher: the file's
 * `pair_layout` names each rank's host, and the VMs are counted from it).
 */
import { range95 } from '../../model/uncertainty/draw.js';
import { seededRng } from '../../model/uncertainty/rng.js';
import { aggregatePlateau } from './aggregate-plateau.js';
import { clampAtZero } from './fitted-value.js';

export interface VmPairsRate {
  pairs: number;
  /** VMs (each with its VF) whose ranks took part. */
  vms: number;
  /** Aggregate messages per second. */
  msgRate: number;
}

export interface PerVfCostFit {
  /** us. */
  value: number;
  interval: [number, number] | null;
  /** The one-VM plateau, Mmsg/s. */
  oneVmRate: number;
  /** Why there is no interval, or how it was made. */
  intervalWhy: string;
  from: string;
  warnings: string[];
}

export function fitPerVfCost(
  oneVm: readonly VmPairsRate[],
  acrossVms: readonly VmPairsRate[],
  options: { draws?: number; seed?: number } = {},
  shortfall = 0.1,
): PerVfCostFit {
  const mmsg = (r: VmPairsRate) => r.msgRate / 1e6;
  const one = aggregatePlateau(
    oneVm.map((r) => ({ streams: r.pairs, rate: mmsg(r) })),
    'perVfCost',
    shortfall,
  );
  if (one.capacity === null)
    throw new RangeError(
      `perVfCost: the pairs in one VM never saturate the HCA (pairs = ${one.counts.join(', ')}), so the engine's own rate is not measured; the data cannot pin perVfCost down`,
    );
  const across = aggregatePlateau(
    acrossVms.map((r) => ({ streams: r.pairs, rate: mmsg(r) })),
    'perVfCost',
    shortfall,
  );
  const used = across.saturatedRuns.filter((i) => acrossVms[i].vms >= 2);
  if (used.length === 0)
    throw new RangeError(
      `perVfCost: no run across two or more VMs saturates the HCA (pairs = ${across.counts.join(', ')}); the data cannot pin perVfCost down`,
    );
  const oneRates = one.saturatedRuns.map((i) => mmsg(oneVm[i]));
  const acrossRuns = used.map((i) => ({ rate: mmsg(acrossVms[i]), vms: acrossVms[i].vms }));
  const estimate = (r1: number, runs: readonly { rate: number; vms: number }[]) =>
    runs.reduce((s, r) => s + (1 / r.rate - 1 / r1) / (r.vms - 1), 0) / runs.length;
  const raw = estimate(one.capacity, acrossRuns);
  const warnings: string[] = [];
  if (raw < 0)
    warnings.push(
      `perVfCost: the HCA's saturated rate across VMs is above its rate in one VM (estimate ${Number(raw.toPrecision(3))} us < 0); set to 0, the data cannot tell perVfCost from 0`,
    );
  const draws = options.draws ?? 1000;
  let interval: [number, number] | null = null;
  let intervalWhy: string;
  if (draws === 0) intervalWhy = 'no interval: no draws were asked for';
  else if (oneRates.length < 2 || acrossRuns.length < 2)
    intervalWhy = `no interval: ${oneRates.length} saturated run(s) in one VM and ${acrossRuns.length} across VMs; two or more of each are needed to resample`;
  else {
    const rng = seededRng(options.seed ?? 1);
    const pick = <T>(xs: readonly T[]) => Array.from(xs, () => xs[Math.floor(rng() * xs.length)]);
    const sample = Array.from({ length: draws }, () => {
      const ones = pick(oneRates);
      return clampAtZero(estimate(ones.reduce((a, b) => a + b, 0) / ones.length, pick(acrossRuns)));
    });
    interval = range95(sample);
    intervalWhy = `95% interval: seeded bootstrap over the saturated runs (${draws} draws, seed ${options.seed ?? 1})`;
  }
  return {
    value: clampAtZero(raw),
    interval,
    oneVmRate: one.capacity,
    intervalWhy,
    from:
      `(1 / R_k - 1 / R_1) / (k - 1), R_1 = ${round(one.capacity)} Mmsg/s the mean of the saturated runs in one VM ` +
      `(pairs = ${one.saturated.join(', ')}), averaged over ${acrossRuns.length} saturated run(s) across ` +
      `${[...new Set(acrossRuns.map((r) => r.vms))].join(', ')} VMs`,
    warnings,
  };
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}
