import { UsageError } from '../../errors.js';
import type { P2pOp, PathParams, Profile, Progress } from '../../profiles/types.js';
import { mpiLatency, mpiProtocol } from './mpi.js';
import { pathOf } from './path.js';
import { upcGetLatency } from './pgas.js';
import { tcpLatency } from './tcp.js';
import { verbsLatency } from './verbs.js';

export interface P2pQuery {
  path: string;
  op: P2pOp;
  progress: Progress;
}

export interface P2pRow {
  bytes: number;
  /** One-way latency in us (full round trip for read and upc-get, as perftest and OSU report them). */
  latency_us: number;
  /** Streaming bandwidth in MB/s (10^6 B/s), osu_bw's window of 64 messages. */
  bandwidth_MBps: number;
}

/** osu_bw keeps 64 messages in flight and then waits for a 4-byte reply. */
export const BW_WINDOW = 64;
const BW_ACK_BYTES = 4;

/** The progress modes each operation has, the first being its default. */
export const PROGRESS_OF_OP: Record<P2pOp, readonly Progress[]> = {
  send: ['poll', 'event'],
  write: ['poll'],
  read: ['poll', 'event'],
  mpi: ['poll', 'blocking'],
  'upc-get': ['poll'],
  tcp: ['event'],
};

function checkQuery(profile: Profile, q: P2pQuery): PathParams {
  const path = pathOf(profile, q.path);
  const modes = PROGRESS_OF_OP[q.op];
  if (!modes.includes(q.progress)) {
    const why: Record<P2pOp, string> = {
      send: 'verbs operations poll or wait for an event; blocking is an MPI mode',
      write: 'RDMA write gives the target no completion to wait for (perftest refuses -e for write)',
      read: 'verbs operations poll or wait for an event; blocking is an MPI mode',
      mpi: "MPI polls (default) or uses MVAPICH2's blocking mode (MV2_USE_BLOCKING=1)",
      'upc-get': 'the UPC runtime polls for completions',
      tcp: 'IPoIB receives are interrupt-driven in the kernel',
    };
    throw new UsageError(
      `--op ${q.op} takes --progress ${modes.join(' or ')}, not ${q.progress}: ${why[q.op]}`,
    );
  }
  const ipoib = path.medium === 'ipoib';
  if (q.op === 'tcp' && !ipoib) {
    throw new UsageError(`--op tcp runs over an IPoIB path (ipoib-native, ipoib-vf), not '${q.path}'`);
  }
  if (q.op !== 'tcp' && ipoib) {
    throw new UsageError(`path '${q.path}' carries TCP over IPoIB: use --op tcp`);
  }
  if (path.medium === 'shm' && q.op !== 'mpi') {
    throw new UsageError(
      `path 'shm' is MPI's shared-memory channel: use --op mpi (verbs operations need an HCA path)`,
    );
  }
  return path;
}

/** One-way latency (us) of a point-to-point operation of `bytes` over a path. */
export function p2pLatency(profile: Profile, q: P2pQuery, bytes: number): number {
  const path = checkQuery(profile, q);
  switch (q.op) {
    case 'send':
    case 'write':
    case 'read':
      return verbsLatency(path, q.op, bytes, q.progress === 'event' ? 'event' : 'poll');
    case 'mpi':
      return mpiLatency(profile, path, bytes, q.progress === 'blocking' ? 'blocking' : 'poll');
    case 'upc-get':
      return upcGetLatency(profile, path, bytes);
    case 'tcp':
      return tcpLatency(profile, path, bytes);
  }
}

/**
 * CPU time (us) the sender spends per message, which bounds how fast it can issue
 * them: o_s, plus for MPI the library's per-message work and its eager copy.
 */
function senderBusy(profile: Profile, path: PathParams, q: P2pQuery, bytes: number): number {
  let busy = path.o_s.value + bytes * path.O.value;
  if (q.op === 'mpi') {
    busy += profile.mpi.perMessageOverhead.value;
    const protocol = mpiProtocol(profile, path, bytes, q.progress === 'blocking' ? 'blocking' : 'poll');
    if (protocol === 'rdma-fast-path' || protocol === 'eager-send-recv')
      busy += bytes * profile.mpi.copyPerByte.value;
  }
  return busy;
}

/**
 * Streaming bandwidth (MB/s) as osu_bw measures it: a window of W = 64 messages, then
 * a 4-byte reply. Messages leave one per max(g, sender CPU time, s G) (LogGP's gap),
 * the first arrives after its latency, and the window closes with the reply:
 *
 *   BW(s) = W s / (T(s) + (W - 1) max(g, busy(s), s G) + T(4))
 */
export function p2pBandwidth(profile: Profile, q: P2pQuery, bytes: number): number {
  if (bytes === 0) return 0;
  const path = checkQuery(profile, q);
  const gap = Math.max(path.g.value, senderBusy(profile, path, q, bytes), bytes * path.G.value);
  const ackQuery =
    q.op === 'read' || q.op === 'upc-get' ? { ...q, op: 'write' as const, progress: 'poll' as const } : q;
  const window =
    p2pLatency(profile, q, bytes) + (BW_WINDOW - 1) * gap + p2pLatency(profile, ackQuery, BW_ACK_BYTES);
  return (BW_WINDOW * bytes) / window;
}

/** Latency and bandwidth for each size: what `ibvf predict` prints for point-to-point. */
export function predictP2p(profile: Profile, q: P2pQuery, sizes: readonly number[]): P2pRow[] {
  checkQuery(profile, q);
  return sizes.map((bytes) => ({
    bytes,
    latency_us: p2pLatency(profile, q, bytes),
    bandwidth_MBps: p2pBandwidth(profile, q, bytes),
  }));
}
