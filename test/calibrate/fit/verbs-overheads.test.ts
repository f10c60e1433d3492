import { describe, expect, it } from 'vitest';
import { measuredOverheads, overheadsOfFile } from '../../../src/calibrate/fit/verbs-overheads.js';
import type { OverheadRun } from '../../../src/probe/result.js';

/** A call-cost summary whose median is `median_us` (the other statistics around it). */
const cost = (median_us: number, count = 1000) => ({
  count,
  min_us: median_us * 0.8,
  median_us,
  mean_us: median_us * 1.05,
  p99_us: median_us * 2,
  p99_9_us: median_us * 3,
  max_us: median_us * 5,
  stdev_us: median_us * 0.1,
});

const run = (over: Partial<OverheadRun> & Pick<OverheadRun, 'bytes'>): OverheadRun => ({
  mode: 'poll',
  pair: 0,
  during: 'pingpong',
  window: 1,
  o_send: cost(0.2),
  o_recv: cost(0.12),
  ...over,
});

describe('measured verbs overheads (o_s, o_r from the probe timing each call)', () => {
  it('takes the ping-pong, poll, pair-0 timing at the smallest size of a file', () => {
    const f = overheadsOfFile('a.json', [
      run({ bytes: 1024, o_send: cost(0.5) }),
      run({ bytes: 8, o_send: cost(0.21), o_recv: cost(0.13) }),
      run({ bytes: 1, during: 'stream', window: 64, o_send: cost(0.05) }), // a stream backs up: not o
      run({ bytes: 1, mode: 'event', o_send: cost(0.9) }),
      run({ bytes: 1, pair: 1, o_send: cost(0.7) }),
    ]);
    expect(f).toEqual({ file: 'a.json', bytes: 8, o_send_us: 0.21, o_recv_us: 0.13, count: 1000 });
    expect(overheadsOfFile('b.json', [run({ bytes: 8, during: 'stream', window: 64 })])).toBeNull();
  });

  it('over files: the median of their medians; o_r null when no file timed a receive (write, read)', () => {
    const files = [
      overheadsOfFile('a.json', [run({ bytes: 8, o_send: cost(0.2), o_recv: cost(0.1) })])!,
      overheadsOfFile('b.json', [run({ bytes: 8, o_send: cost(0.3), o_recv: cost(0.2) })])!,
      overheadsOfFile('c.json', [run({ bytes: 8, o_send: cost(0.4), o_recv: null })])!,
    ];
    const m = measuredOverheads(files)!;
    expect(m.o_s_us).toBeCloseTo(0.3, 12);
    expect(m.o_r_us).toBeCloseTo(0.15, 12);
    expect(measuredOverheads([files[2]])!.o_r_us).toBeNull();
    expect(measuredOverheads([])).toBeNull();
  });
});
