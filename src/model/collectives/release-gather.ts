import { UsageError } from '../../errors.js';
import { Clocks, wireBytes } from './cost.js';
import { RankPrograms } from './program.js';
import { shmCosts } from './shmem.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from './types.js';
import type { PairParams, ScheduleBuilder } from '../sim/contract.js';

/**
 * MPICH 4.0.2's POSIX shared-memory collectives for the ranks of one host, the
 * release/gather framework, as pmodels/mpich tag v4.0.2 implements them
 * (src/mpid/ch4/shm/posix/posix_coll_release_gather.h, release_gather/release_gather.h and
 * release_gather.c, whose CVARs give the constants below):
 *
 * - Two trees over the host's ranks rooted at rank 0 (MPIR_CVAR_*_INTRANODE_TREE_TYPE kary):
 *   the release (bcast) tree with k = MPIR_CVAR_BCAST_INTRANODE_TREE_KVAL = 64 and the
 *   gather (reduce) tree with k = MPIR_CVAR_REDUCE_INTRANODE_TREE_KVAL = 4; rank r's
 *   children are k r + 1 .. k r + k. (The topology-aware trees, on by default, reorder
 *   ranks by socket; on one socket they are these.)
 * - Release (MPIDI_POSIX_mpi_release_gather_release): rank 0 stores its release flag; every
 *   other rank polls its parent's flag, then stores its own, then copies the cell out.
 * - Gather (MPIDI_POSIX_mpi_release_gather_gather): a rank polls its children's gather
 *   flags, then stores its own for its parent.
 * - Bcast (MPIDI_POSIX_mpi_bcast_release_gather): the buffer in chunks of a cell, 32768 /
 *   4 cells = 8192 B less the two cache lines the error checking of Debian's build (MPICH's
 *   configure default, --enable-error-checking=all) keeps for the size and the error flag:
 *   8064 B; the first chunk takes the remainder (MPIR_Algo_calculate_pipeline_chunk_info).
 *   Per chunk a release (rank 0 copies the chunk into the cell first; a root other than
 *   rank 0 sends it to rank 0 point to point, received into the cell) then a gather whose
 *   waits are relaxed by NUM_CELLS - 1 = 3: a parent waits for its children's gather flag of
 *   the chunk 3 before, so the root runs up to 4 cells ahead of the readers. The flags of
 *   a call's last 3 chunks are taken by the next call and are not in this one's schedule.
 * - Allreduce (MPIDI_POSIX_mpi_allreduce_release_gather, a commutative op): chunks of a
 *   reduce cell, 8192 B (no header), each a gather then a release: every rank copies its
 *   chunk into its own cell, a parent waits for each child's flag and combines that child's
 *   cell into its own (reduceNsPerByte per byte), then flags its parent; rank 0 then
 *   releases, and every rank, rank 0 too, copies the result out of rank 0's cell.
 *
 * In the schedule, as for MVAPICH2's designs (collectives/shmem.ts), a copy is a `calc` of
 * bytes x shmCopyNsPerByte and a flag a zero-byte signal priced by the flag parameters.
 * Not modelled: the small copies of the size and error flag, MPIR_CVAR_POSIX_NUM_COLLS_THRESHOLD
 * (the first 5 calls go point to point; OSU's warm-up passes them), and the software
 * between MPI_Bcast and the release (the ch4 and POSIX selections' MPIR_Csel_search).
 */

export const BCAST_TREE_K = 64;
export const REDUCE_TREE_K = 4;
/** MPIR_CVAR_BCAST_INTRANODE_NUM_CELLS = MPIR_CVAR_REDUCE_INTRANODE_NUM_CELLS. */
export const NUM_CELLS = 4;
/** 32768 / 4 less 2 cache lines of 64 B (HAVE_ERROR_CHECKING). */
export const BCAST_CHUNK_BYTES = 32768 / NUM_CELLS - 2 * 64;
export const REDUCE_CHUNK_BYTES = 32768 / NUM_CELLS;

const TAG_ROOT = 44;
const TAG_RELEASE = 45;
const TAG_GATHER = 46;

const parentOf = (r: number, k: number) => Math.floor((r - 1) / k);
function childrenOf(r: number, k: number, procs: number): number[] {
  const out: number[] = [];
  for (let c = k * r + 1; c <= k * r + k && c < procs; c++) out.push(c);
  return out;
}

/** The framework serves a node-level communicator: the ranks of one host only. */
function oneHost(input: CollectiveInput): void {
  if ((input.ranksPerNode?.length ?? 1) > 1)
    throw new UsageError(
      `release-gather runs among the ranks of one host (MPICH's node communicator); this layout has ${input.ranksPerNode!.length} hosts`,
    );
}

/** MPIR_Algo_calculate_pipeline_chunk_info in bytes: the remainder first, then whole chunks. */
export function chunkLengths(bytes: number, chunk: number): number[] {
  if (bytes <= 0) return [];
  if (bytes <= chunk) return [bytes];
  const count = Math.ceil(bytes / chunk);
  const first = bytes % chunk || chunk;
  return [first, ...new Array<number>(count - 1).fill(chunk)];
}

/** Which chunk's gather flag a parent waits for at chunk i of n, or null (none, relaxed). */
const gatherWaited = (i: number) => (i >= NUM_CELLS - 1 ? i - (NUM_CELLS - 1) : null);
/** Whether the gather flag of chunk j of n is taken within this call. */
const gatherSent = (j: number, n: number) => j + (NUM_CELLS - 1) < n;

