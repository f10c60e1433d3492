import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import {
  ALGORITHMS,
  COLLECTIVE_OPS,
  algorithmsFor,
  findAlgorithm,
  selectName,
  selectTuned,
  type SelectionInput,
} from '../../../src/model/collectives/index.js';

describe('registry', () => {
  it('has unique, short, lower-case names per op and covers every op', () => {
    for (const op of COLLECTIVE_OPS) {
      const names = algorithmsFor(op).map((a) => a.name);
      expect(names.length).toBeGreaterThan(0);
      expect(new Set(names).size).toBe(names.length);
      for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9-]*$/);
    }
    expect(ALGORITHMS.every((a) => a.description.length > 0 && a.source.length > 0)).toBe(true);
  });

  it('lists the algorithms of issues 4 and 10', () => {
    const names = (op: (typeof COLLECTIVE_OPS)[number]) => algorithmsFor(op).map((a) => a.name);
    expect(names('bcast')).toEqual([
      'binomial',
      'knomial',
      'scatter-rd-allgather',
      'scatter-ring-allgather',
      'two-level',
      'shmem-binomial',
      'shmem-knomial',
      'shmem-pipelined',
      'release-gather',
    ]);
    expect(names('allreduce')).toEqual([
      'recursive-doubling',
      'rabenseifner',
      'ring',
      'two-level',
      'two-level-shmem',
      'two-level-p2p',
      'release-gather',
    ]);
    expect(names('alltoall')).toEqual(['bruck', 'scattered', 'pairwise']);
    expect(names('allgather')).toEqual(['recursive-doubling', 'bruck', 'ring']);
    expect(names('reduce')).toEqual(['binomial', 'two-level', 'two-level-shmem']);
    expect(names('barrier')).toEqual(['dissemination']);
  });

  it('an unknown algorithm is a usage error listing the valid ones', () => {
    expect(() => findAlgorithm('alltoall', 'ring')).toThrow(UsageError);
    expect(() => findAlgorithm('alltoall', 'ring')).toThrow(/valid: bruck, scattered, pairwise/);
    expect(() => findAlgorithm('allscatter', 'ring')).toThrow(/--op: 'allscatter' is not one of/);
  });
});

