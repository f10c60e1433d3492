import type { PathParams } from '../../profiles/types.js';

/**
 * Time a message's bytes add to its one-way latency.
 *
 *   wire(s) = max(s - 1, 0) * G + min(s, mtu) * storeForward
 *
 * The first term is LogGP's (s-1)G (Alexandrov et al., "LogGP", SPAA 1995): the
 * streaming rate bounds every byte after the first. The second is the pipeline fill:
 * the HCAs store and forward whole packets through their DMA stages, so the first
 * packet (at most one MTU) pays the per-byte cost of those stages once more. It is why
 * a 4 KB verbs send takes ~2 us more than a 2-byte one (Jose et al., CCGrid 2013,
 * Sec. V-B) while osu_bw still reaches 1/G.
 */
export function wireTime(path: PathParams, bytes: number): number {
  return Math.max(bytes - 1, 0) * path.G.value + Math.min(bytes, path.mtu.value) * path.storeForward.value;
}

/** Whether the CPU writes this send inline (BlueFlame) instead of letting the HCA fetch it. */
export function isInline(path: PathParams, bytes: number, libraryLimit = Infinity): boolean {
  const limit = Math.min(path.inlineLimit.value, libraryLimit);
  return limit > 0 && bytes <= limit;
}
