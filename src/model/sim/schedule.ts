import type { OpId, Schedule, ScheduleBuilder } from './contract.js';
import { Growable } from './growable.js';
import { ANY_SOURCE, OP_CALC, OP_RECV, OP_SEND, opKindName } from './ops.js';

/**
 * A frozen schedule in structure-of-arrays form: one typed array per operation field,
 * dependencies as two compressed sparse rows (operations waiting for completion,
 * operations waiting for start), and each rank's operations in posting order. This is
 * what LogGOPSim's txt2bin writes to its binary schedule (spcl/LogGOPSim
 * `src/LogGOPSim/Parser.hpp`: type, peer, size, tag, cpu, nic, dependency count,
 * DependOnMe, StartDependOnMe), kept in memory without an object per operation.
 */
export class CompactSchedule implements Schedule {
  readonly numOps: number;
  constructor(
    readonly numRanks: number,
    /** OP_SEND, OP_RECV or OP_CALC. */
    readonly kind: Uint8Array,
    readonly rank: Int32Array,
    /** Destination of a send, source of a receive (ANY_SOURCE allowed); 0 for calc. */
    readonly peer: Int32Array,
    /** Tag, ANY_TAG allowed; 0 for calc. */
    readonly tag: Int32Array,
    /** Bytes of a send or receive, nanoseconds of a calc. */
    readonly size: Float64Array,
    readonly cpu: Uint8Array,
    readonly nic: Uint8Array,
    /** Number of `requires` and `irequires` edges each operation waits for. */
    readonly depCount: Int32Array,
    /** Operations that wait for op i's completion: doneSucc[doneStart[i] .. doneStart[i+1]). */
    readonly doneStart: Int32Array,
    readonly doneSucc: Int32Array,
    /** Operations that wait for op i's start (irequires). */
    readonly startStart: Int32Array,
    readonly startSucc: Int32Array,
    /** Operations of rank r in posting order: rankOps[rankStart[r] .. rankStart[r+1]). */
    readonly rankStart: Int32Array,
    readonly rankOps: Int32Array,
    /** Source line of each operation when the schedule came from a GOAL file. */
    readonly line: Int32Array | undefined,
  ) {
    this.numOps = kind.length;
  }

  /** Largest CPU and NIC index used, plus one: LogGOPSim gives every host that many. */
  get numCpus(): number {
    return (this.cpusCache ??= maxOf(this.cpu) + 1);
  }
  get numNics(): number {
    return (this.nicsCache ??= maxOf(this.nic) + 1);
  }
  private cpusCache: number | undefined;
  private nicsCache: number | undefined;

  /** Whether any operation waits for another (requires or irequires). */
  get hasDependencies(): boolean {
    return this.doneSucc.length > 0 || this.startSucc.length > 0;
  }

  /** GOAL-like text of one operation, for error messages and reports. */
  describe(op: number): string {
    const k = this.kind[op];
    const where = this.line ? ` (line ${this.line[op]})` : '';
    const tag = this.tag[op] === -1 ? 'tag -1' : `tag ${this.tag[op]}`;
    if (k === OP_CALC) return `calc ${this.size[op]}${where}`;
    const peer = this.peer[op] === ANY_SOURCE ? '-1' : String(this.peer[op]);
    return `${opKindName(k)} ${this.size[op]}b ${k === OP_SEND ? 'to' : 'from'} ${peer} ${tag}${where}`;
  }
}

function maxOf(a: Uint8Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}

const EDGE_REQUIRES = 0;
const EDGE_IREQUIRES = 1;

/**
 * Builds a CompactSchedule operation by operation. Operations of different ranks may
 * be added in any order; each rank's operations keep the order they were added in,
 * which is the order LogGOPSim breaks ties in. Misuse by a program (rank out of range,
 * a dependency across ranks) throws a RangeError; a dependency cycle found by
 * `build()` throws one too.
 */
export class CompactScheduleBuilder implements ScheduleBuilder {
  // Operation fields, one typed array each, grown together.
  private kind: Uint8Array;
  private rank: Int32Array;
  private peer: Int32Array;
  private tag: Int32Array;
  private size: Float64Array;
  private cpu: Uint8Array;
  private nic: Uint8Array;
  private line: Int32Array | undefined;
  private count = 0;
  private readonly edgeAfter = new Growable(Int32Array);
  private readonly edgeBefore = new Growable(Int32Array);
  private readonly edgeKind = new Growable(Uint8Array);
  /** Edges whose `before` was added after its `after`: only those can close a cycle. */
  private backwardEdges = 0;
  private startEdges = 0;
  private built = false;

