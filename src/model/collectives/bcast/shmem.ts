import { Clocks, rendezvous, wireBytes } from '../cost.js';
import { rootedHostGroups } from '../groups.js';
import { RankPrograms } from '../program.js';
import { pointToPoint } from '../allgather/recursive-doubling.js';
import { shmBcastClocks, shmBcastProgram, shmCosts } from '../shmem.js';
import { binomialChildren, knomialChildren, knomialParent } from '../tree.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { PairParams, ScheduleBuilder } from '../../sim/contract.js';
import { KNOMIAL_FACTOR } from './knomial.js';

/**
 * MVAPICH2 1.9a2's two-level shared-memory broadcasts (kumattau/mvapich2 commit c07d3500,
 * `src/mpi/coll/bcast_osu.c`, `MPIR_Bcast_tune_intra_MV2` with a row flagged two-level
 * and shmem collectives on). `MPIR_Bcast_tune_inter_node_helper_MV2` first has a root
 * that is not its host's leader (local rank 0) send the buffer to it (point to point);
 * then the leaders broadcast among themselves (the leader communicator, ranks in host
 * order, the root's leader as root) and every host's ranks get the data from their leader
 * through `MPIR_Shmem_Bcast_MV2` (collectives/shmem.ts: copies and flags, no messages).
 * The root, if not a leader, reads the shared slot like the others.
 *
 * - `shmem-binomial`: leaders run `MPIR_Bcast_binomial_MV2`, then the shm phase.
 * - `shmem-knomial`: `MPIR_Knomial_Bcast_inter_node_MV2` (k = 4, the tables'
 *   inter_node_knomial_factor): a leader receives from its k-nomial parent, writes the
 *   shared slot for its host (the shm phase starts before it forwards), then isends to
 *   its children and waits for them.
 * - `shmem-pipelined`: `MPIR_Pipelined_Bcast_MV2`: the buffer in segments of
 *   bcast_segment_size = 8192 bytes, each one broadcast as `shmem-knomial` with
 *   k = mv2_pipelined_knomial_factor = 2.
 *
 * LogGOPS cost (uniform leaders): T = T_tree(leaders; inter) + per slot the leader's copy
 * n_s c_copy, the flag latency L_flag, the reader's copy n_s c_copy; k-nomial leaders
 * forward after their copy. Closed forms walk leaders parents first (O(P)); exact for
 * binomial and k-nomial, approximate for the pipelined one (a leader can take the next
 * segment before its program waits for it).
 */

/** MVAPICH2 1.9a2 `mv2_pipelined_knomial_factor` and `bcast_segment_size` (ch3_shmem_coll.c). */
export const PIPELINED_KNOMIAL_FACTOR = 2;
export const BCAST_SEGMENT_BYTES = 8192;

const TAG_ROOT = 23;
const TAG_LEADERS = 24;

/** A root that is not its host's leader first sends the buffer to it (point to point). */
function toLeader(prog: RankPrograms, root: number, leader: number, bytes: number): void {
  if (root === leader) return;
  prog.send(root, leader, bytes, TAG_ROOT);
  prog.recv(leader, root, bytes, TAG_ROOT);
}

export function bcastShmemBinomial(b: ScheduleBuilder, input: CollectiveInput): void {
  const prog = new RankPrograms(b);
  const { groups, leaders, root } = rootedHostGroups(input);
  const n = input.bytes;
  toLeader(prog, root, leaders[0], n);
  for (let rel = 0; rel < leaders.length; rel++) {
    if (rel > 0) prog.recv(leaders[rel], leaders[rel - (rel & -rel)], n, TAG_LEADERS);
    for (const child of binomialChildren(rel, leaders.length))
      prog.send(leaders[rel], leaders[child], n, TAG_LEADERS);
  }
  for (const g of groups) shmBcastProgram(prog, g, n, input.shmCopyNsPerByte ?? 0);
}

export function bcastShmemBinomialClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const c = new Clocks(input.procs);
  const { groups, leaders, root } = rootedHostGroups(input);
  const { flag, copy } = shmCosts(net, input);
  if (root !== leaders[0]) pointToPoint(c, root, leaders[0], input.bytes, net.intra, 0);
  binomialLeaders(c, leaders, input.bytes, net.inter);
  for (const g of groups) shmBcastClocks(c, g, input.bytes, copy, flag);
  return c.result();
}

