/**
 * The compute probe's side of the addon (native/compute.cc): a spec checked in C++ with an
 * error naming the field, and what one size returns. No timing is asserted.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadAddon, type ComputeSpec } from '../../src/probe/native.js';

const addon = loadAddon();
afterAll(() => addon.computeRelease());
const GOOD: ComputeSpec = {
  op: 'copy',
  cache: 'warm',
  bytes: 4096,
  samples: 5,
  setBytes: 0,
  cpu: -1,
  minSampleNs: 2000,
};

describe('computeRun: one size of the compute probe', () => {
  it('returns one positive time per sample, the reps that made each, and where it ran', async () => {
    const r = await addon.computeRun({ ...GOOD, cpu: 0 });
    expect(r.samplesUs).toHaveLength(5);
    for (const s of r.samplesUs) expect(s).toBeGreaterThan(0);
    expect(r.reps).toBeGreaterThanOrEqual(1);
    expect(r.pinned).toBe(true);
    expect(r.cpu).toBe(0);
    expect(r.setBytes).toBe(0);
  });

  it('cold: a rotating set of whole buffers of the size asked for', async () => {
    const r = await addon.computeRun({
      ...GOOD,
      op: 'reduce',
      cache: 'cold',
      bytes: 1000,
      setBytes: 1 << 20,
    });
    // buffers start on 64-byte lines: 1024-byte strides, 1024 of them in 1 MiB
    expect(r.setBytes).toBe(1 << 20);
    expect(r.samplesUs).toHaveLength(5);
  });

  it('refuses a bad spec with an error naming the field, never a crash', async () => {
    const bad = (spec: Record<string, unknown>) => () => addon.computeRun(spec as unknown as ComputeSpec);
    expect(bad({ ...GOOD, op: 'scan' })).toThrow(/op must be copy or reduce/);
    expect(bad({ ...GOOD, cache: 'hot' })).toThrow(/cache must be warm or cold/);
    expect(bad({ ...GOOD, bytes: 4 })).toThrow(/bytes must be 8\.\.1G/);
    expect(bad({ ...GOOD, op: 'reduce', bytes: 12 })).toThrow(/multiple of 8/);
    expect(bad({ ...GOOD, samples: 0 })).toThrow(/samples must be/);
    expect(bad({ ...GOOD, samples: 'many' })).toThrow(/spec\.samples must be a number/);
    expect(bad({ ...GOOD, setBytes: -1 })).toThrow(/setBytes/);
  });

  it('computeInfo gives cache sizes (0 when unknown) and the calling CPU', () => {
    const info = addon.computeInfo();
    for (const k of ['l1d', 'l2', 'l3'] as const) expect(info[k]).toBeGreaterThanOrEqual(0);
    expect(info.cpu).toBeGreaterThanOrEqual(0);
  });
});
