import { describe, expect, it } from 'vitest';
import { p2pLatency } from '../../src/model/p2p/predict.js';
import { predictCollective } from '../../src/model/predict-collective.js';
import { cx3FdrKvm2013 } from '../../src/profiles/cx3-fdr-kvm-2013.js';
import { predictRow } from '../../src/validation/predict-row.js';
import type { ValidationRow } from '../../src/validation/rows.js';

const profile = cx3FdrKvm2013;
const row = (over: Partial<ValidationRow>): ValidationRow => ({
  id: 't-01',
  source: 's',
  testbed: 'tb',
  hca: 'CX3',
  virtualization: 'sr-iov',
  mpi: 'MVAPICH2 2.0',
  operation: 'osu_latency',
  size_bytes: 8,
  procs: 2,
  nodes: 2,
  layout: 'vm-per-node',
  shm: 'unknown',
  metric: 'latency_us',
  value: 1,
  unit: 'us',
  role: 'build',
  note: '',
  line: 2,
  ...over,
});

describe('predictRow: which model answers a published row', () => {
  it('osu_latency between VMs on two nodes is MPI over the VF path', () => {
    const p = predictRow(profile, row({}));
    expect(p).toMatchObject({ status: 'predicted', caveats: [] });
    expect(p.status === 'predicted' && p.value).toBe(
      p2pLatency(profile, { path: 'vf', op: 'mpi', progress: 'poll' }, 8),
    );
  });

  it('two VMs on one node talk VF to VF through the HCA; native ranks on one node use shared memory', () => {
    const vfToVf = predictRow(profile, row({ nodes: 1, layout: 'vms-per-node=2' }));
    expect(vfToVf.status === 'predicted' && vfToVf.value).toBe(
      p2pLatency(profile, { path: 'vf-to-vf', op: 'mpi', progress: 'poll' }, 8),
    );
    const shm = predictRow(profile, row({ nodes: 1, layout: 'native', virtualization: 'native' }));
    expect(shm.status === 'predicted' && shm.value).toBe(
      p2pLatency(profile, { path: 'shm', op: 'mpi', progress: 'poll' }, 8),
    );
    expect(shm.status === 'predicted' && shm.caveats.join()).toMatch(/shared memory not stated/);
  });

  it("perftest latency without a size is perftest's default 2 bytes, said so", () => {
    const p = predictRow(
      profile,
      row({ operation: 'ib_send_lat', size_bytes: undefined, mpi: 'none (perftest)' }),
    );
    expect(p.status === 'predicted' && p.value).toBe(
      p2pLatency(profile, { path: 'vf', op: 'send', progress: 'poll' }, 2),
    );
    expect(p.status === 'predicted' && p.caveats).toEqual(["size not stated: perftest's default of 2 B"]);
  });

  it('a library other than MVAPICH2 is predicted with that substitution stated', () => {
    const p = predictRow(profile, row({ mpi: 'Open MPI 1.10.3' }));
    expect(p.status === 'predicted' && p.caveats).toEqual([
      "Open MPI 1.10.3: its MPI layer modelled as MVAPICH2's",
    ]);
  });

  it('the smallest native/VM ratio over a sweep is the ratio of the two layouts at its size', () => {
    const ratioRow = row({
      operation: 'osu_bcast',
      metric: 'min_ratio_native_over_vm_time',
      size_bytes: undefined,
      procs: 8,
      nodes: 2,
      role: 'judge',
    });
    const p = predictRow(profile, ratioRow);
    expect(p.status).toBe('predicted');
    if (p.status !== 'predicted') return;
    const at = Number(/at (\d+) B/.exec(p.how)![1]);
    const q = {
      op: 'bcast' as const,
      nodes: 2,
      procs: 8,
      shm: true,
      progress: 'poll' as const,
      engine: 'sim' as const,
      rangeDraws: 0,
    };
    const native = predictCollective(profile, { ...q, placement: 'native' }, [at]).rows[0].latency_us;
    const vm = predictCollective(profile, { ...q, placement: 'vm-per-node' }, [at]).rows[0].latency_us;
    expect(p.value).toBeCloseTo(native / vm, 12);
    expect(p.value).toBeLessThanOrEqual(1);
  });

  it.each([
    [{ virtualization: 'passthrough' as const }, /PCI passthrough/],
    [{ virtualization: 'sr-iov+ivshmem' as const }, /IVShmem/],
    [{ operation: 'osu_put_latency' }, /MPI_Put/],
    [{ operation: 'rdma_latency (benchmark not named)' }, /does not name the benchmark/],
    [
      { operation: 'osu_bcast', layout: 'unknown', nodes: undefined, procs: 16, note: '' },
      /layout .* cannot be read/,
    ],
  ])('says why a row cannot be predicted: %j', (over, why) => {
    const p = predictRow(profile, row(over));
    expect(p.status).toBe('not-predictable');
    expect(p.status === 'not-predictable' && p.why).toMatch(why);
  });
});
