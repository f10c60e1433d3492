import { ANY_SOURCE, ANY_TAG } from './ops.js';

const EMPTY = -1;
// Host record (4 ints): first and last entry in insertion order, entries, wildcard entries.
const HOST = 4;
const H_HEAD = 0;
const H_TAIL = 1;
const H_COUNT = 2;
const H_WILD = 3;
// Without wildcards the insertion order is not kept, and the record's other three ints
// hold one bucket inline instead: its source, tag and H_IN_TAIL, which is 0 for none (so
// a million-host queue needs no fill), ~op for a single entry (the usual case: taking it
// then reads no link, one dependent cache miss fewer per message), or the last entry
// plus one of a circular list of several.
const H_IN_SRC = 0;
const H_IN_TAG = 1;
const H_IN_TAIL = 3;
// Bucket slot (4 ints, 16 bytes): host + 1 (0: free, so a new table needs no fill),
// source, tag, last entry. A bucket's entries form a circular list: the last entry's
// link is the first entry, so one pointer gives a FIFO.
const BUCKET = 4;
const B_SRC = 1;
const B_TAG = 2;
const B_TAIL = 3;
const FREE = 0;

/**
 * One kind of MPI matching queue (posted receives, or unexpected messages) for every
 * host, with LogGOPSim's list semantics (spcl/LogGOPSim `LogGOPSim.cpp`, `match()` under
 * LIST_MATCH): a search removes the FIRST entry in insertion order whose source and tag
 * agree with the searched ones, where -1 on either side (ANY_SOURCE, ANY_TAG) agrees
 * with everything.
 *
 * LogGOPSim walks a linked list; a 1024-rank alltoall makes that quadratic. Here each
 * host's entries are also kept in FIFO buckets per (source, tag), in a hash table on
 * typed arrays. Entries of one bucket are indistinguishable to any search, so the first
 * match in insertion order is always the head of some bucket: an exact search looks at
 * no more than four bucket heads ((s,t), and the wildcard buckets (-1,t), (s,-1), (-1,-1)
 * when the host holds wildcard entries) and takes the one inserted first. Only a search
 * that itself uses a wildcard walks the host's insertion-order list, as LogGOPSim does;
 * that list and the insertion sequence are kept only when the schedule has wildcards.
 *
 * An entry is the op itself (a receive, or the send whose message waits): an op sits in
 * at most one queue at a time, so the links are per-op arrays shared by both queues.
 *
 * Without wildcards, the first bucket a host opens while it holds no entry lives in the
 * host's record instead of the table: a host that waits for one peer at a time (a tree
 * collective on a million ranks) then never touches the table, a cache miss saved per
 * add and per match. A key is in the record or in the table, never in both.
 */
export class MatchQueue {
  private readonly h: Int32Array;
  private b: Int32Array;
  private bMask: number;
  private bUsed = 0;
  private seq = 0;
  /** Total entries over all hosts. */
  count = 0;

  /**
   * `links` holds, per op, the next op in its bucket and (with wildcards) the previous
   * and next op in its host's insertion order and its sequence number: see
   * `MatchQueue.links`. `expectedEntries` (how many entries may be queued at once) sizes
   * the bucket table up front.
   */
  constructor(
    numHosts: number,
    private readonly links: MatchLinks,
    expectedEntries = 64,
  ) {
    this.h = new Int32Array(numHosts * HOST);
    if (links.order) {
      for (let i = 0; i < numHosts; i++) {
        this.h[i * HOST + H_HEAD] = EMPTY;
        this.h[i * HOST + H_TAIL] = EMPTY;
      }
    }
    let slots = 64;
    while (slots < Math.min(expectedEntries, 1 << 22) * 2) slots *= 2;
    this.b = new Int32Array(slots * BUCKET);
    this.bMask = slots - 1;
  }

  /** Per-op link arrays for `numOps` operations, shared by a schedule's two queues. */
  static links(numOps: number, wildcards: boolean): MatchLinks {
    return {
      bucketNext: new Int32Array(numOps),
      order: wildcards
        ? {
            prev: new Int32Array(numOps),
            next: new Int32Array(numOps),
            seq: new Float64Array(numOps),
            src: new Int32Array(numOps),
            tag: new Int32Array(numOps),
          }
        : undefined,
    };
  }

  /** Entries queued at `host`. */
  countAt(host: number): number {
    return this.h[host * HOST + H_COUNT];
  }

