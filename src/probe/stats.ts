import type { SampleStats } from './result.js';

/**
 * Summary of a sample as perftest and OSU report it: min, median, mean, tail
 * percentiles (nearest rank on the sorted sample, as perftest's 99% and 99.9%
 * columns), max, and the sample standard deviation (n - 1).
 */
export function summarize(samples: ArrayLike<number>): SampleStats {
  const n = samples.length;
  if (n === 0) return { min_us: 0, median_us: 0, mean_us: 0, p99_us: 0, p99_9_us: 0, max_us: 0, stdev_us: 0 };
  const sorted = Float64Array.from(samples).sort();
  const rank = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (sorted[i] - mean) ** 2;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return {
    min_us: sorted[0],
    median_us: median,
    mean_us: mean,
    p99_us: rank(0.99),
    p99_9_us: rank(0.999),
    max_us: sorted[n - 1],
    stdev_us: n > 1 ? Math.sqrt(sq / (n - 1)) : 0,
  };
}

/** Samples rounded to nanoseconds, so the JSON stays short. */
export function roundSamples(samples: ArrayLike<number>): number[] {
  return Array.from(samples, (v) => Math.round(v * 1000) / 1000);
}
