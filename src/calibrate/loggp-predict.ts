/**
 * What a path's LogGP parameters predict for the probe's own measurements (raw messages
 * over its channel, no MPI library), so a calibration can be checked out of sample on
 * runs it did not fit.
 *
 * LogGP (Alexandrov et al., SPAA 1995) with the sender's and receiver's overheads apart:
 *
 *   one-way T(s)        = o_s + L + o_r + (s - 1) G
 *   PRTT(1, 0, s)       = 2 T(s)
 *   PRTT(n, d, s)       = PRTT(1, 0, s) + (n - 1) max(o_s + d, g + (s - 1) G)
 *
 * the last as Hoefler, Lichei and Rehm (IPDPS 2007 workshops, eq. 2) derive it, with o_s
 * for o because the probe times the sender (src/calibrate/fit/loggp-prtt.ts). The probe's
 * streaming (native/measure.cc stream_round) sends a window of W messages back to back and
 * waits for a 4-byte reply; the sender issues one message per max(o_s, g + (s - 1) G), so
 *
 *   BW(s, W) = W s / (T(s) + (W - 1) max(o_s, g + (s - 1) G) + T(4))
 *
 * in bytes per microsecond, which is MB/s (10^6 B/s). s - 1 is read as 0 for an empty
 * message, as wire.ts does.
 */
import type { PathParams } from '../profiles/types.js';

/** The probe's streaming reply: 4 bytes (native/measure.cc). */
export const PROBE_ACK_BYTES = 4;

const tail = (bytes: number) => Math.max(bytes - 1, 0);

export function loggpOneWay(path: PathParams, bytes: number): number {
  return path.o_s.value + path.L.value + path.o_r.value + tail(bytes) * path.G.value;
}

export function loggpPrtt(path: PathParams, n: number, d_us: number, bytes: number): number {
  const gap = Math.max(path.o_s.value + d_us, path.g.value + tail(bytes) * path.G.value);
  return 2 * loggpOneWay(path, bytes) + (n - 1) * gap;
}

export function loggpStreamBandwidth(path: PathParams, bytes: number, window: number): number {
  if (bytes === 0) return 0;
  const gap = Math.max(path.o_s.value, path.g.value + tail(bytes) * path.G.value);
  const time = loggpOneWay(path, bytes) + (window - 1) * gap + loggpOneWay(path, PROBE_ACK_BYTES);
  return (window * bytes) / time;
}
