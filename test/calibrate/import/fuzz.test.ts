import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  importBenchmarkText,
  importOsu,
  importPerftest,
  importQperf,
  importSockperf,
} from '../../../src/calibrate/import/index.js';
import { parseGraph500Output } from '../../../src/calibrate/import/graph500.js';
import { fixtureDir } from '../../fixtures.js';
import { inputErrorOf } from '../../input-error.js';
import { damagedText, fuzzSeed, resultOrInputError, truncationsAtEveryLine } from '../../fuzz.js';

function fixtures(tool: string): string[] {
  const dir = fixtureDir(tool);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'));
}

const READERS = {
  osu: (t: string) => importOsu(t, 'f.txt'),
  perftest: (t: string) => importPerftest(t, 'f.txt'),
  qperf: (t: string) => importQperf(t, 'f.txt'),
  sockperf: (t: string) => importSockperf(t, 'f.txt', { msgSize: 64 }),
  graph500: (t: string) => parseGraph500Output(t, 'f.txt'),
} as const;

const seed = fuzzSeed('importers');

describe('importers on damaged input: a result or a one-line InputError, never a crash', () => {
  for (const [tool, read] of Object.entries(READERS)) {
    const texts = fixtures(tool);

    it(`${tool}: truncated at and inside every line of every fixture`, () => {
      for (const t of texts) for (const cut of truncationsAtEveryLine(t)) resultOrInputError(() => read(cut));
    });

    it(`${tool}: random bytes, cuts, duplicated, dropped and swapped lines, mutated numbers`, () => {
      fc.assert(
        fc.property(damagedText(texts), (t) => {
          resultOrInputError(() => read(t));
          resultOrInputError(() => importBenchmarkText(t, 'f.txt'));
        }),
        { seed, numRuns: 300 },
      );
    });
  }
});

describe('what the fuzzing found', () => {
  it('a bare carriage return quoted from a damaged file is escaped: the message stays one line', () => {
    const e = inputErrorOf(() => importQperf('\u0000\r\u0000', 'f.txt'));
    expect(e.message).toMatch(/^f\.txt:1: "\\u0000\\r\\u0000" is not qperf output/);
  });
});
