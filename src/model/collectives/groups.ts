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

/**
 * Host groups rotated so the root's host comes first, with each host's leader (its lowest
 * rank): the plan of every two-level and shared-memory rooted collective.
 */
export function rootedHostGroups(input: CollectiveInput): {
  groups: number[][];
  leaders: number[];
  root: number;
} {
  const root = input.root ?? 0;
  const all = nodeGroups(input);
  const k = all.findIndex((g) => g.includes(root));
  const groups = [...all.slice(k), ...all.slice(0, k)];
  return { groups, leaders: groups.map((g) => g[0]), root };
}
