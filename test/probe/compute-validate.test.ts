import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { ProbeComputeResult } from '../../src/probe/compute-result.js';
import { validateComputeResult } from '../../src/probe/compute-validate.js';
import { fixtureDir } from '../fixtures.js';

const FILE = path.join(fixtureDir('probe'), 'compute-build-vm.json');
const fixture = () => JSON.parse(readFileSync(FILE, 'utf8')) as ProbeComputeResult;

function refusal(data: unknown): string {
  try {
    validateComputeResult(data, 'c.json');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('not refused');
}

describe('validateComputeResult: ibvf.probe-compute/1 on read', () => {
  it('accepts the real run of the build VM, its four runs complete', () => {
    const r = validateComputeResult(fixture(), FILE);
    expect(r.partial).toBe(false);
    expect(r.runs.map((run) => `${run.op} ${run.cache}`)).toEqual([
      'copy warm',
      'copy cold',
      'reduce warm',
      'reduce cold',
    ]);
    for (const run of r.runs) {
      expect(run.sizes.map((p) => p.bytes)).toEqual(r.options.sizes);
      for (const p of run.sizes) expect(p.samples_us).toHaveLength(p.iterations);
    }
  });

  it('names another schema, a missing field and a wrong type', () => {
    expect(refusal({ ...fixture(), schema: 'ibvf.probe/1' })).toMatch(
      /field schema: expected "ibvf.probe-compute\/1", found "ibvf.probe\/1" \(is this an ibvf probe compute result\?\)/,
    );
    const noCaches = fixture() as Partial<ProbeComputeResult>;
    delete noCaches.caches;
    expect(refusal(noCaches)).toMatch(/^c\.json: field caches: /);
    const text = fixture();
    (text.runs[0].sizes[1] as unknown as Record<string, unknown>).samples_us = ['fast'];
    expect(refusal(text)).toMatch(/field runs\.0\.sizes\.1\.samples_us\.0: .*found "fast"/);
  });

  it('refuses what the schema cannot say: a sample that is not a positive time, sizes out of order, a count that does not match', () => {
    const negative = fixture();
    negative.runs[2].sizes[3].samples_us[4] = -0.5;
    expect(refusal(negative)).toBe(
      'c.json: field runs.2.sizes.3.samples_us.4: -0.5 is not a positive time in us',
    );
    const zero = fixture();
    zero.runs[0].sizes[0].samples_us[0] = 0;
    expect(refusal(zero)).toMatch(/samples_us\.0: 0 is not a positive time/);
    const order = fixture();
    [order.runs[1].sizes[2], order.runs[1].sizes[3]] = [order.runs[1].sizes[3], order.runs[1].sizes[2]];
    expect(refusal(order)).toMatch(/field runs\.1\.sizes\.3\.bytes: 256 B after 512 B; sizes must increase/);
    const count = fixture();
    count.runs[0].sizes[0].samples_us.pop();
    expect(refusal(count)).toMatch(/field runs\.0\.sizes\.0: 19 samples where iterations says 20/);
  });
});
