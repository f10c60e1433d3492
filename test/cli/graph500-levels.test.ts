import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProfile } from '../../src/cli/graph500-cache.js';
import { profileGraph } from '../../src/model/graph500/profile.js';
import { start } from '../probe/helpers.js';
import { runIbvf } from './run.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-graph500-levels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hasMpiexec = (() => {
  try {
    execFileSync('mpiexec', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Scale 10, 4 roots, pair counts for 4 rank classes (--nodes 2 --per-node 1,2). */
const args = (out: string) => [
  'graph500-levels',
  '--scale',
  '10',
  '--roots',
  '4',
  '--nodes',
  '2',
  '--per-node',
  '1,2',
  '--out',
  out,
  '--exchange-dir',
  dir,
];
const single = () =>
  formatProfile(profileGraph({ scale: 10, edgeFactor: 16, seed: 1, roots: 4, modulus: 4 }));

describe('ibvf graph500-levels', () => {
  it.skipIf(!hasMpiexec)(
    'under mpiexec -n 2 (built CLI): the file equals the single-process profile, byte for byte',
    async () => {
      const out = path.join(dir, 'mpi2.json');
      const done = await start(args(out), {}, ['mpiexec', '-n', '2']).done;
      expect(done.stderr).toMatch(/2 rank\(s\), scale 10, 4 roots, pair counts for 4 rank classes/);
      expect(done.code).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(single());
    },
  );

  it('alone it is one rank, and graph500 --levels-from predicts from the file as from the cache', async () => {
    const out = path.join(dir, 'one.json');
    const made = await runIbvf(...args(out));
    expect(made.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(single());
    const common = ['--nodes', '2', '--per-node', '1,2', '--roots', '4', '--draws', '0'];
    const fromFile = await runIbvf('graph500', '--levels-from', out, ...common, '--json');
    const generated = await runIbvf('graph500', '--scale', '10', ...common, '--cache', dir, '--json');
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.out)).toEqual(JSON.parse(generated.out));
  });

  it('refuses a file that is not a level profile, or serves too few rank classes, in one line', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"schema":"x"}');
    const notProfile = await runIbvf('graph500', '--levels-from', bad);
    expect(notProfile.code).toBe(2);
    expect(notProfile.err).toMatch(/--levels-from .*bad\.json: not a level profile .*graph500-levels\n$/);
    const out = path.join(dir, 'one.json');
    const few = await runIbvf('graph500', '--levels-from', out, '--nodes', '4', '--per-node', '1,2');
    expect(few.code).toBe(2);
    expect(few.err).toMatch(/has pair counts for 4 rank classes; .* needs a multiple of 8/);
    const otherScale = await runIbvf('graph500', '--levels-from', out, '--scale', '12');
    expect(otherScale.code).toBe(2);
    expect(otherScale.err).toMatch(/holds scale 10, not --scale 12/);
    const noOut = await runIbvf('graph500-levels', '--scale', '10');
    expect(noOut.code).toBe(2);
    expect(noOut.err).toMatch(/--out is required/);
  });
});