describe('selection (MVAPICH2 1.9a2 tables and code paths)', () => {
  const sel = (s: Partial<SelectionInput> & Pick<SelectionInput, 'op'>) =>
    selectName({ bytes: 8192, procs: 32, ranksPerNode: 8, shm: false, ...s });
  const e5 = { arch: 'MV2_ARCH_INTEL_XEON_E5_2680_16', hca: 'MV2_HCA_MLX_CX_FDR' } as const;

  it('an untuned arch-HCA pair gets the default tables, the E5-2680 + FDR pair its own', () => {
    expect(selectTuned({ op: 'alltoall', bytes: 8192, procs: 32, ranksPerNode: 8, shm: true }).table).toBe(
      'default',
    );
    expect(
      selectTuned({
        op: 'alltoall',
        bytes: 8192,
        procs: 32,
        ranksPerNode: 8,
        shm: true,
        arch: 'MV2_ARCH_INTEL_XEON_E5_2670_16',
        hca: 'MV2_HCA_MLX_CX_FDR',
      }).table,
    ).toBe('default');
    expect(
      selectTuned({ op: 'bcast', bytes: 8192, procs: 32, ranksPerNode: 8, shm: true, ...e5 }).table,
    ).toBe('E5-2680 (16 cores) + ConnectX FDR');
    // different arch-HCA pairs among the processes: the default tables everywhere
    expect(
      selectTuned({
        op: 'bcast',
        bytes: 8192,
        procs: 32,
        ranksPerNode: 8,
        shm: true,
        ...e5,
        heterogeneous: true,
      }).table,
    ).toBe('default');
  });

  it('alltoall: default table bruck up to 2 KB, scattered above for 32 ranks, pairwise above 8 KB at 64', () => {
    expect(sel({ op: 'alltoall', bytes: 2048 })).toBe('bruck');
    expect(sel({ op: 'alltoall', bytes: 2049 })).toBe('scattered');
    expect(sel({ op: 'alltoall', procs: 8, bytes: 16 })).toBe('scattered');
    expect(sel({ op: 'alltoall', procs: 64, bytes: 16384 })).toBe('pairwise');
    expect(sel({ op: 'alltoall', procs: 64, bytes: 16384, ...e5 })).toBe('scattered');
    expect(sel({ op: 'alltoall', procs: 2000, bytes: 1025 })).toBe('pairwise');
  });

  it('allreduce: default table two-level up to 2 KB at 32 ranks, Rabenseifner above; E5-2680 up to 16 KB', () => {
    expect(sel({ op: 'allreduce', bytes: 2048, shm: true })).toBe('two-level-shmem');
    expect(sel({ op: 'allreduce', bytes: 2048 })).toBe('recursive-doubling');
    expect(sel({ op: 'allreduce', shm: true })).toBe('rabenseifner');
    expect(sel({ op: 'allreduce' })).toBe('rabenseifner');
    expect(sel({ op: 'allreduce', shm: true, ...e5 })).toBe('two-level-p2p');
    expect(sel({ op: 'allreduce', bytes: 1024, shm: true, ...e5 })).toBe('two-level-shmem');
    expect(sel({ op: 'allreduce', ...e5 })).toBe('recursive-doubling');
    expect(sel({ op: 'allreduce', bytes: 32768, shm: true, ...e5 })).toBe('rabenseifner');
    // the 1024-rank E5-2680 entry is cut off (six of seven entries copied): 2048 ranks use the 512 one
    expect(sel({ op: 'allreduce', procs: 2048, bytes: 16384, shm: true, ...e5 })).toBe('two-level-p2p');
    // one rank per host: create_2level_comm still runs, the shm phases are empty
    expect(sel({ op: 'allreduce', bytes: 2048, shm: true, ranksPerNode: 1 })).toBe('two-level-shmem');
  });

  it('bcast: shm on walks the table (k-nomial, binomial, pipelined leaders); shm off is MPICH, SMP-aware per host', () => {
    expect(sel({ op: 'bcast', shm: true })).toBe('shmem-knomial');
    expect(sel({ op: 'bcast', bytes: 8193, shm: true })).toBe('shmem-pipelined');
    expect(sel({ op: 'bcast', shm: true, ...e5 })).toBe('shmem-binomial');
    expect(sel({ op: 'bcast', procs: 8, shm: true })).toBe('shmem-binomial');
    expect(sel({ op: 'bcast', procs: 256, bytes: 1 << 20, shm: true })).toBe('scatter-ring-allgather');
    expect(sel({ op: 'bcast' })).toBe('two-level');
    expect(sel({ op: 'bcast', ranksPerNode: 1 })).toBe('binomial');
    expect(sel({ op: 'bcast', procs: 8, ranksPerNode: 8 })).toBe('binomial');
    expect(sel({ op: 'bcast', bytes: 65536 })).toBe('scatter-rd-allgather');
    expect(sel({ op: 'bcast', bytes: 65536, procs: 24 })).toBe('scatter-ring-allgather');
    expect(sel({ op: 'bcast', bytes: 1 << 20 })).toBe('scatter-ring-allgather');
  });

  it('reduce by MPIR_Reduce_MV2 thresholds; allgather by total size; the rest fixed', () => {
    expect(sel({ op: 'reduce', bytes: 4096, shm: true })).toBe('two-level-shmem');
    expect(sel({ op: 'reduce', shm: true })).toBe('two-level');
    expect(sel({ op: 'reduce', bytes: 16384, shm: true })).toBe('binomial');
    expect(sel({ op: 'reduce' })).toBe('binomial');
    expect(sel({ op: 'allgather', bytes: 1024 })).toBe('recursive-doubling');
    expect(sel({ op: 'allgather', bytes: 1024, procs: 24 })).toBe('bruck');
    expect(sel({ op: 'allgather', bytes: 65536 })).toBe('ring');
    expect(sel({ op: 'gather' })).toBe('binomial');
    expect(sel({ op: 'scatter' })).toBe('binomial');
    expect(sel({ op: 'barrier' })).toBe('dissemination');
  });

  it('with shm off nothing selected is a shared-memory design', () => {
    for (const op of COLLECTIVE_OPS)
      for (const procs of [2, 8, 32, 128])
        for (const ranksPerNode of [1, 2, 8])
          for (const bytes of [1, 1024, 8192, 65536, 1 << 20]) {
            const name = selectName({
              op,
              bytes,
              procs,
              ranksPerNode: Math.min(ranksPerNode, procs),
              shm: false,
            });
            expect(findAlgorithm(op, name).shmem, `${op} ${procs}/${ranksPerNode} ${bytes}`).toBe(false);
          }
  });
});