export function bcastReleaseGather(b: ScheduleBuilder, input: CollectiveInput): void {
  oneHost(input);
  const prog = new RankPrograms(b);
  const P = input.procs;
  const root = input.root ?? 0;
  const copy = input.shmCopyNsPerByte ?? 0;
  const chunks = chunkLengths(input.bytes, BCAST_CHUNK_BYTES);
  chunks.forEach((len, i) => {
    for (let r = 0; r < P; r++) {
      // Release.
      if (r === 0) {
        if (root !== 0) prog.recv(0, root, len, TAG_ROOT);
        else prog.calc(0, len * copy);
      } else {
        if (r === root) prog.send(r, 0, len, TAG_ROOT);
        prog.waitFlags(r, [parentOf(r, BCAST_TREE_K)], TAG_RELEASE);
      }
      for (const c of childrenOf(r, BCAST_TREE_K, P)) prog.flag(r, c, TAG_RELEASE);
      if (r !== 0 && r !== root) prog.calc(r, len * copy);
      // Gather, relaxed by NUM_CELLS - 1 chunks.
      const j = gatherWaited(i);
      const kids = childrenOf(r, BCAST_TREE_K, P);
      if (j !== null && kids.length > 0) prog.waitFlags(r, kids, TAG_GATHER);
      if (r !== 0 && gatherSent(i, chunks.length)) prog.flag(r, parentOf(r, BCAST_TREE_K), TAG_GATHER);
    }
  });
}

export function bcastReleaseGatherClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  oneHost(input);
  const P = input.procs;
  const root = input.root ?? 0;
  const c = new Clocks(P);
  const { flag, copy } = shmCosts(net, input);
  const chunks = chunkLengths(input.bytes, BCAST_CHUNK_BYTES);
  /** release[r]: when rank r's parent's release flag reaches it. */
  const release = new Float64Array(P);
  /** gather[j * P + r]: when rank r's gather flag of chunk j reaches its parent. */
  const gather = new Float64Array(chunks.length * P);
  chunks.forEach((len, i) => {
    for (let r = 0; r < P; r++) {
      if (r === 0) {
        if (root !== 0) {
          const s = wireBytes(len);
          // The root's send, in its program before its own release wait (below, rank order
          // puts the root after rank 0, so its clock is taken here).
          const arrival = c.send(root, s, net.intra);
          c.take(0, arrival, s, net.intra);
        } else c.calc(0, len * copy);
      } else c.take(r, release[r], 0, flag);
      for (const ch of childrenOf(r, BCAST_TREE_K, P)) release[ch] = c.send(r, 0, flag);
      if (r !== 0 && r !== root) c.calc(r, len * copy);
      const j = gatherWaited(i);
      const kids = childrenOf(r, BCAST_TREE_K, P);
      if (j !== null) for (const k of kids) c.take(r, gather[j * P + k], 0, flag);
      if (r !== 0 && gatherSent(i, chunks.length)) gather[i * P + r] = c.send(r, 0, flag);
    }
  });
  return c.result();
}

export function allreduceReleaseGather(b: ScheduleBuilder, input: CollectiveInput): void {
  oneHost(input);
  const prog = new RankPrograms(b);
  const P = input.procs;
  const copy = input.shmCopyNsPerByte ?? 0;
  for (const len of chunkLengths(input.bytes, REDUCE_CHUNK_BYTES)) {
    // Gather, leaves first (children have higher ranks).
    for (let r = P - 1; r >= 0; r--) {
      prog.calc(r, len * copy);
      const kids = childrenOf(r, REDUCE_TREE_K, P);
      if (kids.length > 0) prog.waitFlags(r, kids, TAG_GATHER);
      prog.calc(r, kids.length * len * input.reduceNsPerByte);
      if (r !== 0) prog.flag(r, parentOf(r, REDUCE_TREE_K), TAG_GATHER);
    }
    // Release, then every rank copies the result out of rank 0's cell.
    for (let r = 0; r < P; r++) {
      if (r !== 0) prog.waitFlags(r, [parentOf(r, BCAST_TREE_K)], TAG_RELEASE);
      for (const ch of childrenOf(r, BCAST_TREE_K, P)) prog.flag(r, ch, TAG_RELEASE);
      prog.calc(r, len * copy);
    }
  }
}

export function allreduceReleaseGatherClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  oneHost(input);
  const P = input.procs;
  const c = new Clocks(P);
  const { flag, copy } = shmCosts(net, input);
  const arrival = new Float64Array(P);
  for (const len of chunkLengths(input.bytes, REDUCE_CHUNK_BYTES)) {
    for (let r = P - 1; r >= 0; r--) {
      c.calc(r, len * copy);
      const kids = childrenOf(r, REDUCE_TREE_K, P);
      takeInArrivalOrder(
        c,
        r,
        kids.map((k) => arrival[k]),
        flag,
      );
      c.calc(r, kids.length * len * input.reduceNsPerByte);
      if (r !== 0) arrival[r] = c.send(r, 0, flag);
    }
    for (let r = 0; r < P; r++) {
      if (r !== 0) c.take(r, arrival[r], 0, flag);
      for (const ch of childrenOf(r, BCAST_TREE_K, P)) arrival[ch] = c.send(r, 0, flag);
      c.calc(r, len * copy);
    }
  }
  return c.result();
}

/** Flags polled "in any order" (RankPrograms.waitFlags): the simulator takes them as they come. */
function takeInArrivalOrder(c: Clocks, r: number, arrivals: number[], flag: PairParams): void {
  for (const t of [...arrivals].sort((a, b) => a - b)) c.take(r, t, 0, flag);
}
