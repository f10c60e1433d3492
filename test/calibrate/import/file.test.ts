import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBenchmarkFile, importBenchmarkText } from '../../../src/calibrate/import/index.js';
import { fixtureDir } from '../../fixtures.js';
import { inputErrorOf } from '../../input-error.js';

describe('importBenchmarkFile', () => {
  it('reads a file and imports its text, the tool recognised or given', () => {
    const file = path.join(fixtureDir('perftest'), 'ib_read_lat.txt');
    const runs = importBenchmarkFile(file);
    expect(runs).toEqual(importBenchmarkText(readFileSync(file, 'utf8'), file));
    expect(runs[0].tool).toBe('perftest');
    expect(importBenchmarkFile(file, { tool: 'perftest' })).toEqual(runs);
  });

  it('says which file it cannot read, as an input error', () => {
    const missing = path.join(fixtureDir('perftest'), 'no-such-run.txt');
    const e = inputErrorOf(() => importBenchmarkFile(missing));
    expect(e.message).toContain('no-such-run.txt');
    expect(e.message).toContain('cannot read the file (ENOENT)');
  });
});
