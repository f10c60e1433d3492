/**
 * What each suite measures, as a list of steps both sides run in turn.
 *
 *   quick  ping-pong latency over the size sweep (default 1 B to 4 MB) in each completion
 *          mode, and streaming at windows 1, 16, 64 for three sizes: under 30 s per transport.
 *   full   the same sweep with 10x the iterations, streaming at windows 1..128 for every
 *          fourth power of two (osu_bw uses a window of 64; osu_mbw_mr varies it), and the
 *          loggp suite's PRTT runs, so one file holds both a LogGP fit's input and the
 *          streaming that checks it out of sample.
 *   loggp  PRTT(1,0,s), PRTT(n,0,s) and PRTT(n,d,s) for every second size (Hoefler, Lichei
 *          and Rehm, IPDPS 2007; Netgauge's LogGP method): back to back at n = 8 and at
 *          n = 128, and delayed at n = 8 with d = 1.5 x the median PRTT(1,0,s) just
 *          measured, so d exceeds the gap and the sender's overhead shows.
 *
 * Why a train of 128: on shm the gap per message grows along a train before it settles
 * (measured here: at 8-128 B the gap from n = 1 to 8 is 0.02-0.06 us, from 8 to 128 a
 * steady 0.06-0.09 us, the gap streaming windows of 16-128 imply; at 2 KB it is flat), so a
 * train of 8 alone measures a start-up gap that a deep window never sees. The long train
 * is the largest streaming window, so the slope in n that fitLogGP takes over n = 1, 8, 128
 * is dominated by the steady state the windows run in.
 *
 * With `overheads` (verbs), every suite adds, per mode, a ping-pong and a stream at window
 * OVERHEAD_WINDOW over the streaming sizes that time each ibv_post_send and each receive
 * (result.overheads): steps of their own, since the timer reads around every call would
 * lengthen the latency and message-rate steps.
 */
import type { CompletionMode } from './native.js';
import { regionSteps, type RegionOptions } from './verbs/region.js';

export type Suite = 'quick' | 'full' | 'loggp';

export interface Step {
  kind: 'pingpong' | 'stream' | 'prtt';
  mode: CompletionMode;
  sizes: number[];
  iterations: number[];
  warmup: number;
  window?: number;
  n?: number;
  /** PRTT delay: a number of microseconds, or 'auto' (from this size's PRTT(1,0,s)). */
  delay?: number | 'auto';
  /** Time each verbs call (per-message CPU cost) instead of the latency or rate. */
  overheads?: boolean;
  /** verbs --region: the registered region (bytes) the messages cycle through (verbs/region.ts). */
  region?: number;
}

export const DEFAULT_SIZES: Record<Suite, string> = { quick: '1:4M', full: '1:4M', loggp: '1:1M' };
export const PRTT_N = 8;
/** The long back-to-back train: the full suite's largest streaming window (see above). */
export const PRTT_LONG_N = 128;
export const PRTT_DELAY_FACTOR = 1.5;
/** The overhead stream's window: osu_bw's 64, within the verbs send queue (128). */
export const OVERHEAD_WINDOW = 64;

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** Ping-pong iterations per size: perftest's 1000 for small messages, fewer as they grow. */
export function latencyIterations(suite: Suite, bytes: number): number {
  const small = suite === 'full' ? 10000 : 1000;
  const floor = suite === 'full' ? 100 : 20;
  return clamp(Math.floor((small * 16384) / Math.max(bytes, 16384)), floor, small);
}

/** Stream windows per size: enough messages to move about 128 MiB (quick) or 512 MiB (full). */
export function streamWindows(suite: Suite, bytes: number, window: number): number {
  const volume = suite === 'full' ? 2 ** 29 : 2 ** 27;
  const messages = clamp(
    Math.floor(volume / Math.max(bytes, 1)),
    suite === 'full' ? 500 : 100,
    suite === 'full' ? 50000 : 5000,
  );
  return Math.max(3, Math.ceil(messages / window));
}

