/**
 * Step 3: what the algorithm's schedule and closed form are built from: the ranks, the
 * size, the hosts, and the CPU costs of reductions and shared-memory copies with the
 * layout's stretch (src/model/virtualization.ts).
 */
import type { Profile } from '../../profiles/types.js';
import { flagParams } from '../collectives/shmem.js';
import type { CollectiveInput } from '../collectives/types.js';
import type { Layout } from '../layout/index.js';
import { maxCopyStretch, nodeCosts } from '../network.js';
import { maxOf } from '../max-of.js';

export function collectiveInput(
  profile: Profile,
  layout: Layout,
  bytes: number,
  domains: number[],
): CollectiveInput {
  const costs = nodeCosts(profile, layout);
  // Per-byte work of the slowest rank: its node's CPU stretch, its memory's locality and
  // its socket's bandwidth for that work.
  const cpu = maxOf(costs.stretch);
  const reduce = profile.compute.reducePerByte.value;
  const shm = profile.paths.shm as Profile['paths'][string] | undefined;
  const copy = shm ? shm.O.value : 0;
  return {
    procs: layout.procs,
    bytes,
    reduceNsPerByte: reduce * 1000 * cpu * maxCopyStretch(profile, costs, reduce),
    ranksPerNode: domains,
    // MVAPICH2's shm collectives copy with the CPU: the shm path's per-byte copy cost.
    shmCopyNsPerByte: copy * 1000 * cpu * maxCopyStretch(profile, costs, copy),
  };
}

/**
 * A shared-memory flag (collectives/shmem.ts): a store the poller sees one cache-line
 * hand-off later, the shm path's L; no MPI overhead, gap or per-byte cost.
 */
export function shmFlag(profile: Profile): ReturnType<typeof flagParams> {
  const shm = profile.paths.shm as Profile['paths'][string] | undefined;
  return flagParams((shm ? shm.L.value : 0) * 1000);
}
