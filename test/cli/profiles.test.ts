import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIbvf } from './run.js';

describe('ibvf profiles and ibvf profile show', () => {
  it('lists the built-in profile', async () => {
    const { code, out } = await runIbvf('profiles');
    expect(code).toBe(0);
    expect(out).toMatch(/cx3-fdr-kvm-2013 \(default\)/);
    expect(out).toMatch(/paths: native, vf, native-inline0/);
  });

  it('shows every parameter with unit, interval and source', async () => {
    const { code, out } = await runIbvf('profile', 'show', 'cx3-fdr-kvm-2013');
    expect(code).toBe(0);
    expect(out).toMatch(/paths\.vf\.inlineLimit\s+0 B\s+citation: Jose et al\., CCGrid 2013 Sec\. V-B/);
    expect(out).toMatch(/virtualization\.perVfCost .*assumption:/);
  });

  it('round-trips through JSON: show --json gives a file that loads as a profile', async () => {
    const json = (await runIbvf('profile', 'show', 'cx3-fdr-kvm-2013', '--json')).out;
    const file = join(mkdtempSync(join(tmpdir(), 'ibvf-')), 'p.json');
    writeFileSync(file, json);
    const again = await runIbvf('profile', 'show', file, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toEqual(JSON.parse(json));
    const predicted = await runIbvf('predict', '--profile', file, '--sizes', '2:2', '--json');
    expect(JSON.parse(predicted.out).rows[0].latency_us).toBeGreaterThan(1);
  });

  it('lists groups of joint draws, and refuses a bad one in one line naming file and field', async () => {
    const profile = JSON.parse((await runIbvf('profile', 'show', 'cx3-fdr-kvm-2013', '--json')).out);
    const dir = mkdtempSync(join(tmpdir(), 'ibvf-'));
    const good = join(dir, 'good.json');
    const group = {
      params: ['paths.shm.L', 'paths.shm.g'],
      draws: [
        [0.1, 0.05],
        [0.12, 0.04],
      ],
      source: { kind: 'fit', ref: 'a test' },
    };
    writeFileSync(good, JSON.stringify({ ...profile, fits: [group] }));
    const shown = await runIbvf('profile', 'show', good);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('# drawn together (2 joint draws): paths.shm.L, paths.shm.g; fit: a test');
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ ...profile, fits: [{ ...group, params: ['paths.shm.L', 'paths.shm.nope'] }] }),
    );
    const refused = await runIbvf('profile', 'show', bad);
    expect(refused.code).toBe(2);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(refused.err).toMatch(
      /bad\.json: field fits\[0\]\.params\[1\]: expected the dotted path of a parameter/,
    );
  });

  it('prints CSV rows with the source of each number', async () => {
    const { out } = await runIbvf('profile', 'show', 'cx3-fdr-kvm-2013', '--csv');
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('field,value,unit,lo,hi,source_kind,source');
    expect(lines.some((l) => l.startsWith('paths.native.inlineLimit,400,B,'))).toBe(true);
  });

  it('prints the JSON schema of the profile contract', async () => {
    const { code, out } = await runIbvf('profile', 'schema');
    expect(code).toBe(0);
    const schema = JSON.parse(out);
    expect(schema.properties.schema.const).toBe('ibvf.profile/2');
    expect(schema.required).toContain('paths');
  });

  it('rejects a profile file that fails the schema, naming the field', async () => {
    const json = JSON.parse((await runIbvf('profile', 'show', 'cx3-fdr-kvm-2013', '--json')).out);
    json.paths.vf.requestCost.value = -1;
    json.mpi.eagerThreshold = 12288;
    const file = join(mkdtempSync(join(tmpdir(), 'ibvf-')), 'bad.json');
    writeFileSync(file, JSON.stringify(json));
    const { code, out, err } = await runIbvf('predict', '--profile', file);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/bad\.json: field mpi\.eagerThreshold: expected object, found 12288/);
  });

  it('rejects a profile file that is not JSON, with file and line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ibvf-')), 'broken.json');
    writeFileSync(file, '{\n  "schema": "ibvf.profile/1",\n  "name": oops\n}\n');
    const { code, err } = await runIbvf('profile', 'show', file);
    expect(code).toBe(2);
    expect(err).toMatch(new RegExp(`${file.replaceAll('.', '\\.')}:3: not valid JSON`));
  });
});
