import { describe, expect, it } from 'vitest';
import { tickOverheadOf } from '../../../src/calibrate/fit/tick-overhead.js';

describe('tickOverheadOf (rule 1: 1 + t = s_guest / s_host with the node not oversubscribed)', () => {
  it('recovers t from the two stretches', () => {
    expect(tickOverheadOf(1.00126 * 1.02, 1.02)).toBeCloseTo(0.00126, 12);
  });
  it('is negative when the guest ran faster (the caller clamps and warns)', () => {
    expect(tickOverheadOf(0.99, 1)).toBeLessThan(0);
  });
  it('refuses a host stretch that is not positive', () => {
    expect(() => tickOverheadOf(1, 0)).toThrow(RangeError);
  });
});
