/**
 * The simulator's event queue, ordered by time and then by insertion stamp. LogGOPSim
 * orders its `std::priority_queue` the same way (spcl/LogGOPSim `LogGOPSim.hpp`,
 * `aqcompare_func` with STRICT_ORDER): an event keeps its stamp when it is put back
 * because its CPU or NIC was busy, so the order among events of equal time is the order
 * they were first created in.
 *
 * An event is one integer (`item`) the engine interprets, plus one it may use as it
 * likes (`aux`: the host the event happens at, so that the host's clocks can be loaded
 * while the operation's record is, not after it). Popping sets `time`, `stamp`, `item`
 * and `aux` instead of returning an object.
 *
 * Why not one heap: LogGOPS times are sums of a few parameters, so the events waiting
 * at any moment share very few distinct times (a million-rank binomial bcast never has
 * more than 44 at once, a 1024-rank linear alltoall 3: `npm run bench -- sim-queue`),
 * and new events mostly carry the newest stamp. The queue therefore keeps one FIFO per distinct time, in stamp order,
 * and a small heap of those times; appending and taking from a FIFO walk memory in
 * order, where a heap of a million events sifts through its lowest levels in main
 * memory on every pop. An event whose stamp is below the newest one already at its
 * time (a blocked event put back with its old stamp) goes to a separate binary heap on
 * (time, stamp), and a pop takes the smaller of the two fronts. The order is exact for
 * any sequence of pushes; only the speed depends on times repeating.
 */
const CHUNK_BITS = 5;
/** Entries per FIFO chunk: small, because a run whose times never repeat has one chunk per event. */
const CHUNK = 1 << CHUNK_BITS;
const POS_MASK = CHUNK - 1;
const NONE = -1;

/** What a queue saw over its life. */
export interface EventQueueStats {
  /** Most distinct times waiting at once (FIFOs open at once). */
  maxTimesWaiting: number;
  /** Events pushed behind a newer stamp at their time (into the second heap). */
  lateEvents: number;
}

export class EventQueue {
  // FIFO storage: chunks of CHUNK (stamp, item, aux) triples; an entry's index is chunk * CHUNK + slot.
  private pool: Int32Array;
  private chunkNext: Int32Array;
  private chunksUsed = 0;
  private freeChunk = NONE;
  // One FIFO ("bucket") per distinct time: its time, first unread entry, last entry and
  // that entry's stamp. Bucket ids are recycled through `freeBucket` (linked by bHead).
  private bTime: Float64Array;
  private bHead: Int32Array;
  private bLast: Int32Array;
  private bLastStamp: Int32Array;
  private bucketsUsed = 0;
  private freeBucket = NONE;
  private readonly bucketOf = new Map<number, number>();
  private cachedTime = NaN;
  private cachedBucket = NONE;
  // Min-heap of the live buckets by time (times are distinct); every bucket in it is non-empty.
  private timeHeap: Int32Array;
  private timeHeapSize = 0;
  // Min-heap on (time, stamp) of the events pushed behind a newer stamp at their time.
  private lateTime: Float64Array;
  private lateStamp: Int32Array;
  private lateItem: Int32Array;
  private lateAux: Int32Array;
  private lateSize = 0;
  private lateEvents = 0;
  private maxTimesWaiting = 0;
  /** Events queued. */
  size = 0;
  /** The event most recently popped. */
  time = 0;
  stamp = 0;
  item = 0;
  aux = 0;

  /** `expectedEvents` sizes the storage up front (it grows as needed). */
  constructor(expectedEvents = 1024) {
    const chunks = Math.max(4, Math.ceil(expectedEvents / CHUNK));
    this.pool = new Int32Array(chunks * CHUNK * 3);
    this.chunkNext = new Int32Array(chunks);
    this.bTime = new Float64Array(64);
    this.bHead = new Int32Array(64);
    this.bLast = new Int32Array(64);
    this.bLastStamp = new Int32Array(64);
    this.timeHeap = new Int32Array(64);
    this.lateTime = new Float64Array(64);
    this.lateStamp = new Int32Array(64);
    this.lateItem = new Int32Array(64);
    this.lateAux = new Int32Array(64);
  }

  /** Queues an event; stamps must fit in 31 bits (the engine refuses larger schedules). */
  push(time: number, stamp: number, item: number, aux: number): void {
    this.size++;
    let b = time === this.cachedTime ? this.cachedBucket : (this.bucketOf.get(time) ?? NONE);
    let e: number;
    if (b === NONE) {
      b = this.openBucket(time);
      e = this.allocChunk() << CHUNK_BITS;
      this.bHead[b] = e;
    } else if (stamp < this.bLastStamp[b]) {
      return this.pushLate(time, stamp, item, aux);
    } else {
      const last = this.bLast[b];
      e = last + 1;
      if ((e & POS_MASK) === 0) {
        const c = this.allocChunk();
        this.chunkNext[last >> CHUNK_BITS] = c;
        e = c << CHUNK_BITS;
      }
    }
    this.bLast[b] = e;
    this.bLastStamp[b] = stamp;
    this.pool[3 * e] = stamp;
    this.pool[3 * e + 1] = item;
    this.pool[3 * e + 2] = aux;
    this.cachedTime = time;
    this.cachedBucket = b;
  }

