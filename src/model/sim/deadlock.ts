import { RunError } from '../../errors.js';
import type { MatchQueue } from './match-queue.js';
import { STATE_DONE, STATE_STARTED, STATE_WAITING } from './op-record.js';
import { OP_RECV, OP_SEND } from './ops.js';
import type { CompactSchedule } from './schedule.js';

export interface StuckOp {
  /** Host whose queue or schedule holds the operation. */
  host: number;
  op: number;
  /** GOAL-like text of the operation. */
  what: string;
  why: string;
}

/**
 * A schedule that cannot finish: receives never matched, messages never received,
 * operations waiting on those. LogGOPSim prints the non-empty receive and unexpected
 * queues of every host and no times (spcl/LogGOPSim `LogGOPSim.cpp`, end of main()); this
 * reports the same queues plus the operations stuck behind them. Exit code 3.
 */
export class SimDeadlockError extends RunError {
  constructor(
    readonly hosts: number[],
    readonly stuck: StuckOp[],
  ) {
    super(deadlockMessage(hosts, stuck));
  }
}

const SHOWN = 20;

function deadlockMessage(hosts: number[], stuck: StuckOp[]): string {
  const hostList = hosts.length > 10 ? `${hosts.slice(0, 10).join(', ')}, ...` : hosts.join(', ');
  const lines = stuck.slice(0, SHOWN).map((s) => `  host ${s.host}: ${s.what}: ${s.why}`);
  if (stuck.length > SHOWN) lines.push(`  ... and ${stuck.length - SHOWN} more`);
  return (
    `deadlock: ${stuck.length} operation(s) never completed on ${hosts.length} host(s) (${hostList}); ` +
    `check that every send has a matching receive (source, tag) and every receive a send\n${lines.join('\n')}`
  );
}

/** Builds the deadlock report from what is left when the event queue runs dry. */
export function deadlockError(
  s: CompactSchedule,
  state: Uint8Array,
  rq: MatchQueue,
  uq: MatchQueue,
): SimDeadlockError {
  const stuck: StuckOp[] = [];
  for (let h = 0; h < s.numRanks; h++) {
    if (rq.countAt(h) > 0) {
      for (const op of rq.entriesOf(h)) {
        stuck.push({ host: h, op, what: s.describe(op), why: 'receive posted, no matching message arrived' });
      }
    }
    if (uq.countAt(h) > 0) {
      for (const op of uq.entriesOf(h)) {
        stuck.push({
          host: h,
          op,
          what: `message from rank ${s.rankOf(op)} (${s.describe(op)})`,
          why: 'arrived, no matching receive was posted',
        });
      }
    }
  }
  for (let op = 0; op < s.numOps; op++) {
    const st = state[op];
    if (st === STATE_DONE) continue;
    if (st === STATE_STARTED && s.kindOf(op) === OP_RECV) continue; // listed with its queue
    const why =
      st === STATE_WAITING
        ? 'never started: it depends on an operation that never completed'
        : s.kindOf(op) === OP_SEND
          ? 'rendezvous send, never matched by a receive'
          : 'started, never completed';
    stuck.push({ host: s.rankOf(op), op, what: s.describe(op), why });
  }
  const hosts = [...new Set(stuck.map((x) => x.host))].sort((a, b) => a - b);
  return new SimDeadlockError(hosts, stuck);
}
