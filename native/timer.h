// Timing for the probe: the TSC where it is invariant, calibrated against
// CLOCK_MONOTONIC_RAW, or clock_gettime(CLOCK_MONOTONIC_RAW) otherwise.
// perftest (get_clock.c) also reads the cycle counter and converts with a measured
// frequency; we calibrate once per process over a short busy interval.
#pragma once
#include <cstdint>
#include <string>

namespace ibvf {

struct TimerInfo {
  std::string source;      // "tsc" or "clock_gettime"
  std::string clock;       // the reference clock: "CLOCK_MONOTONIC_RAW"
  double ticks_per_ns;     // 1 for clock_gettime
  double calibration_ms;   // how long the calibration ran (0 for clock_gettime)
  bool invariant_tsc;      // CPUID.80000007H:EDX[8]
};

// Calibrates on first call (about 20 ms); thread-safe after that.
const TimerInfo& timer_info();
// Current time in ticks of the chosen source.
uint64_t now_ticks();
inline double ticks_to_ns(uint64_t ticks) { return static_cast<double>(ticks) / timer_info().ticks_per_ns; }
inline uint64_t ns_to_ticks(double ns) { return static_cast<uint64_t>(ns * timer_info().ticks_per_ns); }
// Nanoseconds of CLOCK_MONOTONIC_RAW.
uint64_t mono_raw_ns();
// Seconds of CPU time used by the calling thread (CLOCK_THREAD_CPUTIME_ID).
double thread_cpu_seconds();

}  // namespace ibvf