  /** Removes the earliest event into `time`, `stamp` and `item`; the queue must not be empty. */
  pop(): void {
    this.size--;
    if (this.timeHeapSize > 0) {
      const b = this.timeHeap[0];
      const bt = this.bTime[b];
      const e = this.bHead[b];
      const es = this.pool[3 * e];
      if (
        this.lateSize === 0 ||
        bt < this.lateTime[0] ||
        (bt === this.lateTime[0] && es < this.lateStamp[0])
      ) {
        this.time = bt;
        this.stamp = es;
        this.item = this.pool[3 * e + 1];
        this.aux = this.pool[3 * e + 2];
        if (e === this.bLast[b]) {
          this.releaseChunk(e >> CHUNK_BITS);
          this.closeMinBucket();
        } else if (((e + 1) & POS_MASK) === 0) {
          const c = e >> CHUNK_BITS;
          this.bHead[b] = this.chunkNext[c] << CHUNK_BITS;
          this.releaseChunk(c);
        } else {
          this.bHead[b] = e + 1;
        }
        return;
      }
    }
    this.popLate();
  }

  stats(): EventQueueStats {
    return { maxTimesWaiting: this.maxTimesWaiting, lateEvents: this.lateEvents };
  }

  /** A new, empty bucket for `time`, filed in the map and the time heap. */
  private openBucket(time: number): number {
    let b = this.freeBucket;
    if (b !== NONE) {
      this.freeBucket = this.bHead[b];
    } else {
      if (this.bucketsUsed === this.bTime.length) {
        const n = this.bucketsUsed * 2;
        this.bTime = grownFloat64(this.bTime, n);
        this.bHead = grownInt32(this.bHead, n);
        this.bLast = grownInt32(this.bLast, n);
        this.bLastStamp = grownInt32(this.bLastStamp, n);
        this.timeHeap = grownInt32(this.timeHeap, n);
      }
      b = this.bucketsUsed++;
    }
    this.bTime[b] = time;
    this.bucketOf.set(time, b);
    const heap = this.timeHeap;
    let hole = this.timeHeapSize++;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      if (this.bTime[heap[parent]] < time) break;
      heap[hole] = heap[parent];
      hole = parent;
    }
    heap[hole] = b;
    if (this.timeHeapSize > this.maxTimesWaiting) this.maxTimesWaiting = this.timeHeapSize;
    return b;
  }

  private allocChunk(): number {
    if (this.freeChunk !== NONE) {
      const c = this.freeChunk;
      this.freeChunk = this.chunkNext[c];
      return c;
    }
    if (this.chunksUsed === this.chunkNext.length) {
      const n = this.chunkNext.length * 2;
      this.chunkNext = grownInt32(this.chunkNext, n);
      this.pool = grownInt32(this.pool, n * CHUNK * 3);
    }
    return this.chunksUsed++;
  }

  private releaseChunk(c: number): void {
    this.chunkNext[c] = this.freeChunk;
    this.freeChunk = c;
  }

  /** Removes the (now empty) bucket at the top of the time heap. */
  private closeMinBucket(): void {
    const b = this.timeHeap[0];
    this.bucketOf.delete(this.bTime[b]);
    if (this.cachedBucket === b) {
      this.cachedTime = NaN;
      this.cachedBucket = NONE;
    }
    this.bHead[b] = this.freeBucket;
    this.freeBucket = b;
    const heap = this.timeHeap;
    const n = --this.timeHeapSize;
    if (n === 0) return;
    const last = heap[n];
    const lt = this.bTime[last];
    let hole = 0;
    for (;;) {
      let child = 2 * hole + 1;
      if (child >= n) break;
      if (child + 1 < n && this.bTime[heap[child + 1]] < this.bTime[heap[child]]) child++;
      if (lt < this.bTime[heap[child]]) break;
      heap[hole] = heap[child];
      hole = child;
    }
    heap[hole] = last;
  }

  private pushLate(time: number, stamp: number, item: number, aux: number): void {
    this.lateEvents++;
    if (this.lateSize === this.lateTime.length) {
      const n = this.lateSize * 2;
      this.lateTime = grownFloat64(this.lateTime, n);
      this.lateStamp = grownInt32(this.lateStamp, n);
      this.lateItem = grownInt32(this.lateItem, n);
      this.lateAux = grownInt32(this.lateAux, n);
    }
    const times = this.lateTime;
    const stamps = this.lateStamp;
    const items = this.lateItem;
    const auxs = this.lateAux;
    let hole = this.lateSize++;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      const pt = times[parent];
      if (pt < time || (pt === time && stamps[parent] < stamp)) break;
      times[hole] = pt;
      stamps[hole] = stamps[parent];
      items[hole] = items[parent];
      auxs[hole] = auxs[parent];
      hole = parent;
    }
    times[hole] = time;
    stamps[hole] = stamp;
    items[hole] = item;
    auxs[hole] = aux;
  }

  private popLate(): void {
    const times = this.lateTime;
    const stamps = this.lateStamp;
    const items = this.lateItem;
    const auxs = this.lateAux;
    this.time = times[0];
    this.stamp = stamps[0];
    this.item = items[0];
    this.aux = auxs[0];
    const n = --this.lateSize;
    if (n === 0) return;
    const lastTime = times[n];
    const lastStamp = stamps[n];
    const lastItem = items[n];
    const lastAux = auxs[n];
    let hole = 0;
    for (;;) {
      let child = 2 * hole + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n) {
        const ct = times[child];
        const rt = times[right];
        if (rt < ct || (rt === ct && stamps[right] < stamps[child])) child = right;
      }
      const ct = times[child];
      if (lastTime < ct || (lastTime === ct && lastStamp < stamps[child])) break;
      times[hole] = ct;
      stamps[hole] = stamps[child];
      items[hole] = items[child];
      auxs[hole] = auxs[child];
      hole = child;
    }
    times[hole] = lastTime;
    stamps[hole] = lastStamp;
    items[hole] = lastItem;
    auxs[hole] = lastAux;
  }
}

function grownInt32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

function grownFloat64(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}
