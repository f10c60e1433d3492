import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures.js';

const BIN = path.join(REPO_ROOT, 'bin', 'ibvf.js');

describe('ibvf probe run --json', () => {
  it('with no --out prints the result on stdout and writes no file', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'ibvf-probe-json-'));
    // the smallest run: two sizes, few iterations, busy-poll only (about 2 s)
    const r = spawnSync(
      process.execPath,
      [
        BIN,
        'probe',
        'run',
        '--transport',
        'shm',
        '--json',
        '--sizes',
        '1:2',
        '--iters',
        '50',
        '--progress',
        'poll',
      ],
      { cwd, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.stderr).not.toContain('results in');
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { schema: string }).schema).toBe('ibvf.probe/1');
    expect(readdirSync(cwd)).toEqual([]);
  });
});
