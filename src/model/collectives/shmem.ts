import { Clocks } from './cost.js';
import type { RankPrograms } from './program.js';
import type { ClosedFormNet, CollectiveInput } from './types.js';
import type { NativeNetwork, PairParams } from '../sim/contract.js';

/**
 * MVAPICH2 1.9a2's shared-memory collective phases, as the library implements them
 * (kumattau/mvapich2 commit c07d3500, `src/mpi/coll/ch3_shmem_coll.c`,
 * docs/mvapich2-selection.md): no point-to-point messages, but copies through a buffer
 * every rank of the host maps, and flags the others poll.
 *
 * - Broadcast (`MPIR_Shmem_Bcast_MV2` -> `mv2_shm_bcast`, the slot design on by default:
 *   mv2_use_slot_shmem_coll = mv2_use_slot_shmem_bcast = 1): the buffer goes in slots of
 *   mv2_shm_slot_len = 8192 bytes. Per slot the leader copies the data into its slot
 *   (`MPIU_Memcpy`) and writes the slot's sequence number (`psn`); each other rank spins
 *   until it reads that number, then copies the slot out. The leader does not wait for
 *   the readers (a window of 16 slots; the barrier when it fills is not modelled).
 * - Reduce (`MPIR_Allreduce_reduce_shmem_MV2`, `MPIR_Reduce_shmem_MV2` through
 *   `MPIDI_CH3I_SHMEM_COLL_GetShmemBuf` / `_SetGatherComplete`): each non-leader copies
 *   its vector into its own part of the shared buffer and sets its `child_complete_gather`
 *   flag; the leader spins until every child's flag is set, then reduces the children's
 *   vectors into its own one after the other. (A child first waits for the leader's
 *   `root_complete_gather` flag of the previous call, set at the end of it: not modelled.)
 *
 * In the schedule a copy is a `calc` of bytes x `shmCopyNsPerByte` on the copying rank,
 * and a flag is a zero-byte send/receive pair that only carries the dependency: the
 * flag parameters (`ClosedFormNet.flag`, and `shmFlagNetwork` for the simulator) give it
 * the latency of a cache line moving to the poller and no overhead, gap or per-byte cost.
 */

/** mv2_shm_slot_len: bytes per slot of the slot-based shm bcast. */
export const SHM_SLOT_BYTES = 8192;

/** Tags of the shm phases (other collectives use 1-22). */
export const SHM_BCAST_TAG = 40;
export const SHM_REDUCE_TAG = 41;

/** The slot lengths `MPIR_Shmem_Bcast_MV2` copies for `bytes` bytes. */
export function slotLengths(bytes: number): number[] {
  const out: number[] = [];
  for (let pos = 0; pos < bytes; pos += SHM_SLOT_BYTES) out.push(Math.min(SHM_SLOT_BYTES, bytes - pos));
  return out;
}

/**
 * Flag parameters from the shm path: L = the flag's latency (a cache line moving to the
 * poller), nothing else; eager (a zero-byte signal never waits for a match).
 */
export function flagParams(latencyNs: number): PairParams {
  return { L: latencyNs, o_s: 0, o_r: 0, g: 0, G: 0, O: 0, S: 0 };
}

/**
 * The machine with shared-memory flags: a zero-byte message is a flag and costs `flag`;
 * every other message costs what `network` says. Only the shmem phases send zero-byte
 * messages (every MPI message of a collective carries at least one byte: cost.ts
 * `wireBytes`), and only between ranks of one host.
 */
export function shmFlagNetwork(network: NativeNetwork, flag: PairParams): NativeNetwork {
  const params = network.params.bind(network);
  return { ...network, params: (src, dst, bytes) => (bytes === 0 ? flag : params(src, dst, bytes)) };
}

/** The flag parameters and copy cost a closed form uses. */
export function shmCosts(net: ClosedFormNet, input: CollectiveInput): { flag: PairParams; copy: number } {
  return { flag: net.flag ?? net.intra, copy: input.shmCopyNsPerByte ?? 0 };
}

/**
 * `MPIR_Shmem_Bcast_MV2` over `group` (group[0] the leader, which holds the data): per
 * slot the leader copies in and sets the flag for each reader; each reader waits for it
 * and copies out. Nothing for a group of one.
 */
export function shmBcastProgram(
  prog: RankPrograms,
  group: readonly number[],
  bytes: number,
  copyNsPerByte: number,
): void {
  if (group.length < 2) return;
  const [leader, ...readers] = group;
  for (const len of slotLengths(bytes)) {
    prog.calc(leader, len * copyNsPerByte);
    for (const r of readers) prog.flag(leader, r, SHM_BCAST_TAG);
    for (const r of readers) {
      prog.waitFlags(r, [leader], SHM_BCAST_TAG);
      prog.calc(r, len * copyNsPerByte);
    }
  }
}

/** The same on clocks: exact (each reader does nothing else while it polls). */
export function shmBcastClocks(
  c: Clocks,
  group: readonly number[],
  bytes: number,
  copyNsPerByte: number,
  flag: PairParams,
): void {
  if (group.length < 2) return;
  const [leader, ...readers] = group;
  for (const len of slotLengths(bytes)) {
    c.calc(leader, len * copyNsPerByte);
    const arrivals = readers.map(() => c.send(leader, 0, flag));
    readers.forEach((r, i) => {
      c.take(r, arrivals[i], 0, flag);
      c.calc(r, len * copyNsPerByte);
    });
  }
}

/**
 * The shared-memory reduce to group[0]: every other member copies its `bytes` in and
 * sets its flag; the leader waits for all flags, then combines the (size - 1) vectors
 * (`reduceNsPerByte` each byte).
 */
export function shmReduceProgram(
  prog: RankPrograms,
  group: readonly number[],
  bytes: number,
  copyNsPerByte: number,
  reduceNsPerByte: number,
): void {
  if (group.length < 2) return;
  const [leader, ...others] = group;
  for (const r of others) {
    prog.calc(r, bytes * copyNsPerByte);
    prog.flag(r, leader, SHM_REDUCE_TAG);
  }
  prog.waitFlags(leader, others, SHM_REDUCE_TAG);
  prog.calc(leader, others.length * bytes * reduceNsPerByte);
}

/**
 * The same on clocks. The leader takes the flags in the order they arrive (ties in
 * group order), as the simulator does; exact whenever the leader is idle until the
 * first flag comes.
 */
export function shmReduceClocks(
  c: Clocks,
  group: readonly number[],
  bytes: number,
  copyNsPerByte: number,
  reduceNsPerByte: number,
  flag: PairParams,
): void {
  if (group.length < 2) return;
  const [leader, ...others] = group;
  const arrivals = others.map((r) => {
    c.calc(r, bytes * copyNsPerByte);
    return c.send(r, 0, flag);
  });
  for (const t of [...arrivals].sort((a, b) => a - b)) c.take(leader, t, 0, flag);
  c.calc(leader, others.length * bytes * reduceNsPerByte);
}
