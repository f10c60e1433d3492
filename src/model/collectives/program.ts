import type { OpId, ScheduleBuilder } from '../sim/contract.js';
import { wireBytes } from './cost.js';

/**
 * Writes each rank's part of a collective as MPI code runs it: blocking calls one after
 * the other (each operation `requires` everything the previous call left pending), and
 * nonblocking batches (irecvs and isends posted in order, chained with `irequires`, then
 * waited for together). Generators speak in these calls, so the schedule's dependencies
 * say exactly what MPICH's code waits for.
 */
export class RankPrograms {
  private readonly pending: OpId[][];
  constructor(readonly b: ScheduleBuilder) {
    this.pending = Array.from({ length: b.numRanks }, () => []);
  }

  private after(r: number, op: OpId): void {
    for (const before of this.pending[r]) this.b.requires(op, before);
  }

  /** MPI_Send (blocking). */
  send(r: number, peer: number, bytes: number, tag = 0): void {
    const op = this.b.send(r, peer, wireBytes(bytes), tag);
    this.after(r, op);
    this.pending[r] = [op];
  }

  /** MPI_Recv (blocking). */
  recv(r: number, peer: number, bytes: number, tag = 0): void {
    const op = this.b.recv(r, peer, wireBytes(bytes), tag);
    this.after(r, op);
    this.pending[r] = [op];
  }

  /** MPI_Sendrecv: both posted at once, the call returns when both are done. */
  sendrecv(r: number, dst: number, sendBytes: number, src: number, recvBytes: number, tag = 0): void {
    const rv = this.b.recv(r, src, wireBytes(recvBytes), tag);
    const sd = this.b.send(r, dst, wireBytes(sendBytes), tag);
    this.after(r, rv);
    this.after(r, sd);
    this.pending[r] = [rv, sd];
  }

  /**
   * Sets a shared-memory flag that `peer` polls (collectives/shmem.ts): a zero-byte
   * signal, eager, that the flag parameters price (latency only; no MPI overheads).
   */
  flag(r: number, peer: number, tag: number): void {
    const op = this.b.send(r, peer, 0, tag);
    this.after(r, op);
    this.pending[r] = [op];
  }

  /** Polls until each of `peers` has set its flag for `r` (zero-byte signals), in any order. */
  waitFlags(r: number, peers: readonly number[], tag: number): void {
    const ops: OpId[] = [];
    let prev: OpId | undefined;
    for (const peer of peers) {
      const op = this.b.recv(r, peer, 0, tag);
      this.after(r, op);
      if (prev !== undefined) this.b.irequires(op, prev);
      prev = op;
      ops.push(op);
    }
    if (ops.length > 0) this.pending[r] = ops;
  }

  /** Local CPU work of `ns` nanoseconds: a reduction, a copy (skipped when zero). */
  calc(r: number, ns: number): void {
    if (!(ns > 0)) return;
    const op = this.b.calc(r, ns);
    this.after(r, op);
    this.pending[r] = [op];
  }

  /**
   * Nonblocking irecvs then isends posted in this order (each posted once the previous
   * has started), completed by one MPI_Waitall.
   */
  batch(
    r: number,
    recvs: readonly { peer: number; bytes: number }[],
    sends: readonly { peer: number; bytes: number }[],
    tag = 0,
  ): void {
    const ops: OpId[] = [];
    let prev: OpId | undefined;
    const post = (op: OpId) => {
      this.after(r, op);
      if (prev !== undefined) this.b.irequires(op, prev);
      prev = op;
      ops.push(op);
    };
    for (const x of recvs) post(this.b.recv(r, x.peer, wireBytes(x.bytes), tag));
    for (const x of sends) post(this.b.send(r, x.peer, wireBytes(x.bytes), tag));
    if (ops.length > 0) this.pending[r] = ops;
  }
}
