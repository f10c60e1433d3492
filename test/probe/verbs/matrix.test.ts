/**
 * `--matrix` over verbs against the libibverbs test double (never a measurement): each
 * rank's function comes from the device detection of `ibvf devices` (the double's fake
 * sysfs), the file says test_double, and calibrate refuses it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateProbeMatrix } from '../../../src/probe/validate.js';
import { runIbvf } from '../../cli/run.js';
import { hasTool } from '../../requirements.js';
import { start, tempDir } from '../helpers.js';
import { buildDouble, fakeSysfs, haveVerbsHeader } from './double.js';

const enabled = haveVerbsHeader() && hasTool('mpiexec', ['--version'], 'mpich');
let lib = '';

describe.skipIf(!enabled)('probe run --matrix over verbs, on the test double', () => {
  beforeAll(() => {
    lib = buildDouble();
  });

  it('mpiexec -n 3: every rank a VF by the fake sysfs, labelled test double; calibrate refuses the file', async () => {
    const dir = tempDir();
    const out = join(dir, 'v.json');
    const sysfs = fakeSysfs(mkdtempSync(join(tmpdir(), 'ibvf-sysfs-')), 'ibvfdouble0', 'vf');
    const r = await start(
      [
        'probe',
        'run',
        '--transport',
        'verbs',
        '--matrix',
        '--sizes',
        '1:16',
        '--iters',
        '10',
        '--progress',
        'poll',
      ].concat(['--out', out]),
      { IBVF_RENDEZVOUS_DIR: dir, IBVF_TEST_LIBIBVERBS: lib, IBVF_TEST_SYSFS: sysfs },
      ['mpiexec', '-n', '3'],
    ).done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/test double, not an HCA: these numbers measure nothing/);
    const m = validateProbeMatrix(JSON.parse(readFileSync(out, 'utf8')), out);
    expect(m.transport).toBe('verbs');
    expect(m.pairs.map((p) => `${p.a}-${p.b}`)).toEqual(['0-1', '0-2', '1-2']);
    for (const rank of m.ranks) {
      expect(rank.function).toBe('vf');
      expect(rank.function_evidence).toContain('physfn');
      expect(rank.device).toBe('ibvfdouble0');
      expect(rank.test_double).toBe(true);
    }
    expect(r.stdout).toMatch(/^\s+2\s+\S+\s+vf\s+/m);
    const cal = await runIbvf('calibrate', out, '--name', 'x', '--out', join(dir, 'p.json'));
    expect(cal.code).toBe(2);
    expect(cal.err.trim()).toMatch(/v\.json: produced on the verbs test double, not on hardware/);
  });
});
