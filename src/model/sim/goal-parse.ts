import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { refuseIfNotRegular } from '../../read-text.js';
import { stripBom } from '../../text.js';
import { LabelTable } from './goal-labels.js';
import { ANY_SOURCE, ANY_TAG, OP_CALC, OP_RECV, OP_SEND } from './ops.js';
import { CompactSchedule, CompactScheduleBuilder } from './schedule.js';

/**
 * Reads GOAL, the text schedule format of LogGOPSim's schedgen and txt2bin (grammar as
 * spcl/LogGOPSim `src/LogGOPSim/txt2bin.re` defines it), one statement per line:
 *
 *   num_ranks 4
 *   rank 0 {
 *   l1: send 8192b to 1 tag 0          optional: tag T, cpu C, nic N (in that order)
 *   l2: recv 8192b from -1 tag -1      -1 = any source / any tag
 *   l3: calc 100                       optional: cpu C
 *   l3 requires l2                     l3 starts after l2 completes
 *   l3 irequires l1                    l3 starts after l1 starts
 *   }                                  // comments and /* block comments *\/
 *
 * Labels are optional on operations, local to their rank block, and must be defined
 * before a dependency line uses them (txt2bin's rule). Operations keep their file
 * order, which is LogGOPSim's order for ties. The file is read in 4 MB chunks and
 * scanned as bytes into the compact schedule (no string or object per line);
 * malformed input throws InputError(detail, file, line): unknown operation, undefined
 * or duplicate label, dependency cycle, rank or peer out of range, a rank block
 * missing, repeated or left open (truncated file). A leading UTF-8 byte-order mark is skipped.
 */
