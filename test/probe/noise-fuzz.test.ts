/**
 * The `ibvf.probe-noise/1` reader and the host-CPU fit on damaged files (the
 * property-based input tests, test/fuzz.ts): each gives a fit or a one-line InputError,
 * never another exception.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { fitNoiseParams } from '../../src/calibrate/noise-params.js';
import { validateProbeNoise } from '../../src/probe/noise-result.js';
import { builtinProfile } from '../../src/profiles/builtin.js';
import { parseJsonText } from '../../src/profiles/json.js';
import { syntheticNoise } from '../calibrate/synthetic-noise.js';
import { damagedText, fuzzSeed, resultOrInputError, truncationsAtEveryLine } from '../fuzz.js';

const base = builtinProfile('cx3-fdr-kvm-2013')!;
const text = (o: Parameters<typeof syntheticNoise>[0]) => JSON.stringify(syntheticNoise(o), null, 1);
const ORIGINALS = [
  text({ workers: 2, stretch: 1, cpus: 2, samples: 5 }),
  text({ workers: 4, stretch: 2, cpus: 2, samples: 4 }),
  text({ workers: 2, stretch: 1.1, vms: 2, hostCores: 2, samples: 4 }),
];
const reference = {
  kind: 'noise' as const,
  file: 'ref.json',
  result: syntheticNoise({ workers: 2, stretch: 1, cpus: 2 }),
};

function readAndFit(t: string): void {
  const result = validateProbeNoise(parseJsonText(t, 'n.json'), 'n.json');
  fitNoiseParams([reference, { kind: 'noise', file: 'n.json', result }], base, { draws: 40, seed: 1 });
}

const seed = fuzzSeed('noise probe files');

describe('ibvf.probe-noise/1 files on damaged input', () => {
  it('truncated at and inside every line', () => {
    for (const o of ORIGINALS)
      for (const cut of truncationsAtEveryLine(o)) resultOrInputError(() => readAndFit(cut));
  });

  it('random bytes, cuts, duplicated, dropped and swapped lines, mutated numbers', () => {
    fc.assert(
      fc.property(damagedText(ORIGINALS), (t) => resultOrInputError(() => readAndFit(t))),
      { seed, numRuns: 400 },
    );
  });
});
