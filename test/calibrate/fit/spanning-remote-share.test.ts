/**
 * fitSpanningRemoteShare on synthetic shm sweeps with a known answer: the shm path's copy
 * cost stretched by the model's rule 2 (remoteMemoryStretch) with a true share, against the
 * unstretched same-socket sweep.
 */
import { describe, expect, it } from 'vitest';
import { fitSpanningRemoteShare } from '../../../src/calibrate/fit/spanning-remote-share.js';
import { mpiTransferLatency } from '../../../src/model/p2p/mpi.js';
import { remoteMemoryStretch } from '../../../src/model/virtualization.js';
import { builtinProfile } from '../../../src/profiles/builtin.js';
import type { Profile } from '../../../src/profiles/types.js';
import { contains, POWERS_OF_TWO, sampledSweep, seeds } from './synthetic.js';

const FACTOR = 1.8;
const base = builtinProfile('cx3-fdr-kvm-2013')!;
function sweeps(share: number) {
  const p: Profile = structuredClone(base);
  p.node.numaRemoteFactor.value = FACTOR;
  p.virtualization.spanningRemoteShare.value = share;
  const spanning = structuredClone(base.paths.shm);
  spanning.O.value = base.paths.shm.O.value * remoteMemoryStretch(p);
  return {
    same: (s: number) => mpiTransferLatency(base, base.paths.shm, s, 'poll'),
    span: (s: number) => mpiTransferLatency(base, spanning, s, 'poll'),
  };
}

describe('fitSpanningRemoteShare: a spanning VM against one socket, through rule 2', () => {
  it('recovers the share the model was given, its interval covering it, over seeds at 3% noise', () => {
    const t = sweeps(0.3);
    let covered = 0;
    for (const seed of seeds(10)) {
      const fit = fitSpanningRemoteShare(
        sampledSweep(POWERS_OF_TWO, t.same, 200, 0.03, seed),
        sampledSweep(POWERS_OF_TWO, t.span, 200, 0.03, 100 + seed),
        FACTOR,
        { seed, draws: 400 },
      );
      expect(Math.abs(fit.value - 0.3)).toBeLessThan(0.1);
      expect(fit.warnings).toEqual([]);
      if (contains(fit.interval!, 0.3)) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(8);
  });

  it('is exact on noiseless data and names the factor it divided by', () => {
    const t = sweeps(0.65);
    const exact = (f: (s: number) => number) => POWERS_OF_TWO.map((bytes) => ({ bytes, us: f(bytes) }));
    const fit = fitSpanningRemoteShare(exact(t.same), exact(t.span), FACTOR, { draws: 0 });
    expect(fit.value).toBeCloseTo(0.65, 6);
    expect(fit.interval).toBeNull();
    expect(fit.from).toContain('numaRemoteFactor 1.8');
  });

  it('clamps to [0, 1] with a warning naming the parameter', () => {
    const t = sweeps(0.5);
    const exact = (f: (s: number) => number) => POWERS_OF_TWO.map((bytes) => ({ bytes, us: f(bytes) }));
    // the spanning VM faster than one socket: the sweeps swapped
    const low = fitSpanningRemoteShare(exact(t.span), exact(t.same), FACTOR, { draws: 0 });
    expect(low.value).toBe(0);
    expect(low.warnings[0]).toMatch(/^spanningRemoteShare: .* clamped to 0 \(faster than one socket/);
    // slower than all-remote memory: a factor smaller than the run shows
    const high = fitSpanningRemoteShare(exact(t.same), exact(t.span), 1.2, { draws: 0 });
    expect(high.value).toBe(1);
    expect(high.warnings[0]).toMatch(/clamped to 1 \(slower than all-remote memory\)/);
  });

  it('refuses a factor of 1 and sweeps without three large sizes in common', () => {
    const t = sweeps(0.5);
    const exact = (f: (s: number) => number) => POWERS_OF_TWO.map((bytes) => ({ bytes, us: f(bytes) }));
    expect(() => fitSpanningRemoteShare(exact(t.same), exact(t.span), 1)).toThrow(/cannot be told/);
    expect(() => fitSpanningRemoteShare(exact(t.same).slice(0, 2), exact(t.span), FACTOR)).toThrow(
      /^spanningRemoteShare: the same-socket and spanning-vm sweeps share 2 size/,
    );
  });
});
