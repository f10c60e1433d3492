import type { OpId, Schedule, ScheduleBuilder } from './contract.js';
import { Growable } from './growable.js';
import {
  allocRecords,
  F64_SHIFT,
  F64_SIZE,
  growRecords,
  I32_DONE_START,
  I32_PEER,
  I32_PENDING,
  I32_RANK,
  I32_SHIFT,
  I32_TAG,
  KIND_MASK,
  KIND_STAGE_MASK,
  KIND_SUCCESSORS_FOLLOW,
  type OpRecords,
  U8_CPU,
  U8_KIND,
  U8_NIC,
  U8_SHIFT,
  U8_STATE,
  STATE_WAITING,
} from './op-record.js';
import { ANY_SOURCE, ANY_TAG, OP_CALC, OP_RECV, OP_SEND, opKindName } from './ops.js';

/**
 * A frozen schedule: one 32-byte record per operation (see op-record.ts: kind, cpu, nic,
 * rank, peer, tag, size and where its completion successors start), the successor
 * lists as compressed sparse rows (operations waiting for completion, operations
 * waiting for start), and each rank's operations in posting order. This is what
 * LogGOPSim's txt2bin writes to its binary schedule (spcl/LogGOPSim
 * `src/LogGOPSim/Parser.hpp`: type, peer, size, tag, cpu, nic, dependency count,
 * DependOnMe, StartDependOnMe), kept in memory without an object per operation.
 *
 * Two record fields belong to the engine while it runs (state, unmet dependencies): it
 * resets them at the start of every run, so a schedule can be simulated any number of
 * times, one run at a time.
 */
export class CompactSchedule implements Schedule {
  /** Record views (numOps + 1 records: the last is the sentinel closing the successor rows). */
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  readonly f64: Float64Array;

  constructor(
    readonly numRanks: number,
    readonly numOps: number,
    records: OpRecords,
    /** Number of `requires` and `irequires` edges each operation waits for. */
    readonly depCount: Int32Array,
    /** Operations that wait for op i's completion, from record i's start to record i+1's. */
    readonly doneSucc: Int32Array,
    /** Operations that wait for op i's start (irequires): startSucc[startStart[i] .. startStart[i+1]). */
    readonly startStart: Int32Array,
    readonly startSucc: Int32Array,
    /** Operations of rank r in posting order: rankOps[rankStart[r] .. rankStart[r+1]). */
    readonly rankStart: Int32Array,
    readonly rankOps: Int32Array,
    /** Source line of each operation when the schedule came from a GOAL file. */
    readonly line: Int32Array | undefined,
    /** Whether any operation uses ANY_SOURCE or ANY_TAG. */
    readonly wildcards: boolean,
    /** Receives without dependencies: all posted at the start. */
    readonly rootReceives: number,
  ) {
    this.u8 = records.u8;
    this.i32 = records.i32;
    this.f64 = records.f64;
  }

  kindOf(op: number): number {
    return this.u8[(op << U8_SHIFT) + U8_KIND] & KIND_MASK;
  }
  rankOf(op: number): number {
    return this.i32[(op << I32_SHIFT) + I32_RANK];
  }
  /** Destination of a send, source of a receive (ANY_SOURCE allowed); 0 for calc. */
  peerOf(op: number): number {
    return this.i32[(op << I32_SHIFT) + I32_PEER];
  }
  /** Tag, ANY_TAG allowed; 0 for calc. */
  tagOf(op: number): number {
    return this.i32[(op << I32_SHIFT) + I32_TAG];
  }
  /** Bytes of a send or receive, nanoseconds of a calc. */
  sizeOf(op: number): number {
    return this.f64[(op << F64_SHIFT) + F64_SIZE];
  }
  cpuOf(op: number): number {
    return this.u8[(op << U8_SHIFT) + U8_CPU];
  }
  nicOf(op: number): number {
    return this.u8[(op << U8_SHIFT) + U8_NIC];
  }
  /** Operations waiting for op's completion: doneSucc[doneStartOf(op) .. doneStartOf(op + 1)). */
  doneStartOf(op: number): number {
    return this.i32[(op << I32_SHIFT) + I32_DONE_START];
  }

  /** Largest CPU and NIC index used, plus one: LogGOPSim gives every host that many. */
  get numCpus(): number {
    return (this.cpusCache ??= this.maxByte(U8_CPU) + 1);
  }
  get numNics(): number {
    return (this.nicsCache ??= this.maxByte(U8_NIC) + 1);
  }
  private cpusCache: number | undefined;
  private nicsCache: number | undefined;

