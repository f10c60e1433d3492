import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures.js';
import { runIbvf } from './run.js';

describe('ibvf validate', () => {
  it('docs/validation.md is what `ibvf validate --markdown` prints (regenerate it with that command)', async () => {
    const { code, out } = await runIbvf('validate', '--markdown');
    expect(code).toBe(0);
    expect(readFileSync(path.join(REPO_ROOT, 'docs', 'validation.md'), 'utf8')).toBe(out);
  });

  it('prints every row, the median and worst error, and counts rows it cannot predict', async () => {
    const { code, out } = await runIbvf('validate', '--json');
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.rows.length).toBe(r.predicted + r.not_predictable);
    type Row = { id: string; error: number | null; used_to_build: boolean };
    const scored = r.rows.filter((x: Row) => x.error !== null && !x.used_to_build);
    expect(r.all.rows).toBe(scored.length);
    // The built-in profile's VF-to-VF latency was set from zh15-01: it cannot judge itself.
    expect(r.rows.find((x: Row) => x.id === 'zh15-01').used_to_build).toBe(true);
    const abs = scored.map((x: { error: number }) => Math.abs(x.error)).sort((a: number, b: number) => a - b);
    expect(r.all.worst_abs_error).toBe(abs.at(-1));
    for (const x of scored) expect(x.error).toBeCloseTo(x.predicted / x.published - 1, 12);
    for (const x of r.rows.filter((y: { predicted: number | null }) => y.predicted === null))
      expect(x.not_predictable).toMatch(/\w/);
  });

  it('prints a table with the summary lines', async () => {
    const { code, out } = await runIbvf('validate');
    expect(code).toBe(0);
    expect(out).toMatch(/# Row\s+Operation\s+Size\s+Published\s+Predicted\s+Error/);
    expect(out).toMatch(/all predicted rows: \d+ rows, median \|error\| [\d.]+%, worst [\d.]+% \(\S+\)/);
  });

  it.each([
    [['--json', '--csv'], /choose one of --json, --csv and --markdown/],
    [['--rows', '/nonexistent.csv'], /^ibvf: \/nonexistent\.csv: cannot read the file \(ENOENT\)/],
  ])('rejects %j with one line and exit 2', async (args, message) => {
    const { code, out, err } = await runIbvf('validate', ...args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});
