import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
    [['--only', '6', '--graph500-scale', 'x'], /^ibvf: --scale: 'x' is not a whole number/],
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

  it('writes Fig. 6 (Graph500) in every format, predicted with its range, at the scale asked for', async () => {
    // Scale 10, not the paper's 22 (minutes to generate on a shared CI machine): the figure
    // says which scale it shows; test/chart/specs/graph500.test.ts checks the spec itself.
    const out = dir();
    const cache = dir();
    const args = ['figures', '--out', out, '--only', '6', '--dpi', '100', '--cache', cache];
    const { code, out: stdout } = await runIbvf(...args, '--graph500-scale', '10', '--graph500-roots', '8');
    expect(code).toBe(0);
    for (const ext of ['svg', 'png', 'pdf', 'vl.json']) {
      expect(stdout).toContain(join(out, `fig6.${ext}`));
      expect(existsSync(join(out, `fig6.${ext}`))).toBe(true);
    }
    const svg = readFileSync(join(out, 'fig6.svg'), 'utf8');
    for (const label of ['VMs or ranks per node', 'BFS time (s)', 'Native', 'SR-IOV (VM per rank)'])
      expect(svg).toContain(label);
    expect(svg).toContain('scale 10 (paper: 22): predicted, band 95%');
    const vl = JSON.parse(readFileSync(join(out, 'fig6.vl.json'), 'utf8'));
    expect(vl.layer.map((l: { mark: { type: string } }) => l.mark.type)).toEqual(['area', 'area', 'line']);
    expect(readdirSync(cache)).toEqual(['graph500-s10-ef16-seed1-r8-m64.json']);
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

  it('graph500 charts the time per VMs or ranks per node, or TEPS', async () => {
    const d = dir();
    const common = ['--scale', '8', '--roots', '4', '--draws', '2', '--nodes', '2', '--cache', d];
    const time = await runIbvf(
      'chart',
      'graph500',
      ...common,
      '--per-node',
      '1,2,4',
      '--out',
      join(d, 't.svg'),
    );
    expect(time.code).toBe(0);
    const svg = readFileSync(join(d, 't.svg'), 'utf8');
    for (const label of ['VMs or ranks per node', 'BFS time (s)', 'native', 'vm-per-core'])
      expect(svg).toContain(label);
    const teps = await runIbvf(
      'chart',
      'graph500',
      ...common,
      '--metric',
      'teps',
      '--out',
      join(d, 'e.vl.json'),
    );
    expect(teps.code).toBe(0);
    expect(readFileSync(join(d, 'e.vl.json'), 'utf8')).toContain('TEPS (edges/s)');
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
      ['graph500', '--out', 'x.svg', '--scale', '8', '--per-node', '2'],
      /^ibvf: --per-node 2: a chart needs at least two counts/,
    ],
    [
      ['graph500', '--out', 'x.svg', '--scale', '8', '--metric', 'bfs'],
      /^ibvf: --metric: 'bfs' is not one of time, teps/,
    ],
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
