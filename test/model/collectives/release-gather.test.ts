/**
 * MPICH 4.0.2's release/gather collectives (src/model/collectives/release-gather.ts) worked
 * by hand on 2 ranks, with a copy of 1 ns/B and a flag of 100 ns; the simulator's agreement
 * with the closed forms over 2-32 ranks is sim-agreement.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import {
  BCAST_CHUNK_BYTES,
  allreduceReleaseGatherClosed,
  bcastReleaseGatherClosed,
  chunkLengths,
} from '../../../src/model/collectives/release-gather.js';
import { flagParams } from '../../../src/model/collectives/shmem.js';
import type { PairParams } from '../../../src/model/sim/contract.js';

const p2p: PairParams = { L: 500, o_s: 200, o_r: 200, g: 0, G: 0.1, O: 0, S: 1 << 30 };
const net = { inter: p2p, intra: p2p, flag: flagParams(100) };

describe('MPICH 4.0.2 POSIX release/gather on one host', () => {
  it('chunks as MPIR_Algo_calculate_pipeline_chunk_info: the remainder first, then 8064 B cells', () => {
    expect(BCAST_CHUNK_BYTES).toBe(8064);
    expect(chunkLengths(8064, 8064)).toEqual([8064]);
    expect(chunkLengths(20000, 8064)).toEqual([3872, 8064, 8064]);
    expect(chunkLengths(16128, 8064)).toEqual([8064, 8064]);
  });

  it('bcast, 2 ranks, 20000 B: the root copies every chunk in without waiting (4 cells); the reader copies each out after its flag', () => {
    const r = bcastReleaseGatherClosed(net, {
      procs: 2,
      bytes: 20000,
      reduceNsPerByte: 0,
      shmCopyNsPerByte: 1,
    });
    // root: 20000; reader: the last chunk's flag at 20000 + 100, then its copy of 8064.
    expect(r.maxNs).toBe(28164);
    expect(r.avgNs).toBe((20000 + 28164) / 2);
  });

  it('allreduce, 2 ranks, 100 B: both copy in, rank 0 combines after the flag, releases, both copy out', () => {
    const r = allreduceReleaseGatherClosed(net, {
      procs: 2,
      bytes: 100,
      reduceNsPerByte: 0.5,
      shmCopyNsPerByte: 1,
    });
    // rank 1: copy 100, flag at 200; rank 0: copy to 100, combine 200..250, release flag at 350,
    // its copy out to 350; rank 1 copies out 350..450.
    expect(r.maxNs).toBe(450);
    expect(r.avgNs).toBe(400);
  });

  it('refuses ranks on more than one host: the framework is for a node communicator', () => {
    const input = { procs: 4, bytes: 8, reduceNsPerByte: 0, ranksPerNode: [2, 2] };
    expect(() => bcastReleaseGatherClosed(net, input)).toThrow(/one host .* 2 hosts/);
    expect(() => allreduceReleaseGatherClosed(net, input)).toThrow(/one host/);
  });
});
