import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIbvf } from './run.js';

const dir = () => mkdtempSync(join(tmpdir(), 'ibvf-chart-'));

describe('ibvf figures', () => {
  it('writes a figure in every format, the Vega-Lite spec holding the paper values as marks', async () => {
    const out = dir();
    const { code, out: stdout } = await runIbvf('figures', '--out', out, '--only', '2a', '--dpi', '100');
    expect(code).toBe(0);
    for (const ext of ['svg', 'png', 'pdf', 'vl.json']) {
      expect(stdout).toContain(join(out, `fig2a.${ext}`));
      expect(existsSync(join(out, `fig2a.${ext}`))).toBe(true);
    }
    const svg = readFileSync(join(out, 'fig2a.svg'), 'utf8');
    expect(svg).toContain('Message size (bytes)');
    expect(readFileSync(join(out, 'fig2a.png')).readUInt32BE(16)).toBe(350);
    const vl = readFileSync(join(out, 'fig2a.vl.json'), 'utf8');
    expect(vl).toContain('"y": 1.53');
  });

  it.each([
    [['--only', '7'], /^ibvf: --only: unknown figure '7'; the paper's figures are 2a, .*, 6\n$/],
    [['--only', '6'], /^ibvf: --only: Fig\. 6 .*needs ibvf graph500.*\n$/],
    [['--only', '2a', '--formats', 'gif'], /^ibvf: --formats: .*gif.*\n$/],
    [
      ['--only', '2a', '--width', '3.5', '--column', 'acm-1col'],
      /^ibvf: choose one of --width and --column\n$/,
    ],
  ])('refuses %j in one line, exit 2', async (args, message) => {
    const { code, err } = await runIbvf('figures', '--out', dir(), ...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it('refuses an output folder it cannot create', async () => {
    const file = join(dir(), 'a-file');
    writeFileSync(file, '');
    const { code, err } = await runIbvf('figures', '--out', join(file, 'sub'), '--only', '2a');
    expect(code).toBe(2);
    expect(err).toMatch(
      /^ibvf: .*a-file\/sub: cannot create the folder \(ENOTDIR\): choose another --out\n$/,
    );
  });
});

describe('ibvf chart', () => {
  it('predict writes the format its extension says', async () => {
    const file = join(dir(), 'lat.pdf');
    const { code } = await runIbvf(
      'chart',
      'predict',
      '--op',
      'send',
      '--path',
      'native,vf',
      '--sizes',
      '1:4K',
      '--out',
      file,
    );
    expect(code).toBe(0);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('validate and calibration write their charts', async () => {
    const d = dir();
    expect((await runIbvf('chart', 'validate', '--out', join(d, 'v.svg'))).code).toBe(0);
    expect(readFileSync(join(d, 'v.svg'), 'utf8')).toContain('Published (as published)');
    const cal = await runIbvf('chart', 'calibration', '--out', join(d, 'c.svg'));
    expect(cal.code).toBe(0);
    expect(readFileSync(join(d, 'c.svg'), 'utf8')).toContain('Residual (%)');
  });

  it.each([
    [
      ['predict', '--out', 'x.png', '--format', 'pdf'],
      /^ibvf: --format pdf contradicts --out x\.png \(a png name\)/,
    ],
    [['predict', '--out', 'chart'], /^ibvf: --out chart: cannot tell the format from the name/],
    [['predict', '--out', 'x.svg', '--dpi', 'many'], /^ibvf: --dpi: 'many' is not a whole number/],
    [
      ['whatif', '--out', 'x.svg', '--sizes', '8K:8K'],
      /^ibvf: --op alltoall: a chart needs at least two sizes/,
    ],
  ])('refuses %j in one line, exit 2', async (args, message) => {
    const { code, err } = await runIbvf('chart', ...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('refuses an unwritable file in one line', async () => {
    const file = join(dir(), 'a-file');
    writeFileSync(file, '');
    const { code, err } = await runIbvf('chart', 'predict', '--sizes', '1:4', '--out', join(file, 'x.svg'));
    expect(code).toBe(2);
    expect(err).toMatch(/^ibvf: .*x\.svg: cannot write the chart \(ENOTDIR\): choose another --out\n$/);
  });
});
