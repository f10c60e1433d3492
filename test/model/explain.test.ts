import { describe, expect, it } from 'vitest';
import { explainLayouts, NEGLIGIBLE_GAP } from '../../src/model/explain.js';
import { MECHANISMS, findMechanism } from '../../src/model/mechanisms.js';
import { predictCollective, type CollectiveQuery } from '../../src/model/predict-collective.js';
import { cx3FdrKvm2013 } from '../../src/profiles/cx3-fdr-kvm-2013.js';
import type { Profile } from '../../src/profiles/types.js';

const profile = cx3FdrKvm2013;
const q: Omit<CollectiveQuery, 'placement' | 'shm'> = {
  op: 'allreduce',
  nodes: 4,
  procs: 32,
  progress: 'poll',
  engine: 'sim',
  rangeDraws: 0,
};
const latency = (p: Profile, placement: CollectiveQuery['placement'], shm = false) =>
  predictCollective(p, { ...q, placement, shm }, [8192]).rows[0].latency_us;

describe('explainLayouts: the ablation of the gaps between layouts', () => {
  const question = { ops: ['allreduce' as const], sizes: [8192] };
  const explanation = explainLayouts(profile, question);

  it('compares each VM layout with native and each two VM layouts', () => {
    const pairs = explanation.gaps.map((g) => [g.layout, g.versus].sort().join(' | '));
    expect(pairs).toContain(['native shm off', 'vm-per-core shm off'].sort().join(' | '));
    expect(pairs).toContain(['vm-per-core shm off', 'vm-per-node shm off'].sort().join(' | '));
    expect(explanation.gaps).toHaveLength(3 + 3);
  });

  it('gives each mechanism the part of the gap that goes when it is off, as predictions without it show', () => {
    const gap = explanation.gaps.find(
      (g) => g.layout === 'vm-per-core shm off' && g.versus === 'native shm off',
    )!;
    expect(gap.gap_us).toBeCloseTo(latency(profile, 'vm-per-core') - latency(profile, 'native'), 9);
    for (const share of gap.shares) {
      const off = findMechanism(share.mechanism)!.off(profile);
      const without = latency(off, 'vm-per-core') - latency(off, 'native');
      expect(share.gap_without_us).toBeCloseTo(without, 9);
      expect(share.share).toBeCloseTo((gap.gap_us - without) / gap.gap_us, 9);
    }
    const sum = gap.shares.reduce((s, x) => s + (x.share ?? 0), 0);
    expect(gap.interaction).toBeCloseTo(1 - sum, 12);
  });

  it('a gap made by one mechanism alone is all that mechanism', () => {
    // Remote memory is the only difference between a VM per node (spanning both
    // sockets) and a VM per socket once the other mechanisms are off.
    const numaOnly = MECHANISMS.filter((m) => m.name !== 'numa').reduce((p, m) => m.off(p), profile);
    const only = explainLayouts(numaOnly, { ...question, placements: ['vm-per-socket', 'vm-per-node'] });
    const [gap] = only.gaps;
    expect(gap).toMatchObject({
      layout: 'vm-per-node shm off',
      versus: 'vm-per-socket shm off',
      negligible: false,
    });
    expect(gap.shares.find((s) => s.mechanism === 'numa')!.share).toBeCloseTo(1, 9);
    for (const s of gap.shares.filter((x) => x.mechanism !== 'numa')) expect(s.share).toBeCloseTo(0, 9);
    expect(gap.interaction).toBeCloseTo(0, 9);
  });

  it('does not split a gap of the order of tie effects', () => {
    const same = explanation.gaps.find(
      (g) => g.layout.startsWith('vm-per-') && g.versus.startsWith('vm-per-') && g.negligible,
    );
    expect(same).toBeDefined();
    expect(same!.gap_us).toBeLessThanOrEqual(NEGLIGIBLE_GAP * latency(profile, 'vm-per-socket'));
    for (const s of same!.shares) expect(s.share).toBeUndefined();
  });

  it('every mechanism switch leaves the profile it was given unchanged', () => {
    const before = JSON.stringify(profile);
    for (const m of MECHANISMS) m.off(profile);
    expect(JSON.stringify(profile)).toBe(before);
  });

  it('ablates the interrupt vectors: under event progress they account for part of the gap between a VM per node and a VM per core', () => {
    expect(MECHANISMS.map((m) => m.name)).toContain('interrupt-vectors');
    const event = explainLayouts(profile, {
      ops: ['bcast'],
      sizes: [8192],
      placements: ['vm-per-core', 'vm-per-node'],
      progress: 'event',
    });
    const [gap] = event.gaps;
    expect(gap).toMatchObject({ layout: 'vm-per-node shm off', versus: 'vm-per-core shm off' });
    const share = gap.shares.find((s) => s.mechanism === 'interrupt-vectors')!;
    // The gap without the mechanism, as a prediction with it off shows.
    const off = findMechanism('interrupt-vectors')!.off(profile);
    const at = (p: Profile, placement: CollectiveQuery['placement']) =>
      predictCollective(p, { ...q, op: 'bcast', progress: 'event', placement, shm: false }, [8192]).rows[0]
        .latency_us;
    expect(share.gap_without_us).toBeCloseTo(at(off, 'vm-per-node') - at(off, 'vm-per-core'), 9);
    expect(share.share).toBeGreaterThan(0);
    // Polling never takes an interrupt: there it accounts for nothing.
    const poll = explainLayouts(profile, { ...question, placements: ['vm-per-core', 'vm-per-node'] });
    for (const g of poll.gaps)
      if (!g.negligible) expect(g.shares.find((s) => s.mechanism === 'interrupt-vectors')!.share).toBe(0);
  });
});
