import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { parseGoal, readGoalFile } from '../../../src/model/sim/goal-parse.js';
import { fixtureDir } from '../../fixtures.js';
import { damagedText, fuzzSeed, resultOrInputError, truncationsAtEveryLine } from '../../fuzz.js';

/** A small schedule with every statement form, and the smallest real fixture. */
const SMALL = `// every form
num_ranks 3
/* a block
   comment */
rank 0 {
l1: send 8192b to 1 tag 0
l2: recv 8b from -1 tag -1 cpu 0
l3: calc 100
l3 requires l2
l1 irequires l3
}
rank 1 {
recv 8192b from 0 tag 0
send 8b to 0 tag 5 cpu 0 nic 0
}
rank 2 {
calc 7 cpu 1
}
`;
const REAL = readFileSync(path.join(fixtureDir('loggopsim'), 'dissemination-64-8.goal'), 'utf8');

const seed = fuzzSeed('goal');

describe('GOAL reader on damaged input: a schedule or a one-line InputError, never a crash', () => {
  it('truncated at and inside every line', () => {
    for (const cut of truncationsAtEveryLine(SMALL)) resultOrInputError(() => parseGoal(cut, 'f.goal'));
    const lines = truncationsAtEveryLine(REAL);
    for (let i = 0; i < lines.length; i += 7) resultOrInputError(() => parseGoal(lines[i], 'f.goal'));
  });

  it('random bytes, cuts, duplicated, dropped and swapped lines, mutated numbers', () => {
    fc.assert(
      fc.property(damagedText([SMALL, REAL]), (t) => resultOrInputError(() => parseGoal(t, 'f.goal'))),
      { seed, numRuns: 300 },
    );
  });

  it('the same from a file (the chunked byte reader)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-goal-fuzz-'));
    const file = path.join(dir, 'f.goal');
    fc.assert(
      fc.property(damagedText([SMALL]), (t) => {
        writeFileSync(file, t);
        resultOrInputError(() => readGoalFile(file));
      }),
      { seed, numRuns: 60 },
    );
  });
});