  /** Appends `op` with this source and tag to `host`'s queue. */
  add(host: number, src: number, tag: number, op: number): void {
    const h = this.h;
    const ho = host * HOST;
    h[ho + H_COUNT]++;
    this.count++;
    const order = this.links.order;
    if (!order && this.addInline(ho, src, tag, op)) return;
    if (order) {
      order.seq[op] = this.seq++;
      order.src[op] = src;
      order.tag[op] = tag;
      const tail = h[ho + H_TAIL];
      order.prev[op] = tail;
      order.next[op] = EMPTY;
      if (tail === EMPTY) h[ho + H_HEAD] = op;
      else order.next[tail] = op;
      h[ho + H_TAIL] = op;
      if (src === ANY_SOURCE || tag === ANY_TAG) h[ho + H_WILD]++;
    }
    const next = this.links.bucketNext;
    const o = this.bucketFor(host, src, tag, true);
    const last = this.b[o + B_TAIL];
    if (last === EMPTY) {
      next[op] = op;
    } else {
      next[op] = next[last];
      next[last] = op;
    }
    this.b[o + B_TAIL] = op;
  }

  /**
   * Appends to the host record's inline bucket when it has this key, or opens it when the
   * host holds nothing (the count was already raised); false: use the table.
   */
  private addInline(ho: number, src: number, tag: number, op: number): boolean {
    const h = this.h;
    const v = h[ho + H_IN_TAIL];
    if (v === 0) {
      if (h[ho + H_COUNT] !== 1) return false;
      h[ho + H_IN_SRC] = src;
      h[ho + H_IN_TAG] = tag;
      h[ho + H_IN_TAIL] = ~op;
      return true;
    }
    if (h[ho + H_IN_SRC] !== src || h[ho + H_IN_TAG] !== tag) return false;
    const next = this.links.bucketNext;
    if (v < 0) {
      const only = ~v;
      next[only] = op;
      next[op] = only;
    } else {
      const last = v - 1;
      next[op] = next[last];
      next[last] = op;
    }
    h[ho + H_IN_TAIL] = op + 1;
    return true;
  }

  /** Takes the head of the host record's inline bucket when it holds (src, tag), else -1. */
  private matchInline(ho: number, src: number, tag: number): number {
    const h = this.h;
    const v = h[ho + H_IN_TAIL];
    if (v === 0 || h[ho + H_IN_SRC] !== src || h[ho + H_IN_TAG] !== tag) return EMPTY;
    let head: number;
    if (v < 0) {
      head = ~v;
      h[ho + H_IN_TAIL] = 0;
    } else {
      const next = this.links.bucketNext;
      const tail = v - 1;
      head = next[tail];
      const rest = next[head];
      next[tail] = rest;
      if (rest === tail) h[ho + H_IN_TAIL] = ~tail;
    }
    h[ho + H_COUNT]--;
    this.count--;
    return head;
  }

  /**
   * Removes the first entry of `host`'s queue that matches (src, tag) and returns its
   * op, or -1 when none matches.
   */
  match(host: number, src: number, tag: number): number {
    // An empty queue answers without touching the host's record: the unexpected queue
    // of a schedule whose receives are all posted early stays empty, and a million-host
    // run then never maps its host records (16 MB: 4,096 page faults).
    if (this.count === 0) return EMPTY;
    const ho = host * HOST;
    if (this.h[ho + H_COUNT] === 0) return EMPTY;
    let best = EMPTY;
    let bestBucket = EMPTY;
    const order = this.links.order;
    if (!order && src !== ANY_SOURCE && tag !== ANY_TAG) {
      const x = this.matchInline(ho, src, tag);
      if (x !== EMPTY) return x;
    }
    if (src !== ANY_SOURCE && tag !== ANY_TAG) {
      let o = this.bucketFor(host, src, tag, false);
      if (o !== EMPTY) {
        best = this.headOf(o);
        bestBucket = o;
      }
      if (order && this.h[ho + H_WILD] > 0) {
        for (let w = 0; w < 3; w++) {
          o = this.bucketFor(host, w === 1 ? src : ANY_SOURCE, w === 0 ? tag : ANY_TAG, false);
          if (o !== EMPTY) {
            const x = this.headOf(o);
            if (best === EMPTY || order.seq[x] < order.seq[best]) {
              best = x;
              bestBucket = o;
            }
          }
        }
      }
    } else if (order) {
      for (let x = this.h[ho + H_HEAD]; x !== EMPTY; x = order.next[x]) {
        const es = order.src[x];
        const et = order.tag[x];
        if (
          (src === ANY_SOURCE || es === ANY_SOURCE || es === src) &&
          (tag === ANY_TAG || et === ANY_TAG || et === tag)
        ) {
          best = x;
          bestBucket = this.bucketFor(host, es, et, false);
          break;
        }
      }
    } else {
      throw new Error('MatchQueue: a wildcard search needs links made with wildcards = true');
    }
    if (best === EMPTY) return EMPTY;
    this.remove(host, best, bestBucket);
    return best;
  }