function streamSizes(suite: Suite, sizes: number[]): number[] {
  if (suite === 'full') return sizes.filter((_, i) => i % 2 === 0);
  const picks = [8, 4096, 65536].filter((s) => s >= sizes[0] && s <= sizes[sizes.length - 1]);
  return picks.length > 0 ? picks : [sizes[0]];
}

const warmupFor = (iters: number) => clamp(Math.ceil(iters / 20), 2, 100);

/** The steps of a suite; `iterations` (from --iters) overrides every count. */
export function planSuite(
  suite: Suite,
  sizes: number[],
  modes: CompletionMode[],
  iterations: number | null,
  opts: { overheads?: boolean; region?: RegionOptions } = {},
): Step[] {
  // --region's ping-pongs come last: after them the verbs channel's receives are a stride long.
  const regions = opts.region
    ? regionSteps(opts.region, sizes, modes, (s) => latencyIterations('quick', s), iterations)
    : [];
  return [...suiteSteps(suite, sizes, modes, iterations, opts), ...regions];
}

function suiteSteps(
  suite: Suite,
  sizes: number[],
  modes: CompletionMode[],
  iterations: number | null,
  opts: { overheads?: boolean },
): Step[] {
  const steps: Step[] = [];
  const pick = (n: number) => iterations ?? n;
  const overheadSteps = (): Step[] =>
    opts.overheads
      ? modes.flatMap((mode) => {
          const ss = streamSizes('quick', sizes);
          return [
            {
              kind: 'pingpong' as const,
              mode,
              sizes: ss,
              iterations: ss.map((s) => pick(latencyIterations('quick', s))),
              warmup: 10,
              overheads: true,
            },
            {
              kind: 'stream' as const,
              mode,
              sizes: ss,
              iterations: ss.map((s) => pick(streamWindows('quick', s, OVERHEAD_WINDOW))),
              warmup: 2,
              window: OVERHEAD_WINDOW,
              overheads: true,
            },
          ];
        })
      : [];
  if (suite === 'loggp') return [...prttSteps(sizes, modes, pick), ...overheadSteps()];
  for (const mode of modes) {
    const iters = sizes.map((s) => pick(latencyIterations(suite, s)));
    steps.push({ kind: 'pingpong', mode, sizes, iterations: iters, warmup: warmupFor(Math.min(...iters)) });
  }
  const windows = suite === 'full' ? [1, 2, 4, 8, 16, 32, 64, 128] : [1, 16, 64];
  for (const mode of modes) {
    for (const window of windows) {
      const ss = streamSizes(suite, sizes);
      const iters = ss.map((s) => pick(streamWindows(suite, s, window)));
      steps.push({ kind: 'stream', mode, sizes: ss, iterations: iters, warmup: 2, window });
    }
  }
  if (suite === 'full') steps.push(...prttSteps(sizes, modes, pick));
  return [...steps, ...overheadSteps()];
}

/**
 * The PRTT runs of every second size: n = 1, n = 8 and n = 128 back to back, n = 8 delayed.
 * The long train keeps about as many messages per size as the short ones (fewer rounds, at
 * least 10), so it adds no more than the 8-trains' time.
 */
function prttSteps(sizes: number[], modes: CompletionMode[], pick: (n: number) => number): Step[] {
  const steps: Step[] = [];
  for (const mode of modes) {
    for (const s of sizes.filter((_, i) => i % 2 === 0)) {
      const it = pick(clamp(Math.floor(latencyIterations('quick', s) / 2), 10, 500));
      const longIt = pick(Math.max(10, Math.ceil((it * PRTT_N) / PRTT_LONG_N)));
      const step = (iterations: number) => ({
        kind: 'prtt' as const,
        mode,
        sizes: [s],
        iterations: [iterations],
        warmup: warmupFor(iterations),
      });
      steps.push(
        { ...step(it), n: 1, delay: 0 },
        { ...step(it), n: PRTT_N, delay: 0 },
        { ...step(longIt), n: PRTT_LONG_N, delay: 0 },
        { ...step(it), n: PRTT_N, delay: 'auto' },
      );
    }
  }
  return steps;
}

/** Iterations the native side will count for a step (per pair). */
export function stepWork(step: Step): number {
  return step.iterations.reduce((a, b) => a + b, 0);
}