  private maxByte(field: number): number {
    let m = 0;
    for (let op = 0; op < this.numOps; op++) m = Math.max(m, this.u8[(op << U8_SHIFT) + field]);
    return m;
  }

  /**
   * Readies the engine's record fields for a run: the builder left them set (state
   * waiting, unmet dependencies = depCount), so the first run only marks them used;
   * later runs set them again.
   */
  claimEngineFields(): void {
    if (this.engineFieldsUsed) {
      for (let op = 0; op < this.numOps; op++) {
        this.u8[(op << U8_SHIFT) + U8_STATE] = STATE_WAITING;
        this.u8[(op << U8_SHIFT) + U8_KIND] &= ~KIND_STAGE_MASK;
        this.i32[(op << I32_SHIFT) + I32_PENDING] = this.depCount[op];
      }
    }
    this.engineFieldsUsed = true;
  }
  private engineFieldsUsed = false;

  /** Whether any operation waits for another (requires or irequires). */
  get hasDependencies(): boolean {
    return this.doneSucc.length > 0 || this.startSucc.length > 0;
  }

  /** Whether any operation waits for another's start (irequires). */
  get hasStartEdges(): boolean {
    return this.startSucc.length > 0;
  }

  /** GOAL-like text of one operation, for error messages and reports. */
  describe(op: number): string {
    const k = this.kindOf(op);
    const where = this.line ? ` (line ${this.line[op]})` : '';
    const tag = this.tagOf(op) === -1 ? 'tag -1' : `tag ${this.tagOf(op)}`;
    if (k === OP_CALC) return `calc ${this.sizeOf(op)}${where}`;
    const peer = this.peerOf(op) === ANY_SOURCE ? '-1' : String(this.peerOf(op));
    return `${opKindName(k)} ${this.sizeOf(op)}b ${k === OP_SEND ? 'to' : 'from'} ${peer} ${tag}${where}`;
  }
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
  // Operation records, written in place (one spare record is always kept for the sentinel).
  private rec: OpRecords;
  private capacity: number;
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
   * `expectedOps` sizes the records up front (they grow as needed); `trackLines` records a
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
    // Pages of the buffer that are never written are never mapped: sizing generously costs nothing.
    this.capacity = Math.max(16, Math.floor(expectedOps)) + 1;
    this.rec = allocRecords(this.capacity);
    this.line = trackLines ? new Int32Array(this.capacity) : undefined;
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
    if (id + 1 === this.capacity) this.grow();
    const { u8, i32, f64 } = this.rec;
    const b = id << U8_SHIFT;
    u8[b + U8_KIND] = kind;
    u8[b + U8_CPU] = cpu;
    u8[b + U8_NIC] = nic;
    const i = id << I32_SHIFT;
    i32[i + I32_RANK] = rank;
    i32[i + I32_PEER] = peer;
    i32[i + I32_TAG] = tag | 0;
    f64[(id << F64_SHIFT) + F64_SIZE] = size;
    if (this.line) this.line[id] = line;
    this.count++;
    return id;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    this.rec = growRecords(this.rec, cap, this.count);
    if (this.line) {
      const line = new Int32Array(cap);
      line.set(this.line.subarray(0, this.count));
      this.line = line;
    }
    this.capacity = cap;
  }

  private checkPeer(peer: number, what: string, wildcardOk: boolean): void {
    if (wildcardOk && peer === ANY_SOURCE) return;
    if (!Number.isInteger(peer) || peer < 0 || peer >= this.numRanks) {
      throw new RangeError(`${what} peer ${peer} is out of range 0..${this.numRanks - 1}`);
    }
  }

  private rankOf(op: number): number {
    return this.rec.i32[(op << I32_SHIFT) + I32_RANK];
  }

  private addEdge(after: OpId, before: OpId, kind: number): void {
    const n = this.numOps;
    if (!(after >= 0 && after < n && before >= 0 && before < n)) {
      throw new RangeError(`dependency between unknown operations ${after} and ${before}`);
    }
    const ra = this.rankOf(after);
    const rb = this.rankOf(before);
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
    const { u8, i32 } = this.rec;
    const { start: rankStart, items: rankOps } = groupByRank(this.numRanks, n, i32);
    const m = this.edgeAfter.length;
    const after = this.edgeAfter.data;
    const before = this.edgeBefore.data;
    const ekind = this.edgeKind.data;
    const depCount = new Int32Array(n);
    for (let e = 0; e < m; e++) depCount[after[e]]++;
    const doneSucc = m === this.startEdges ? new Int32Array(0) : doneRows(i32, n, m, before, after, ekind);
    markSuccessorsThatFollow(u8, i32, n, doneSucc);
    const start = this.startEdges === 0 ? noEdges(n) : edgeRows(n, m, before, after, ekind, EDGE_IREQUIRES);
    let wildcards = false;
    let rootReceives = 0;
    for (let op = 0; op < n; op++) {
      // The engine's count of unmet dependencies starts at depCount (see claimEngineFields).
      i32[(op << I32_SHIFT) + I32_PENDING] = depCount[op];
      const kind = u8[(op << U8_SHIFT) + U8_KIND] & KIND_MASK;
      if (i32[(op << I32_SHIFT) + I32_TAG] === ANY_TAG) wildcards = true;
      if (kind === OP_RECV) {
        if (i32[(op << I32_SHIFT) + I32_PEER] === ANY_SOURCE) wildcards = true;
        if (depCount[op] === 0) rootReceives++;
      }
    }
    const schedule = new CompactSchedule(
      this.numRanks,
      n,
      this.rec,
      depCount,
      doneSucc,
      start.start,
      start.items,
      rankStart,
      rankOps,
      this.line ? this.line.subarray(0, n) : undefined,
      wildcards,
      rootReceives,
    );
    // When every edge points from an earlier operation to a later one, the operation
    // order itself is a topological order: no cycle is possible (programs that write
    // MPI code in order, such as the collectives, always build such schedules).
    if (checkCycles && this.backwardEdges > 0) {
      const cyclic = findCycleMember(schedule);
      if (cyclic >= 0) {
        throw new RangeError(
          `dependency cycle through op ${cyclic} on rank ${schedule.rankOf(cyclic)}: ${schedule.describe(cyclic)}`,
        );
      }
    }
    return schedule;
  }
}

