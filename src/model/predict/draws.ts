/**
 * Uncertainty, around the whole pipeline: the profile drawn from its intervals, the same
 * draws for every layout and size of a question (common random numbers).
 */
import type { Profile } from '../../profiles/types.js';
import { drawProfile } from '../uncertainty/draw.js';
import { seededRng } from '../uncertainty/rng.js';

const drawCache = new WeakMap<Profile, Map<string, Profile[]>>();

/**
 * The profile drawn `n` times from `seed`. The same draws serve every layout and size of
 * one comparison (common random numbers), so the ranges of two layouts move together
 * and their ratio is not blurred by independent noise; drawing once also saves time.
 */
export function drawnProfiles(profile: Profile, seed: number, n: number): Profile[] {
  let bySeed = drawCache.get(profile);
  if (!bySeed) drawCache.set(profile, (bySeed = new Map()));
  const key = `${seed}|${n}`;
  let draws = bySeed.get(key);
  if (!draws) {
    const rng = seededRng(seed);
    draws = Array.from({ length: n }, () => drawProfile(profile, rng));
    bySeed.set(key, draws);
  }
  return draws;
}
