import { describe, expect, it } from 'vitest';
import {
  fitSocketCopyBandwidth,
  type PairsBandwidth,
} from '../../../src/calibrate/fit/socket-copy-bandwidth.js';
import { normal, seededRng } from '../../../src/model/uncertainty/rng.js';
import { memoryBandwidthStretch } from '../../../src/model/virtualization.js';
import { builtinProfile } from '../../../src/profiles/builtin.js';
import { contains, seeds } from './synthetic.js';

// Known answer from the model (rule 5): N shm pairs on one socket are 2N copying ranks,
// each pair moving 1 / (O x stretch) bytes per us at large sizes.
const profile = builtinProfile('cx3-fdr-kvm-2013')!;
const TRUE_BANDWIDTH = profile.node.socketCopyBandwidth.value;
const O = profile.paths.shm.O.value;
const aggregate = (pairs: number) => pairs / (O * memoryBandwidthStretch(profile, 2 * pairs, O));

function runs(seed: number, noise: number, counts = [1, 2, 3, 4, 6]): PairsBandwidth[] {
  const rng = seededRng(seed);
  return counts.flatMap((pairs) =>
    [0, 1, 2].map(() => ({ pairs, bandwidthMBps: aggregate(pairs) * (1 + noise * normal(rng)) })),
  );
}

describe('fitSocketCopyBandwidth: twice the plateau of the aggregate shm bandwidth as pairs are added', () => {
  it('recovers the socket bandwidth the model was given, within 3% and inside its interval, at 1% noise', () => {
    let covered = 0;
    for (const seed of seeds(10)) {
      const fit = fitSocketCopyBandwidth(runs(seed, 0.01));
      expect(fit.saturated).toEqual([2, 3, 4, 6]);
      expect(Math.abs(fit.value / TRUE_BANDWIDTH - 1)).toBeLessThan(0.03);
      if (contains(fit.interval!, TRUE_BANDWIDTH)) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(8);
  });

  it('is exact without noise, and one pair alone is the pair rate the model gives', () => {
    const fit = fitSocketCopyBandwidth(runs(1, 0));
    expect(fit.value).toBeCloseTo(TRUE_BANDWIDTH, 6);
    expect(fit.perPair).toBeCloseTo(1 / O, 6);
    expect(fit.from).toContain('two copies per byte');
  });

  it('warns that the data cannot pin it down while the aggregate still grows', () => {
    const fit = fitSocketCopyBandwidth([
      { pairs: 1, bandwidthMBps: 5000 },
      { pairs: 2, bandwidthMBps: 9900 },
    ]);
    expect(fit.saturated).toEqual([]);
    expect(fit.interval).toBeNull();
    expect(fit.warnings[0]).toMatch(
      /^socketCopyBandwidth: .* at least 19800 MB\/s but the data cannot pin socketCopyBandwidth down/,
    );
  });

  it('refuses one pair count and non-positive bandwidths', () => {
    expect(() => fitSocketCopyBandwidth([{ pairs: 2, bandwidthMBps: 1 }])).toThrow(/two or more pair counts/);
    expect(() =>
      fitSocketCopyBandwidth([
        { pairs: 1, bandwidthMBps: 1 },
        { pairs: 2, bandwidthMBps: Number.NaN },
      ]),
    ).toThrow(/^socketCopyBandwidth: run 1 has an aggregate rate of NaN/);
  });
});
