import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_ROWS_FILE, parsePaperRows } from '../../../src/calibrate/paper/index.js';
import {
  collectiveFigureSpec,
  isStatedInPaper,
  measuredOf,
  p2pFigureSpec,
} from '../../../src/chart/figures/paper-data.js';
import { PAPER_FIGURES, paperFigure, type P2pFigure } from '../../../src/chart/figures/paper-figures.js';
import { builtinProfile } from '../../../src/profiles/builtin.js';
import { REPO_ROOT } from '../../fixtures.js';

const rows = parsePaperRows(readFileSync(path.join(REPO_ROOT, BUILTIN_ROWS_FILE), 'utf8'), BUILTIN_ROWS_FILE);
const profile = builtinProfile('cx3-fdr-kvm-2013')!;
const size = { widthIn: 3.5, heightIn: 2.6 };
const p2p = PAPER_FIGURES.filter((f): f is P2pFigure => f.kind === 'p2p');

type Layer = {
  data?: { values: { x: number; y: number; series: string; lo?: number }[] };
  mark: { type: string };
};

describe("the paper's figures", () => {
  it('covers 2a-c, 3a-c, 4a-c, 5a-c and 6 (Graph500)', () => {
    expect(PAPER_FIGURES.map((f) => f.id)).toEqual([
      '2a',
      '2b',
      '2c',
      '3a',
      '3b',
      '3c',
      '4a',
      '4b',
      '4c',
      '5a',
      '5b',
      '5c',
      '6',
    ]);
    expect(paperFigure('6')?.kind).toBe('graph500');
  });

  it('draws every number the paper states on its figure, and no row the paper gives no number for', () => {
    const drawn = p2p.flatMap((f) => measuredOf(f, rows).map((m) => m.source.split(': ')[1]));
    const stated = rows.filter(isStatedInPaper);
    // Every stated row of a point-to-point figure is drawn once (each figure's rows cite it).
    expect([...drawn].sort()).toEqual(stated.map((r) => r.id).sort());
    expect(drawn).not.toContain('send-2-inline0');
    expect(drawn).not.toContain('write-2-inline0');
  });

  it('measured marks carry the paper values; predicted lines carry the ranges', () => {
    const spec = p2pFigureSpec(paperFigure('2a') as P2pFigure, profile, rows, size) as unknown as {
      layer: Layer[];
    };
    const points = spec.layer.find((l) => l.mark.type === 'point')!.data!.values;
    expect(points).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ series: 'Native', x: 2, y: 0.87 }),
        expect.objectContaining({ series: 'SR-IOV', x: 4096, y: 2.87 }),
      ]),
    );
    const line = spec.layer.find((l) => l.mark.type === 'line')!.data!.values;
    expect(new Set(line.map((p) => p.series))).toEqual(
      new Set(['Native', 'SR-IOV', 'Native (Max Inline=0)']),
    );
    expect(line.every((p) => p.lo !== undefined)).toBe(true);
  });

  it('Fig. 5 is all predicted: no measured marks, one line per layout', () => {
    const fig = paperFigure('5c');
    if (fig?.kind !== 'collective') throw new Error('5c is a collective figure');
    const spec = collectiveFigureSpec({ ...fig, sizes: [1, 64] }, profile, size) as unknown as {
      layer: Layer[];
    };
    expect(spec.layer.some((l) => l.mark.type === 'point')).toBe(false);
    const line = spec.layer.find((l) => l.mark.type === 'line')!.data!.values;
    expect(new Set(line.map((p) => p.series))).toEqual(
      new Set(['Native (shm)', 'Native (no shm)', 'VM per core', 'VM per socket', 'VM per node']),
    );
  });
});
