// The node-local compute probe (`ibvf probe compute`): the two per-byte CPU costs the
// model charges an MPI rank, timed on one pinned CPU with no peer.
//
//   copy    memcpy of s bytes: the eager copy an MPI library makes into its bounce
//           buffers at the sender and out of them at the receiver (MVAPICH2 and MPICH
//           call the C library's memcpy through MPIR_Memcpy / MPIU_Memcpy).
//   reduce  a[i] = a[i] + b[i] over s / 8 doubles: MPI_SUM on MPI_DOUBLE as MPICH's
//           MPIR_SUM runs it (src/mpi/coll/op/opsum.c, the MPIR_OP_TYPE_REDUCE_CASE
//           loop over `restrict` pointers, built -O2 by MPICH's default --enable-fast=O2),
//           here in a plain loop of our own compiled -O2 too (binding.gyp); Debian's gcc 12
//           leaves it scalar at -O2 (one addsd per double, checked with objdump), since its
//           -O2 vectoriser does not take loops that need a remainder.
//
// Each in two cache states: `warm` reuses one pair of buffers (as OSU's loops reuse
// theirs, so an eager-size copy stays in L1/L2), `cold` walks a rotating set of buffer
// pairs larger than the last-level cache, so that every operation reads and writes
// lines that left the caches. A sample times `reps` operations back to back and is
// their mean (one memcpy of a few bytes is shorter than the timer's resolution).
#pragma once
#include <napi.h>

namespace ibvf {
// computeRun(spec) -> Promise<{cpu, pinned, bytes, reps, setBytes, samplesUs}>: one size.
Napi::Value ComputeRun(const Napi::CallbackInfo& info);
// computeInfo() -> {l1d, l2, l3, cpu}: cache sizes in bytes (0: unknown), the calling thread's CPU.
Napi::Value ComputeInfo(const Napi::CallbackInfo& info);
// computeRelease(): frees the rotating set kept between runs.
Napi::Value ComputeRelease(const Napi::CallbackInfo& info);
}  // namespace ibvf
