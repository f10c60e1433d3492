import { describe, expect, it } from 'vitest';
import { mpiPairParams } from '../../src/model/p2p/loggops.js';
import { mpiLatency } from '../../src/model/p2p/mpi.js';
import { createScheduleBuilder, simulate } from '../../src/model/sim/index.js';
import { cx3FdrKvm2013 as profile } from '../../src/profiles/cx3-fdr-kvm-2013.js';

/** One message from rank 0 to rank 1 in the simulator's native mode with the mapped parameters. */
function simulatedOneWayUs(pathName: string, bytes: number, progress: 'poll' | 'blocking'): number {
  const path = profile.paths[pathName];
  const params = mpiPairParams(profile, path, bytes, progress);
  const b = createScheduleBuilder(2);
  b.send(0, 1, bytes);
  b.recv(1, 0, bytes);
  const result = simulate(b.build(), {
    mode: 'native',
    network: { params: () => params, nodeOf: new Int32Array([0, 1]), usesHca: () => true },
  });
  return result.finishNs[1] / 1000;
}

describe('MPI messages as LogGOPS pair parameters', () => {
  for (const pathName of ['native', 'vf', 'vf-loopback', 'shm']) {
    for (const bytes of [1, 64, 1024, 8192, 65536, 1 << 20]) {
      it(`a lone ${bytes}-byte message over ${pathName} takes the point-to-point model's latency in the simulator`, () => {
        const expected = mpiLatency(profile, profile.paths[pathName], bytes, 'poll');
        expect(simulatedOneWayUs(pathName, bytes, 'poll')).toBeCloseTo(expected, 6);
      });
    }
  }

  it('does so in blocking mode too', () => {
    for (const bytes of [1, 4096, 1 << 22]) {
      const expected = mpiLatency(profile, profile.paths.vf, bytes, 'blocking');
      expect(simulatedOneWayUs('vf', bytes, 'blocking')).toBeCloseTo(expected, 6);
    }
  });
});