/** Operation ids grouped by rank, posting order kept within a rank (counting sort). */
function groupByRank(numRanks: number, n: number, i32: Int32Array): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(numRanks + 1);
  for (let op = 0; op < n; op++) start[i32[(op << I32_SHIFT) + I32_RANK] + 1]++;
  for (let k = 0; k < numRanks; k++) start[k + 1] += start[k];
  const fill = start.slice(0, numRanks);
  const items = new Int32Array(n);
  for (let op = 0; op < n; op++) items[fill[i32[(op << I32_SHIFT) + I32_RANK]]++] = op;
  return { start, items };
}

/**
 * The completion successor lists, each in the order its edges were added; each list's
 * start goes into its operation's record (and the total into the sentinel record n).
 * The records' field counts first, then holds each list's end, and is counted down to
 * its start while the edges are placed from the last one back (which keeps their order).
 */
function doneRows(
  i32: Int32Array,
  n: number,
  m: number,
  before: Int32Array,
  after: Int32Array,
  ekind: Uint8Array,
): Int32Array {
  let count = 0;
  for (let e = 0; e < m; e++) {
    if (ekind[e] === EDGE_REQUIRES) {
      i32[(before[e] << I32_SHIFT) + I32_DONE_START]++;
      count++;
    }
  }
  let end = 0;
  for (let op = 0; op < n; op++) {
    end += i32[(op << I32_SHIFT) + I32_DONE_START];
    i32[(op << I32_SHIFT) + I32_DONE_START] = end;
  }
  i32[(n << I32_SHIFT) + I32_DONE_START] = end;
  const items = new Int32Array(count);
  for (let e = m - 1; e >= 0; e--) {
    if (ekind[e] === EDGE_REQUIRES) items[--i32[(before[e] << I32_SHIFT) + I32_DONE_START]] = after[e];
  }
  return items;
}

/**
 * Flags the operations whose completion successors are exactly the operations after
 * them by id, in order (a receive followed by the sends that wait for it, as programs
 * write them): the engine then counts those down without reading the list.
 */
function markSuccessorsThatFollow(u8: Uint8Array, i32: Int32Array, n: number, doneSucc: Int32Array): void {
  for (let op = 0; op < n; op++) {
    const start = i32[(op << I32_SHIFT) + I32_DONE_START];
    const end = i32[((op + 1) << I32_SHIFT) + I32_DONE_START];
    if (start === end) continue;
    let follow = true;
    for (let k = start; k < end && follow; k++) follow = doneSucc[k] === op + 1 + (k - start);
    if (follow) u8[(op << U8_SHIFT) + U8_KIND] |= KIND_SUCCESSORS_FOLLOW;
  }
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
    for (let k = s.doneStartOf(op); k < s.doneStartOf(op + 1); k++) {
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
