import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  latencyFromImported,
  latencyRunsFromProbe,
  prttFromProbe,
} from '../../../src/calibrate/fit/from-probe.js';
import { importPerftest } from '../../../src/calibrate/import/perftest.js';
import type { LatencyRun, PrttRun } from '../../../src/probe/result.js';
import { fixtureDir } from '../../fixtures.js';

const STATS = { min_us: 4, median_us: 5, mean_us: 5, p99_us: 6, p99_9_us: 6, max_us: 6, stdev_us: 1 };

describe('from a probe result', () => {
  it('takes the latency runs of one mode and pair, with the median and every sample', () => {
    const run = (mode: 'poll' | 'event', pair: number): LatencyRun => ({
      mode,
      pair,
      cpu: null,
      sizes: [{ bytes: 8, iterations: 3, ...STATS, samples_us: [4, 5, 6] }],
    });
    const runs = [run('poll', 0), run('event', 0), run('poll', 1), run('poll', 0)];
    expect(latencyRunsFromProbe(runs, { mode: 'poll' })).toEqual([
      { bytes: 8, us: 5, samples_us: [4, 5, 6] },
      { bytes: 8, us: 5, samples_us: [4, 5, 6] },
    ]);
    expect(latencyRunsFromProbe(runs, { mode: 'event', pair: 1 })).toEqual([]);
  });

  it('takes the PRTT runs of one mode and pair', () => {
    const run = (mode: 'poll' | 'event', pair: number, n: number): PrttRun => ({
      mode,
      pair,
      bytes: 64,
      n,
      d_us: 0,
      iterations: 3,
      ...STATS,
      samples_us: [4, 5, 6],
    });
    const runs = [run('poll', 0, 1), run('event', 0, 1), run('poll', 1, 8)];
    expect(prttFromProbe(runs, { mode: 'poll' })).toEqual([
      { bytes: 64, n: 1, d_us: 0, us: 5, samples_us: [4, 5, 6] },
    ]);
    expect(prttFromProbe(runs, { mode: 'poll', pair: 1 })).toHaveLength(1);
  });
});

describe('from an imported run', () => {
  const file = path.join(fixtureDir('perftest'), 'ib_send_lat-vf.txt');
  const [run] = importPerftest(readFileSync(file, 'utf8'), file);

  it("takes the tool's headline latency per size, without samples", () => {
    const points = latencyFromImported(run);
    expect(points).toHaveLength(23);
    expect(points[0]).toEqual({ bytes: 2, us: run.points[0].latency_us });
    expect(points.every((p) => !('samples_us' in p))).toBe(true);
  });

  it('refuses a run that is not a latency run', () => {
    const bw = path.join(fixtureDir('perftest'), 'ib_write_bw.txt');
    const [bwRun] = importPerftest(readFileSync(bw, 'utf8'), bw);
    expect(() => latencyFromImported(bwRun)).toThrow(/is a bandwidth run, not latency/);
  });
});
