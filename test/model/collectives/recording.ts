import type { OpId, Schedule, ScheduleBuilder } from '../../../src/model/sim/contract.js';

export interface RecordedOp {
  id: OpId;
  rank: number;
  kind: 'send' | 'recv' | 'calc';
  peer: number;
  bytes: number;
  tag: number;
  ns: number;
  requires: OpId[];
  irequires: OpId[];
}

/** A ScheduleBuilder that only records what a generator asks for. */
export function recordingBuilder(numRanks: number): ScheduleBuilder & { ops: RecordedOp[] } {
  const ops: RecordedOp[] = [];
  const add = (
    rank: number,
    kind: RecordedOp['kind'],
    peer: number,
    bytes: number,
    tag: number,
    ns: number,
  ) => {
    if (rank < 0 || rank >= numRanks) throw new RangeError(`rank ${rank} out of range`);
    if (kind !== 'calc' && (peer < 0 || peer >= numRanks)) throw new RangeError(`peer ${peer} out of range`);
    ops.push({ id: ops.length, rank, kind, peer, bytes, tag, ns, requires: [], irequires: [] });
    return ops.length - 1;
  };
  return {
    numRanks,
    ops,
    send: (rank, peer, bytes, tag = 0) => add(rank, 'send', peer, bytes, tag, 0),
    recv: (rank, peer, bytes, tag = 0) => add(rank, 'recv', peer, bytes, tag, 0),
    calc: (rank, ns) => add(rank, 'calc', -1, 0, 0, ns),
    requires(after, before) {
      if (ops[after].rank !== ops[before].rank) throw new Error('requires across ranks');
      ops[after].requires.push(before);
    },
    irequires(after, before) {
      if (ops[after].rank !== ops[before].rank) throw new Error('irequires across ranks');
      ops[after].irequires.push(before);
    },
    build: (): Schedule => ({ numRanks, numOps: ops.length }),
  };
}

/**
 * Runs a recorded schedule without time, all sends eager: an op runs once its
 * dependencies allow; a receive completes when the next matching send (same source,
 * tag, in order) has started. Returns the ops that never ran (empty when it completes)
 * and, per matched pair, whether the byte counts agreed.
 */
export function dryRun(ops: RecordedOp[]): { stuck: RecordedOp[]; sizeMismatches: number } {
  const started = new Array<boolean>(ops.length).fill(false);
  const done = new Array<boolean>(ops.length).fill(false);
  const channels = new Map<string, RecordedOp[]>();
  let sizeMismatches = 0;
  let progress = true;
  const key = (src: number, dst: number, tag: number) => `${src}>${dst}#${tag}`;
  const waiting: Map<string, RecordedOp[]> = new Map();
  while (progress) {
    progress = false;
    for (const op of ops) {
      if (started[op.id]) continue;
      if (!op.requires.every((d) => done[d]) || !op.irequires.every((d) => started[d])) continue;
      started[op.id] = true;
      progress = true;
      if (op.kind === 'send') {
        done[op.id] = true;
        const k = key(op.rank, op.peer, op.tag);
        const q = channels.get(k) ?? [];
        q.push(op);
        channels.set(k, q);
      } else if (op.kind === 'recv') {
        const k = key(op.peer, op.rank, op.tag);
        const q = waiting.get(k) ?? [];
        q.push(op);
        waiting.set(k, q);
      } else done[op.id] = true;
    }
    for (const [k, recvs] of waiting) {
      const sends = channels.get(k) ?? [];
      while (recvs.length > 0 && sends.length > 0) {
        const r = recvs.shift()!;
        const s = sends.shift()!;
        if (r.bytes !== s.bytes) sizeMismatches++;
        done[r.id] = true;
        progress = true;
      }
    }
  }
  return { stuck: ops.filter((o) => !done[o.id]), sizeMismatches };
}