export function readGoalFile(path: string, limits: GoalLimits = {}): CompactSchedule {
  const maxBytes = limits.maxBytes ?? DEFAULT_GOAL_MAX_BYTES;
  let fd: number;
  try {
    // Opening a FIFO blocks until a writer comes: look before opening.
    refuseIfNotRegular(statSync(path), path, 'the GOAL file');
    fd = openSync(path, 'r');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(
      `cannot read the GOAL file (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      path,
    );
  }
  try {
    const stat = fstatSync(fd);
    refuseIfNotRegular(stat, path, 'the GOAL file');
    if (stat.size > maxBytes) {
      throw new InputError(
        `the GOAL file has ${stat.size} bytes, more than the limit of ${maxBytes} (${limits.override ?? 'raise maxBytes'})`,
        path,
      );
    }
    const parser = new GoalParser(path, stat.size);
    let buf = Buffer.allocUnsafe(1 << 22);
    let kept = 0;
    for (;;) {
      if (kept === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, kept);
        buf = bigger;
      }
      const got = readSync(fd, buf, kept, buf.length - kept, null);
      const end = kept + got;
      if (got === 0) {
        parser.lines(buf, end, true);
        return parser.finish();
      }
      const consumed = parser.lines(buf, end, false);
      buf.copy(buf, 0, consumed, end);
      kept = end - consumed;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The largest GOAL file read unless told otherwise: 512 MB, about 19 million operations
 * (schedgen writes about 28 bytes per line), whose schedule takes about 1.2 GB of
 * records and dependency lists.
 */
export const DEFAULT_GOAL_MAX_BYTES = 512 * 1024 ** 2;

export interface GoalLimits {
  /** Refuse a file larger than this (bytes). */
  maxBytes?: number;
  /** How to raise the limit, for the error message (e.g. 'raise it with --max-goal-size'). */
  override?: string;
}

/** Parses GOAL text held in memory; `file` names it in error messages. */
export function parseGoal(text: string, file = '<goal>'): CompactSchedule {
  const buf = Buffer.from(stripBom(text), 'latin1');
  const parser = new GoalParser(file, buf.length);
  parser.lines(buf, buf.length, true);
  return parser.finish();
}

const NL = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const SLASH = 0x2f;
const STAR = 0x2a;
const COLON = 0x3a;
const MINUS = 0x2d;
const BRACE_OPEN = 0x7b;
const BRACE_CLOSE = 0x7d;
/** schedgen writes about 30 bytes per operation line; sizing the arrays from it avoids regrowing. */
const BYTES_PER_OP = 28;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isIdentStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === 0x5f;
}

class GoalParser {
  private builder: CompactScheduleBuilder | undefined;
  private numRanks = 0;
  private line = 0;
  private inBlockComment = false;
  private blockCommentLine = 0;
  // current rank block
  private rank = -1;
  private rankLine = 0;
  private firstOp = 0;
  private readonly labels = new LabelTable();
  private edgeAfter: number[] = [];
  private edgeBefore: number[] = [];
  private edgeLine: number[] = [];
  private seenRank: Uint8Array = new Uint8Array(0);
  // the line being parsed
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private end = 0;

  constructor(
    private readonly file: string,
    private readonly bytes: number,
  ) {}

  /** Parses the complete lines in buf[0, end) and returns where the unparsed rest starts. */
  lines(buf: Buffer, end: number, last: boolean): number {
    this.buf = buf;
    let lineStart = 0;
    for (;;) {
      const nl = buf.indexOf(NL, lineStart);
      if (nl < 0 || nl >= end) {
        if (!last) return lineStart;
        if (lineStart < end) this.statement(lineStart, end);
        return end;
      }
      this.statement(lineStart, nl);
      lineStart = nl + 1;
    }
  }

  private fail(detail: string, line = this.line): never {
    throw new InputError(detail, this.file, line);
  }

  private statement(start: number, end: number): void {
    const buf = this.buf;
    this.line++;
    if (
      this.line === 1 &&
      end - start >= 3 &&
      buf[start] === 0xef &&
      buf[start + 1] === 0xbb &&
      buf[start + 2] === 0xbf
    )
      start += 3; // a UTF-8 byte-order mark carries no content
    if (end > start && buf[end - 1] === CR) end--;
    this.pos = start;
    this.end = end;
    if (this.inBlockComment) this.blockCommentRest();
    this.skipSpace();
    if (this.pos >= this.end) return;
    const c = buf[this.pos];
    if (c === BRACE_CLOSE) {
      this.pos++;
      this.expectEnd('after "}"');
      return this.closeRank();
    }
    if (!isIdentStart(c)) {
      this.fail(
        `unexpected '${this.rest()}': expected a statement (rank, num_ranks, send, recv, calc, a label or "}")`,
      );
    }
    const ws = this.pos;
    const we = this.wordEnd();
    const op = this.opKind(ws, we);
    if (op !== 0) return this.operation(op, -1, -1);
    if (this.isWord(ws, we, 'rank')) return this.openRank();
    if (this.isWord(ws, we, 'num_ranks')) return this.numRanksLine();
    this.skipSpace();
    if (this.peek() === COLON) {
      this.pos++;
      this.skipSpace();
      const os = this.pos;
      const oe = this.wordEnd();
      const kind = this.opKind(os, oe);
      if (kind === 0) {
        const what = oe > os ? `unknown operation '${this.text(os, oe)}'` : 'missing operation';
        this.fail(`${what} after "${this.text(ws, we)}:" (expected send, recv or calc)`);
      }
      return this.operation(kind, ws, we);
    }
    const ds = this.pos;
    const de = this.wordEnd();
    if (this.isWord(ds, de, 'requires')) return this.dependency(ws, we, false);
    if (this.isWord(ds, de, 'irequires')) return this.dependency(ws, we, true);
    const label = this.text(ws, we);
    this.fail(
      de > ds
        ? `unknown statement '${label} ${this.text(ds, de)}' (expected "${label}: send|recv|calc ..." or "${label} requires|irequires LABEL")`
        : `unknown statement '${label}' (expected an operation, a dependency, rank, num_ranks or "}")`,
    );
  }

  private numRanksLine(): void {
    if (this.builder) this.fail('num_ranks appears twice');
    const n = this.integer('num_ranks');
    this.expectEnd('after num_ranks');
    if (n < 1 || n > 0x7fffffff) this.fail(`num_ranks ${n} must be between 1 and 2^31-1`);
    this.numRanks = n;
    this.builder = new CompactScheduleBuilder(n, this.bytes / BYTES_PER_OP + 16, true);
    this.seenRank = new Uint8Array(n);
  }

  private openRank(): void {
    if (!this.builder) this.fail('"rank" before "num_ranks N": the file must start with num_ranks');
    if (this.rank >= 0) {
      this.fail(
        `rank block starts inside rank ${this.rank}'s block (opened at line ${this.rankLine}): missing "}"`,
      );
    }
    const r = this.integer('rank');
    this.skipSpace();
    if (this.peek() !== BRACE_OPEN) this.fail(`expected "{" after "rank ${r}"`);
    this.pos++;
    this.expectEnd('after "{"');
    if (r >= this.numRanks) {
      this.fail(`rank ${r} is out of range: num_ranks is ${this.numRanks} (ranks 0..${this.numRanks - 1})`);
    }
    if (this.seenRank[r]) this.fail(`rank ${r} has a second block`);
    this.seenRank[r] = 1;
    this.rank = r;
    this.rankLine = this.line;
    this.firstOp = this.builder.numOps;
    this.labels.clear();
    this.edgeAfter.length = 0;
    this.edgeBefore.length = 0;
    this.edgeLine.length = 0;
  }

  private closeRank(): void {
    if (this.rank < 0) this.fail('"}" without an open rank block');
    this.checkCycles();
    for (let i = 0; i < this.edgeAfter.length; i++) {
      const before = this.edgeBefore[i];
      if (before >= 0) this.builder!.requires(this.edgeAfter[i], before);
      else this.builder!.irequires(this.edgeAfter[i], ~before);
    }
    this.rank = -1;
  }

  /** One operation line; the label is buf[ls, le) (ls < 0: none). */
  private operation(kind: number, ls: number, le: number): void {
    const word = kind === OP_SEND ? 'send' : kind === OP_RECV ? 'recv' : 'calc';
    if (this.rank < 0) this.fail(`"${word}" outside a rank block (write "rank R {" first)`);
    let peer = 0;
    let tag = 0;
    let cpu = 0;
    let nic = 0;
    const size = this.integer(kind === OP_CALC ? 'calc time' : `${word} size`);
    if (kind === OP_CALC) {
      if (this.keyword('cpu')) cpu = this.small('cpu');
    } else {
      this.skipSpace();
      if (this.peek() !== 0x62 /* b */) {
        this.fail(`expected "b" after the size of a ${word} (as in "${word} 8b")`);
      }
      this.pos++;
      const dir = kind === OP_SEND ? 'to' : 'from';
      if (!this.keyword(dir)) this.fail(`expected "${dir}" in a ${word}`);
      this.skipSpace();
      if (this.peek() === MINUS) {
        if (kind === OP_SEND) this.fail('a send needs a destination rank, not -1');
        this.minusOne('source');
        peer = ANY_SOURCE;
      } else {
        peer = this.integer(kind === OP_SEND ? 'destination rank' : 'source rank');
        if (peer >= this.numRanks) {
          this.fail(`${word} ${dir} rank ${peer} is out of range: num_ranks is ${this.numRanks}`);
        }
      }
      if (this.keyword('tag')) {
        this.skipSpace();
        if (this.peek() === MINUS) {
          this.minusOne('tag');
          tag = ANY_TAG;
        } else {
          tag = this.integer('tag') | 0; // uint32 in LogGOPSim: 2^32-1 is ANY_TAG there too
        }
      }
      if (this.keyword('cpu')) cpu = this.small('cpu');
      if (this.keyword('nic')) nic = this.small('nic');
    }
    this.expectEnd(`in a ${word}`);
    const id = this.builder!.addOp(kind, this.rank, peer, size, tag, cpu, nic, this.line);
    if (ls >= 0) {
      const prev = this.labels.define(this.buf, ls, le, id);
      if (prev >= 0) {
        this.fail(
          `label ${this.text(ls, le)} is defined twice in rank ${this.rank} (first at line ${this.builder!.lineOf(prev)})`,
        );
      }
    }
  }

  /** `A requires B` or `A irequires B`; A is buf[as, ae). */
  private dependency(as: number, ae: number, start: boolean): void {
    const dep = start ? 'irequires' : 'requires';
    if (this.rank < 0) this.fail(`"${this.text(as, ae)} ${dep}" outside a rank block`);
    this.skipSpace();
    if (!isIdentStart(this.peek())) this.fail(`expected a label after "${dep}"`);
    const bs = this.pos;
    const be = this.wordEnd();
    this.expectEnd(`after "${this.text(as, ae)} ${dep} ${this.text(bs, be)}"`);
    const a = this.labelOp(as, ae);
    const b = this.labelOp(bs, be);
    this.edgeAfter.push(a);
    this.edgeBefore.push(start ? ~b : b);
    this.edgeLine.push(this.line);
  }

  private labelOp(s: number, e: number): number {
    const op = this.labels.lookup(this.buf, s, e);
    if (op < 0) {
      this.fail(
        `label ${this.text(s, e)} is not defined in rank ${this.rank} (a label must be defined on an operation line before a dependency uses it)`,
      );
    }
    return op;
  }

  /** Kahn's algorithm on this rank's operations; a leftover edge lies on or behind a cycle. */
  private checkCycles(): void {
    const m = this.edgeAfter.length;
    if (m === 0) return;
    const base = this.firstOp;
    const n = this.builder!.numOps - base;
    const indeg = new Int32Array(n);
    const outStart = new Int32Array(n + 1);
    for (let e = 0; e < m; e++) {
      indeg[this.edgeAfter[e] - base]++;
      outStart[this.beforeOf(e) - base + 1]++;
    }
    for (let i = 0; i < n; i++) outStart[i + 1] += outStart[i];
    const fill = outStart.slice(0, n);
    const out = new Int32Array(m);
    for (let e = 0; e < m; e++) out[fill[this.beforeOf(e) - base]++] = e;
    const queue = new Int32Array(n);
    let head = 0;
    let tail = 0;
    for (let i = 0; i < n; i++) if (indeg[i] === 0) queue[tail++] = i;
    while (head < tail) {
      const v = queue[head++];
      for (let k = outStart[v]; k < outStart[v + 1]; k++) {
        const w = this.edgeAfter[out[k]] - base;
        if (--indeg[w] === 0) queue[tail++] = w;
      }
    }
    if (tail === n) return;
    // Walk back along unresolved edges until an operation repeats: that loop is the cycle.
    const inEdge = new Int32Array(n).fill(-1);
    for (let e = 0; e < m; e++) {
      const a = this.edgeAfter[e] - base;
      if (indeg[a] > 0 && indeg[this.beforeOf(e) - base] > 0) inEdge[a] = e;
    }
    let v = -1;
    for (let i = 0; i < n; i++) if (indeg[i] > 0 && inEdge[i] >= 0) v = i;
    const seen = new Uint8Array(n);
    while (!seen[v]) {
      seen[v] = 1;
      v = this.beforeOf(inEdge[v]) - base;
    }
    const names = this.labels.names();
    const cycle: string[] = [];
    let lastLine = 0;
    let u = v;
    do {
      cycle.push(names.get(u + base) ?? `#${u}`);
      lastLine = Math.max(lastLine, this.edgeLine[inEdge[u]]);
      u = this.beforeOf(inEdge[u]) - base;
    } while (u !== v);
    cycle.push(cycle[0]);
    this.fail(
      `dependency cycle in rank ${this.rank}: ${cycle.reverse().join(' -> ')} (each waits for the next)`,
      lastLine,
    );
  }

  private beforeOf(e: number): number {
    const b = this.edgeBefore[e];
    return b >= 0 ? b : ~b;
  }

  finish(): CompactSchedule {
    if (this.inBlockComment) this.fail('file ends inside a /* comment */', this.blockCommentLine);
    if (!this.builder) this.fail('no "num_ranks N" line: not a GOAL schedule', Math.max(this.line, 1));
    if (this.rank >= 0) {
      this.fail(
        `file ends inside rank ${this.rank}'s block (opened at line ${this.rankLine}): missing "}" (truncated file?)`,
      );
    }
    const missing: number[] = [];
    for (let r = 0; r < this.numRanks && missing.length < 6; r++) if (!this.seenRank[r]) missing.push(r);
    if (missing.length > 0) {
      const list = missing.length > 5 ? `${missing.slice(0, 5).join(', ')}, ...` : missing.join(', ');
      this.fail(`rank(s) ${list} have no block: num_ranks is ${this.numRanks} (truncated file?)`);
    }
    return this.builder.freeze(false);
  }

  // --- the scanner, on bytes of the current line ---

  private peek(): number {
    return this.pos < this.end ? this.buf[this.pos] : -1;
  }

  private skipSpace(): void {
    const buf = this.buf;
    while (this.pos < this.end) {
      const c = buf[this.pos];
      if (c === SPACE || c === TAB) this.pos++;
      else if (c === SLASH && this.pos + 1 < this.end) {
        const d = buf[this.pos + 1];
        if (d === SLASH) this.pos = this.end;
        else if (d === STAR) {
          this.inBlockComment = true;
          this.blockCommentLine = this.line;
          this.pos += 2;
          this.blockCommentRest();
        } else return;
      } else return;
    }
  }

  private blockCommentRest(): void {
    for (; this.pos + 1 < this.end; this.pos++) {
      if (this.buf[this.pos] === STAR && this.buf[this.pos + 1] === SLASH) {
        this.pos += 2;
        this.inBlockComment = false;
        return;
      }
    }
    this.pos = this.end;
  }

  /** Advances over an identifier and returns where it ends. */
  private wordEnd(): number {
    while (this.pos < this.end && isIdentPart(this.buf[this.pos])) this.pos++;
    return this.pos;
  }

  private isWord(s: number, e: number, word: string): boolean {
    if (e - s !== word.length) return false;
    for (let i = 0; i < word.length; i++) if (this.buf[s + i] !== word.charCodeAt(i)) return false;
    return true;
  }

  /** OP_SEND, OP_RECV or OP_CALC when buf[s, e) is send, recv or calc; else 0. */
  private opKind(s: number, e: number): number {
    if (e - s !== 4) return 0;
    const b = this.buf;
    const c0 = b[s];
    if (c0 === 0x73 && b[s + 1] === 0x65 && b[s + 2] === 0x6e && b[s + 3] === 0x64) return OP_SEND;
    if (c0 === 0x72 && b[s + 1] === 0x65 && b[s + 2] === 0x63 && b[s + 3] === 0x76) return OP_RECV;
    if (c0 === 0x63 && b[s + 1] === 0x61 && b[s + 2] === 0x6c && b[s + 3] === 0x63) return OP_CALC;
    return 0;
  }

  /** Consumes `word` if it comes next as a whole word. */
  private keyword(word: string): boolean {
    this.skipSpace();
    const n = word.length;
    if (this.pos + n > this.end) return false;
    for (let i = 0; i < n; i++) if (this.buf[this.pos + i] !== word.charCodeAt(i)) return false;
    if (this.pos + n < this.end && isIdentPart(this.buf[this.pos + n])) return false;
    this.pos += n;
    return true;
  }

  private integer(what: string): number {
    this.skipSpace();
    const buf = this.buf;
    const start = this.pos;
    let v = 0;
    while (this.pos < this.end) {
      const d = buf[this.pos] - 0x30;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
      this.pos++;
    }
    if (this.pos === start) {
      const got = this.pos < this.end ? `'${this.rest()}'` : 'the end of the line';
      this.fail(`expected a whole number (${what}), found ${got}`);
    }
    if (v > Number.MAX_SAFE_INTEGER) this.fail(`${what} ${this.text(start, this.pos)} is too large`);
    return v;
  }

  private small(what: string): number {
    const v = this.integer(what);
    if (v > 255) this.fail(`${what} index ${v} is too large (at most 255, as in LogGOPSim)`);
    return v;
  }

  private minusOne(what: string): void {
    if (this.buf[this.pos + 1] !== 0x31 || (this.pos + 2 < this.end && isDigit(this.buf[this.pos + 2]))) {
      this.fail(`${what} must be a rank/tag number or -1 (any)`);
    }
    this.pos += 2;
  }

  private expectEnd(where: string): void {
    this.skipSpace();
    if (this.pos < this.end) this.fail(`unexpected '${this.rest()}' ${where}`);
  }

  private text(s: number, e: number): string {
    return this.buf.toString('latin1', s, e);
  }

  private rest(): string {
    const text = this.text(this.pos, Math.min(this.end, this.pos + 40));
    return text.split(/\s/)[0] || text;
  }
}
