import { ANY_SOURCE, ANY_TAG } from './ops.js';

const EMPTY = -1;
const BUCKET = 5;
const B_SRC = 1;
const B_TAG = 2;
const B_HEAD = 3;
const B_TAIL = 4;

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
 * that itself uses a wildcard walks the host's insertion-order list, as LogGOPSim does.
 */
export class MatchQueue {
  // Entries: a pool of slots with a free list.
  private eSrc: Int32Array;
  private eTag: Int32Array;
  private eOp: Int32Array;
  private eSeq: Float64Array;
  private eBucketNext: Int32Array;
  private ePrev: Int32Array;
  private eNext: Int32Array;
  private freeHead = EMPTY;
  private used = 0;
  private seq = 0;
  // Per host: insertion-order list, count of entries, count of wildcard entries.
  private readonly hostHead: Int32Array;
  private readonly hostTail: Int32Array;
  readonly hostCount: Int32Array;
  private readonly hostWild: Int32Array;
  // Buckets: open addressing, linear probing, backward-shift deletion. One slot is
  // BUCKET ints in one array (host, src, tag, head entry, tail entry): one cache line.
  private b: Int32Array;
  private bMask: number;
  private bUsed = 0;
  /** Total entries over all hosts. */
  count = 0;

  /** `expectedEntries` (how many entries may be queued at once) sizes the tables up front. */
  constructor(numHosts: number, expectedEntries = 1024) {
    const expected = Math.min(Math.max(16, expectedEntries), 1 << 21);
    const cap = expected;
    this.eSrc = new Int32Array(cap);
    this.eTag = new Int32Array(cap);
    this.eOp = new Int32Array(cap);
    this.eSeq = new Float64Array(cap);
    this.eBucketNext = new Int32Array(cap);
    this.ePrev = new Int32Array(cap);
    this.eNext = new Int32Array(cap);
    this.hostHead = new Int32Array(numHosts).fill(EMPTY);
    this.hostTail = new Int32Array(numHosts).fill(EMPTY);
    this.hostCount = new Int32Array(numHosts);
    this.hostWild = new Int32Array(numHosts);
    let bcap = 64;
    while (bcap < expected * 2) bcap *= 2;
    this.b = new Int32Array(bcap * BUCKET).fill(EMPTY);
    this.bMask = bcap - 1;
  }

  /** Appends an entry for `op` with this source and tag to `host`'s queue. */
  add(host: number, src: number, tag: number, op: number): void {
    const e = this.allocEntry();
    this.eSrc[e] = src;
    this.eTag[e] = tag;
    this.eOp[e] = op;
    this.eSeq[e] = this.seq++;
    this.eBucketNext[e] = EMPTY;
    // Host order list.
    const tail = this.hostTail[host];
    this.ePrev[e] = tail;
    this.eNext[e] = EMPTY;
    if (tail === EMPTY) this.hostHead[host] = e;
    else this.eNext[tail] = e;
    this.hostTail[host] = e;
    this.hostCount[host]++;
    if (src === ANY_SOURCE || tag === ANY_TAG) this.hostWild[host]++;
    this.count++;
    // Bucket.
    const b = this.bucketFor(host, src, tag, true);
    const bt = this.b[b + B_TAIL];
    if (bt === EMPTY) this.b[b + B_HEAD] = e;
    else this.eBucketNext[bt] = e;
    this.b[b + B_TAIL] = e;
  }

  /**
   * Removes the first entry of `host`'s queue that matches (src, tag) and returns its
   * op, or -1 when none matches.
   */
  match(host: number, src: number, tag: number): number {
    if (this.hostCount[host] === 0) return EMPTY;
    let best = EMPTY;
    let bestBucket = EMPTY;
    if (src !== ANY_SOURCE && tag !== ANY_TAG) {
      let b = this.bucketFor(host, src, tag, false);
      if (b !== EMPTY) {
        best = this.b[b + B_HEAD];
        bestBucket = b;
      }
      if (this.hostWild[host] > 0) {
        for (let w = 0; w < 3; w++) {
          b = this.bucketFor(host, w === 1 ? src : ANY_SOURCE, w === 0 ? tag : ANY_TAG, false);
          if (b !== EMPTY) {
            const e = this.b[b + B_HEAD];
            if (best === EMPTY || this.eSeq[e] < this.eSeq[best]) {
              best = e;
              bestBucket = b;
            }
          }
        }
      }
    } else {
      for (let e = this.hostHead[host]; e !== EMPTY; e = this.eNext[e]) {
        const es = this.eSrc[e];
        const et = this.eTag[e];
        if (
          (src === ANY_SOURCE || es === ANY_SOURCE || es === src) &&
          (tag === ANY_TAG || et === ANY_TAG || et === tag)
        ) {
          best = e;
          bestBucket = this.bucketFor(host, es, et, false);
          break;
        }
      }
    }
    if (best === EMPTY) return EMPTY;
    this.remove(host, best, bestBucket);
    return this.eOp[best];
  }

