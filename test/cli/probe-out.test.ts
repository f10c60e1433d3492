import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIbvf } from './run.js';

describe('ibvf probe run --out', () => {
  it('an unwritable --out is a usage error (exit 2) before anything runs, not a failed run (3)', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'ibvf-out-')), 'missing-folder', 'shm.json');
    const { code, err } = await runIbvf(
      'probe',
      'run',
      '--transport',
      'shm',
      '--suite',
      'quick',
      '--out',
      out,
    );
    expect(code).toBe(2);
    expect(err).toBe(`ibvf: --out ${out}: cannot write the result file there (ENOENT)\n`);
  });
});
