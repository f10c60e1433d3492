import { describe, expect, it } from 'vitest';
import { fitPcieBandwidth } from '../../../src/calibrate/fit/pcie-bandwidth.js';
import { normal, seededRng } from '../../../src/model/uncertainty/rng.js';
import { builtinProfile } from '../../../src/profiles/builtin.js';
import { contains, seeds } from './synthetic.js';

// Known answer from the model: the HCA carries a stream's bytes at min(link, PCIe); the
// loopback never crosses the link.
const profile = builtinProfile('cx3-fdr-kvm-2013')!;
const noisy = (truth: number, count: number, noise: number, seed: number) => {
  const rng = seededRng(seed);
  return Array.from({ length: count }, () => truth * (1 + noise * normal(rng)));
};

describe('fitPcieBandwidth: the loopback plateau, checked against across nodes', () => {
  it('recovers the PCIe bandwidth the model was given (slot below the link), inside its interval', () => {
    const pcie = profile.hca.pcieBandwidth.value;
    const net = Math.min(profile.hca.linkBandwidth.value, pcie);
    let covered = 0;
    for (const seed of seeds(10)) {
      const fit = fitPcieBandwidth(noisy(pcie, 4, 0.01, seed), noisy(net, 3, 0.01, 50 + seed));
      expect(Math.abs(fit.value / pcie - 1)).toBeLessThan(0.02);
      expect(fit.from).toContain('link and PCIe not told apart');
      if (contains(fit.interval!, pcie)) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(8);
  });

  it('says the link paces the native runs when they are slower', () => {
    const fit = fitPcieBandwidth([7000, 7050], [5000]);
    expect(fit.value).toBe(7025);
    expect(fit.from).toContain('the link, not PCIe, paces it');
  });

  it('has no interval from one run, and says so', () => {
    const fit = fitPcieBandwidth([6000], []);
    expect(fit.interval).toBeNull();
    expect(fit.from).toContain('no native run');
    expect(fit.warnings[0]).toMatch(/^pcieBandwidth: one native-loopback run; no interval/);
  });

  it('cannot pin it down when across nodes is faster than the loopback', () => {
    expect(() => fitPcieBandwidth([5000], [6500])).toThrow(/^pcieBandwidth: .*cannot pin pcieBandwidth down/);
    expect(() => fitPcieBandwidth([-1], [])).toThrow(/bandwidth of -1 MB\/s/);
  });
});
