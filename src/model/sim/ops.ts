/**
 * Operation kinds and wildcards of a GOAL schedule, numbered as LogGOPSim numbers them
 * (spcl/LogGOPSim `LogGOPSim.hpp`: OP_SEND=1, OP_RECV=2, OP_LOCOP=3). The numbers matter:
 * LogGOPSim sorts newly runnable operations by this value before queueing them, so
 * sends go first, then receives, then local computation.
 */
export const OP_SEND = 1;
export const OP_RECV = 2;
export const OP_CALC = 3;

/**
 * Wildcard source and tag. GOAL writes `-1`; LogGOPSim stores it as the unsigned
 * 32-bit `~0`, which is -1 in the signed 32-bit arrays the schedule keeps.
 */
export const ANY_SOURCE = -1;
export const ANY_TAG = -1;

export type OpKind = typeof OP_SEND | typeof OP_RECV | typeof OP_CALC;

/** The GOAL word of an operation kind. */
export function opKindName(kind: number): 'send' | 'recv' | 'calc' {
  return kind === OP_SEND ? 'send' : kind === OP_RECV ? 'recv' : 'calc';
}
