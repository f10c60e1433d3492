import { describe, expect, it } from 'vitest';
import { subscriptionPenaltyOf } from '../../../src/calibrate/fit/subscription-penalty.js';

describe('subscriptionPenaltyOf (rule 1 natively: s = 1 + p (W/C - 1))', () => {
  it('recovers p from one oversubscribed run', () => {
    // W = 4 on C = 2: s = 1 + 1.3 x 1
    expect(subscriptionPenaltyOf([{ workers: 4, cores: 2, stretch: 2.3 }])).toBeCloseTo(1.3, 12);
  });

  it('fits the line through the origin over several W, ignoring runs at or under the cores', () => {
    const p = 0.8;
    const runs = [16, 24, 32, 48].map((w) => ({ workers: w, cores: 16, stretch: 1 + p * (w / 16 - 1) }));
    expect(subscriptionPenaltyOf([...runs, { workers: 8, cores: 16, stretch: 5 }])).toBeCloseTo(p, 12);
  });

  it('refuses runs that are not oversubscribed', () => {
    expect(() => subscriptionPenaltyOf([{ workers: 2, cores: 2, stretch: 1.1 }])).toThrow(/W > C/);
  });
});
