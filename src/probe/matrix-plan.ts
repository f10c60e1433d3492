/**
 * Which rank pairs a `--matrix` run measures, and in what order: every pair (a, b) with
 * a < b in row order, or K of them drawn with a seed (`--sample K --seed S`), so two runs
 * with the same seed and rank count measure the same pairs.
 */
import { UsageError } from '../errors.js';
import type { PathClass } from './matrix-result.js';

export type RankPair = [number, number];

/** Every pair (a, b), a < b, in row order: (0,1), (0,2), ..., (1,2), ... */
export function allPairs(ranks: number): RankPair[] {
  const out: RankPair[] = [];
  for (let a = 0; a < ranks; a++) for (let b = a + 1; b < ranks; b++) out.push([a, b]);
  return out;
}

/**
 * SplitMix32 (the 32-bit variant of Steele, Lea and Flood's SplitMix, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014: a Weyl sequence through a mixing
 * function): enough for choosing pairs, and reproducible from one integer seed.
 */
export function splitMix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
}

/**
 * The pairs to measure: all of them, or a sample of K (a partial Fisher-Yates shuffle with
 * the seeded generator), returned in row order. Refuses one rank (no pair) and K above the
 * number of pairs, naming what to give instead.
 */
export function planPairs(ranks: number, sample: number | undefined, seed: number): RankPair[] {
  if (ranks < 2)
    throw new UsageError(
      `--matrix measures rank pairs, but the launcher started ${ranks} rank: run it with at least 2 (mpiexec -n 4 ibvf probe run --matrix ...)`,
    );
  const pairs = allPairs(ranks);
  if (sample === undefined) return pairs;
  if (sample > pairs.length)
    throw new UsageError(
      `--sample ${sample}: ${ranks} ranks have only ${pairs.length} pairs; give --sample ${pairs.length} or less (or leave it out to measure every pair)`,
    );
  const next = splitMix32(seed);
  const pool = pairs.slice();
  for (let i = 0; i < sample; i++) {
    const j = i + Math.floor(next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, sample).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}

/** A pair's path class: both ranks on one host (by host name) or not. */
export function pathClass(hostA: string, hostB: string): PathClass {
  return hostA === hostB ? 'same-host' : 'cross-host';
}
