/**
 * The layout of one operation in a CompactSchedule: a 32-byte record, two to a cache
 * line, holding every field the engine reads when the operation's event comes up, plus
 * two fields the engine owns while it runs (its state and its count of unmet
 * dependencies). A discrete-event simulation of a large schedule visits operations in
 * an order unrelated to their ids, so each visit misses the cache; with one array per
 * field that is one miss per field (seven or eight), with a record it is one.
 *
 *   byte  0      kind (OP_SEND, OP_RECV, OP_CALC) in bits 0-1; bits 2-3 engine (native
 *                rules): the stage of a send's message; bit 7 set when the
 *                operations waiting for this one's completion are exactly the next ones
 *                by id (op + 1, op + 2, ...): then the engine need not read their ids
 *   byte  1      cpu index
 *   byte  2      nic index
 *   byte  3      engine: state (waiting, started, done)
 *   int32 1      rank
 *   int32 2      peer: destination of a send, source of a receive (ANY_SOURCE allowed)
 *   int32 3      tag (ANY_TAG allowed)
 *   float64 2    size: bytes of a send or receive, nanoseconds of a calc
 *   int32 6      first index in doneSucc of the operations waiting for this one's
 *                completion (the list ends where the next record's begins; a sentinel
 *                record after the last operation closes the last list)
 *   int32 7      engine: unmet dependencies
 */
export const OP_BYTES = 32;
/** Shift from an op id to its record's index in an Int32Array / Float64Array / Uint8Array view. */
export const I32_SHIFT = 3;
export const F64_SHIFT = 2;
export const U8_SHIFT = 5;

export const U8_KIND = 0;
export const KIND_MASK = 3;
export const KIND_SUCCESSORS_FOLLOW = 0x80;
/** Bits of the kind byte an engine may use for a send's message stage (reset by claimEngineFields). */
export const KIND_STAGE_MASK = 0x0c;
export const KIND_STAGE_SHIFT = 2;
export const U8_CPU = 1;
export const U8_NIC = 2;
export const U8_STATE = 3;
export const I32_RANK = 1;
export const I32_PEER = 2;
export const I32_TAG = 3;
export const F64_SIZE = 2;
export const I32_DONE_START = 6;
export const I32_PENDING = 7;

/** Values of the state byte (U8_STATE). */
export const STATE_WAITING = 0;
export const STATE_STARTED = 1;
export const STATE_DONE = 2;

/** Views of one buffer of operation records. */
export interface OpRecords {
  buffer: ArrayBuffer;
  u8: Uint8Array;
  i32: Int32Array;
  f64: Float64Array;
}

/** A zeroed buffer of `count` records. */
export function allocRecords(count: number): OpRecords {
  const buffer = new ArrayBuffer(count * OP_BYTES);
  return { buffer, u8: new Uint8Array(buffer), i32: new Int32Array(buffer), f64: new Float64Array(buffer) };
}

/** A buffer of `count` records starting with the first `keep` records of `from`. */
export function growRecords(from: OpRecords, count: number, keep: number): OpRecords {
  const to = allocRecords(count);
  to.u8.set(from.u8.subarray(0, keep * OP_BYTES));
  return to;
}