  /** Ops still queued at `host`, in insertion order (for deadlock reports). */
  entriesOf(host: number): number[] {
    const ops: number[] = [];
    for (let e = this.hostHead[host]; e !== EMPTY; e = this.eNext[e]) ops.push(this.eOp[e]);
    return ops;
  }

  private remove(host: number, e: number, b: number): void {
    // The entry is its bucket's head (see the class comment).
    const next = this.eBucketNext[e];
    this.b[b + B_HEAD] = next;
    if (next === EMPTY) this.deleteBucket(b);
    const prev = this.ePrev[e];
    const after = this.eNext[e];
    if (prev === EMPTY) this.hostHead[host] = after;
    else this.eNext[prev] = after;
    if (after === EMPTY) this.hostTail[host] = prev;
    else this.ePrev[after] = prev;
    this.hostCount[host]--;
    if (this.eSrc[e] === ANY_SOURCE || this.eTag[e] === ANY_TAG) this.hostWild[host]--;
    this.count--;
    this.eNext[e] = this.freeHead;
    this.freeHead = e;
  }

  private allocEntry(): number {
    if (this.freeHead !== EMPTY) {
      const e = this.freeHead;
      this.freeHead = this.eNext[e];
      return e;
    }
    if (this.used === this.eOp.length) this.growEntries();
    return this.used++;
  }

  private growEntries(): void {
    const cap = this.eOp.length * 2;
    const grow = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(cap);
      b.set(a);
      return b;
    };
    this.eSrc = grow(this.eSrc);
    this.eTag = grow(this.eTag);
    this.eOp = grow(this.eOp);
    this.eSeq = grow(this.eSeq);
    this.eBucketNext = grow(this.eBucketNext);
    this.ePrev = grow(this.ePrev);
    this.eNext = grow(this.eNext);
  }

  private hash(host: number, src: number, tag: number): number {
    let h = Math.imul(host, 0x9e3779b1) ^ Math.imul(src + 1, 0x85ebca77) ^ Math.imul(tag + 1, 0xc2b2ae3d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    return h & this.bMask;
  }

  /** Offset of the slot of (host, src, tag); created when `create`, else -1 when absent. */
  private bucketFor(host: number, src: number, tag: number, create: boolean): number {
    const b = this.b;
    let i = this.hash(host, src, tag);
    for (;;) {
      const o = i * BUCKET;
      const h = b[o];
      if (h === EMPTY) break;
      if (h === host && b[o + B_SRC] === src && b[o + B_TAG] === tag) return o;
      i = (i + 1) & this.bMask;
    }
    if (!create) return EMPTY;
    if ((this.bUsed + 1) * 2 > this.bMask + 1) {
      this.rehash((this.bMask + 1) * 2);
      return this.bucketFor(host, src, tag, true);
    }
    const o = i * BUCKET;
    b[o] = host;
    b[o + B_SRC] = src;
    b[o + B_TAG] = tag;
    b[o + B_HEAD] = EMPTY;
    b[o + B_TAIL] = EMPTY;
    this.bUsed++;
    return o;
  }

  /** Empties the slot at offset `o` and shifts later slots of its probe run back (no tombstones). */
  private deleteBucket(o: number): void {
    const b = this.b;
    const mask = this.bMask;
    let i = o / BUCKET;
    b[o] = EMPTY;
    this.bUsed--;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const oj = j * BUCKET;
      const h = b[oj];
      if (h === EMPTY) return;
      const home = this.hash(h, b[oj + B_SRC], b[oj + B_TAG]);
      // Move j back to i unless its home lies cyclically in (i, j].
      const inRange = i <= j ? home > i && home <= j : home > i || home <= j;
      if (inRange) continue;
      b.copyWithin(i * BUCKET, oj, oj + BUCKET);
      b[oj] = EMPTY;
      i = j;
    }
  }

  private rehash(cap: number): void {
    const old = this.b;
    const b = new Int32Array(cap * BUCKET).fill(EMPTY);
    this.b = b;
    this.bMask = cap - 1;
    for (let o = 0; o < old.length; o += BUCKET) {
      if (old[o] === EMPTY) continue;
      let i = this.hash(old[o], old[o + B_SRC], old[o + B_TAG]);
      while (b[i * BUCKET] !== EMPTY) i = (i + 1) & this.bMask;
      b.set(old.subarray(o, o + BUCKET), i * BUCKET);
    }
  }
}
