/**
 * `--region BYTES[,BYTES...]` (verbs, `--op send`): latency as the registered memory a
 * message's DMAs go through grows past what the IOMMU's translation cache (IOTLB) holds.
 * For each size R the channel registers one memory region (one MR) of R bytes, and the
 * k-th message is sent from, and the k-th receive posted at, offset (k mod R/stride) x
 * stride of it on both sides (native/verbs/channel.h), so consecutive messages use
 * R/stride different pages: the way an MPI library's registered buffers for many peers
 * spread its DMAs (rule 3 of src/model/virtualization.ts; calibrate's fit/iommu.ts reads
 * the runs back). perftest has no such option: its latency tests reuse one buffer, its
 * bandwidth tests step a message's address through one page (`cycle_buffer`, the page
 * size, src/perftest_resources.c), and --use_hugepages and --mr_per_qp change the
 * allocation, not the spread.
 *
 * Why a stride of 4 KiB (a page) by default: each message must touch a translation of
 * its own, and an IOMMU maps at least 4 KiB per entry. The buffer is mapped with
 * transparent huge pages turned off (madvise MADV_NOHUGEPAGE), so the guest's pages are
 * the 4 KiB the result records; a host that backs its guests with huge pages maps the
 * IOMMU in 2 MiB entries the guest cannot see, and then `--region-stride 2M` is the
 * stride that changes entry every message.
 *
 * Iterations: a region's ping-pong first runs one untimed pass over its slots (warm-up,
 * so the IOTLB is in its steady state) and then at least one timed pass, bounded by
 * MAX_REGION_ITERATIONS (a 4 GiB region of 4 KiB slots takes about 2 s per pass at 2 us).
 */
import type { Step } from '../suites.js';
import type { CompletionMode } from '../native.js';

export const DEFAULT_REGION_STRIDE = 4096;
/** Limits the addon holds too (native/verbs/channel.h). */
export const MAX_REGIONS = 16;
export const MIN_REGION_STRIDE = 4096;
export const MAX_REGION_BYTES = 2 ** 36;
/** Timed (and warm-up) iterations of one region's ping-pong at most. */
export const MAX_REGION_ITERATIONS = 2 ** 20;

/** `--region-sizes`: the smallest of the run's sizes, or all of them up to the stride. */
export const REGION_MESSAGE_CHOICES = ['smallest', 'all'] as const;
export type RegionMessages = (typeof REGION_MESSAGE_CHOICES)[number];

/** The --region options both sides run with (carried in the handshake's verbs options). */
export interface RegionOptions {
  /** Region sizes (bytes), in the order measured. */
  bytes: number[];
  stride: number;
  messages: RegionMessages;
}

/**
 * Why these region options cannot run, or null: a region smaller than the stride (its
 * messages would share one page), a stride that is not a power of two of at least 4 KiB,
 * too many or too large regions, no message size at or below the stride.
 */
export function regionProblem(r: RegionOptions, sizes: readonly number[]): string | null {
  if (!(Number.isInteger(r.stride) && r.stride >= MIN_REGION_STRIDE && (r.stride & (r.stride - 1)) === 0))
    return `--region-stride ${r.stride}: a power of two of at least ${MIN_REGION_STRIDE} bytes (a page: each message must use a translation of its own)`;
  if (r.bytes.length < 1 || r.bytes.length > MAX_REGIONS) return `--region: 1 to ${MAX_REGIONS} sizes`;
  for (const b of r.bytes) {
    if (!Number.isSafeInteger(b) || b < r.stride)
      return `--region ${b}: smaller than the stride (${r.stride} B), so every message would use the same page; give ${r.stride} or more`;
    if (b > MAX_REGION_BYTES) return `--region ${b}: more than ${MAX_REGION_BYTES} bytes (64 GiB)`;
  }
  if (messageSizes(r, sizes).length === 0)
    return `--region: no --sizes at or below the stride (${r.stride} B), the longest message a region slot holds`;
  return null;
}

/** The message sizes a region's ping-pong runs at. */
export function messageSizes(r: RegionOptions, sizes: readonly number[]): number[] {
  const fit = sizes.filter((s) => s <= r.stride);
  return r.messages === 'all' ? fit : fit.slice(0, 1);
}

/** Timed iterations of one region's ping-pong: the suite's count, at least one pass over its slots. */
export function regionIterations(suiteIterations: number, regionBytes: number, stride: number): number {
  return Math.min(MAX_REGION_ITERATIONS, Math.max(suiteIterations, Math.floor(regionBytes / stride)));
}

/**
 * The region steps: per region and completion mode a ping-pong with a warm-up pass over
 * the slots. They come after every other step (the channel's receives are a stride long
 * once a region step ran).
 */
export function regionSteps(
  r: RegionOptions,
  sizes: readonly number[],
  modes: readonly CompletionMode[],
  iterationsOf: (bytes: number) => number,
  fixed: number | null,
): Step[] {
  const ss = messageSizes(r, sizes);
  return r.bytes.flatMap((region) =>
    modes.map((mode) => {
      const slots = Math.floor(region / r.stride);
      return {
        kind: 'pingpong' as const,
        mode,
        sizes: ss,
        iterations: ss.map((s) => fixed ?? regionIterations(iterationsOf(s), region, r.stride)),
        warmup: Math.min(MAX_REGION_ITERATIONS, slots),
        region,
      };
    }),
  );
}
