import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import {
  ALGORITHMS,
  COLLECTIVE_OPS,
  algorithmsFor,
  findAlgorithm,
  selectName,
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
    ]);
    expect(names('allreduce')).toEqual([
      'recursive-doubling',
      'rabenseifner',
      'ring',
      'two-level',
      'two-level-shmem',
      'two-level-p2p',
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

describe('selection (MVAPICH2 1.9, E5-2680 + ConnectX FDR tables)', () => {
  const sel = (s: Partial<SelectionInput> & Pick<SelectionInput, 'op'>) =>
    selectName({ bytes: 8192, procs: 32, ranksPerNode: 8, shm: false, ...s });

  it('alltoall: bruck up to 2 KB, scattered above for 32 ranks, pairwise for large jobs', () => {
    expect(sel({ op: 'alltoall', bytes: 2048 })).toBe('bruck');
    expect(sel({ op: 'alltoall', bytes: 2049 })).toBe('scattered');
    expect(sel({ op: 'alltoall', bytes: 8192 })).toBe('scattered');
    expect(sel({ op: 'alltoall', procs: 64, bytes: 32768 })).toBe('pairwise');
    expect(sel({ op: 'alltoall', procs: 2000, bytes: 1025 })).toBe('pairwise');
  });

  it('allreduce: two-level recursive doubling with shm, flat otherwise; rabenseifner above 16 KB', () => {
    expect(sel({ op: 'allreduce', shm: true })).toBe('two-level');
    expect(sel({ op: 'allreduce' })).toBe('recursive-doubling');
    expect(sel({ op: 'allreduce', bytes: 65536, shm: true })).toBe('rabenseifner');
    expect(sel({ op: 'allreduce', procs: 16, bytes: 2048 })).toBe('rabenseifner');
    // one rank per node: nothing to share
    expect(sel({ op: 'allreduce', shm: true, ranksPerNode: 1 })).toBe('recursive-doubling');
  });

  it('bcast: two-level with shm; knomial, then scatter-allgathers without', () => {
    expect(sel({ op: 'bcast', shm: true })).toBe('two-level');
    expect(sel({ op: 'bcast' })).toBe('knomial');
    expect(sel({ op: 'bcast', bytes: 65536 })).toBe('scatter-rd-allgather');
    expect(sel({ op: 'bcast', bytes: 65536, procs: 24 })).toBe('scatter-ring-allgather');
    expect(sel({ op: 'bcast', bytes: 1 << 20 })).toBe('scatter-ring-allgather');
    expect(sel({ op: 'bcast', procs: 4, ranksPerNode: 4 })).toBe('binomial');
  });

  it('allgather by total size, the rest fixed', () => {
    expect(sel({ op: 'allgather', bytes: 1024 })).toBe('recursive-doubling');
    expect(sel({ op: 'allgather', bytes: 1024, procs: 24 })).toBe('bruck');
    expect(sel({ op: 'allgather', bytes: 65536 })).toBe('ring');
    expect(sel({ op: 'reduce', shm: true })).toBe('two-level');
    expect(sel({ op: 'reduce' })).toBe('binomial');
    expect(sel({ op: 'gather' })).toBe('binomial');
    expect(sel({ op: 'scatter' })).toBe('binomial');
    expect(sel({ op: 'barrier' })).toBe('dissemination');
  });
});
