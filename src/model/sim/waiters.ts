/**
 * Events parked while the resources they need (a CPU, a NIC side, an HCA side) are busy,
 * grouped by "class": events of one class need exactly the same clocks (all calcs on one
 * CPU, all sends on one CPU and NIC, all messages arriving at one CPU and NIC, with or
 * without the node's HCA). Each class is a list ordered by stamp (a sorted
 * doubly linked list on typed arrays: members mostly join in stamp order, so an
 * insertion scanning back from the tail is usually one step).
 *
 * Why this is exact: LogGOPSim puts a blocked event back into its queue at the time its
 * clocks free, and it pops again there, perhaps to be put back again. Clocks only move
 * forward (a resource is taken only when free at the current time t and then held until
 * some time >= t), so no member of a class can run before the latest time any member
 * was put back to; when the class's clocks do free at time T, every waiting member is
 * due at T and they are tried in stamp order. One wake-up per class, at the clocks' free
 * time and carrying the smallest waiting stamp, therefore makes the same decisions at
 * the same (time, stamp) points, without popping every blocked event at every release:
 * a 1024-rank alltoall otherwise pops half a billion times (the reason LogGOPSim needs
 * minutes for it).
 */
/** Stamps are kept in 32 bits here; an event count beyond that is refused up front. */
export const MAX_STAMPS = 0x7fffffff;

export class Waiters {
  private nItem: Int32Array;
  private nStamp: Int32Array;
  private nPrev: Int32Array;
  private nNext: Int32Array;
  private freeHead = -1;
  private used = 0;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  /** The class's live wake-up in the event queue: its time and stamp (see wakeStampOf). */
  readonly wakeTime: Float64Array;
  private readonly wakeStamp: Int32Array;

  constructor(numClasses: number, initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity);
    this.nItem = new Int32Array(cap);
    this.nStamp = new Int32Array(cap);
    this.nPrev = new Int32Array(cap);
    this.nNext = new Int32Array(cap);
    // Zero means "none" in every per-class array (head and tail hold node + 1, wakeStamp
    // holds ~stamp), so a million-class table needs no fill: untouched pages stay unmapped.
    this.head = new Int32Array(numClasses);
    this.tail = new Int32Array(numClasses);
    this.wakeTime = new Float64Array(numClasses);
    this.wakeStamp = new Int32Array(numClasses);
  }

  /** The stamp of the class's live wake-up, or -1 when it has none. */
  wakeStampOf(cls: number): number {
    return ~this.wakeStamp[cls];
  }

  /** Records the class's live wake-up stamp (-1: none). */
  setWakeStamp(cls: number, stamp: number): void {
    this.wakeStamp[cls] = ~stamp;
  }

  isEmpty(cls: number): boolean {
    return this.head[cls] === 0;
  }

  /** The waiting event with the smallest stamp (class must not be empty). */
  minItem(cls: number): number {
    return this.nItem[this.head[cls] - 1];
  }

  minStamp(cls: number): number {
    return this.nStamp[this.head[cls] - 1];
  }

  add(cls: number, item: number, stamp: number): void {
    const node = this.alloc();
    this.nItem[node] = item;
    this.nStamp[node] = stamp;
    let after = this.tail[cls] - 1;
    while (after >= 0 && this.nStamp[after] > stamp) after = this.nPrev[after];
    const before = after >= 0 ? this.nNext[after] : this.head[cls] - 1;
    this.nPrev[node] = after;
    this.nNext[node] = before;
    if (after >= 0) this.nNext[after] = node;
    else this.head[cls] = node + 1;
    if (before >= 0) this.nPrev[before] = node;
    else this.tail[cls] = node + 1;
  }

  /** Removes the smallest-stamp event of the class and returns it. */
  removeMin(cls: number): number {
    const node = this.head[cls] - 1;
    const next = this.nNext[node];
    this.head[cls] = next + 1;
    if (next >= 0) this.nPrev[next] = -1;
    else this.tail[cls] = 0;
    this.nNext[node] = this.freeHead;
    this.freeHead = node;
    return this.nItem[node];
  }

  private alloc(): number {
    if (this.freeHead >= 0) {
      const n = this.freeHead;
      this.freeHead = this.nNext[n];
      return n;
    }
    if (this.used === this.nItem.length) {
      const cap = this.nItem.length * 2;
      const i = new Int32Array(cap);
      i.set(this.nItem);
      this.nItem = i;
      const s = new Int32Array(cap);
      s.set(this.nStamp);
      this.nStamp = s;
      const p = new Int32Array(cap);
      p.set(this.nPrev);
      this.nPrev = p;
      const n = new Int32Array(cap);
      n.set(this.nNext);
      this.nNext = n;
    }
    return this.used++;
  }
}
