/**
 * Append-only typed arrays that double their capacity: the schedule builder keeps its
 * dependency edges in them (one array per edge field) instead of an object per edge.
 */
type TypedArray = Int32Array | Uint8Array | Float64Array;
type TypedArrayCtor<T extends TypedArray> = { new (length: number): T };

export class Growable<T extends TypedArray> {
  data: T;
  length = 0;

  constructor(
    private readonly ctor: TypedArrayCtor<T>,
    initialCapacity = 1024,
  ) {
    this.data = new ctor(Math.max(16, initialCapacity));
  }

  push(value: number): number {
    if (this.length === this.data.length) this.grow();
    this.data[this.length] = value;
    return this.length++;
  }

  private grow(): void {
    const next = new this.ctor(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }

  /** The filled part, trimmed to its length (a copy, so the spare capacity is freed). */
  trimmed(): T {
    return this.data.slice(0, this.length) as T;
  }
}
