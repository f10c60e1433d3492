/**
 * The simulator's event queue: a binary min-heap on parallel typed arrays, ordered by
 * time and then by insertion stamp. LogGOPSim orders its `std::priority_queue` the same
 * way (spcl/LogGOPSim `LogGOPSim.hpp`, `aqcompare_func` with STRICT_ORDER): an event
 * keeps its stamp when it is put back because its CPU or NIC was busy, so the order
 * among events of equal time is the order they were first created in.
 *
 * An event is one integer (`item`) the engine interprets. Popping sets `time`, `stamp`
 * and `item` instead of returning an object. The operations free at time 0 go to a plain FIFO beside the heap
 * (`pushStartup`), which keeps millions of start-up events out of the heap.
 */
export class EventQueue {
  private times: Float64Array;
  private stamps: Float64Array;
  private items: Int32Array;
  private heapSize = 0;
  // Start-up events: all at time 0 with consecutive stamps, so only items are stored.
  private fifoItem: Int32Array = new Int32Array(0);
  private fifoStamp0 = 0;
  private fifoHead = 0;
  private fifoTail = 0;
  /** Events queued (heap and FIFO). */
  size = 0;
  /** The event most recently popped. */
  time = 0;
  stamp = 0;
  item = 0;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity);
    this.times = new Float64Array(cap);
    this.stamps = new Float64Array(cap);
    this.items = new Int32Array(cap);
  }

  /**
   * Queues a start-up event at time 0. Stamps must be consecutive from the first such
   * call, and no heap event may precede them; `capacity` bounds how many there are.
   */
  pushStartup(stamp: number, item: number, capacity: number): void {
    if (this.fifoItem.length === 0) {
      this.fifoItem = new Int32Array(capacity);
      this.fifoStamp0 = stamp;
    }
    if (stamp !== this.fifoStamp0 + this.fifoTail)
      throw new RangeError('pushStartup: stamps must be consecutive');
    this.fifoItem[this.fifoTail++] = item;
    this.size++;
  }

  push(time: number, stamp: number, item: number): void {
    if (this.heapSize === this.times.length) this.grow();
    const times = this.times;
    const stamps = this.stamps;
    const items = this.items;
    this.size++;
    let hole = this.heapSize++;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      const pt = times[parent];
      if (pt < time || (pt === time && stamps[parent] < stamp)) break;
      times[hole] = pt;
      stamps[hole] = stamps[parent];
      items[hole] = items[parent];
      hole = parent;
    }
    times[hole] = time;
    stamps[hole] = stamp;
    items[hole] = item;
  }

  /** Removes the earliest event into `time`, `stamp` and `item`; the queue must not be empty. */
  pop(): void {
    this.size--;
    const times = this.times;
    const stamps = this.stamps;
    const items = this.items;
    const f = this.fifoHead;
    if (f < this.fifoTail) {
      const fs = this.fifoStamp0 + f;
      if (this.heapSize === 0 || 0 < times[0] || (0 === times[0] && fs < stamps[0])) {
        this.time = 0;
        this.stamp = fs;
        this.item = this.fifoItem[f];
        this.fifoHead++;
        if (this.fifoHead === this.fifoTail) this.releaseFifo();
        return;
      }
    }
    this.time = times[0];
    this.stamp = stamps[0];
    this.item = items[0];
    const n = --this.heapSize;
    if (n === 0) return;
    const lastTime = times[n];
    const lastStamp = stamps[n];
    const lastItem = items[n];
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
      hole = child;
    }
    times[hole] = lastTime;
    stamps[hole] = lastStamp;
    items[hole] = lastItem;
  }

  private releaseFifo(): void {
    this.fifoItem = new Int32Array(0);
    this.fifoHead = 0;
    this.fifoTail = 0;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const t = new Float64Array(cap);
    t.set(this.times);
    this.times = t;
    const s = new Float64Array(cap);
    s.set(this.stamps);
    this.stamps = s;
    const it = new Int32Array(cap);
    it.set(this.items);
    this.items = it;
  }
}
