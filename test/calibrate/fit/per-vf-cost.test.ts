import { describe, expect, it } from 'vitest';
import { fitPerVfCost, type VmPairsRate } from '../../../src/calibrate/fit/per-vf-cost.js';
import { normal, seededRng } from '../../../src/model/uncertainty/rng.js';
import { hcaMessageUs } from '../../../src/model/virtualization.js';
import { builtinProfile } from '../../../src/profiles/builtin.js';
import type { Profile } from '../../../src/profiles/types.js';
import { contains, seeds } from './synthetic.js';

// Known answer from the model (rule 4): the engine holds each message 1/messageRate plus
// perVfCost per other active VF; each pair alone streams at 4 Mmsg/s.
const TRUE_COST = 0.02;
const truth: Profile = structuredClone(builtinProfile('cx3-fdr-kvm-2013')!);
truth.hca.messageRate.value = 12;
truth.virtualization.perVfCost.value = TRUE_COST;
const PER_PAIR = 4;
const aggregate = (pairs: number, vms: number) =>
  Math.min(pairs * PER_PAIR, 1 / hcaMessageUs(truth, vms)) * 1e6;

function runs(seed: number, noise: number, across: boolean): VmPairsRate[] {
  const rng = seededRng(seed);
  return [1, 2, 4, 6, 8].flatMap((pairs) =>
    [0, 1].map(() => {
      const vms = across ? pairs + 1 : 1;
      return { pairs, vms, msgRate: aggregate(pairs, vms) * (1 + noise * normal(rng)) };
    }),
  );
}

describe('fitPerVfCost: the saturated HCA rate across k VMs against one VM, through rule 4', () => {
  it('is exact without noise', () => {
    const fit = fitPerVfCost(runs(1, 0, false), runs(1, 0, true), { draws: 200 });
    expect(fit.value).toBeCloseTo(TRUE_COST, 9);
    expect(fit.oneVmRate).toBeCloseTo(12, 9);
    expect(fit.from).toContain('saturated run(s) across');
  });

  it('recovers the cost at 1% noise, its seeded bootstrap interval covering it', () => {
    let covered = 0;
    for (const seed of seeds(10)) {
      const fit = fitPerVfCost(runs(seed, 0.01, false), runs(100 + seed, 0.01, true), { seed, draws: 400 });
      expect(Math.abs(fit.value - TRUE_COST)).toBeLessThan(0.005);
      expect(fit.intervalWhy).toMatch(/seeded bootstrap over the saturated runs/);
      if (contains(fit.interval!, TRUE_COST)) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(8);
  });

  it('sets 0 with a warning when the runs across VMs are faster, never a negative cost', () => {
    const fit = fitPerVfCost(
      runs(1, 0, true),
      runs(1, 0, false).map((r) => ({ ...r, vms: 2 })),
      { draws: 100 },
    );
    expect(fit.value).toBe(0);
    expect(fit.interval![0]).toBe(0);
    expect(fit.warnings[0]).toMatch(/^perVfCost: .* set to 0, the data cannot tell perVfCost from 0/);
  });

  it('cannot pin it down when one side never saturates', () => {
    const growing: VmPairsRate[] = [1, 2].map((pairs) => ({ pairs, vms: 1, msgRate: pairs * 4e6 }));
    expect(() => fitPerVfCost(growing, runs(1, 0, true))).toThrow(
      /^perVfCost: the pairs in one VM never saturate/,
    );
    const acrossGrowing = growing.map((r) => ({ ...r, vms: 3 }));
    expect(() => fitPerVfCost(runs(1, 0, false), acrossGrowing)).toThrow(
      /^perVfCost: no run across two or more VMs saturates/,
    );
  });
});
