import { describe, expect, it } from 'vitest';
import { fitHcaMessageRate, type PairsRate } from '../../../src/calibrate/fit/hca-message-rate.js';
import { normal, seededRng } from '../../../src/model/uncertainty/rng.js';

// Known answer: each pair alone streams 3 Mmsg/s, the HCA processes 10 Mmsg/s in all.
const PER_PAIR = 3;
const HCA = 10;
const truth = (pairs: number) => Math.min(pairs * PER_PAIR, HCA) * 1e6;

describe('fitHcaMessageRate: --pairs N streaming, the aggregate saturating with N', () => {
  it('recovers the HCA rate exactly from runs on the model min(N r, messageRate)', () => {
    const runs = [1, 2, 3, 4, 6, 8].map((pairs) => ({ pairs, msgRate: truth(pairs) }));
    const fit = fitHcaMessageRate(runs);
    expect(fit.value).toBeCloseTo(HCA, 12);
    expect(fit.perPair).toBeCloseTo(PER_PAIR, 12);
    // 3 pairs reach 9 of 9: not saturated; 4 reach 10 of 12: saturated.
    expect(fit.saturated).toEqual([4, 6, 8]);
    expect(fit.interval![0]).toBeCloseTo(HCA, 9);
    expect(fit.interval![1]).toBeCloseTo(HCA, 9);
    expect(fit.warnings).toEqual([]);
  });

  it('recovers it within 3% from runs with 2% noise, the interval holding it in most seeds', () => {
    let hits = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const rng = seededRng(seed);
      const runs: PairsRate[] = [1, 1, 2, 2, 4, 4, 6, 6, 8, 8].map((pairs) => ({
        pairs,
        msgRate: truth(pairs) * (1 + 0.02 * normal(rng)),
      }));
      const fit = fitHcaMessageRate(runs);
      expect(Math.abs(fit.value / HCA - 1)).toBeLessThan(0.03);
      expect(fit.saturated).toEqual([4, 6, 8]);
      if (fit.interval![0] <= HCA && HCA <= fit.interval![1]) hits++;
    }
    // A 95% interval: about 19 of 20.
    expect(hits).toBeGreaterThanOrEqual(17);
  });

  it('gives only a lower bound, with a warning, when the aggregate never saturates', () => {
    const fit = fitHcaMessageRate([1, 2, 3].map((pairs) => ({ pairs, msgRate: truth(pairs) })));
    expect(fit.saturated).toEqual([]);
    expect(fit.value).toBeCloseTo(9, 12);
    expect(fit.interval).toBeNull();
    expect(fit.warnings[0]).toBe(
      "hca.messageRate: the aggregate rate still grows with the pairs at 1, 2, 3; the HCA's rate is at least 9 Mmsg/s but not measured (stream with more pairs)",
    );
  });

  it('says when one saturated run gives no interval', () => {
    const fit = fitHcaMessageRate([1, 4].map((pairs) => ({ pairs, msgRate: truth(pairs) })));
    expect(fit.value).toBeCloseTo(HCA, 12);
    expect(fit.interval).toBeNull();
    expect(fit.warnings[0]).toMatch(/one saturated run \(pairs = 4\); no interval/);
  });

  it('refuses one pair count and bad numbers', () => {
    expect(() => fitHcaMessageRate([{ pairs: 2, msgRate: 1e6 }])).toThrow(/two or more pair counts/);
    expect(() => fitHcaMessageRate([{ pairs: 0, msgRate: 1e6 }])).toThrow(/pairs = 0/);
    expect(() => fitHcaMessageRate([{ pairs: 1, msgRate: Number.NaN }])).toThrow(/message rate of NaN/);
  });
});
