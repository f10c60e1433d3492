import { describe, expect, it } from 'vitest';
import {
  ALGORITHMS,
  type AlgorithmEntry,
  type CollectiveInput,
} from '../../../src/model/collectives/index.js';
import type { NativeNetwork, PairParams } from '../../../src/model/sim/contract.js';
import { createScheduleBuilder, simulate } from '../../../src/model/sim/index.js';

/**
 * Closed forms against the simulator's native mode with one parameter set for every pair
 * and no shared HCA: exact where the registry says so, within its tolerance elsewhere.
 * Parameters are chosen so that no two events coincide by accident (ties are the
 * simulator's business, not LogGOPS's).
 */
const EAGER: PairParams = { L: 5000, o_s: 1000, o_r: 1500, g: 400, G: 0.5, O: 0.25, S: 65536 };
const RDV: PairParams = { ...EAGER, S: 512 };
const SLOW_NIC: PairParams = { L: 1700, o_s: 300, o_r: 450, g: 2600, G: 1.3, O: 0.05, S: 65536 };

function simulated(algo: AlgorithmEntry, input: CollectiveInput, p: PairParams) {
  const b = createScheduleBuilder(input.procs);
  algo.generate(b, input);
  const network: NativeNetwork = {
    params: () => p,
    nodeOf: new Int32Array(input.procs),
    usesHca: () => false,
  };
  const r = simulate(b.build(), { mode: 'native', network });
  const avg = r.finishNs.reduce((a, x) => a + x, 0) / input.procs;
  return { avgNs: avg, maxNs: r.maxFinishNs };
}

function inputFor(procs: number, bytes: number, twoLevel: boolean): CollectiveInput {
  const ranksPerNode: number[] = [];
  if (twoLevel) for (let left = procs; left > 0; left -= 4) ranksPerNode.push(Math.min(4, left));
  return { procs, bytes, reduceNsPerByte: 0.3, ...(twoLevel ? { ranksPerNode } : {}) };
}

const CASES: [string, PairParams][] = [
  ['eager', EAGER],
  ['rendezvous', RDV],
  ['slow NIC', SLOW_NIC],
  ['RDMA eager', { ...EAGER, O_r: 0.4, delivery: 'rdma' }],
  ['RDMA rendezvous', { ...RDV, O: 0, O_r: 0, delivery: 'rdma' }],
  // A handshake is what ibvf gives RPUT, an RDMA rendezvous.
  ['RDMA rendezvous with a handshake', { ...RDV, O: 0, O_r: 0, delivery: 'rdma', handshake: 3000 }],
  ['event wake-ups', { ...EAGER, wake: 20000, spin: 0 }],
  ['blocking wake-ups', { ...EAGER, wake: 20000, spin: 6500 }],
];

describe.each(ALGORITHMS.map((a) => [`${a.op}/${a.name}`, a] as const))(
  '%s: closed form vs simulator',
  (_l, algo) => {
    it.each(CASES)('%s parameters, 2 to 16 ranks', (_name, p) => {
      for (const P of [2, 3, 4, 5, 6, 7, 8, 12, 16, 32]) {
        for (const bytes of [1, 100, 1024, 3000, 8192]) {
          const input = inputFor(P, bytes, algo.twoLevel);
          const want = simulated(algo, input, p);
          const got = algo.closedForm.evaluate({ inter: p, intra: p }, input);
          const where = `P=${P} bytes=${bytes}`;
          if (algo.closedForm.exact(input)) {
            expect(got.avgNs, where).toBeCloseTo(want.avgNs, 6);
            expect(got.maxNs, where).toBeCloseTo(want.maxNs, 6);
          } else if (p.wake === undefined) {
            // With wake-ups an approximate closed form can be further off (whether a
            // receiver sleeps turns on the timings it approximates): docs/collectives.md.
            expect(Math.abs(got.avgNs - want.avgNs) / want.avgNs, where).toBeLessThanOrEqual(
              algo.closedForm.tolerance,
            );
          }
        }
      }
    });
  },
);

const LOGGOPS_INTRA: PairParams = { L: 700, o_s: 210, o_r: 330, g: 90, G: 0.11, O: 0.13, S: 16384 };
/** Shared memory as ibvf models it: each end copies (delivery 'copy'). */
const COPY_INTRA: PairParams = { ...LOGGOPS_INTRA, G: 0.26, delivery: 'copy' };

describe.each([
  ['LogGOPS', LOGGOPS_INTRA],
  ['shared-memory copy', COPY_INTRA],
])('two-level algorithms with a faster %s intra-node path', (_name, intra) => {
  const twoLevel = ALGORITHMS.filter((a) => a.twoLevel);
  it.each(twoLevel.map((a) => [`${a.op}/${a.name}`, a] as const))('%s matches the simulator', (_l, algo) => {
    for (const [nodes, ppn] of [
      [2, 2],
      [4, 8],
      [2, 4],
      [3, 4],
      [4, 3],
    ]) {
      for (const bytes of [8, 1024, 8192, 40000]) {
        const P = nodes * ppn;
        const input: CollectiveInput = {
          procs: P,
          bytes,
          reduceNsPerByte: 0.3,
          ranksPerNode: new Array<number>(nodes).fill(ppn),
        };
        const nodeOf = Int32Array.from({ length: P }, (_, r) => Math.floor(r / ppn));
        const b = createScheduleBuilder(P);
        algo.generate(b, input);
        const network: NativeNetwork = {
          params: (s, d) => (nodeOf[s] === nodeOf[d] ? intra : EAGER),
          nodeOf,
          usesHca: () => false,
        };
        const r = simulate(b.build(), { mode: 'native', network });
        const avg = r.finishNs.reduce((a, x) => a + x, 0) / P;
        const got = algo.closedForm.evaluate({ inter: EAGER, intra }, input);
        const where = `${nodes}x${ppn} bytes=${bytes}`;
        if (algo.closedForm.exact(input)) {
          expect(got.avgNs, where).toBeCloseTo(avg, 6);
          expect(got.maxNs, where).toBeCloseTo(r.maxFinishNs, 6);
        } else {
          expect(Math.abs(got.avgNs - avg) / avg, where).toBeLessThanOrEqual(algo.closedForm.tolerance);
        }
      }
    }
  });
});

describe('rooted operations with a root other than 0', () => {
  const rooted = ALGORITHMS.filter((a) => ['bcast', 'reduce', 'gather', 'scatter'].includes(a.op));
  it.each(rooted.map((a) => [`${a.op}/${a.name}`, a] as const))('%s, root 3', (_l, algo) => {
    for (const P of [4, 6, 8]) {
      const input: CollectiveInput = {
        procs: P,
        bytes: 1500,
        reduceNsPerByte: 0.3,
        root: 3,
        ...(algo.twoLevel ? { ranksPerNode: new Array<number>(P / 2).fill(2) } : {}),
      };
      const want = simulated(algo, input, EAGER);
      const got = algo.closedForm.evaluate({ inter: EAGER, intra: EAGER }, input);
      if (algo.closedForm.exact(input)) expect(got.avgNs, `P=${P}`).toBeCloseTo(want.avgNs, 6);
      else
        expect(Math.abs(got.avgNs - want.avgNs) / want.avgNs).toBeLessThanOrEqual(algo.closedForm.tolerance);
    }
  });
});
