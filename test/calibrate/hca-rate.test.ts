import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrateProfile } from '../../src/calibrate/calibrate.js';
import { fitHcaRateOfPaths } from '../../src/calibrate/hca-rate.js';
import type { PairStream, PathData } from '../../src/calibrate/path-data.js';
import type { ProbeResult, StreamRun } from '../../src/probe/result.js';
import { validateProbeResult } from '../../src/probe/validate.js';
import { builtinProfile } from '../../src/profiles/builtin.js';
import { fixtureDir } from '../fixtures.js';

// Known answer: 2.5 Mmsg/s per pair, the HCA saturating at 7 Mmsg/s.
const rate = (pairs: number) => Math.min(pairs * 2.5, 7) * 1e6;
const stream = (pairs: number, bytes = 8, window = 64): PairStream => ({
  file: 'pairs.json',
  mode: 'poll',
  bytes,
  window,
  pairs,
  msgRate: rate(pairs) * (bytes === 8 && window === 64 ? 1 : 0.5),
  bandwidthMBps: (bytes * rate(pairs)) / 1e6,
  relation: 'unpinned',
  hosts: 2,
});
const pathData = (name: string, pairStreams: PairStream[]): PathData => ({
  path: name,
  files: ['pairs.json'],
  prtt: [],
  curves: [],
  pairStreams,
  verbs: [],
  pinnedSweeps: [],
  eventPairs: [],
});
const medium = (name: string) => (name === 'shm' ? 'shm' : 'fabric');

describe('hca.messageRate from --pairs streaming runs of a path through the HCA', () => {
  it('fits the saturated plateau at the smallest size with the deepest window', () => {
    const runs = [1, 2, 4, 6, 8].flatMap((n) => [stream(n), stream(n, 8, 16), stream(n, 4096, 64)]);
    const fit = fitHcaRateOfPaths([pathData('native', runs)], medium)!;
    expect(fit.messageRate!.value).toBe(7);
    expect(fit.messageRate!.unit).toBe('Mmsg/s');
    expect(fit.messageRate!.source.ref).toMatch(
      /^fitHcaMessageRate on pairs\.json at 8 B, window 64, poll \(paths native\): /,
    );
    expect(fit.messageRate!.source.ref).toContain('pairs = 4, 6, 8');
  });

  it('ignores shared memory, and keeps the base when nothing saturates', () => {
    expect(fitHcaRateOfPaths([pathData('shm', [stream(1), stream(8)])], medium)).toBeNull();
    const bound = fitHcaRateOfPaths([pathData('native', [stream(1), stream(2)])], medium)!;
    expect(bound.messageRate).toBeNull();
    expect(bound.warnings[0]).toMatch(/at least 5 Mmsg\/s but not measured .*; kept from the base profile$/);
  });

  it('calibrateProfile writes the fitted rate into the profile when a probe file carries --pairs runs', () => {
    const file = path.join(fixtureDir('probe'), 'shm-quick-poll.json');
    const quick: ProbeResult = validateProbeResult(JSON.parse(readFileSync(file, 'utf8')), file);
    const runs: StreamRun[] = [1, 2, 4, 8].flatMap((pairs) =>
      [0, 1].map(() => ({
        mode: 'poll' as const,
        bytes: 8,
        window: 64,
        pairs,
        per_pair: [],
        aggregate: { msg_rate: rate(pairs), bandwidth_MBps: (8 * rate(pairs)) / 1e6 },
      })),
    );
    const result = { ...quick, streaming: runs };
    const { profile, report } = calibrateProfile(
      [{ kind: 'probe', file: 'pairs.json', path: 'native', result }],
      {
        name: 'pairs',
        base: builtinProfile('cx3-fdr-kvm-2013')!,
        draws: 0,
      },
    );
    expect(profile.hca.messageRate.value).toBe(7);
    expect(profile.hca.messageRate.interval).toEqual([7, 7]);
    const reported = report.params.find((p) => p.field === 'hca.messageRate')!;
    expect(reported.fitted).toBe(true);
    expect(reported.source.kind).toBe('fit');
  });
});
