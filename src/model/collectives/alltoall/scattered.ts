import { Clocks, rendezvous, wireBytes } from '../cost.js';
import { RankPrograms } from '../program.js';
import type { ClosedFormNet, CollectiveCost, CollectiveInput } from '../types.js';
import type { ScheduleBuilder } from '../../sim/contract.js';

/**
 * MVAPICH2's default alltoall throttle: pairs of isend/irecv in flight per rank
 * (MV2_ALLTOALL_THROTTLE_FACTOR). SimGrid's port of MVAPICH2's selector,
 * src/smpi/colls/alltoall/alltoall-mvapich-scatter-dest.cpp, sets it to 4 ("correct on
 * stampede"); MPICH's own scattered alltoall defaults to 32 (MPIR_CVAR_ALLTOALL_THROTTLE).
 * Assumption: the MVAPICH2 value, overridable by callers.
 */
export const ALLTOALL_THROTTLE = 4;

/**
 * Scattered-destination alltoall, MVAPICH2's MPIR_Alltoall_Scatter_dest_MV2 (MPICH's
 * MPIR_Alltoall_intra_scattered; Thakur, Rabenseifner, Gropp, IJHPCA 2005, Sec. 4.5):
 * the P-1 peers are visited in windows of `throttle`; in each window a rank posts irecvs
 * from r+ii+i and then isends to r-ii-i (i = 0..throttle-1, mod P), and waits for all of
 * them before the next window. Its own block is a local copy (not charged; MPICH posts a
 * message to itself, a memory copy in practice).
 *
 * LogGOPS cost (uniform parameters, m bytes, window w): the w sends of a window leave
 * D = max(o_s + (m-1)O, g + (m-1)G) apart; the w incoming blocks arrive at the same
 * offsets + o_s + L and each needs o_r + (m-1)max(O,G) of CPU, which competes with the
 * sends still being posted. A window takes about
 *   max(w D + ..., o_s + L + w (o_r + (m-1)max(O,G))),
 * and T ~ ceil((P-1)/w) windows. Not exact: which of a send and a waiting message takes
 * the CPU first at the same instant is the simulator's tie rule, not LogGOPS. The closed
 * form evaluates one representative window by window, taking sends and arrivals in time
 * order (a waiting message before a send on a tie: the message was created first, and the
 * simulator keeps creation order on ties): O(P), approximate, since the simulator breaks
 * ties between hosts by creation order and so ranks drift apart (within 12% of the
 * simulated average over 2-32 ranks, the registry tolerance the tests check).
 */
export function alltoallScattered(
  b: ScheduleBuilder,
  input: CollectiveInput,
  throttle = ALLTOALL_THROTTLE,
): void {
  const P = input.procs;
  const prog = new RankPrograms(b);
  for (let r = 0; r < P; r++) {
    for (const win of windows(P, throttle)) {
      prog.batch(
        r,
        win.map((d) => ({ peer: (r + d) % P, bytes: input.bytes })),
        win.map((d) => ({ peer: (r - d + P) % P, bytes: input.bytes })),
        14,
      );
    }
  }
}

export function alltoallScatteredClosed(
  net: ClosedFormNet,
  input: CollectiveInput,
  throttle = ALLTOALL_THROTTLE,
): CollectiveCost {
  const p = net.inter;
  const s = wireBytes(input.bytes);
  const c = new Clocks(1);
  const sendWinsTie = p.delivery === 'rdma';
  const rdv = rendezvous(s, p);
  const handshake = rdv ? (p.handshake ?? 0) : 0;
  for (const win of windows(input.procs, throttle)) {
    // Every rank does the same: the j-th block coming in left its sender when our j-th
    // block left us. Sends and takes go in time order, the waiting message first on a tie
    // (RDMA data that has landed waits behind a send queued before it landed). A
    // rendezvous block's data comes `handshake` after we answer its RTS, which we do as
    // soon as it has arrived and the CPU is free (answering takes no CPU time).
    const arrivals: number[] = [];
    const data: number[] = [];
    let taken = 0;
    let lastMatch = 0;
    while (taken < win.length) {
      const sendAt = arrivals.length < win.length ? Math.max(c.cpu[0], c.nicS[0]) : Infinity;
      if (rdv) {
        while (data.length < arrivals.length) {
          const rts = arrivals[data.length] - handshake;
          const takeNext = taken < data.length ? c.takeTime(0, data[taken], s, p, true) : Infinity;
          if (rts > Math.min(sendAt, takeNext)) break;
          data.push(Math.max(rts, c.cpu[0]) + handshake);
        }
      }
      const ready = rdv ? data : arrivals;
      const takeAt = taken < ready.length ? c.takeTime(0, ready[taken], s, p, rdv) : Infinity;
      if (sendAt < takeAt || (sendAt === takeAt && sendWinsTie)) arrivals.push(c.send(0, s, p));
      else lastMatch = c.take(0, ready[taken++], s, p, rdv);
    }
    if (rdv) c.settle(0, lastMatch);
  }
  return c.result();
}

/** Peer distances 1..P-1 (0, the rank itself, is a local copy) in windows of `throttle`. */
function windows(P: number, throttle: number): number[][] {
  const w = Math.max(1, Math.min(throttle, P));
  const out: number[][] = [];
  for (let ii = 0; ii < P; ii += w) {
    const win: number[] = [];
    for (let i = 0; i < w && ii + i < P; i++) if (ii + i > 0) win.push(ii + i);
    if (win.length > 0) out.push(win);
  }
  return out;
}
