import { describe, expect, it } from 'vitest';
import { predictP2p } from '../../../src/model/p2p/predict.js';
import { predictP2pRange } from '../../../src/model/uncertainty/p2p-range.js';
import { builtinProfile } from '../../../src/profiles/builtin.js';

describe('predictP2pRange', () => {
  const profile = builtinProfile('cx3-fdr-kvm-2013')!;
  const q = { path: 'vf', op: 'send' as const, progress: 'poll' as const };
  const sizes = [1, 64, 4096, 1048576];

  it('keeps the point prediction and brackets it with a 95% range of non-zero width', () => {
    const rows = predictP2pRange(profile, q, sizes, { draws: 100 });
    const plain = predictP2p(profile, q, sizes);
    rows.forEach((r, i) => {
      expect(r.latency_us).toBe(plain[i].latency_us);
      expect(r.latency_lo_us).toBeLessThan(r.latency_hi_us);
      expect(r.latency_lo_us).toBeLessThanOrEqual(r.latency_us * 1.001);
      expect(r.latency_hi_us).toBeGreaterThanOrEqual(r.latency_us * 0.999);
      expect(r.bandwidth_lo_MBps).toBeLessThanOrEqual(r.bandwidth_hi_MBps);
    });
  });

  it('is reproducible for a seed and moves with another seed', () => {
    const a = predictP2pRange(profile, q, [1], { draws: 50, seed: 7 });
    expect(predictP2pRange(profile, q, [1], { draws: 50, seed: 7 })).toEqual(a);
    expect(predictP2pRange(profile, q, [1], { draws: 50, seed: 8 })[0].latency_hi_us).not.toBe(
      a[0].latency_hi_us,
    );
  });
});
