import { UsageError } from '../../errors.js';
import type { PathParams } from '../../profiles/types.js';
import { isInline, wireTime } from './wire.js';

export type VerbsOp = 'send' | 'write' | 'read';
export type Completion = 'poll' | 'event';

/**
 * Work requests an HCA processes for one operation, each paying a VF's `requestCost`:
 * send = the sender's WQE + the receiver's receive WQE; write = the sender's WQE only
 * (the target polls memory and sees no completion); read = the requester's WQE + the
 * responder's read response. This count is what lets one per-request cost explain
 * the VF's gaps for send (0.66 us), write (0.56 us) and read (0.35 us) together with
 * one inline saving (Jose et al., CCGrid 2013, Sec. V-B and V-C).
 */
export const VF_REQUESTS: Record<VerbsOp, number> = { send: 2, write: 1, read: 2 };

/**
 * One-way latency (us) of a verbs operation as perftest reports it: half the round
 * trip for send and write, the full round trip for read (ib_read_lat).
 *
 *   send(s)  = o_s + L + o_r + recvCost + fetch(s) + 2 r_vf + wire(s) [+ E]
 *   write(s) = o_s + L + o_r            + fetch(s) + 1 r_vf + wire(s)
 *   read(s)  = o_s + L + o_r + readExtra + inlineSaving + 2 r_vf + wire(s) [+ E]
 *
 * fetch(s) is the descriptor and payload DMA fetch, `inlineSaving`, skipped when the
 * CPU writes the send inline (BlueFlame, s <= inline limit; the VF's limit is 0);
 * a read request is never inline. r_vf is the per-request cost of a virtual function
 * (0 on a PF). In event mode the waiting side sleeps until the completion interrupt
 * wakes it: + E = eventExtra. `libraryInline` caps the inline limit (MPI libraries
 * set their own, MVAPICH2 128 B).
 */
export function verbsLatency(
  path: PathParams,
  op: VerbsOp,
  bytes: number,
  completion: Completion = 'poll',
  libraryInline = Infinity,
): number {
  if (op === 'write' && completion === 'event') {
    throw new UsageError(
      'RDMA write gives the target no completion to wait for, so it has no event mode (perftest refuses -e for write); use --op send or --progress poll',
    );
  }
  const base = path.o_s.value + path.L.value + path.o_r.value + wireTime(path, bytes);
  const perRequest = VF_REQUESTS[op] * path.requestCost.value;
  const fetch = op !== 'read' && isInline(path, bytes, libraryInline) ? 0 : path.inlineSaving.value;
  const opExtra = op === 'send' ? path.recvCost.value : op === 'read' ? path.readExtra.value : 0;
  const event = completion === 'event' ? path.eventExtra.value : 0;
  return base + fetch + perRequest + opExtra + event;
}
