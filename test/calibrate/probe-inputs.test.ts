import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { partialWarning, pathOfProbe, refuseTestDouble } from '../../src/calibrate/probe-inputs.js';
import type { ProbeResult } from '../../src/probe/result.js';
import { fixtureDir } from '../fixtures.js';

const result = JSON.parse(
  readFileSync(path.join(fixtureDir('probe'), 'shm-quick-poll.json'), 'utf8'),
) as ProbeResult;

describe('what calibration takes from a probe file', () => {
  it('the path: shm, tcp as IPoIB from a host or a guest, none for verbs', () => {
    expect(pathOfProbe(result)).toBe('shm');
    expect(pathOfProbe({ ...result, transport: 'tcp', host: { ...result.host, is_vm: true } })).toBe(
      'ipoib-vf',
    );
    expect(pathOfProbe({ ...result, transport: 'tcp', host: { ...result.host, is_vm: false } })).toBe(
      'ipoib-native',
    );
    expect(pathOfProbe({ ...result, transport: 'verbs' })).toBeNull();
  });

  it('refuses the verbs test double, by a marker field or by what its host says', () => {
    expect(() => refuseTestDouble(result, 'f.json')).not.toThrow();
    expect(() => refuseTestDouble({ ...result, test_double: true } as ProbeResult, 'f.json')).toThrow(
      /f\.json: produced on the verbs test double/,
    );
    const simulated = {
      ...result,
      transport: 'verbs' as const,
      host: { ...result.host, cpu: 'simulated HCA' },
    };
    expect(() => refuseTestDouble(simulated, 'f.json')).toThrow(/not measurements/);
  });

  it('a partial result: why it stopped and which planned sizes and runs are missing', () => {
    expect(partialWarning(result, 'f.json')).toBeNull();
    const cut = {
      ...result,
      partial: true,
      stopped: 'peer lost',
      latency: result.latency.map((r) => ({ ...r, sizes: r.sizes.filter((p) => p.bytes <= 4096) })),
      streaming: [],
    };
    expect(partialWarning(cut, 'f.json')).toBe(
      'f.json: partial probe result (stopped: peer lost); used as far as it goes, missing poll ping-pong at 8192, 16384 B; poll streaming',
    );
  });
});
