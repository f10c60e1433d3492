/**
 * What each suite measures, as a list of steps both sides run in turn.
 *
 *   quick  ping-pong latency over the size sweep (default 1 B to 4 MB) in each completion
 *          mode, and streaming at windows 1, 16, 64 for three sizes: under 30 s per transport.
 *   full   the same sweep with 10x the iterations, and streaming at windows 1..128 for
 *          every fourth power of two (osu_bw uses a window of 64; osu_mbw_mr varies it).
 *   loggp  PRTT(1,0,s), PRTT(n,0,s) and PRTT(n,d,s) for each size (Hoefler, Lichei and
 *          Rehm, IPDPS 2007; Netgauge's LogGP method) with n = 8 and d = 1.5 x the median
 *          PRTT(1,0,s) just measured, so d exceeds the gap and the sender's overhead shows.
 *
 * With `overheads` (verbs), every suite adds, per mode, a ping-pong and a stream at window
 * OVERHEAD_WINDOW over the streaming sizes that time each ibv_post_send and each receive
 * (result.overheads): steps of their own, since the timer reads around every call would
 * lengthen the latency and message-rate steps.
 */
import type { CompletionMode } from './native.js';

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
}

export const DEFAULT_SIZES: Record<Suite, string> = { quick: '1:4M', full: '1:4M', loggp: '1:1M' };
export const PRTT_N = 8;
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
  opts: { overheads?: boolean } = {},
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
  if (suite === 'loggp') {
    const prttSizes = sizes.filter((_, i) => i % 2 === 0);
    for (const mode of modes) {
      for (const s of prttSizes) {
        const it = pick(clamp(Math.floor(latencyIterations('quick', s) / 2), 10, 500));
        const base = { kind: 'prtt' as const, mode, sizes: [s], iterations: [it], warmup: warmupFor(it) };
        steps.push(
          { ...base, n: 1, delay: 0 },
          { ...base, n: PRTT_N, delay: 0 },
          { ...base, n: PRTT_N, delay: 'auto' },
        );
      }
    }
    return [...steps, ...overheadSteps()];
  }
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
  return [...steps, ...overheadSteps()];
}

/** Iterations the native side will count for a step (per pair). */
export function stepWork(step: Step): number {
  return step.iterations.reduce((a, b) => a + b, 0);
}
