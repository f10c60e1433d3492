import { describe, expect, it } from 'vitest';
import { selectMpich402Ch4 } from '../../../src/model/collectives/mpich402-ch4-select.js';
import { findAlgorithm } from '../../../src/model/collectives/registry.js';
import { UsageError } from '../../../src/errors.js';

describe('MPICH 4.0.2 ch4 selection (maint/tuning/coll/ch4/generic.json, mpir/generic.json)', () => {
  it('alltoall: below 8 ranks scattered up to 32768 B per pair, then pairwise; from 8 ranks brucks up to 256 B', () => {
    expect(selectMpich402Ch4('alltoall', 32768, 2, 1).mpich).toBe('MPIR_Alltoall_intra_scattered');
    expect(selectMpich402Ch4('alltoall', 32769, 2, 1).mpich).toBe('MPIR_Alltoall_intra_pairwise');
    expect(selectMpich402Ch4('alltoall', 1, 2, 1).mpich).toBe('MPIR_Alltoall_intra_scattered');
    expect(selectMpich402Ch4('alltoall', 256, 8, 2).mpich).toBe('MPIR_Alltoall_intra_brucks');
    expect(selectMpich402Ch4('alltoall', 257, 8, 2).mpich).toBe('MPIR_Alltoall_intra_scattered');
  });

  it('bcast and allreduce on one host run POSIX release_gather, modelled as MPICH implements it (release-gather)', () => {
    const bcast = selectMpich402Ch4('bcast', 8, 2, 1);
    expect(bcast).toEqual({
      algorithm: 'release-gather',
      mpich: 'MPIDI_POSIX_mpi_bcast_release_gather',
      standIn: false,
    });
    expect(selectMpich402Ch4('allreduce', 8, 2, 1)).toEqual({
      algorithm: 'release-gather',
      mpich: 'MPIDI_POSIX_mpi_allreduce_release_gather',
      standIn: false,
    });
    expect(selectMpich402Ch4('allreduce', 1 << 20, 4, 1).mpich).toBe(
      'MPIDI_POSIX_mpi_allreduce_release_gather',
    );
    // Every algorithm named exists in the registry.
    for (const op of ['bcast', 'allreduce', 'alltoall'] as const)
      expect(findAlgorithm(op, selectMpich402Ch4(op, 8, 2, 1).algorithm).name).toBeTruthy();
  });

  it('refuses what it does not model: several hosts, 8 ranks or more, other operations', () => {
    expect(() => selectMpich402Ch4('bcast', 8, 4, 2)).toThrow(UsageError);
    expect(() => selectMpich402Ch4('allreduce', 8, 8, 1)).toThrow(/fewer than 8 ranks/);
    expect(() => selectMpich402Ch4('gather', 8, 2, 1)).toThrow(/bcast, allreduce and alltoall/);
  });
});
