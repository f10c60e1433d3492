import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import {
  ALGORITHMS,
  COLLECTIVE_OPS,
  findAlgorithm,
  mv2ArchType,
  mv2HcaType,
  selectTuned,
  type CollectiveOp,
} from '../../../src/model/collectives/index.js';
import { buildLayout, ranksPerHost, type Placement } from '../../../src/model/layout/index.js';
import { detectMpiHosts, GUEST_CPU_MODELS } from '../../../src/model/mpi-host.js';
import { predictCollective, type CollectiveQuery } from '../../../src/model/predict-collective.js';
import { builtinProfile } from '../../../src/profiles/builtin.js';
import type { Profile } from '../../../src/profiles/types.js';
import { recordingBuilder } from './recording.js';

const profile = builtinProfile('cx3-fdr-kvm-2013')!;

/** The paper's Fig. 5 shape: 32 ranks on 4 nodes. */
function layoutOf(placement: Placement, shm = true) {
  return buildLayout({ nodes: 4, procs: 32, socketsPerNode: 2, coresPerSocket: 8, placement, shm });
}

/** What MVAPICH2 1.9a2 would run at 8 KB for 32 ranks on this layout (shm on). */
function at8K(
  p: Profile,
  placement: Placement,
  op: CollectiveOp,
  guestCpu?: 'host' | { model: number; modelName: string },
) {
  const layout = layoutOf(placement);
  const d = detectMpiHosts(p, layout, guestCpu)!;
  const sel = selectTuned({
    op,
    bytes: 8192,
    procs: 32,
    ranksPerNode: Math.max(...ranksPerHost(layout)),
    shm: true,
    arch: d.arch,
    hca: d.hca,
    heterogeneous: d.heterogeneous,
  });
  return { arch: d.arch, hca: d.hca, cores: d.view.cores, sockets: d.view.sockets, ...sel };
}

describe('mv2_get_arch_type and mv2_get_hca_type (MVAPICH2 1.9a2)', () => {
  const intel = (
    cores: number,
    sockets: number,
    model = 45,
    modelName = 'Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz',
  ) => mv2ArchType({ vendor: 'GenuineIntel', model, modelName, cores, sockets });

  it('names the tuned machines only for their exact socket, core and model', () => {
    expect(intel(16, 2)).toBe('MV2_ARCH_INTEL_XEON_E5_2670_16');
    expect(intel(16, 2, 45, 'Intel(R) Xeon(R) CPU E5-2680 0 @ 2.70GHz')).toBe(
      'MV2_ARCH_INTEL_XEON_E5_2680_16',
    );
    expect(intel(16, 2, 42, 'Intel Xeon E312xx (Sandy Bridge)')).toBe('MV2_ARCH_INTEL_GENERIC');
    expect(intel(16, 2, 45, 'Intel Xeon E312xx (Sandy Bridge)')).toBe('MV2_ARCH_INTEL_GENERIC');
    expect(intel(12, 2, 44)).toBe('MV2_ARCH_INTEL_XEON_X5650_12');
    expect(intel(4, 2)).toBe('MV2_ARCH_INTEL_XEON_DUAL_4');
    expect(intel(8, 2, 26)).toBe('MV2_ARCH_INTEL_NEHALEM_8');
    expect(intel(8, 2)).toBe('MV2_ARCH_INTEL_GENERIC');
    expect(intel(8, 8)).toBe('MV2_ARCH_INTEL_GENERIC');
    expect(intel(1, 1)).toBe('MV2_ARCH_INTEL_GENERIC');
    expect(mv2ArchType({ vendor: 'AuthenticAMD', model: 1, modelName: 'x', cores: 32, sockets: 4 })).toBe(
      'MV2_ARCH_AMD_OPTERON_6136_32',
    );
  });

  it('reads the HCA from the device name and the port rate', () => {
    expect(mv2HcaType('mlx4_0', 56)).toBe('MV2_HCA_MLX_CX_FDR');
    expect(mv2HcaType('mlx4_0', 40)).toBe('MV2_HCA_MLX_CX_QDR');
    expect(mv2HcaType('mlx4_0', 0)).toBe('MV2_HCA_MLX_PCI_X');
    expect(mv2HcaType('qib0', 40)).toBe('MV2_HCA_QLGIC_QIB');
  });
});

