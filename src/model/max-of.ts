/**
 * The largest of the values (-Infinity for none), without spreading them into
 * `Math.max(...values)`: a spread of a per-rank or per-node array overflows the call
 * stack at about 100,000 elements.
 */
export function maxOf(...arrays: ArrayLike<number>[]): number {
  let max = -Infinity;
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  }
  return max;
}