  /**
   * `expectedOps` sizes the arrays up front (they grow as needed); `trackLines` records a
   * source line per operation (GOAL files).
   */
  constructor(
    readonly numRanks: number,
    expectedOps = 1024,
    trackLines = false,
  ) {
    if (!Number.isInteger(numRanks) || numRanks < 1) {
      throw new RangeError(`a schedule needs at least 1 rank, got ${numRanks}`);
    }
    const cap = Math.max(16, Math.floor(expectedOps));
    this.kind = new Uint8Array(cap);
    this.rank = new Int32Array(cap);
    this.peer = new Int32Array(cap);
    this.tag = new Int32Array(cap);
    this.size = new Float64Array(cap);
    this.cpu = new Uint8Array(cap);
    this.nic = new Uint8Array(cap);
    this.line = trackLines ? new Int32Array(cap) : undefined;
  }

  get numOps(): number {
    return this.count;
  }

  /** The line recorded for `op` (0 when lines are not tracked). */
  lineOf(op: OpId): number {
    return this.line ? this.line[op] : 0;
  }

  send(rank: number, peer: number, bytes: number, tag = 0): OpId {
    this.checkPeer(peer, 'send', false);
    return this.addOp(OP_SEND, rank, peer, bytes, tag, 0, 0);
  }

  recv(rank: number, peer: number, bytes: number, tag = 0): OpId {
    this.checkPeer(peer, 'recv', true);
    return this.addOp(OP_RECV, rank, peer, bytes, tag, 0, 0);
  }

  calc(rank: number, ns: number): OpId {
    return this.addOp(OP_CALC, rank, 0, ns, 0, 0, 0);
  }

  requires(after: OpId, before: OpId): void {
    this.addEdge(after, before, EDGE_REQUIRES);
  }

  irequires(after: OpId, before: OpId): void {
    this.addEdge(after, before, EDGE_IREQUIRES);
  }

  /**
   * Adds an operation with every GOAL field (cpu and nic select one of several CPUs and
   * NICs per host, as LogGOPSim's multi-CPU hosts do). `line` records where it came from.
   */
  addOp(
    kind: number,
    rank: number,
    peer: number,
    size: number,
    tag: number,
    cpu: number,
    nic: number,
    line = 0,
  ): OpId {
    if (this.built) throw new RangeError('this schedule builder was already built');
    if (!(rank >= 0 && rank < this.numRanks && (rank | 0) === rank)) {
      throw new RangeError(`rank ${rank} is out of range 0..${this.numRanks - 1}`);
    }
    if (!(size >= 0 && size < Infinity)) {
      throw new RangeError(`${opKindName(kind)} size must be a finite number >= 0, got ${size}`);
    }
    const id = this.count;
    if (id === this.kind.length) this.grow();
    this.kind[id] = kind;
    this.rank[id] = rank;
    this.peer[id] = peer;
    this.tag[id] = tag | 0;
    this.size[id] = size;
    this.cpu[id] = cpu;
    this.nic[id] = nic;
    if (this.line) this.line[id] = line;
    this.count++;
    return id;
  }

  private grow(): void {
    const cap = this.kind.length * 2;
    this.kind = resized(this.kind, cap);
    this.rank = resized(this.rank, cap);
    this.peer = resized(this.peer, cap);
    this.tag = resized(this.tag, cap);
    this.size = resized(this.size, cap);
    this.cpu = resized(this.cpu, cap);
    this.nic = resized(this.nic, cap);
    if (this.line) this.line = resized(this.line, cap);
  }

  private checkPeer(peer: number, what: string, wildcardOk: boolean): void {
    if (wildcardOk && peer === ANY_SOURCE) return;
    if (!Number.isInteger(peer) || peer < 0 || peer >= this.numRanks) {
      throw new RangeError(`${what} peer ${peer} is out of range 0..${this.numRanks - 1}`);
    }
  }

  private addEdge(after: OpId, before: OpId, kind: number): void {
    const n = this.numOps;
    if (!(after >= 0 && after < n && before >= 0 && before < n)) {
      throw new RangeError(`dependency between unknown operations ${after} and ${before}`);
    }
    const ra = this.rank[after];
    const rb = this.rank[before];
    if (ra !== rb) {
      throw new RangeError(
        `a dependency must stay on one rank: op ${after} is on rank ${ra}, op ${before} on ${rb}`,
      );
    }
    this.edgeAfter.push(after);
    this.edgeBefore.push(before);
    this.edgeKind.push(kind);
    if (before >= after) this.backwardEdges++;
    if (kind === EDGE_IREQUIRES) this.startEdges++;
  }

  build(): CompactSchedule {
    return this.freeze(true);
  }

