import { closeSync, openSync, writeSync } from 'node:fs';
import { ANY_SOURCE, ANY_TAG, OP_CALC, OP_SEND } from './ops.js';
import type { CompactSchedule } from './schedule.js';

/**
 * Writes a schedule as GOAL text, as LogGOPSim's schedgen does (spcl/LogGOPSim
 * `src/Schedgen/schedgen.cpp`): `num_ranks N`, then per rank a `rank R {` block with its
 * operations labelled l1, l2, ... in posting order. Dependency lines follow the
 * operations of their block, grouped by the operation waited for, so that reading the
 * file back (`readGoalFile`) gives an identical schedule: same operations, same order,
 * and every operation's waiting successors in the same order, which is what LogGOPSim
 * breaks ties by. `write` receives the text in pieces of about 1 MB.
 */
export function writeGoal(s: CompactSchedule, write: (text: string) => void): void {
  const local = new Int32Array(s.numOps);
  for (let r = 0; r < s.numRanks; r++) {
    for (let k = s.rankStart[r]; k < s.rankStart[r + 1]; k++) local[s.rankOps[k]] = k - s.rankStart[r] + 1;
  }
  let out = `num_ranks ${s.numRanks}\n`;
  for (let r = 0; r < s.numRanks; r++) {
    out += `\nrank ${r} {\n`;
    for (let k = s.rankStart[r]; k < s.rankStart[r + 1]; k++) {
      const op = s.rankOps[k];
      out += `l${local[op]}: ${goalOperation(s, op)}\n`;
      if (out.length > 1 << 20) {
        write(out);
        out = '';
      }
    }
    for (let k = s.rankStart[r]; k < s.rankStart[r + 1]; k++) {
      const b = s.rankOps[k];
      for (let j = s.doneStartOf(b); j < s.doneStartOf(b + 1); j++)
        out += `l${local[s.doneSucc[j]]} requires l${local[b]}\n`;
      for (let j = s.startStart[b]; j < s.startStart[b + 1]; j++)
        out += `l${local[s.startSucc[j]]} irequires l${local[b]}\n`;
    }
    out += '}\n';
  }
  write(out);
}

/** Writes the schedule to a GOAL file. */
export function writeGoalFile(s: CompactSchedule, path: string): void {
  const fd = openSync(path, 'w');
  try {
    writeGoal(s, (text) => void writeSync(fd, text, null, 'latin1'));
  } finally {
    closeSync(fd);
  }
}

/** The text of one operation after its label: `send 8b to 1 tag 0`, `calc 100`. */
export function goalOperation(s: CompactSchedule, op: number): string {
  const cpu = s.cpuOf(op) !== 0 ? ` cpu ${s.cpuOf(op)}` : '';
  const nic = s.nicOf(op) !== 0 ? ` nic ${s.nicOf(op)}` : '';
  if (!Number.isSafeInteger(s.sizeOf(op))) {
    throw new RangeError(`GOAL holds whole bytes and nanoseconds; op ${op} has size ${s.sizeOf(op)}`);
  }
  if (s.kindOf(op) === OP_CALC) return `calc ${s.sizeOf(op)}${cpu}`;
  const peer = s.peerOf(op) === ANY_SOURCE ? '-1' : String(s.peerOf(op));
  const tag = s.tagOf(op) === ANY_TAG ? '-1' : String(s.tagOf(op) >>> 0);
  return s.kindOf(op) === OP_SEND
    ? `send ${s.sizeOf(op)}b to ${peer} tag ${tag}${cpu}${nic}`
    : `recv ${s.sizeOf(op)}b from ${peer} tag ${tag}${cpu}${nic}`;
}
