import type { OpId, Schedule, ScheduleBuilder } from './contract.js';

/** Thrown by a tally that passed its `maxOps`: the schedule is at least that large. */
export class TallyCeiling extends Error {}

/**
 * A ScheduleBuilder that keeps nothing: it counts operations and shows each send to
 * `onSend`, so a producer's schedule can be measured (its size, its traffic) without
 * being stored. Passing `maxOps` stops a count that has seen enough (throws TallyCeiling).
 */
export function tallyBuilder(
  numRanks: number,
  options: { onSend?: (rank: number, peer: number, bytes: number) => void; maxOps?: number } = {},
): ScheduleBuilder & { readonly ops: number } {
  let ops = 0;
  const max = options.maxOps ?? Infinity;
  const count = (): OpId => {
    if (++ops > max) throw new TallyCeiling();
    return ops - 1;
  };
  return {
    numRanks,
    get ops() {
      return ops;
    },
    send(rank: number, peer: number, bytes: number): OpId {
      options.onSend?.(rank, peer, bytes);
      return count();
    },
    recv: count,
    calc: count,
    requires: () => undefined,
    irequires: () => undefined,
    build: (): Schedule => ({ numRanks, numOps: ops }),
  };
}
