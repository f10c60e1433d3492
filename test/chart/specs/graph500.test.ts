import { describe, expect, it } from 'vitest';
import { graph500FigureSpec } from '../../../src/chart/figures/graph500-data.js';
import { paperFigure } from '../../../src/chart/figures/paper-figures.js';
import { graph500Points, graph500Spec } from '../../../src/chart/specs/graph500.js';
import { compareGraph500 } from '../../../src/model/graph500/compare.js';
import { modulusFor, profileGraph } from '../../../src/model/graph500/profile.js';
import { builtinProfile } from '../../../src/profiles/builtin.js';

const profile = builtinProfile('cx3-fdr-kvm-2013')!;
const size = { widthIn: 3.5, heightIn: 2.6 };
const perNode = [1, 2, 4, 8, 16];
// A small graph (scale 8, 8 roots): the chart's shape, not the paper's scale 22, is tested here.
const graph = profileGraph({
  scale: 8,
  edgeFactor: 16,
  seed: 1,
  roots: 8,
  modulus: modulusFor(perNode.map((k) => 4 * k)),
});
const rows = compareGraph500(profile, profile, graph, {
  nodes: 4,
  perNode,
  placements: ['native', 'vm-per-core'],
  variant: 'simple',
  draws: 4,
  rangeRoots: 4,
  seed: 1,
});

type Layer = {
  data?: { values: { x: number; y: number; series: string; lo?: number; hi?: number }[] };
  mark: { type: string };
  encoding: { x: { title: string; axis: { values: number[] } }; y: { title: string } };
};
const layersOf = (spec: unknown) => (spec as { layer: Layer[] }).layer;

describe('the Graph500 chart', () => {
  it('one predicted line per layout over VMs or ranks per node, with its 95% band and axis titles', () => {
    const layers = layersOf(graph500Spec({ metric: 'time', rows, size }));
    const line = layers.find((l) => l.mark.type === 'line')!;
    expect(new Set(line.data!.values.map((p) => p.series))).toEqual(new Set(['native', 'vm-per-core']));
    expect(line.encoding.x.title).toBe('VMs or ranks per node');
    expect(line.encoding.x.axis.values).toEqual(perNode);
    expect(line.encoding.y.title).toBe('BFS time (s)');
    // Bands: one per layout, each point's range around its value.
    expect(layers.filter((l) => l.mark.type === 'area')).toHaveLength(2);
    for (const p of line.data!.values) {
      expect(p.lo!).toBeLessThanOrEqual(p.y);
      expect(p.hi!).toBeGreaterThanOrEqual(p.y);
    }
    // Nothing predicted is drawn as measured.
    expect(layers.some((l) => l.mark.type === 'point')).toBe(false);
  });

  it('the points are the rows: time in s, or TEPS', () => {
    const t = graph500Points(rows, 'time');
    const e = graph500Points(rows, 'teps');
    expect(t.map((p) => p.y)).toEqual(rows.map((r) => r.time_s));
    expect(e.map((p) => [p.y, p.lo, p.hi])).toEqual(rows.map((r) => [r.teps, r.teps_lo, r.teps_hi]));
    expect(t.map((p) => p.x)).toEqual(rows.map((r) => r.perNode));
    const teps = layersOf(graph500Spec({ metric: 'teps', rows, size }));
    expect(teps.find((l) => l.mark.type === 'line')!.encoding.y.title).toBe('TEPS (edges/s)');
  });

  it("Fig. 6 names the paper's layouts and says the scale it was drawn at and that it is predicted", () => {
    const fig = paperFigure('6');
    if (fig?.kind !== 'graph500') throw new Error('Fig. 6 is the Graph500 figure');
    expect(fig).toMatchObject({ scale: 22, nodes: 4, perNode });
    const spec = graph500FigureSpec(fig, rows, { profileName: profile.name, scale: 8, draws: 4 }, size) as {
      title: { text: string; subtitle: string };
    };
    const line = layersOf(spec).find((l) => l.mark.type === 'line')!;
    expect(new Set(line.data!.values.map((p) => p.series))).toEqual(
      new Set(['Native', 'SR-IOV (VM per rank)']),
    );
    expect(spec.title.text).toBe('Fig. 6 Graph500 BFS, 4 nodes');
    expect(spec.title.subtitle).toBe('cx3-fdr-kvm-2013, scale 8 (paper: 22): predicted, band 95%');
  });
});