function binomialLeaders(c: Clocks, leaders: readonly number[], bytes: number, p: PairParams): void {
  const s = wireBytes(bytes);
  const arrival = new Float64Array(leaders.length);
  for (let rel = 0; rel < leaders.length; rel++) {
    const r = leaders[rel];
    if (rel > 0) c.take(r, arrival[rel], s, p);
    for (const child of binomialChildren(rel, leaders.length)) {
      arrival[child] = c.send(r, s, p);
      if (rendezvous(s, p)) c.settle(r, c.takeTime(leaders[child], arrival[child], s, p));
    }
  }
}

/** One k-nomial pass over the leaders with each leader's shm phase before it forwards. */
function knomialProgram(
  prog: RankPrograms,
  groups: readonly (readonly number[])[],
  bytes: number,
  copy: number,
  k: number,
): void {
  const leaders = groups.map((g) => g[0]);
  for (let rel = 0; rel < leaders.length; rel++) {
    const r = leaders[rel];
    if (rel > 0) prog.recv(r, leaders[knomialParent(rel, k)], bytes, TAG_LEADERS);
    shmBcastProgram(prog, groups[rel], bytes, copy);
    const sends = knomialChildren(rel, leaders.length, k).map((ch) => ({ peer: leaders[ch], bytes }));
    prog.batch(r, [], sends, TAG_LEADERS);
  }
}

function knomialClocks(
  c: Clocks,
  groups: readonly (readonly number[])[],
  bytes: number,
  net: ClosedFormNet,
  flag: PairParams,
  copy: number,
  k: number,
): void {
  const leaders = groups.map((g) => g[0]);
  const s = wireBytes(bytes);
  const p = net.inter;
  const arrival = new Float64Array(leaders.length);
  for (let rel = 0; rel < leaders.length; rel++) {
    const r = leaders[rel];
    if (rel > 0) c.take(r, arrival[rel], s, p);
    shmBcastClocks(c, groups[rel], bytes, copy, flag);
    let lastMatch = 0;
    for (const child of knomialChildren(rel, leaders.length, k)) {
      arrival[child] = c.send(r, s, p);
      lastMatch = Math.max(lastMatch, c.takeTime(leaders[child], arrival[child], s, p));
    }
    if (rendezvous(s, p) && lastMatch > 0) c.settle(r, lastMatch);
  }
}

export function bcastShmemKnomial(b: ScheduleBuilder, input: CollectiveInput): void {
  const prog = new RankPrograms(b);
  const { groups, leaders, root } = rootedHostGroups(input);
  toLeader(prog, root, leaders[0], input.bytes);
  knomialProgram(prog, groups, input.bytes, input.shmCopyNsPerByte ?? 0, KNOMIAL_FACTOR);
}

export function bcastShmemKnomialClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const c = new Clocks(input.procs);
  const { groups, leaders, root } = rootedHostGroups(input);
  const { flag, copy } = shmCosts(net, input);
  if (root !== leaders[0]) pointToPoint(c, root, leaders[0], input.bytes, net.intra, 0);
  knomialClocks(c, groups, input.bytes, net, flag, copy, KNOMIAL_FACTOR);
  return c.result();
}

/** Segment lengths of MPIR_Pipelined_Bcast_MV2 (8192-byte segments, the last one shorter). */
function segments(bytes: number): number[] {
  const out: number[] = [];
  for (let pos = 0; pos < bytes; pos += BCAST_SEGMENT_BYTES)
    out.push(Math.min(BCAST_SEGMENT_BYTES, bytes - pos));
  return out.length > 0 ? out : [bytes];
}

export function bcastShmemPipelined(b: ScheduleBuilder, input: CollectiveInput): void {
  const prog = new RankPrograms(b);
  const { groups, leaders, root } = rootedHostGroups(input);
  toLeader(prog, root, leaders[0], input.bytes);
  for (const seg of segments(input.bytes))
    knomialProgram(prog, groups, seg, input.shmCopyNsPerByte ?? 0, PIPELINED_KNOMIAL_FACTOR);
}

export function bcastShmemPipelinedClosed(net: ClosedFormNet, input: CollectiveInput): CollectiveCost {
  const c = new Clocks(input.procs);
  const { groups, leaders, root } = rootedHostGroups(input);
  const { flag, copy } = shmCosts(net, input);
  if (root !== leaders[0]) pointToPoint(c, root, leaders[0], input.bytes, net.intra, 0);
  for (const seg of segments(input.bytes))
    knomialClocks(c, groups, seg, net, flag, copy, PIPELINED_KNOMIAL_FACTOR);
  return c.result();
}
