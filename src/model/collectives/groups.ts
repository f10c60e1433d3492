import type { CollectiveInput } from './types.js';
import { nodeSizes } from './types.js';

/** Ranks 0..P-1 in order relative to `root` (root first), as tree algorithms number them. */
export function relativeOrder(P: number, root = 0): number[] {
  return Array.from({ length: P }, (_, i) => (i + root) % P);
}

/** Each node's ranks (consecutive, block placement) with its leader (lowest rank) first. */
export function nodeGroups(input: CollectiveInput): number[][] {
  const groups: number[][] = [];
  let start = 0;
  for (const n of nodeSizes(input)) {
    groups.push(Array.from({ length: n }, (_, i) => start + i));
    start += n;
  }
  if (start !== input.procs) {
    throw new RangeError(`ranksPerNode sums to ${start}, not procs ${input.procs}`);
  }
  return groups;
}
