/**
 * LogGP's o_s and o_r of a verbs path, measured rather than assumed: the probe's
 * `overheads` (src/probe/result.ts, OverheadRun) time each ibv_post_send (o_s) and each
 * ibv_poll_cq that returned a receive plus the ibv_post_recv that replaced it (o_r), per
 * message, around the call, in a ping-pong step of their own (one message in flight: no
 * send queue backs up, as in the latency sweep the path's L is solved from).
 *
 *   o_s = median over files of the median ibv_post_send time at the smallest size timed
 *   o_r = the same for the receive completion and its re-post (send runs only: an RDMA
 *         write or read raises no receive completion, so they leave o_r to the base)
 *
 * The smallest size is taken because o is the per-message CPU cost LogGP keeps apart from
 * the per-byte G. Each figure includes one read of the probe's timer (tens of ns), so o
 * is an upper bound by that much: said in the source. The runs keep summaries, not
 * samples, so no interval is given (also said).
 *
 * Measured by: `ibvf probe run --transport verbs --op send` (every verbs suite times them).
 */
import { median } from 'simple-statistics';
import type { OverheadRun } from '../../probe/result.js';

export interface MeasuredOverheads {
  /** Per file: its smallest timed size and the medians there (us). */
  files: { file: string; bytes: number; o_send_us: number; o_recv_us: number | null; count: number }[];
  o_s_us: number;
  /** Null when no file timed a receive (write and read runs). */
  o_r_us: number | null;
}

/** The ping-pong, poll-mode, pair-0 timing at the smallest size of one file, or null. */
export function overheadsOfFile(
  file: string,
  runs: readonly OverheadRun[],
): MeasuredOverheads['files'][number] | null {
  const usable = runs.filter((r) => r.during === 'pingpong' && r.mode === 'poll' && r.pair === 0);
  if (usable.length === 0) return null;
  const smallest = usable.reduce((a, b) => (b.bytes < a.bytes ? b : a));
  return {
    file,
    bytes: smallest.bytes,
    o_send_us: smallest.o_send.median_us,
    o_recv_us: smallest.o_recv ? smallest.o_recv.median_us : null,
    count: smallest.o_send.count,
  };
}

/** o_s and o_r over several files (the median of their medians), or null with none. */
export function measuredOverheads(
  files: readonly MeasuredOverheads['files'][number][],
): MeasuredOverheads | null {
  if (files.length === 0) return null;
  const recv = files.flatMap((f) => (f.o_recv_us === null ? [] : [f.o_recv_us]));
  return {
    files: [...files],
    o_s_us: median(files.map((f) => f.o_send_us)),
    o_r_us: recv.length > 0 ? median(recv) : null,
  };
}
