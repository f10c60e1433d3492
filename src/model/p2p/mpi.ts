import { UsageError } from '../../errors.js';
import type { PathParams, Profile } from '../../profiles/types.js';
import { verbsLatency } from './verbs.js';

export type MpiProgress = 'poll' | 'blocking';

/** Which of MVAPICH2's protocols carries a message (chosen by size and progress mode). */
export type MpiProtocol = 'shm' | 'rdma-fast-path' | 'eager-send-recv' | 'rendezvous-rput';

export function mpiProtocol(
  profile: Profile,
  path: PathParams,
  bytes: number,
  progress: MpiProgress,
): MpiProtocol {
  if (path.medium === 'shm') return 'shm';
  if (bytes > profile.mpi.eagerThreshold.value) return 'rendezvous-rput';
  if (progress === 'poll' && bytes <= profile.mpi.rdmaFastPathMax.value) return 'rdma-fast-path';
  return 'eager-send-recv';
}

/**
 * One-way MPI latency (us) as osu_latency reports it (half of a ping-pong), for an
 * MVAPICH2-like library over one path: the message's transfer (`mpiTransferLatency`)
 * plus, in blocking mode, the receiver's wake-up when it waited longer than its spin
 * window.
 *
 * Blocking mode (MV2_USE_BLOCKING=1, Jose et al. Sec. V-D) turns the fast path and
 * shared memory off; a receiver polls `spinCount` times (each costing o_r) and then
 * sleeps on a completion event. What decides is how long it waits: from posting its
 * receive (as the send starts) until its CPU can take the message (`mpiShape().wait`),
 * not the whole latency, which includes the receiver's own work. A receiver that waited
 * longer than the spin window pays the event cost, once. `spinCount` defaults to the
 * profile's; 0 is pure event progress (every receive sleeps). The simulator applies the
 * same rule to what each receiver actually waited (src/model/sim/native-engine.ts).
 */
export function mpiLatency(
  profile: Profile,
  path: PathParams,
  bytes: number,
  progress: MpiProgress,
  spinCount = profile.mpi.spinCount.value,
): number {
  const latency = mpiTransferLatency(profile, path, bytes, progress);
  if (progress === 'blocking' && mpiShape(profile, path, bytes, progress).wait > spinCount * path.o_r.value)
    return latency + path.eventExtra.value;
  return latency;
}

/** How an MPI message's one-way time splits between the two ends (us, unstretched). */
export interface MpiShape {
  protocol: MpiProtocol;
  /** CPU overheads: o_s + m/2 at the sender; o_r + m/2 (+ c on the send/recv channel) at the receiver. */
  o_s: number;
  o_r: number;
  /** Per-byte copy at each end: the eager copy into or out of a vbuf, the path's O for shared memory, 0 for RDMA data. */
  copy: number;
  /**
   * How a receiver that posted its receive when the send started waits for the message
   * (no wake-up): the transfer less what its CPU does once it takes it, o_r + (s-1)
   * max(G, copy) on the send/recv channel (busy while the bytes stream in), o_r + (s-1)
   * copy after RDMA data has landed or through shared memory.
   */
  wait: number;
}

export function mpiShape(profile: Profile, path: PathParams, bytes: number, progress: MpiProgress): MpiShape {
  const mpi = profile.mpi;
  const protocol = mpiProtocol(profile, path, bytes, progress);
  const half = mpi.perMessageOverhead.value / 2;
  const channel = protocol === 'eager-send-recv' ? mpi.channelOverhead.value : 0;
  const o_s = path.o_s.value + half;
  const o_r = path.o_r.value + half + channel;
  const copy = protocol === 'rendezvous-rput' ? 0 : protocol === 'shm' ? path.O.value : mpi.copyPerByte.value;
  const tail = Math.max(bytes - 1, 0);
  const receiverWork = o_r + tail * (protocol === 'eager-send-recv' ? Math.max(path.G.value, copy) : copy);
  const wait = mpiTransferLatency(profile, path, bytes, progress) - receiverWork;
  return { protocol, o_s, o_r, copy, wait };
}

/**
 * One-way time (us) of an MPI message from the send call to the end of the receive, when
 * the receiver is polling for it (no wake-up).
 *
 * With h = header bytes, m = per-message overhead, c = channel overhead and
 * copy(s) = 2 s * copyPerByte (into a vbuf at the sender, out at the receiver):
 *
 *   RDMA fast path (poll, s <= fast-path max):   write(s+h) + m + copy(s)
 *   eager send/recv (or blocking mode):          send(s+h)  + m + c + copy(s)
 *   rendezvous RPUT (s > eager threshold):       3 ctl + write(s) + m
 *   shared memory:                               o_s + L + o_r + m + max(2 s O, s G)
 *
 * The fast path is RDMA write into the peer's ring that the peer polls (Liu, Wu and
 * Panda, "High Performance RDMA-Based MPI Implementation over InfiniBand", ICS 2003;
 * Jose et al. Sec. V-C: "it matches with the IB-verbs level RDMA write latency"); its
 * inline size is the library's (128 B) capped by the HCA's. Rendezvous sends RTS,
 * gets CTS, RDMA-writes the payload and sends FIN: three control messages (ctl, a
 * header-only eager message) plus the data write.
 */
export function mpiTransferLatency(
  profile: Profile,
  path: PathParams,
  bytes: number,
  progress: MpiProgress,
): number {
  const mpi = profile.mpi;
  if (path.medium === 'ipoib') {
    throw new UsageError('MPI runs over the InfiniBand paths (native, vf, loopbacks) or shm, not over IPoIB');
  }
  if (path.medium === 'shm' && progress === 'blocking') {
    throw new UsageError(
      "MVAPICH2's blocking mode (MV2_USE_BLOCKING=1) turns shared memory off; use a loopback path (native-loopback or vf-loopback)",
    );
  }
  const m = mpi.perMessageOverhead.value;
  const h = mpi.headerBytes.value;
  const inline = mpi.libraryInline.value;
  const copy = 2 * bytes * mpi.copyPerByte.value;
  switch (mpiProtocol(profile, path, bytes, progress)) {
    case 'shm':
      return (
        path.o_s.value +
        path.L.value +
        path.o_r.value +
        m +
        Math.max(2 * bytes * path.O.value, bytes * path.G.value)
      );
    case 'rdma-fast-path':
      return verbsLatency(path, 'write', bytes + h, 'poll', inline) + m + copy;
    case 'eager-send-recv':
      return verbsLatency(path, 'send', bytes + h, 'poll', inline) + m + mpi.channelOverhead.value + copy;
    case 'rendezvous-rput': {
      const control = mpiTransferLatency(profile, path, 0, progress);
      return 3 * control + verbsLatency(path, 'write', bytes, 'poll', 0) + m;
    }
  }
}