describe('which tables a host gets: native 16-core node vs 1-, 4- and 8-vCPU guests (32 ranks, 8 KB)', () => {
  it('native: E5-2670 in 2 sockets of 8 cores -> MV2_ARCH_INTEL_XEON_E5_2670_16, which 1.9a2 has no table for', () => {
    const r = at8K(profile, 'native', 'bcast');
    expect(r).toMatchObject({ arch: 'MV2_ARCH_INTEL_XEON_E5_2670_16', hca: 'MV2_HCA_MLX_CX_FDR', cores: 16 });
    expect(r.table).toBe('default');
    expect(r.name).toBe('shmem-knomial');
    expect(at8K(profile, 'native', 'allreduce').name).toBe('rabenseifner');
    expect(at8K(profile, 'native', 'alltoall').name).toBe('scattered');
  });

  it.each([
    ['vm-per-core', 1],
    [{ vmsPerNode: 2 }, 4],
    ['vm-per-node', 8],
  ] as [Placement, number][])(
    '%j: %i vCPUs in as many sockets -> generic, default tables',
    (placement, vcpus) => {
      const r = at8K(profile, placement, 'bcast');
      expect(r).toMatchObject({
        arch: 'MV2_ARCH_INTEL_GENERIC',
        cores: vcpus,
        sockets: vcpus,
        table: 'default',
      });
      expect(r.name).toBe('shmem-knomial');
      expect(at8K(profile, placement, 'allreduce')).toMatchObject({ table: 'default', name: 'rabenseifner' });
      expect(at8K(profile, placement, 'alltoall')).toMatchObject({ table: 'default', name: 'scattered' });
    },
  );

  it('a 4-vCPU guest in 2 sockets is MV2_ARCH_INTEL_XEON_DUAL_4: still no table, still the defaults', () => {
    const p = structuredClone(profile);
    p.mpiHost!.guestTopology.value = 'host-sockets';
    expect(at8K(p, { vmsPerNode: 2 }, 'bcast')).toMatchObject({
      arch: 'MV2_ARCH_INTEL_XEON_DUAL_4',
      sockets: 2,
      table: 'default',
    });
  });

  it('on E5-2680 nodes the native host and a 16-vCPU -cpu host guest get the E5-2680 table, smaller guests not', () => {
    const p = structuredClone(profile);
    p.mpiHost!.cpuModelName.value = 'Intel(R) Xeon(R) CPU E5-2680 0 @ 2.70GHz';
    p.mpiHost!.guestCpuModelName.value = p.mpiHost!.cpuModelName.value;
    p.mpiHost!.guestTopology.value = 'host-sockets';
    const native = at8K(p, 'native', 'bcast');
    expect(native).toMatchObject({
      arch: 'MV2_ARCH_INTEL_XEON_E5_2680_16',
      table: 'E5-2680 (16 cores) + ConnectX FDR',
    });
    expect(native.name).toBe('shmem-binomial');
    expect(at8K(p, 'native', 'allreduce').name).toBe('two-level-p2p');
    // 16 ranks per node: one 16-vCPU VM per node on 2 nodes
    const big = buildLayout({
      nodes: 2,
      procs: 32,
      socketsPerNode: 2,
      coresPerSocket: 8,
      placement: 'vm-per-node',
      shm: true,
    });
    expect(detectMpiHosts(p, big)!.arch).toBe('MV2_ARCH_INTEL_XEON_E5_2680_16');
    expect(detectMpiHosts(p, big, GUEST_CPU_MODELS.SandyBridge)!.arch).toBe('MV2_ARCH_INTEL_GENERIC');
    // an 8-vCPU guest of the same node: generic, default tables, k-nomial leaders
    expect(at8K(p, 'vm-per-node', 'bcast')).toMatchObject({
      arch: 'MV2_ARCH_INTEL_GENERIC',
      name: 'shmem-knomial',
    });
    expect(at8K(p, 'vm-per-node', 'allreduce').name).toBe('rabenseifner');
  });

  it('a profile without mpiHost says so and uses the default tables', () => {
    const p = structuredClone(profile);
    delete p.mpiHost;
    const q: CollectiveQuery = {
      op: 'bcast',
      nodes: 4,
      procs: 32,
      placement: 'native',
      shm: true,
      progress: 'poll',
      engine: 'analytic',
      rangeDraws: 0,
    };
    const r = predictCollective(p, q, [8192]);
    expect(r.mpi).toMatchObject({ arch: 'MV2_ARCH_UNKWN', table: 'default' });
    expect(r.notes.join('\n')).toMatch(/no mpiHost section/);
  });
});

describe('with shared memory off no shared-memory phase appears', () => {
  const base: CollectiveQuery = {
    op: 'bcast',
    nodes: 4,
    procs: 32,
    placement: 'native',
    shm: false,
    progress: 'poll',
    engine: 'analytic',
    rangeDraws: 0,
  };

  it.each(['native', 'vm-per-core', 'vm-per-socket', 'vm-per-node'] as Placement[])(
    '%s: every selected algorithm sends only MPI messages (no zero-byte flags, no shmem design)',
    (placement) => {
      for (const op of COLLECTIVE_OPS) {
        const sizes = op === 'barrier' ? [0] : [1, 1024, 8192, 65536, 1 << 20];
        const r = predictCollective(profile, { ...base, op, placement }, sizes);
        for (const row of r.rows) {
          const algo = findAlgorithm(op, row.algorithm);
          expect(algo.shmem, `${op} ${row.bytes} ${row.algorithm}`).toBe(false);
          const b = recordingBuilder(32);
          const layout = layoutOf(placement, false);
          algo.generate(b, {
            procs: 32,
            bytes: row.bytes,
            reduceNsPerByte: 0.1,
            ranksPerNode: ranksPerHost(layout),
          });
          expect(b.ops.some((o) => o.kind !== 'calc' && o.bytes === 0)).toBe(false);
        }
      }
    },
  );

  it('asking for a shared-memory design with shm off is a usage error', () => {
    for (const a of ALGORITHMS.filter((x) => x.shmem)) {
      expect(() => predictCollective(profile, { ...base, op: a.op, algorithm: a.name }, [8192])).toThrow(
        UsageError,
      );
    }
  });

  it('with shm on the same 8 KB bcast has the shm phase on the native layout', () => {
    const r = predictCollective(profile, { ...base, shm: true }, [8192]);
    expect(r.rows[0].algorithm).toBe('shmem-knomial');
    expect(r.mpi).toMatchObject({
      arch: 'MV2_ARCH_INTEL_XEON_E5_2670_16',
      hca: 'MV2_HCA_MLX_CX_FDR',
      table: 'default',
    });
  });
});
