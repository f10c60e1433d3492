/**
 * The labels of one GOAL rank block (txt2bin keeps a std::map per block and clears it at
 * `}`). schedgen names operations l1, l2, ...: such labels go to a typed array indexed by
 * their number, stamped with the block's generation so clearing is free; any other label
 * goes to a Map. "l01" and "l1" stay different labels, as they are strings in GOAL.
 */
const MAX_NUMBERED = 1 << 24;

export class LabelTable {
  private op = new Int32Array(1024);
  private gen = new Int32Array(1024);
  private generation = 1;
  private maxNumber = 0;
  private readonly other = new Map<string, number>();

  clear(): void {
    this.generation++;
    this.maxNumber = 0;
    if (this.other.size > 0) this.other.clear();
  }

  /** Records `op` under the label buf[start, end); returns the op already there, or -1. */
  define(buf: Uint8Array, start: number, end: number, op: number): number {
    const k = numbered(buf, start, end);
    if (k < 0) {
      const name = latin1(buf, start, end);
      const prev = this.other.get(name);
      if (prev !== undefined) return prev;
      this.other.set(name, op);
      return -1;
    }
    if (k >= this.op.length) this.grow(k);
    if (this.gen[k] === this.generation) return this.op[k];
    this.gen[k] = this.generation;
    this.op[k] = op;
    if (k > this.maxNumber) this.maxNumber = k;
    return -1;
  }

  /** The op labelled buf[start, end) in this block, or -1. */
  lookup(buf: Uint8Array, start: number, end: number): number {
    const k = numbered(buf, start, end);
    if (k < 0) return this.other.get(latin1(buf, start, end)) ?? -1;
    return k < this.op.length && this.gen[k] === this.generation ? this.op[k] : -1;
  }

  /** Label of each labelled op of this block (for error messages). */
  names(): Map<number, string> {
    const names = new Map<number, string>();
    for (let k = 0; k <= this.maxNumber; k++)
      if (this.gen[k] === this.generation) names.set(this.op[k], `l${k}`);
    for (const [name, op] of this.other) names.set(op, name);
    return names;
  }

  private grow(k: number): void {
    let cap = this.op.length;
    while (cap <= k) cap *= 2;
    const op = new Int32Array(cap);
    op.set(this.op);
    this.op = op;
    const gen = new Int32Array(cap);
    gen.set(this.gen);
    this.gen = gen;
  }
}

/** k for a label `l<k>` written without leading zeros (k < 2^24), else -1. */
function numbered(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len < 2 || len > 9 || buf[start] !== 0x6c /* l */) return -1;
  if (buf[start + 1] === 0x30 && len > 2) return -1;
  let k = 0;
  for (let i = start + 1; i < end; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return -1;
    k = k * 10 + d;
  }
  return k < MAX_NUMBERED ? k : -1;
}

function latin1(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
}
