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
 * MVAPICH2-like library over one path.
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
 *
 * Blocking mode (MV2_USE_BLOCKING=1, Jose et al. Sec. V-D) turns the fast path and
 * shared memory off; a receiver polls `spinCount` times (each costing o_r) and then
 * sleeps on a completion event, so a message that takes longer than that spin window
 * also pays the event cost.
 */
export function mpiLatency(profile: Profile, path: PathParams, bytes: number, progress: MpiProgress): number {
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
  const protocol = mpiProtocol(profile, path, bytes, progress);
  let latency: number;
  switch (protocol) {
    case 'shm':
      return (
        path.o_s.value +
        path.L.value +
        path.o_r.value +
        m +
        Math.max(2 * bytes * path.O.value, bytes * path.G.value)
      );
    case 'rdma-fast-path':
      latency = verbsLatency(path, 'write', bytes + h, 'poll', inline) + m + copy;
      break;
    case 'eager-send-recv':
      latency = verbsLatency(path, 'send', bytes + h, 'poll', inline) + m + mpi.channelOverhead.value + copy;
      break;
    case 'rendezvous-rput': {
      const control = mpiLatency(profile, path, 0, progress);
      latency = 3 * control + verbsLatency(path, 'write', bytes, 'poll', 0) + m;
      break;
    }
  }
  if (progress === 'blocking' && latency > mpi.spinCount.value * path.o_r.value)
    latency += path.eventExtra.value;
  return latency;
}
