import { describe, expect, it } from 'vitest';
import { bfsLayout, endOfLevelNs, predictBfs } from '../../../src/model/graph500/bfs-predict.js';
import { profileGraph } from '../../../src/model/graph500/profile.js';
import { buildNetwork } from '../../../src/model/network.js';
import { loadProfile } from '../../../src/profiles/load.js';

const profile = loadProfile('cx3-fdr-kvm-2013');
const graph = profileGraph({ scale: 9, edgeFactor: 16, seed: 4, roots: 8, modulus: 8 });

describe('Graph500 BFS prediction', () => {
  it('one native rank: no messages, the time is the entries scanned x the per-edge cost', () => {
    const p = predictBfs(profile, profile, graph, {
      nodes: 1,
      perNode: 1,
      placement: 'native',
      variant: 'simple',
    });
    const perEdgeS = profile.compute.bfsPerEdgeCost!.value / 1e6;
    for (const [i, run] of graph.runs.entries()) {
      const scanned = run.levels.reduce((s, l) => s + l.scanned, 0);
      expect(p.perRoot[i].time_s).toBeCloseTo(scanned * perEdgeS, 12);
      expect(p.perRoot[i].teps).toBeCloseTo(run.edges / p.perRoot[i].time_s, 0);
    }
    expect(p.time_s).toBeCloseTo(p.perRoot.reduce((s, r) => s + r.time_s, 0) / p.perRoot.length, 15);
    // The harmonic mean lies at or below the arithmetic mean of the TEPS.
    expect(p.teps).toBeLessThanOrEqual(p.perRoot.reduce((s, r) => s + r.teps, 0) / p.perRoot.length);
  });

  it('the end of a level grows with the ranks it waits for', () => {
    const end = (perNode: number) => {
      const q = { nodes: 2, perNode, placement: 'native' as const, variant: 'simple' as const };
      return endOfLevelNs(buildNetwork(profile, bfsLayout(profile, q), 'poll'), 2 * perNode);
    };
    expect(end(1)).toBeGreaterThan(0);
    expect(end(4)).toBeGreaterThan(end(1));
  });

  it('VMs cost more than native ranks on the same count, and both variants answer', () => {
    for (const variant of ['simple', 'replicated'] as const) {
      const native = predictBfs(profile, profile, graph, {
        nodes: 2,
        perNode: 4,
        placement: 'native',
        variant,
      });
      const vm = predictBfs(profile, profile, graph, {
        nodes: 2,
        perNode: 4,
        placement: 'vm-per-core',
        variant,
      });
      expect(vm.time_s).toBeGreaterThan(native.time_s);
      expect(vm.procs).toBe(8);
    }
  });
});
