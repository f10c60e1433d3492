import { describe, expect, it } from 'vitest';
import { disturbances, SPREAD_FACTOR, warningsText } from '../../src/probe/disturbance.js';
import type { LatencyRun, ProbeResult } from '../../src/probe/result.js';

function point(bytes: number, median: number, p99 = median * 1.5) {
  return {
    bytes,
    iterations: 1000,
    min_us: median * 0.9,
    median_us: median,
    mean_us: median,
    p99_us: p99,
    p99_9_us: p99,
    max_us: p99,
    stdev_us: 0.1,
    samples_us: [],
  };
}

function run(mode: 'poll' | 'event', pair: number, points: ReturnType<typeof point>[]): LatencyRun {
  return { mode, pair, cpu: null, sizes: points };
}

const withLatency = (latency: LatencyRun[]) => ({ latency }) as unknown as ProbeResult;

describe('warnings on a disturbed measurement', () => {
  it('nothing on an undisturbed run (poll below event, tails within bounds, idle host)', () => {
    const r = withLatency([
      run('poll', 0, [point(1, 3.1), point(8, 3.2)]),
      run('event', 0, [point(1, 26), point(8, 26.5)]),
    ]);
    expect(disturbances(r, { start: 0.4, cpus: 2 })).toEqual([]);
    expect(warningsText([])).toBe('');
  });

  it('poll slower than event: the loaded 2-vCPU VM of issue 12 (shm poll 87 us, event 5.7 us)', () => {
    const r = withLatency([
      run('poll', 0, [point(1, 87), point(8, 3.0)]),
      run('event', 0, [point(1, 5.7), point(8, 6.0)]),
    ]);
    const w = disturbances(r, undefined);
    expect(w).toHaveLength(1);
    expect(w[0]).toEqual({
      kind: 'poll-slower-than-event',
      message:
        'poll latency above event latency at 1 B, e.g. median 87.00 us against 5.70 us at 1 B: ' +
        'the polling side was starved of CPU',
    });
    expect(warningsText(w)).toMatch(/warnings: this measurement looks disturbed\n ! poll latency above/);
  });

  it(`a p99 above ${SPREAD_FACTOR}x the median, and a load above the CPUs, are named`, () => {
    const r = withLatency([run('event', 0, [point(1, 26, 400), point(2, 26, 100)])]);
    const w = disturbances(r, { start: 11.79, cpus: 2 });
    expect(w.map((x) => x.kind)).toEqual(['spread', 'load']);
    expect(w[0].message).toBe(
      'event mode: p99 above 10x the median at 1 B: the process was descheduled during the run',
    );
    expect(w[1].message).toMatch(/^load average 11\.79 above this host's 2 CPUs when the run started/);
  });

  it('compares poll and event within each pair and names the pair', () => {
    const r = withLatency([
      run('poll', 0, [point(1, 3)]),
      run('poll', 1, [point(1, 30)]),
      run('event', 0, [point(1, 20)]),
      run('event', 1, [point(1, 20)]),
    ]);
    const w = disturbances(r, undefined);
    expect(w).toHaveLength(1);
    expect(w[0].message).toContain('(pair 1)');
  });
});
