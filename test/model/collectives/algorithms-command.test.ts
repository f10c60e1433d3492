import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { memoryIo } from '../../../src/cli/io.js';
import { ALGORITHMS } from '../../../src/model/collectives/index.js';

async function run(...args: string[]) {
  const io = memoryIo();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

describe('ibvf algorithms', () => {
  it('lists every registry entry, grouped by operation', async () => {
    const r = await run('algorithms');
    expect(r.code).toBe(0);
    for (const a of ALGORITHMS) expect(r.out).toContain(a.name);
    expect(r.out).toMatch(/^alltoall\n {2}bruck/m);
    expect(r.out).toContain('closed form exact: P a power of two');
  });

  it('--op and --json', async () => {
    const r = await run('algorithms', '--op', 'alltoall', '--json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as { op: string; name: string }[];
    expect(rows.map((x) => x.name)).toEqual(['bruck', 'scattered', 'pairwise']);
  });

  it('an unknown op is a usage error (exit 2)', async () => {
    const r = await run('algorithms', '--op', 'allscatter');
    expect(r.code).toBe(2);
    expect(r.err).toContain('allscatter');
  });
});
