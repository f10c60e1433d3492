import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {
  checkComputeSizes,
  COLD_SET_MAX,
  COLD_SET_MIN,
  coldSetFor,
  COMPUTE_MAX_BYTES,
} from '../../src/probe/compute-run.js';

describe('compute probe: the rotating set and the sizes it accepts', () => {
  it('sizes the cold set at twice the last-level cache, within its bounds', () => {
    expect(coldSetFor(40 * 1024 ** 2)).toBe(80 * 1024 ** 2);
    expect(coldSetFor(0)).toBe(COLD_SET_MIN); // unknown cache
    expect(coldSetFor(8 * 1024 ** 2)).toBe(COLD_SET_MIN);
    expect(coldSetFor(508 * 1024 ** 2)).toBe(COLD_SET_MAX); // this build VM's reported L3
  });

  it('takes whole doubles for the reduction, any size from 8 B for the copy alone, up to its limit', () => {
    expect(() => checkComputeSizes([8, 16, 32], ['copy', 'reduce'])).not.toThrow();
    expect(() => checkComputeSizes([12, 24], ['copy'])).not.toThrow();
    expect(() => checkComputeSizes([12, 24], ['reduce'])).toThrow(UsageError);
    expect(() => checkComputeSizes([4, 8], ['copy'])).toThrow(/4 B is below 8 B/);
    expect(() => checkComputeSizes([8, 2 * COMPUTE_MAX_BYTES], ['copy'])).toThrow(
      /above the compute probe's largest size/,
    );
  });
});
