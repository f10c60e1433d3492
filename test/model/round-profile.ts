import { cx3FdrKvm2013 } from '../../src/profiles/cx3-fdr-kvm-2013.js';
import type { Profile } from '../../src/profiles/types.js';

/**
 * The built-in profile with round numbers on the paths the semantics tests use, and every
 * MPI and HCA extra that would blur a hand check set to zero, so that an MPI message's
 * time is its LogGP terms alone:
 *
 *   native (fabric, PF):  o_s = o_r = 1 us, L = 10 us, g = 0.5 us, G = 0.001 us/B (1 ns/B),
 *                         O = 0, wake-up (eventExtra) 100 us
 *   shm:                  o_s = o_r = 1 us, L = 1 us, g = 0.5 us, G = 0.02 us/B (two copies),
 *                         O = 0.01 us/B (each end's copy)
 *   MPI:                  no per-message, channel or header costs, no inline sends,
 *                         fast path up to 4096 B, eager up to 10,000 B, no eager copy,
 *                         spin count 50 (a 50 us spin window at o_r = 1 us)
 *
 * So an eager send/recv message of s bytes takes o_s + L + o_r + (s-1)G = 12 us + (s-1) ns,
 * a header-only control message 12 us, and a rendezvous (RTS, CTS, RDMA write, FIN)
 * 3 x 12 us + 12 us + (s-1) ns.
 */
export function roundProfile(): Profile {
  const p = structuredClone(cx3FdrKvm2013);
  const set = (path: string, values: Record<string, number>) => {
    for (const [k, v] of Object.entries(values))
      (p.paths[path] as unknown as Record<string, { value: number }>)[k].value = v;
  };
  const noHcaExtras = {
    storeForward: 0,
    inlineLimit: 0,
    inlineSaving: 0,
    requestCost: 0,
    recvCost: 0,
    readExtra: 0,
  };
  set('native', { o_s: 1, o_r: 1, L: 10, g: 0.5, G: 0.001, O: 0, eventExtra: 100, ...noHcaExtras });
  set('shm', { o_s: 1, o_r: 1, L: 1, g: 0.5, G: 0.02, O: 0.01, eventExtra: 100, ...noHcaExtras });
  const mpi = p.mpi;
  mpi.perMessageOverhead.value = 0;
  mpi.channelOverhead.value = 0;
  mpi.headerBytes.value = 0;
  mpi.libraryInline.value = 0;
  mpi.rdmaFastPathMax.value = 4096;
  mpi.eagerThreshold.value = 10000;
  mpi.copyPerByte.value = 0;
  mpi.spinCount.value = 50;
  return p;
}
