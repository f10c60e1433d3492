/**
 * Axes shared by the specs. Message sizes double, so the size axis is log base 2 with a
 * tick every factor 4 labelled as OSU and perftest print sizes: 1, 4, 16, 64, 256, 1K,
 * 4K, ..., 1M, 4M (K = 1024).
 */

/** Powers of 4 from the first at or below `min` to the last at or above `max`. */
export function sizeTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  let t = 1;
  while (t * 4 <= min) t *= 4;
  for (; t <= max * 4 && ticks.length < 20; t *= 4) {
    ticks.push(t);
    if (t >= max) break;
  }
  return ticks;
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

export function sizeAxisX(min: number, max: number, title = 'Message size (bytes)') {
  return {
    field: 'x',
    type: 'quantitative' as const,
    title,
    scale: { type: 'log' as const, base: 2, domain: [min, max], nice: false },
    axis: { values: sizeTicks(min, max), labelExpr: SIZE_LABEL_EXPR, labelOverlap: true },
  };
}