  /** Ops still queued at `host`, in insertion order when known (for deadlock reports). */
  entriesOf(host: number): number[] {
    const order = this.links.order;
    const ops: number[] = [];
    if (order) {
      for (let x = this.h[host * HOST + H_HEAD]; x !== EMPTY; x = order.next[x]) ops.push(x);
      return ops;
    }
    const v = this.h[host * HOST + H_IN_TAIL];
    if (v < 0) ops.push(~v);
    if (v > 0) {
      const inline = v - 1;
      let x = inline;
      do {
        x = this.links.bucketNext[x];
        ops.push(x);
      } while (x !== inline);
    }
    for (let o = 0; o < this.b.length; o += BUCKET) {
      if (this.b[o] !== host + 1) continue;
      const tail = this.b[o + B_TAIL];
      let x = tail;
      do {
        x = this.links.bucketNext[x];
        ops.push(x);
      } while (x !== tail);
    }
    return ops.sort((a, z) => a - z);
  }

  private headOf(o: number): number {
    return this.links.bucketNext[this.b[o + B_TAIL]];
  }

  private remove(host: number, x: number, o: number): void {
    const h = this.h;
    const ho = host * HOST;
    // The entry is its bucket's head (see the class comment).
    const tail = this.b[o + B_TAIL];
    const last = tail === x;
    if (!last) this.links.bucketNext[tail] = this.links.bucketNext[x];
    const order = this.links.order;
    if (order) {
      if (this.b[o + B_SRC] === ANY_SOURCE || this.b[o + B_TAG] === ANY_TAG) h[ho + H_WILD]--;
      const prev = order.prev[x];
      const after = order.next[x];
      if (prev === EMPTY) h[ho + H_HEAD] = after;
      else order.next[prev] = after;
      if (after === EMPTY) h[ho + H_TAIL] = prev;
      else order.prev[after] = prev;
    }
    if (last) this.deleteBucket(o);
    h[ho + H_COUNT]--;
    this.count--;
  }

  /**
   * Home slot of a key. Keys are hashed in 2 x 2 tiles of (host, src - host): the four
   * keys of a tile share one 64-byte line of slots. A host posting receives from its
   * neighbours in turn, or neighbouring hosts matching messages from the same distance
   * at about the same time (a linear alltoall at its round i: host h from h - i), then
   * touch two keys per cache line instead of one.
   */
  private hash(host: number, src: number, tag: number): number {
    const d = src - host;
    let h =
      Math.imul(host >> 1, 0x9e3779b1) ^ Math.imul((d >> 1) + 1, 0x85ebca77) ^ Math.imul(tag + 1, 0xc2b2ae3d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    return ((h << 2) | ((host & 1) << 1) | (d & 1)) & this.bMask;
  }

  /** Offset of the slot of (host, src, tag); created when `create`, else -1 when absent. */
  private bucketFor(host: number, src: number, tag: number, create: boolean): number {
    const b = this.b;
    const key = host + 1;
    let i = this.hash(host, src, tag);
    for (;;) {
      const o = i * BUCKET;
      const h = b[o];
      if (h === FREE) break;
      if (h === key && b[o + B_SRC] === src && b[o + B_TAG] === tag) return o;
      i = (i + 1) & this.bMask;
    }
    if (!create) return EMPTY;
    if ((this.bUsed + 1) * 2 > this.bMask + 1) {
      this.rehash((this.bMask + 1) * 4);
      return this.bucketFor(host, src, tag, true);
    }
    const o = i * BUCKET;
    b[o] = key;
    b[o + B_SRC] = src;
    b[o + B_TAG] = tag;
    b[o + B_TAIL] = EMPTY;
    this.bUsed++;
    return o;
  }

  /** Empties the slot at offset `o` and shifts later slots of its probe run back (no tombstones). */
  private deleteBucket(o: number): void {
    const b = this.b;
    const mask = this.bMask;
    let i = o / BUCKET;
    b[o] = FREE;
    this.bUsed--;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const oj = j * BUCKET;
      const h = b[oj];
      if (h === FREE) return;
      const home = this.hash(h - 1, b[oj + B_SRC], b[oj + B_TAG]);
      // Move j back to i unless its home lies cyclically in (i, j].
      const inRange = i <= j ? home > i && home <= j : home > i || home <= j;
      if (inRange) continue;
      b.copyWithin(i * BUCKET, oj, oj + BUCKET);
      b[oj] = FREE;
      i = j;
    }
  }

  private rehash(slots: number): void {
    const old = this.b;
    const b = new Int32Array(slots * BUCKET);
    this.b = b;
    this.bMask = slots - 1;
    for (let o = 0; o < old.length; o += BUCKET) {
      if (old[o] === FREE) continue;
      let i = this.hash(old[o] - 1, old[o + B_SRC], old[o + B_TAG]);
      while (b[i * BUCKET] !== FREE) i = (i + 1) & this.bMask;
      b.set(old.subarray(o, o + BUCKET), i * BUCKET);
    }
  }
}

/** Per-op link arrays of the matching queues (see MatchQueue). */
export interface MatchLinks {
  bucketNext: Int32Array;
  order:
    { prev: Int32Array; next: Int32Array; seq: Float64Array; src: Int32Array; tag: Int32Array } | undefined;
}
