import { describe, expect, it } from 'vitest';
import { ALGORITHMS, type CollectiveInput } from '../../../src/model/collectives/index.js';
import { dryRun, recordingBuilder } from './recording.js';

const PROCS = [1, 2, 3, 4, 5, 6, 7, 8, 12, 16];

function inputFor(procs: number, bytes: number, twoLevel: boolean): CollectiveInput {
  // Two-level algorithms get nodes of up to 4 ranks (the last one possibly smaller).
  const ranksPerNode: number[] = [];
  if (twoLevel) for (let left = procs; left > 0; left -= 4) ranksPerNode.push(Math.min(4, left));
  return { procs, bytes, reduceNsPerByte: 0.5, ...(twoLevel ? { ranksPerNode } : {}) };
}

describe.each(ALGORITHMS.map((a) => [`${a.op}/${a.name}`, a] as const))('%s', (_label, algo) => {
  it.each(PROCS)('P = %i: every receive is matched by a send of the same size, and it completes', (P) => {
    for (const bytes of [1, 1000, 65536]) {
      const b = recordingBuilder(P);
      algo.generate(b, inputFor(P, bytes, algo.twoLevel));
      const { stuck, sizeMismatches } = dryRun(b.ops);
      expect(stuck).toEqual([]);
      expect(sizeMismatches).toBe(0);
      const sends = b.ops.filter((o) => o.kind === 'send').length;
      const recvs = b.ops.filter((o) => o.kind === 'recv').length;
      expect(sends).toBe(recvs);
      // Every MPI message carries a byte at least; zero-byte messages are the shared-memory
      // flags of MVAPICH2's shmem designs, and only those algorithms send them.
      const carries = (o: (typeof b.ops)[number]) => o.bytes >= 1 || (algo.shmem && o.bytes === 0);
      expect(b.ops.every((o) => o.kind === 'calc' || (carries(o) && o.peer !== o.rank))).toBe(true);
    }
  });

  it('closed form gives finite, ordered times', () => {
    const p = { L: 5000, o_s: 1000, o_r: 1500, g: 400, G: 0.5, O: 0.25, S: 8192 };
    for (const P of PROCS) {
      const r = algo.closedForm.evaluate({ inter: p, intra: p }, inputFor(P, 4096, algo.twoLevel));
      expect(Number.isFinite(r.avgNs)).toBe(true);
      expect(r.maxNs).toBeGreaterThanOrEqual(r.avgNs);
      if (P === 1) expect(r.maxNs).toBe(0);
    }
  });
});

describe('message counts follow the algorithms', () => {
  const count = (op: string, name: string, P: number, bytes = 100) => {
    const a = ALGORITHMS.find((x) => x.op === op && x.name === name)!;
    const b = recordingBuilder(P);
    a.generate(b, { procs: P, bytes, reduceNsPerByte: 1 });
    return {
      sends: b.ops.filter((o) => o.kind === 'send'),
      calcs: b.ops.filter((o) => o.kind === 'calc'),
    };
  };

  it('binomial bcast: P-1 messages of n bytes, the root sends to 4, 2, 1 in that order', () => {
    const { sends } = count('bcast', 'binomial', 8);
    expect(sends.length).toBe(7);
    expect(sends.filter((s) => s.rank === 0).map((s) => s.peer)).toEqual([4, 2, 1]);
    expect(sends.every((s) => s.bytes === 100)).toBe(true);
  });

  it('knomial bcast (k=4): the root of 16 sends to 4, 8, 12, then 1, 2, 3', () => {
    const { sends } = count('bcast', 'knomial', 16);
    expect(sends.filter((s) => s.rank === 0).map((s) => s.peer)).toEqual([4, 8, 12, 1, 2, 3]);
    expect(sends.length).toBe(15);
  });

  it('recursive-doubling allreduce: P log2 P exchanges, non-power-of-two folds 2 rem extra messages', () => {
    expect(count('allreduce', 'recursive-doubling', 8).sends.length).toBe(24);
    // P = 6: pof2 4, rem 2: 4 ranks x 2 rounds + 2 fold-in + 2 fold-out.
    expect(count('allreduce', 'recursive-doubling', 6).sends.length).toBe(12);
    expect(count('allreduce', 'recursive-doubling', 8).calcs.length).toBe(24);
  });

  it('rabenseifner moves n/2 + n/4 + ... per rank in each half', () => {
    const { sends } = count('allreduce', 'rabenseifner', 4, 1024);
    const rank0 = sends.filter((s) => s.rank === 0).map((s) => s.bytes);
    expect(rank0).toEqual([512, 256, 256, 512]);
  });

  it('ring allreduce: 2(P-1) messages of n/P per rank', () => {
    const { sends } = count('allreduce', 'ring', 4, 1000);
    expect(sends.filter((s) => s.rank === 1).map((s) => s.bytes)).toEqual([250, 250, 250, 250, 250, 250]);
  });

  it('bruck alltoall: ceil(log2 P) steps of the blocks with bit k set', () => {
    const { sends } = count('alltoall', 'bruck', 5, 10);
    expect(sends.filter((s) => s.rank === 0).map((s) => [s.peer, s.bytes])).toEqual([
      [1, 20],
      [2, 20],
      [4, 10],
    ]);
  });

  it('pairwise and scattered alltoall send one block to every other rank', () => {
    for (const name of ['pairwise', 'scattered']) {
      const { sends } = count('alltoall', name, 6, 10);
      expect(sends.length).toBe(30);
      expect(new Set(sends.filter((s) => s.rank === 2).map((s) => s.peer))).toEqual(new Set([0, 1, 3, 4, 5]));
    }
  });

  it('gather and scatter move each subtree once', () => {
    const g = count('gather', 'binomial', 8, 10).sends;
    expect(g.filter((s) => s.peer === 0).map((s) => s.bytes)).toEqual([10, 20, 40]);
    const s = count('scatter', 'binomial', 8, 10).sends;
    expect(s.filter((x) => x.rank === 0).map((x) => x.bytes)).toEqual([40, 20, 10]);
  });

  it('dissemination barrier: ceil(log2 P) one-byte messages per rank', () => {
    const { sends } = count('barrier', 'dissemination', 5);
    expect(sends.length).toBe(15);
    expect(sends.every((s) => s.bytes === 1)).toBe(true);
  });

  it('scatter-ring-allgather bcast: scatter of ceil(n/P) chunks, then P-1 ring steps', () => {
    const { sends } = count('bcast', 'scatter-ring-allgather', 4, 1000);
    // scatter: 0->2 (500), 0->1 (250), 2->3 (250); ring: 4 ranks x 3 steps.
    expect(sends.length).toBe(3 + 12);
    expect(sends.filter((s) => s.tag === 3).map((s) => s.bytes)).toEqual([500, 250, 250]);
  });
});
