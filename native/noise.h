// The host-CPU noise probe (`ibvf probe noise`), in the style of LLNL's FWQ (Fixed Work
// Quanta: fwq.c of the ASC Sequoia benchmarks, Sottile and Seager; FTQ, its fixed-time
// sibling: Sottile and Minnich, "Analysis of microbenchmarks for performance tuning of
// clusters", IEEE Cluster 2004). N threads each repeat the same quantum of pure CPU work
// and time every repetition; what the quanta lose to everything else on the CPU (the
// kernel, other threads, a hypervisor) shows as quanta longer than the undisturbed one.
//
// Exports (declared once in src/probe/native.ts):
//   noiseCpus(): the CPUs this process may run on (sched_getaffinity), in order;
//   noiseCalibrate(quantumUs): {loops, quantumUs}: the loop count of one quantum;
//   noiseStart(spec, onChunk): {done: Promise, stop()}.
#pragma once
#include <napi.h>

namespace ibvf {
void RegisterNoise(Napi::Env env, Napi::Object exports);
}
