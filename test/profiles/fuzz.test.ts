import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { builtinProfile } from '../../src/profiles/builtin.js';
import { parseJsonText } from '../../src/profiles/json.js';
import { loadProfile } from '../../src/profiles/load.js';
import { validateProfile } from '../../src/profiles/validate.js';
import { damagedText, fuzzSeed, resultOrInputError, truncationsAtEveryLine } from '../fuzz.js';

/** The built-in profile as `ibvf profile show --json` writes it: the file users edit. */
const JSON_TEXT = JSON.stringify(builtinProfile('cx3-fdr-kvm-2013'), null, 2);

function read(text: string): void {
  validateProfile(parseJsonText(text, 'p.json'), 'p.json');
}

const seed = fuzzSeed('profile json');

describe('profile JSON on damaged input: a profile or a one-line InputError, never a crash', () => {
  it('truncated at and inside every line', () => {
    const cuts = truncationsAtEveryLine(JSON_TEXT);
    for (let i = 0; i < cuts.length; i += 3) resultOrInputError(() => read(cuts[i]));
  });

  it('random bytes, cuts, duplicated, dropped and swapped lines, mutated numbers', () => {
    fc.assert(
      fc.property(damagedText([JSON_TEXT]), (t) => resultOrInputError(() => read(t))),
      { seed, numRuns: 300 },
    );
  });

  it('any JSON value where a profile or one of its fields belongs', () => {
    const profile = JSON.parse(JSON_TEXT) as Record<string, unknown>;
    const keys = Object.keys(profile);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, value) => {
        resultOrInputError(() => validateProfile({ ...profile, [key]: value }, 'p.json'));
        resultOrInputError(() => validateProfile(value, 'p.json'));
      }),
      { seed, numRuns: 200 },
    );
  });

  it('from a file, as --profile reads it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-profile-fuzz-'));
    const file = path.join(dir, 'p.json');
    fc.assert(
      fc.property(damagedText([JSON_TEXT]), (t) => {
        writeFileSync(file, t);
        resultOrInputError(() => loadProfile(file));
      }),
      { seed, numRuns: 50 },
    );
  });
});
