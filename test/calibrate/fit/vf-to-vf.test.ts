import { describe, expect, it } from 'vitest';
import { fitVfToVfExtra } from '../../../src/calibrate/fit/vf-to-vf.js';
import { verbsLatency } from '../../../src/model/p2p/verbs.js';
import { contains, POWERS_OF_TWO, sampledSweep } from './synthetic.js';
import { PROFILE } from './verbs-sweeps.js';

// Known answer: a send between two VMs of a node costs EXTRA us more than within one VM.
const EXTRA = 0.4;
const within = (bytes: number) => verbsLatency(PROFILE.paths['vf-loopback'], 'send', bytes, 'poll');
const across = (bytes: number) => within(bytes) + EXTRA;

describe('fitVfToVfExtra: pairs across two VMs of a node vs pairs in one VM', () => {
  it('recovers the constant exactly from exact sweeps, over every size', () => {
    const fit = fitVfToVfExtra(
      POWERS_OF_TWO.map((bytes) => ({ bytes, us: across(bytes) })),
      POWERS_OF_TWO.map((bytes) => ({ bytes, us: within(bytes) })),
    );
    expect(fit.value.value).toBeCloseTo(EXTRA, 12);
    expect(fit.bySize).toHaveLength(21);
    expect(fit.value.interval).toBeNull();
    expect(fit.value.from).toContain(
      'latency between two VMs of a node minus within one VM, across - within',
    );
  });

  it('recovers it from sampled sweeps with 2% noise, its interval holding the truth', () => {
    let hits = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const fit = fitVfToVfExtra(
        sampledSweep(POWERS_OF_TWO, across, 100, 0.02, seed),
        sampledSweep(POWERS_OF_TWO, within, 100, 0.02, seed + 1000),
        { draws: 400, seed },
      );
      expect(Math.abs(fit.value.value / EXTRA - 1)).toBeLessThan(0.1);
      if (contains(fit.value.interval!, EXTRA)) hits++;
    }
    expect(hits).toBeGreaterThanOrEqual(4);
  });

  it('sets a negative difference to 0 and says the data cannot pin it down', () => {
    const fit = fitVfToVfExtra(
      POWERS_OF_TWO.map((bytes) => ({ bytes, us: within(bytes) - 0.1 })),
      POWERS_OF_TWO.map((bytes) => ({ bytes, us: within(bytes) })),
    );
    expect(fit.value.value).toBe(0);
    expect(fit.warnings[0]).toMatch(/^vf-to-vf extra: the estimate is -0\.1 us < 0/);
  });
});
