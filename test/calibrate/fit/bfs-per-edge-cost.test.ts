import { describe, expect, it } from 'vitest';
import { fitBfsPerEdgeCost, MIN_BOOTSTRAP_ROOTS } from '../../../src/calibrate/fit/bfs-per-edge-cost.js';
import type { Graph500Run } from '../../../src/calibrate/import/graph500.js';

/** A one-process run whose every root scans 2E entries at `nsPerEntry`, times jittered by `jitter`. */
function run(nsPerEntry: number, roots: number, jitter: (i: number) => number, perRoot = true): Graph500Run {
  const E = 4e6;
  const times = Array.from({ length: roots }, (_, i) => 2 * E * nsPerEntry * 1e-9 * jitter(i));
  const mean = times.reduce((a, b) => a + b, 0) / roots;
  return {
    scale: 18,
    edgefactor: 16,
    roots,
    processes: 1,
    bfsMeanTime_s: mean,
    meanNedge: E,
    perRoot: perRoot ? times.map((t, root) => ({ root, time_s: t, teps: E / t })) : [],
    validated: true,
  };
}

describe('fitBfsPerEdgeCost: T / (2 E)', () => {
  it('recovers the cost per adjacency entry, with a bootstrap interval over the roots', () => {
    const fit = fitBfsPerEdgeCost([run(6, 64, (i) => 1 + 0.1 * Math.sin(i))], { seed: 3 });
    // The mean time over the mean entries: 6 ns times the mean jitter.
    const meanJitter =
      Array.from({ length: 64 }, (_, i) => 1 + 0.1 * Math.sin(i)).reduce((a, b) => a + b) / 64;
    expect(fit.value).toBeCloseTo(6e-3 * meanJitter, 12);
    expect(fit.interval![0]).toBeLessThan(fit.value);
    expect(fit.interval![1]).toBeGreaterThan(fit.value);
    expect(fit.interval![1] - fit.interval![0]).toBeLessThan(0.1 * fit.value);
    expect(fit.how).toMatch(/seeded bootstrap over the 64 roots/);
    expect(fit.warnings).toEqual([]);
  });

  it('gives the value but no interval without per-root times, or with too few roots', () => {
    const summary = fitBfsPerEdgeCost([run(9, 64, () => 1, false)]);
    expect(summary.value).toBeCloseTo(9e-3, 12);
    expect(summary.interval).toBeNull();
    expect(summary.how).toMatch(/per-root times were not kept/);
    const few = fitBfsPerEdgeCost([run(9, MIN_BOOTSTRAP_ROOTS - 1, () => 1)]);
    expect(few.interval).toBeNull();
    expect(few.how).toMatch(/fewer than 8 to bootstrap/);
  });

  it('refuses a run of several processes, and warns on pooled scales and skipped validation', () => {
    expect(() => fitBfsPerEdgeCost([{ ...run(6, 16, () => 1), processes: 2 }])).toThrow(
      /a run of 2 MPI processes times the exchange between them too.*mpiexec -n 1/,
    );
    const pooled = fitBfsPerEdgeCost([
      run(6, 16, () => 1),
      { ...run(6, 16, () => 1), scale: 22, validated: false },
    ]);
    expect(pooled.warnings.join('\n')).toMatch(/pooled over SCALE 18, 22/);
    expect(pooled.warnings.join('\n')).toMatch(/1 of 2 Graph500 runs skipped validation/);
  });
});
