/**
 * `node.socketCopyBandwidth`: the bytes per second one socket's cores copy together. The
 * model (src/model/virtualization.ts, rule 5, `memoryBandwidthStretch`) gives each of the n
 * ranks of a socket a per-byte copy cost of max(copyPerByte, n / socketCopyBandwidth).
 * A shared-memory pair streaming puts two ranks on the socket, each copying every byte once
 * (the sender into the ring, the receiver out of it: native/shm_channel.cc), and the two
 * copies overlap along the stream, so a pair moves 1 / (per-byte cost) bytes per us and N
 * pairs on one socket reach
 *
 *   B(N) = N min(1 / copyPerByte, socketCopyBandwidth / (2 N)) = min(N b, socketCopyBandwidth / 2).
 *
 * The plateau C of the aggregate bandwidth (aggregate-plateau.ts: the runs more than 10%
 * short of N times one pair's bandwidth) is therefore half the socket's copy bandwidth:
 * socketCopyBandwidth = 2 C, with the Student t interval of C's mean doubled (the saturated
 * runs are repeats of one plateau; the streaming runs keep no per-message samples to
 * bootstrap). No saturated run: the data bound it from below only, and the fit says so.
 *
 * Measured by: `ibvf probe run --transport shm --pairs N` streaming at a large size (the
 * largest the probe ran), for N = 1, 2, 4, ... up to the socket's cores over 2, with every
 * rank on one socket: `--pin same-socket` puts the 2N threads on 2N cores of one socket and
 * the file records each pair's CPUs (`placement.pair_cpus`); calibrate prefers such runs and
 * warns when it has only unpinned ones.
 */
import { aggregatePlateau } from './aggregate-plateau.js';

export interface PairsBandwidth {
  pairs: number;
  /** Aggregate bandwidth of all pairs, MB/s. */
  bandwidthMBps: number;
}

export interface SocketCopyFit {
  /** MB/s; a lower bound when `saturated` is empty. */
  value: number;
  interval: [number, number] | null;
  /** One pair's bandwidth alone, MB/s. */
  perPair: number;
  saturated: number[];
  from: string;
  warnings: string[];
}

/** Copies per byte a shared-memory message makes (sender in, receiver out). */
const COPIES_PER_BYTE = 2;

export function fitSocketCopyBandwidth(runs: readonly PairsBandwidth[], shortfall = 0.1): SocketCopyFit {
  const p = aggregatePlateau(
    runs.map((r) => ({ streams: r.pairs, rate: r.bandwidthMBps })),
    'socketCopyBandwidth',
    shortfall,
  );
  const list = p.counts.join(', ');
  if (p.capacity === null) {
    const bound = COPIES_PER_BYTE * p.most;
    return {
      value: bound,
      interval: null,
      perPair: p.perStream,
      saturated: [],
      from: `aggregate shm streaming bandwidth at pairs = ${list}: no run falls ${100 * shortfall}% short of N x one pair's`,
      warnings: [
        `socketCopyBandwidth: the aggregate shm bandwidth still grows with the pairs at ${list}; the socket copies at least ${round(bound)} MB/s but the data cannot pin socketCopyBandwidth down (stream with more pairs on one socket)`,
      ],
    };
  }
  const warnings: string[] = [];
  if (!p.interval)
    warnings.push(
      `socketCopyBandwidth: one saturated run (pairs = ${p.saturated[0]}); no interval (stream at more pair counts for one)`,
    );
  return {
    value: COPIES_PER_BYTE * p.capacity,
    interval: p.interval ? [COPIES_PER_BYTE * p.interval[0], COPIES_PER_BYTE * p.interval[1]] : null,
    perPair: p.perStream,
    saturated: p.saturated,
    from:
      `2 x the mean aggregate shm streaming bandwidth of the runs the socket paces (pairs = ${p.saturated.join(', ')}: ` +
      `more than ${100 * shortfall}% below N x ${round(p.perStream)} MB/s, one pair's); runs at pairs = ${list}; ` +
      'two copies per byte (sender and receiver)',
    warnings,
  };
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}
