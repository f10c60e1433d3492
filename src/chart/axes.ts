/**
 * Axes shared by the specs. Message sizes double, so the size axis is log base 2 with a
 * tick every factor 4 labelled as OSU and perftest print sizes: 1, 4, 16, 64, 256, 1K,
 * 4K, ..., 1M, 4M (K = 1024).
 */

/**
 * Powers of 4 from `min` to `max` (those inside them); powers of
 * 16 (1, 16, 256, 4K, 64K, 1M) when that would be more than `maxTicks`, so the labels of
 * a one-column figure spanning 1 B to 4 MB do not run into each other.
 */
export function sizeTicks(min: number, max: number, maxTicks = 20): number[] {
  const ticks = (factor: number) => {
    const out: number[] = [];
    // Only ticks inside the sizes: vega would draw an explicit tick outside the domain.
    for (let t = 1; t <= max && out.length < 40; t *= factor) if (t >= min) out.push(t);
    return out;
  };
  const byFour = ticks(4);
  return byFour.length <= maxTicks ? byFour : ticks(16);
}

/** How many size labels fit across a figure: about one per 0.4 in. */
export function maxSizeTicks(widthIn: number): number {
  return Math.max(4, Math.floor(widthIn / 0.4));
}

/** A size in bytes as OSU prints it: 1, 512, 1K, 64K, 1M. */
export function sizeLabel(bytes: number): string {
  if (bytes >= 1 << 30 && bytes % (1 << 30) === 0) return `${bytes / (1 << 30)}G`;
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)}M`;
  if (bytes >= 1 << 10 && bytes % (1 << 10) === 0) return `${bytes / (1 << 10)}K`;
  return String(bytes);
}

/** The same labelling as a Vega expression, for the axis's labelExpr. */
export const SIZE_LABEL_EXPR =
  "datum.value >= 1073741824 ? format(datum.value / 1073741824, 'd') + 'G' : " +
  "datum.value >= 1048576 ? format(datum.value / 1048576, 'd') + 'M' : " +
  "datum.value >= 1024 ? format(datum.value / 1024, 'd') + 'K' : format(datum.value, 'd')";

/**
 * The log2 x axis of sizes (or any doubling count); `ticks` replaces the powers of 4, e.g.
 * every power of 2 for a count of VMs per node that runs 1, 2, 4, 8, 16.
 */
export function sizeAxisX(
  min: number,
  max: number,
  widthIn: number,
  title = 'Message size (bytes)',
  ticks?: readonly number[],
) {
  return {
    field: 'x',
    type: 'quantitative' as const,
    title,
    scale: { type: 'log' as const, base: 2, domain: [min, max], nice: false },
    axis: {
      values: ticks ? [...ticks] : sizeTicks(min, max, maxSizeTicks(widthIn)),
      labelExpr: SIZE_LABEL_EXPR,
      labelOverlap: true,
    },
  };
}
