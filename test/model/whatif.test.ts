import { describe, expect, it } from 'vitest';
import { predictCollective } from '../../src/model/predict-collective.js';
import { compareLayouts, FIGURE5_QUERY, whatifCases } from '../../src/model/whatif.js';
import { loadProfile } from '../../src/profiles/load.js';

const profile = loadProfile('cx3-fdr-kvm-2013');

describe('compareLayouts (the what-if comparison)', () => {
  it("compares the paper's Figure 5 layouts by default: native with shm on and off, VMs with it off", () => {
    expect(whatifCases(FIGURE5_QUERY.placements)).toEqual([
      { placement: 'native', shm: true },
      { placement: 'native', shm: false },
      { placement: 'vm-per-core', shm: false },
      { placement: 'vm-per-socket', shm: false },
      { placement: 'vm-per-node', shm: false },
    ]);
    expect(whatifCases(['vm-per-node', { vmsPerNode: 2 }], [true, false])).toHaveLength(4);
  });

  it("gives each row its case's own prediction and the ratio to the best layout of its op and size", () => {
    const result = compareLayouts(profile, {
      ops: ['allreduce', 'barrier'],
      sizes: [64, 4096],
      engine: 'analytic',
    });
    // allreduce: two sizes x five cases; barrier: one row (0 bytes) x five cases.
    expect(result.rows.map((r) => `${r.op}/${r.bytes}`)).toEqual([
      ...Array(5).fill('allreduce/64'),
      ...Array(5).fill('allreduce/4096'),
      ...Array(5).fill('barrier/0'),
    ]);
    for (let g = 0; g < 3; g++) {
      const group = result.rows.slice(5 * g, 5 * g + 5);
      const best = Math.min(...group.map((r) => r.latency_us));
      expect(Math.min(...group.map((r) => r.ratio_to_best))).toBe(1);
      for (const r of group) expect(r.ratio_to_best).toBe(r.latency_us / best);
    }
    const vmPerCore = result.rows[7];
    expect(vmPerCore.placement).toBe('vm-per-core');
    const alone = predictCollective(
      profile,
      {
        op: 'allreduce',
        placement: 'vm-per-core',
        shm: false,
        nodes: 4,
        procs: 32,
        progress: 'poll',
        engine: 'analytic',
      },
      [4096],
    );
    expect(vmPerCore.latency_us).toBe(alone.rows[0].latency_us);
    expect(vmPerCore.layout).toEqual(alone.layout);
    expect(result.assumptions.map((a) => a.field)).toContain('virtualization.perVfCost');
    expect(result.rows.every((r) => r.sensitivity === undefined)).toBe(true);
  });

  it('says once that blocking progress turns shared memory off, and sweeps assumptions when asked', () => {
    const result = compareLayouts(profile, {
      ops: ['bcast'],
      placements: ['native', 'vm-per-node'],
      progress: 'blocking',
      engine: 'analytic',
      sensitivity: true,
    });
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toMatch(/blocking mode turns shared memory off/);
    expect(result.rows.map((r) => r.shm)).toEqual([false, false, false]);
    for (const r of result.rows) expect(r.sensitivity?.map((s) => s.field)).toContain('hca.messageRate');
  });
});
