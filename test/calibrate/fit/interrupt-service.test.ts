import { describe, expect, it } from 'vitest';
import { fitVectorService, type EventPairsRun } from '../../../src/calibrate/fit/interrupt-service.js';
import { verbsLatency } from '../../../src/model/p2p/verbs.js';
import { seededRng } from '../../../src/model/uncertainty/rng.js';
import { builtinProfile } from '../../../src/profiles/builtin.js';
import { contains, noisySamples, seeds } from './synthetic.js';

// Known answer from the model: a lone event-mode one-way time on the VF loopback path, and
// N pairs sharing one vector whose interrupts each hold it for service + exits (rule 6):
// l(N) = max(l(1), N S).
const profile = builtinProfile('cx3-fdr-kvm-2013')!;
const v = profile.virtualization;
const S = v.interruptService.value + v.interruptExitCost.value;
const lone = verbsLatency(profile.paths['vf-loopback'], 'send', 8, 'event');
const truth = (pairs: number) => Math.max(lone, pairs * S);

function runs(seed: number, noise: number, counts = [1, 2, 4, 8, 12, 16]): EventPairsRun[] {
  const rng = seededRng(seed);
  return counts.map((pairs) => ({
    pairs,
    perPair: Array.from({ length: pairs }, () => ({
      bytes: 8,
      us: truth(pairs),
      samples_us: noisySamples(truth(pairs), 200, noise, rng),
    })),
  }));
}

describe('fitVectorService: event-mode one-way time of N pairs on one vector, l(N) = max(l(1), N S)', () => {
  it('is exact without noise, from the runs past the knee only', () => {
    const fit = fitVectorService(
      runs(1, 0).map((r) => ({ ...r, perPair: r.perPair.map((p) => ({ bytes: p.bytes, us: p.us })) })),
      { draws: 0 },
    );
    expect(fit.value).toBeCloseTo(S, 9);
    expect(fit.lone).toBeCloseTo(lone, 9);
    expect(fit.paced).toEqual([4, 8, 12, 16].filter((n) => n * S > 1.1 * lone));
    expect(fit.interval).toBeNull();
  });

  it('recovers S at 3% noise per sample, its bootstrap interval covering it', () => {
    let covered = 0;
    for (const seed of seeds(10)) {
      const fit = fitVectorService(runs(seed, 0.03), { seed, draws: 300 });
      expect(Math.abs(fit.value / S - 1)).toBeLessThan(0.02);
      expect(fit.intervals.method).toBe('bootstrap');
      if (contains(fit.interval!, S)) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(8);
  });

  it('cannot pin it down when the pairs never queue on the vector, or without one pair alone', () => {
    expect(() => fitVectorService(runs(1, 0.01, [1, 2]), { draws: 0 })).toThrow(
      /^interruptService: the event-mode one-way time does not grow .*cannot pin its service time down/,
    );
    expect(() => fitVectorService(runs(1, 0.01, [2, 8]), { draws: 0 })).toThrow(
      /no event-mode run of one pair/,
    );
    expect(() => fitVectorService(runs(1, 0.01, [1, 1]), { draws: 0 })).toThrow(/two or more pair counts/);
  });
});
