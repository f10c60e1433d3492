import type { PathParams, Profile } from '../../profiles/types.js';
import type { PairParams } from '../sim/contract.js';
import { mpiShape, mpiTransferLatency, type MpiProgress } from './mpi.js';

/** How a layout changes a path's costs (see src/model/layout and the profile's virtualization block). */
export interface PathContext {
  /** Extra latency per message in us (IOMMU misses of a VF message's DMAs). */
  extraLatencyUs: number;
  /** Factors >= 1 stretching the sender's and the receiver's CPU work when vCPUs and host work exceed the cores. */
  sendStretch: number;
  recvStretch: number;
  /**
   * Further factors on each end's per-byte CPU work costing `perByteUs` (us/B) on one core:
   * remote memory of a VM spanning sockets, the socket's shared memory bandwidth; default 1.
   */
  sendCopyStretch?: (perByteUs: number) => number;
  recvCopyStretch?: (perByteUs: number) => number;
  /**
   * Polls before a blocking-mode receiver sleeps (default: the profile's mpi.spinCount);
   * 0 for pure event progress, where every receive sleeps and pays the wake-up.
   */
  spinCount?: number;
}

export const NO_CONTEXT: PathContext = { extraLatencyUs: 0, sendStretch: 1, recvStretch: 1 };

const NS_PER_US = 1000;

/**
 * LogGOPS parameters (ns) of one MPI message over a path, for the simulator's native
 * mode, chosen so that an isolated message takes exactly the point-to-point model's
 * MPI latency (`mpiShape` in mpi.ts splits it):
 *
 *   o_s = o_s(path) + m/2,   o_r = o_r(path) + m/2 (+ c on the send/recv channel),
 *   O, O_r = eager copy per byte at the sender and at the receiver (0 for rendezvous,
 *   which is zero-copy; the path's own copy rate for shared memory),  G = G(path),
 *   g = g(path),  S = eager threshold,
 *   L = T_mpi(s) - (the rest of a lone message's time in the simulator's rules)
 *
 * A lone message takes, from send start to receive end, in the simulator's native rules
 * (src/model/sim/native-costs.ts):
 *
 *   eager send/recv: o_s + L + o_r + (s-1)max(G, O)       (Hoefler et al., LogGOPSim, HPDC 2010)
 *   RDMA:            o_s + L + (s-1)G + o_r + (s-1)O      (the data lands, then the CPU takes
 *                                                          it; delivery 'rdma': the fast
 *                                                          path and rendezvous RPUT)
 *   shared memory:   o_s + (s-1)O + L + o_r + (s-1)O      (each end copies; delivery 'copy')
 *
 * so L is everything that is not CPU time or streaming. For rendezvous, `handshake` is
 * the part of L after a ready receiver answers the RTS: L - (ctl - o_s), ctl being a
 * control message's one-way time, so that a late or busy receiver delays the data by as
 * much as it answers late. The wake-up of a blocking or event-progress receiver is not
 * in L: the simulator charges it to a receiver that waited longer than its spin window
 * (`wake`, `spin`: spinCount polls of o_r(path)), as `mpiLatency` does for a lone
 * message. CPU terms are stretched by the over-subscription factor of the node they run
 * on (o_s and O by the sender's, o_r, O_r and the spin window by the receiver's); the
 * layout's extra latency (IOMMU misses) adds to L.
 */
export function mpiPairParams(
  profile: Profile,
  path: PathParams,
  bytes: number,
  progress: MpiProgress,
  context: PathContext = NO_CONTEXT,
): PairParams {
  const mpi = profile.mpi;
  const { protocol, o_s, o_r, copy, wait } = mpiShape(profile, path, bytes, progress);
  const G = path.G.value;
  const tail = Math.max(bytes - 1, 0);
  const rdma = protocol === 'rdma-fast-path' || protocol === 'rendezvous-rput';
  // The receiver takes a lone message `wait` after the send starts: o_s + L, plus the
  // sender's copy through shared memory, plus the landing of RDMA data.
  const beforeTake = protocol === 'shm' ? tail * copy : rdma ? tail * G : 0;
  const L = wait - o_s - beforeTake + context.extraLatencyUs;
  const params: PairParams = {
    L: Math.max(L, 0) * NS_PER_US,
    o_s: o_s * context.sendStretch * NS_PER_US,
    o_r: o_r * context.recvStretch * NS_PER_US,
    g: path.g.value * NS_PER_US,
    G: G * NS_PER_US,
    O: copy * context.sendStretch * (context.sendCopyStretch?.(copy) ?? 1) * NS_PER_US,
    S: mpi.eagerThreshold.value,
    O_r: copy * context.recvStretch * (context.recvCopyStretch?.(copy) ?? 1) * NS_PER_US,
  };
  if (protocol === 'shm') params.delivery = 'copy';
  else if (rdma) params.delivery = 'rdma';
  if (protocol === 'rendezvous-rput') {
    // The RTS reaches a ready receiver one control message after the send starts; the
    // rest of L (CTS, the write's start) follows the receiver's answer.
    const rts = mpiTransferLatency(profile, path, 0, progress) - o_s;
    params.handshake = Math.min(Math.max(L - rts, 0), Math.max(L, 0)) * NS_PER_US;
  }
  if (progress === 'blocking') {
    params.wake = path.eventExtra.value * NS_PER_US;
    params.spin =
      (context.spinCount ?? mpi.spinCount.value) * path.o_r.value * context.recvStretch * NS_PER_US;
  }
  return params;
}
