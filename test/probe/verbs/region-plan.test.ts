/** The --region plan (src/probe/verbs/region.ts): checks, message sizes, iterations, steps last. */
import { describe, expect, it } from 'vitest';
import { checkJobSpec } from '../../../src/probe/job-spec.js';
import { planSuite } from '../../../src/probe/suites.js';
import {
  MAX_REGION_ITERATIONS,
  messageSizes,
  regionIterations,
  regionProblem,
  type RegionOptions,
} from '../../../src/probe/verbs/region.js';

const opts = (bytes: number[], extra: Partial<RegionOptions> = {}): RegionOptions => ({
  bytes,
  stride: 4096,
  messages: 'smallest',
  ...extra,
});

describe('--region plan', () => {
  it('refuses a region smaller than the stride, a stride not a power of two from 4 KiB, and no size that fits', () => {
    expect(regionProblem(opts([4096, 2 ** 20]), [1, 2])).toBeNull();
    expect(regionProblem(opts([2048]), [1])).toMatch(/smaller than the stride/);
    expect(regionProblem(opts([2 ** 20], { stride: 2048 }), [1])).toMatch(/power of two of at least 4096/);
    expect(regionProblem(opts([2 ** 20], { stride: 12288 }), [1])).toMatch(/power of two/);
    expect(regionProblem(opts([2 ** 37]), [1])).toMatch(/64 GiB/);
    expect(regionProblem(opts([2 ** 20]), [8192])).toMatch(/no --sizes at or below the stride/);
  });

  it('runs the smallest size, or every size up to the stride', () => {
    expect(messageSizes(opts([2 ** 20]), [8, 64, 8192])).toEqual([8]);
    expect(messageSizes(opts([2 ** 20], { messages: 'all' }), [8, 64, 4096, 8192])).toEqual([8, 64, 4096]);
  });

  it('times at least one pass over the slots, bounded', () => {
    expect(regionIterations(1000, 2 ** 20, 4096)).toBe(1000);
    expect(regionIterations(1000, 2 ** 24, 4096)).toBe(4096);
    expect(regionIterations(1000, 2 ** 36, 4096)).toBe(MAX_REGION_ITERATIONS);
  });

  it('puts the region ping-pongs after every other step, with a warm-up pass over the slots', () => {
    const steps = planSuite('quick', [1, 2, 4], ['poll', 'event'], null, {
      overheads: true,
      region: opts([65536, 2 ** 24]),
    });
    const first = steps.findIndex((s) => s.region !== undefined);
    expect(steps.slice(first).every((s) => s.region !== undefined)).toBe(true);
    expect(steps.slice(first).map((s) => [s.region, s.mode, s.sizes, s.warmup])).toEqual([
      [65536, 'poll', [1], 16],
      [65536, 'event', [1], 16],
      [2 ** 24, 'poll', [1], 4096],
      [2 ** 24, 'event', [1], 4096],
    ]);
    expect(steps[first + 2].iterations).toEqual([4096]);
  });

  it('a job spec from the network carries its region only as a whole number of bytes up to 64 GiB', () => {
    const spec = { kind: 'pingpong', mode: 'poll', sizes: [8], iterations: [10] };
    expect(checkJobSpec({ ...spec, region: 65536 }).region).toBe(65536);
    expect(checkJobSpec(spec).region).toBeUndefined();
    expect(() => checkJobSpec({ ...spec, region: 1.5 })).toThrow(/spec\.region must be a whole number/);
    expect(() => checkJobSpec({ ...spec, region: 2 ** 37 })).toThrow(
      /spec\.region must be a whole number from 0 to/,
    );
  });
});
