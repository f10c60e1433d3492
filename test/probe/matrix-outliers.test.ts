/**
 * Outlier flagging on synthetic matrices with a known answer: a slow pair among uniform
 * ones is flagged, the others are not.
 */
import { describe, expect, it } from 'vitest';
import { buildMatrix, cellDefinition } from '../../src/probe/matrix-build.js';
import { findOutliers, robustZ, Z_CUTOFF } from '../../src/probe/matrix-outliers.js';
import { allPairs } from '../../src/probe/matrix-plan.js';
import type { MatrixPair, MatrixRank } from '../../src/probe/matrix-result.js';

function pair(
  a: number,
  b: number,
  lat: number,
  bw: number,
  cls: MatrixPair['class'] = 'cross-host',
): MatrixPair {
  return { a, b, class: cls, latency_us: lat, bandwidth_MBps: bw, latency: [], streaming: [] };
}

/** 8 ranks, 28 pairs, latency 1.10 +- 2% and bandwidth 6000 +- 2% (seeded), except `slow`. */
function synthetic(slow: [number, number] | null, latFactor = 1, bwFactor = 1): MatrixPair[] {
  let s = 12345;
  const jitter = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return 1 + 0.04 * (s / 2 ** 31 - 0.5);
  };
  return allPairs(8).map(([a, b]) => {
    const hit = slow !== null && slow[0] === a && slow[1] === b;
    return pair(a, b, 1.1 * jitter() * (hit ? latFactor : 1), 6000 * jitter() * (hit ? bwFactor : 1));
  });
}

describe('matrix outliers (robust z-score with MAD)', () => {
  it('a uniform matrix has no outlier', () => {
    expect(findOutliers(synthetic(null))).toEqual([]);
  });

  it('a slow link (latency x1.6, bandwidth /2) is flagged on both metrics, and only it', () => {
    const out = findOutliers(synthetic([2, 5], 1.6, 0.5));
    expect(out.map((o) => `${o.a}-${o.b} ${o.metric}`).sort()).toEqual(['2-5 bandwidth', '2-5 latency']);
    const lat = out.find((o) => o.metric === 'latency')!;
    expect(lat.z).toBeGreaterThan(Z_CUTOFF);
    expect(lat.median).toBeCloseTo(1.1, 1);
    expect(lat.message).toMatch(
      /^ranks 2-5 \(cross-host\): latency 1\.7\d* us is \d+% above the class median/,
    );
    const bw = out.find((o) => o.metric === 'bandwidth')!;
    expect(bw.z).toBeLessThan(-Z_CUTOFF);
    expect(bw.message).toMatch(/below the class median/);
  });

  it('a VF with a wrong setting: every pair of rank 3 slower, flagged as rank 3s pairs', () => {
    let s = 99;
    const pairs = allPairs(8).map(([a, b]) => {
      s = (s * 69069 + 1) % 2 ** 32;
      const j = 1 + 0.02 * (s / 2 ** 32 - 0.5);
      return pair(a, b, (a === 3 || b === 3 ? 1.8 : 1.1) * j, 6000 * j);
    });
    const flagged = findOutliers(pairs).filter((o) => o.metric === 'latency');
    expect(flagged).toHaveLength(7);
    for (const o of flagged) expect([o.a, o.b]).toContain(3);
  });

  it('classes are judged apart: same-host pairs faster than cross-host ones are not outliers', () => {
    const pairs = [
      ...[0, 1, 2, 3, 4].map((i) => pair(i, i + 10, 1.1 + 0.01 * i, 6000)),
      ...[0, 1, 2, 3, 4].map((i) => pair(i, i + 20, 0.3 + 0.01 * i, 9000, 'same-host')),
    ];
    expect(findOutliers(pairs)).toEqual([]);
  });

  it('within the 10% floor nothing is flagged, however tight the class', () => {
    const pairs = [1, 1, 1, 1, 1, 1.05].map((v, i) => pair(0, i + 1, v, 100));
    expect(robustZ(pairs.map((p) => p.latency_us!))!.z[5]).toBeGreaterThan(Z_CUTOFF);
    expect(findOutliers(pairs)).toEqual([]);
  });

  it('MAD = 0: the mean absolute deviation stands in', () => {
    const values = [2, 2, 2, 2, 2, 2, 5];
    const r = robustZ(values)!;
    expect(r.median).toBe(2);
    // mean |x - 2| = 3/7; z = 3 / (1.2533 * 3/7)
    expect(r.z[6]).toBeCloseTo(3 / (1.2533 * (3 / 7)), 6);
    const out = findOutliers(values.map((v, i) => pair(0, i + 1, v, 100)));
    expect(out).toHaveLength(1);
    expect(out[0].b).toBe(7);
    expect(robustZ([4, 4, 4])).toBeNull();
  });

  it('classes of fewer than 4 pairs are not judged', () => {
    expect(findOutliers([pair(0, 1, 1, 1), pair(0, 2, 1, 1), pair(1, 2, 50, 1)])).toEqual([]);
  });

  it('the file built from the pairs carries the matrices, symmetric, and the outliers', () => {
    const ranks: MatrixRank[] = Array.from({ length: 8 }, (_, rank) => ({
      rank,
      host: { name: `n${rank}`, kernel: 'k', cpu: 'c', cpus: 1, is_vm: false, vm_evidence: '' },
      pid: rank,
      function: 'none',
      function_evidence: 'transport tcp',
      device: null,
      test_double: false,
    }));
    const pairs = synthetic([2, 5], 1.6, 0.5);
    const head = {
      time: 't',
      launcher: 'mpich',
      transport: 'tcp' as const,
      op: 'send' as const,
      options: {
        suite: 'quick' as const,
        progress: ['poll' as const],
        sizes: [1, 2],
        iterations: 5,
        timeout_s: 30,
      },
      sample: null,
      ranks,
      planned: allPairs(8),
      cells: cellDefinition([1, 2], ['poll'], { bytes: 8, window: 64 }),
    };
    const m = buildMatrix(head, pairs.slice(0, 10));
    expect(m.partial).toBe(true);
    const full = buildMatrix(head, pairs);
    expect(full.partial).toBe(false);
    expect(full.latency_us[5][2]).toBe(full.latency_us[2][5]);
    expect(full.latency_us[3][3]).toBeNull();
    expect(full.outliers).toHaveLength(2);
    expect(buildMatrix(head, pairs, 'interrupted by SIGINT')).toMatchObject({
      partial: true,
      stopped: 'interrupted by SIGINT',
    });
  });
});

describe('matrix outliers: only the worse side', () => {
  it('a pair faster than its class (lower latency, higher bandwidth) is not a fault', () => {
    const pairs = [1, 1.01, 0.99, 1.02, 0.98, 0.5].map((v, i) => pair(0, i + 1, v, 100 / v));
    expect(findOutliers(pairs)).toEqual([]);
  });
});
