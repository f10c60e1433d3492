import { describe, expect, it } from 'vitest';
import { findAlgorithm } from '../../../src/model/collectives/index.js';
import type { PairParams } from '../../../src/model/sim/contract.js';
import { createScheduleBuilder, simulate } from '../../../src/model/sim/index.js';

/** The parameters of hand-checked.test.ts: a 1001-byte message costs send CPU 1250, NIC 900, arrives after o_s + L = 6000, receive CPU 2000. */
const P0: PairParams = { L: 5000, o_s: 1000, o_r: 1500, g: 400, G: 0.5, O: 0.25, S: 65536 };

function finishes(op: string, name: string, procs: number, bytes: number): number[] {
  const b = createScheduleBuilder(procs);
  findAlgorithm(op, name).generate(b, { procs, bytes, reduceNsPerByte: 0 });
  const r = simulate(b.build(), {
    mode: 'native',
    network: { params: () => P0, nodeOf: new Int32Array(procs), usesHca: () => false },
  });
  return [...r.finishNs];
}

describe('hand-checked LogGOPS values of the simulated schedules', () => {
  // n = 2002, P = 2. Scatter: rank 0 sends its half (1001 B) to rank 1 at 0 (CPU to 1250);
  // rank 1 takes it at 6000 (CPU to 8000). Allgather, one exchange, receive posted before
  // send as MPI_Sendrecv does: rank 0 sends at 1250, arriving 7250; rank 1's receive is
  // posted at 6000, so it takes that message once its CPU is free, 8000 -> 10000, then
  // sends 10000 -> 11250 (its finish), arriving 16000; rank 0 takes it, 16000 -> 18000.
  for (const name of ['scatter-ring-allgather', 'scatter-rd-allgather']) {
    it(`bcast ${name}, P = 2, 2002 bytes: finishes 18000 and 11250`, () => {
      expect(finishes('bcast', name, 2, 2002)).toEqual([18000, 11250]);
    });
  }
});
