import { describe, expect, it } from 'vitest';
import { predictBfs } from '../../../src/model/graph500/bfs-predict.js';
import { extrapolateProfile } from '../../../src/model/graph500/extrapolate.js';
import { profileGraph } from '../../../src/model/graph500/profile.js';
import { loadProfile } from '../../../src/profiles/load.js';

describe('extrapolated level profiles', () => {
  it('scale 12 from scales 10 and 11 against scale 12 generated: errors printed, within 35%', () => {
    const profile = loadProfile('cx3-fdr-kvm-2013');
    const key = { edgeFactor: 16, seed: 3, roots: 16, modulus: 16 };
    const truth = profileGraph({ ...key, scale: 12 });
    const lines: string[] = [];
    for (const from of [10, 11]) {
      const x = extrapolateProfile(profileGraph({ ...key, scale: from }), 12);
      expect(x.vertices).toBe(truth.vertices);
      expect(x.inputEdges).toBe(truth.inputEdges);
      expect(x.extrapolatedFrom).toBe(from);
      for (const placement of ['native', 'vm-per-core'] as const)
        for (const perNode of [1, 4]) {
          const q = { nodes: 4, perNode, placement, variant: 'simple' as const };
          const want = predictBfs(profile, profile, truth, q);
          const got = predictBfs(profile, profile, x, q);
          const err = got.time_s / want.time_s - 1;
          const tepsErr = got.teps / want.teps - 1;
          lines.push(
            `from ${from}, ${placement} x ${perNode}: time ${(100 * err).toFixed(1)}%, TEPS ${(100 * tepsErr).toFixed(1)}%`,
          );
          expect(Math.abs(err)).toBeLessThan(0.35);
          expect(Math.abs(tepsErr)).toBeLessThan(0.35);
        }
    }
    console.log(lines.join('\n'));
  });

  it('refuses to extrapolate downwards', () => {
    const p = profileGraph({ scale: 6, edgeFactor: 16, seed: 1, roots: 2, modulus: 1 });
    expect(() => extrapolateProfile(p, 5)).toThrow(/cannot extrapolate/);
  });
});
