import { describe, expect, it } from 'vitest';
import {
  CROSS_SOCKET_REMOTE_SHARE,
  fitNumaRemoteFactor,
} from '../../../src/calibrate/fit/numa-remote-factor.js';
import { mpiTransferLatency } from '../../../src/model/p2p/mpi.js';
import { remoteMemoryStretch } from '../../../src/model/virtualization.js';
import { builtinProfile } from '../../../src/profiles/builtin.js';
import type { Profile } from '../../../src/profiles/types.js';
import { contains, POWERS_OF_TWO, sampledSweep, seeds } from './synthetic.js';

// Known answer from the model: the shm path's copies stretched by rule 2 with the share of
// remote streams the fit assumes and a true factor of 1.8.
const TRUE_FACTOR = 1.8;
const base = builtinProfile('cx3-fdr-kvm-2013')!;
const remote: Profile = structuredClone(base);
remote.node.numaRemoteFactor.value = TRUE_FACTOR;
remote.virtualization.spanningRemoteShare.value = CROSS_SOCKET_REMOTE_SHARE;
const shm = base.paths.shm;
const farShm = structuredClone(shm);
farShm.O.value = shm.O.value * remoteMemoryStretch(remote);
const sameTruth = (s: number) => mpiTransferLatency(base, shm, s, 'poll');
const otherTruth = (s: number) => mpiTransferLatency(base, farShm, s, 'poll');

describe('fitNumaRemoteFactor: the ratio of per-byte shm costs across and within a socket, through rule 2', () => {
  it('recovers the factor the model was given, its interval covering it, over seeds at 3% noise', () => {
    let covered = 0;
    for (const seed of seeds(10)) {
      const same = sampledSweep(POWERS_OF_TWO, sameTruth, 200, 0.03, seed);
      const other = sampledSweep(POWERS_OF_TWO, otherTruth, 200, 0.03, 100 + seed);
      const fit = fitNumaRemoteFactor(same, other, { seed, draws: 400 });
      expect(Math.abs(fit.value - TRUE_FACTOR)).toBeLessThan(0.1);
      expect(fit.intervals.method).toBe('bootstrap');
      expect(fit.sizes[fit.sizes.length - 1]).toBe(2 ** 20);
      if (contains(fit.interval!, TRUE_FACTOR)) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(8);
  });

  it('is exact on noiseless data and says where its remote share comes from', () => {
    const exact = (t: (s: number) => number) => POWERS_OF_TWO.map((bytes) => ({ bytes, us: t(bytes) }));
    const fit = fitNumaRemoteFactor(exact(sameTruth), exact(otherTruth), { draws: 0 });
    expect(fit.value).toBeCloseTo(TRUE_FACTOR, 6);
    expect(fit.interval).toBeNull();
    expect(fit.intervals.method).toBe('none');
    expect(fit.from).toContain('an assumption');
  });

  it('sets 1 with a warning naming the parameter when the other socket is no slower', () => {
    const same = sampledSweep(POWERS_OF_TWO, otherTruth, 50, 0.01, 1);
    const other = sampledSweep(POWERS_OF_TWO, sameTruth, 50, 0.01, 2);
    const fit = fitNumaRemoteFactor(same, other, { draws: 100 });
    expect(fit.value).toBe(1);
    expect(fit.interval![0]).toBeGreaterThanOrEqual(1);
    expect(fit.warnings[0]).toMatch(
      /^numaRemoteFactor: .* set to 1, the data cannot pin numaRemoteFactor down/,
    );
  });

  it('refuses sweeps that share fewer than three sizes', () => {
    const same = [1, 2, 4].map((bytes) => ({ bytes, us: sameTruth(bytes) }));
    const other = [4, 8, 16].map((bytes) => ({ bytes, us: otherTruth(bytes) }));
    expect(() => fitNumaRemoteFactor(same, other)).toThrow(/^numaRemoteFactor: .*share 1 size/);
  });
});
