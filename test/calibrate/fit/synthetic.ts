/**
 * Synthetic latency data with a known answer for the fitter tests: a true curve, seeded
 * multiplicative Gaussian noise from the project's generator, and the sizes and seeds the
 * tests share. Nothing here draws from Math.random.
 */
import { normal, seededRng, type Rng } from '../../../src/model/uncertainty/rng.js';

export interface SizedValue {
  bytes: number;
  us: number;
}

/** 1 B to 1 MiB in powers of two: the sizes osu_latency and ib_send_lat -a step through. */
export const POWERS_OF_TWO = Array.from({ length: 21 }, (_, e) => 2 ** e);

/** Seeds 1..count, so every statistic over seeds is the same run each time. */
export function seeds(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}

/** Every size repeated `copies` times in a row, as `copies` runs of one sweep pooled. */
export function withReplicates(sizes: readonly number[], copies: number): number[] {
  return sizes.flatMap((s) => new Array<number>(copies).fill(s));
}

/** The truth at each size times (1 + relativeNoise * a standard normal draw). */
export function noisyCurve(
  sizes: readonly number[],
  truth: (bytes: number) => number,
  relativeNoise: number,
  seed: number | Rng,
): SizedValue[] {
  const rng = typeof seed === 'number' ? seededRng(seed) : seed;
  return sizes.map((bytes) => ({ bytes, us: truth(bytes) * (1 + relativeNoise * normal(rng)) }));
}

export function contains([lo, hi]: readonly [number, number], value: number): boolean {
  return lo <= value && value <= hi;
}

/** `count` timed samples around `us`, each with multiplicative noise of the given relative size. */
export function noisySamples(us: number, count: number, relativeNoise: number, rng: Rng): number[] {
  return Array.from({ length: count }, () => us * (1 + relativeNoise * normal(rng)));
}

/** A latency sweep whose every size kept `count` samples of the truth with relative noise. */
export function sampledSweep(
  sizes: readonly number[],
  truth: (bytes: number) => number,
  count: number,
  relativeNoise: number,
  seed: number,
): { bytes: number; us: number; samples_us: number[] }[] {
  const rng = seededRng(seed);
  return sizes.map((bytes) => {
    const samples_us = noisySamples(truth(bytes), count, relativeNoise, rng);
    return { bytes, us: truth(bytes), samples_us };
  });
}