  /**
   * Freezes the schedule. `checkCycles` false skips the dependency-cycle check, for
   * readers that already checked (the GOAL reader checks each rank block as it closes).
   */
  freeze(checkCycles: boolean): CompactSchedule {
    if (this.built) throw new RangeError('this schedule builder was already built');
    this.built = true;
    const n = this.count;
    const rank = fitted(this.rank, n);
    const { start: rankStart, items: rankOps } = groupByRank(this.numRanks, rank);
    const m = this.edgeAfter.length;
    const after = this.edgeAfter.data;
    const before = this.edgeBefore.data;
    const ekind = this.edgeKind.data;
    const depCount = new Int32Array(n);
    for (let e = 0; e < m; e++) depCount[after[e]]++;
    const done = m === this.startEdges ? noEdges(n) : edgeRows(n, m, before, after, ekind, EDGE_REQUIRES);
    const start = this.startEdges === 0 ? noEdges(n) : edgeRows(n, m, before, after, ekind, EDGE_IREQUIRES);
    const schedule = new CompactSchedule(
      this.numRanks,
      fitted(this.kind, n),
      rank,
      fitted(this.peer, n),
      fitted(this.tag, n),
      fitted(this.size, n),
      fitted(this.cpu, n),
      fitted(this.nic, n),
      depCount,
      done.start,
      done.items,
      start.start,
      start.items,
      rankStart,
      rankOps,
      this.line ? fitted(this.line, n) : undefined,
    );
    // When every edge points from an earlier operation to a later one, the operation
    // order itself is a topological order: no cycle is possible (programs that write
    // MPI code in order, such as the collectives, always build such schedules).
    if (checkCycles && this.backwardEdges > 0) {
      const cyclic = findCycleMember(schedule);
      if (cyclic >= 0) {
        throw new RangeError(
          `dependency cycle through op ${cyclic} on rank ${rank[cyclic]}: ${schedule.describe(cyclic)}`,
        );
      }
    }
    return schedule;
  }
}

type OpArray = Int32Array | Uint8Array | Float64Array;

function resized<T extends OpArray>(a: T, cap: number): T {
  const b = new (a.constructor as { new (n: number): T })(cap);
  b.set(a.subarray(0, Math.min(a.length, cap)));
  return b;
}

/** The first n entries: a view when the array is nearly full, else a copy that frees the spare room. */
function fitted<T extends OpArray>(a: T, n: number): T {
  // Copying costs page faults on first touch (about 3 ms per MB on a VM): keep a view
  // unless most of the array is spare.
  return (n >= a.length * 0.5 ? a.subarray(0, n) : a.slice(0, n)) as T;
}

/** Operation ids grouped by rank, posting order kept within a rank (counting sort). */
function groupByRank(numRanks: number, rank: Int32Array): { start: Int32Array; items: Int32Array } {
  const n = rank.length;
  const start = new Int32Array(numRanks + 1);
  for (let i = 0; i < n; i++) start[rank[i] + 1]++;
  for (let k = 0; k < numRanks; k++) start[k + 1] += start[k];
  const fill = start.slice(0, numRanks);
  const items = new Int32Array(n);
  for (let i = 0; i < n; i++) items[fill[rank[i]]++] = i;
  return { start, items };
}

/** Empty successor lists for `n` operations. */
function noEdges(n: number): { start: Int32Array; items: Int32Array } {
  return { start: new Int32Array(n + 1), items: new Int32Array(0) };
}

/** Successor lists of one edge kind, each in the order its edges were added. */
function edgeRows(
  n: number,
  m: number,
  before: Int32Array,
  after: Int32Array,
  ekind: Uint8Array,
  which: number,
): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(n + 1);
  let count = 0;
  for (let e = 0; e < m; e++) {
    if (ekind[e] === which) {
      start[before[e] + 1]++;
      count++;
    }
  }
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const items = new Int32Array(count);
  for (let e = 0; e < m; e++) if (ekind[e] === which) items[fill[before[e]]++] = after[e];
  return { start, items };
}

/**
 * An operation on a dependency cycle (or waiting on one), or -1. Kahn's algorithm:
 * whatever never reaches zero unmet dependencies can never run.
 */
export function findCycleMember(s: CompactSchedule): number {
  const n = s.numOps;
  const left = s.depCount.slice();
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) if (left[i] === 0) queue[tail++] = i;
  while (head < tail) {
    const op = queue[head++];
    for (let k = s.doneStart[op]; k < s.doneStart[op + 1]; k++) {
      if (--left[s.doneSucc[k]] === 0) queue[tail++] = s.doneSucc[k];
    }
    for (let k = s.startStart[op]; k < s.startStart[op + 1]; k++) {
      if (--left[s.startSucc[k]] === 0) queue[tail++] = s.startSucc[k];
    }
  }
  if (tail === n) return -1;
  for (let i = 0; i < n; i++) if (left[i] > 0) return i;
  return -1;
}

/**
 * A builder for a schedule of `numRanks` ranks (the entry point for collective
 * algorithms); `expectedOps`, if known, sizes its arrays up front.
 */
export function createScheduleBuilder(numRanks: number, expectedOps?: number): CompactScheduleBuilder {
  return new CompactScheduleBuilder(numRanks, expectedOps);
}
