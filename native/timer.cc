#include "timer.h"

#include <cpuid.h>
#include <time.h>
#include <x86intrin.h>

#include <mutex>

namespace ibvf {

namespace {
TimerInfo g_info;
std::once_flag g_once;
bool g_use_tsc = false;

bool has_invariant_tsc() {
#if defined(__x86_64__) || defined(__i386__)
  unsigned a, b, c, d;
  if (!__get_cpuid(0x80000000, &a, &b, &c, &d) || a < 0x80000007) return false;
  __get_cpuid(0x80000007, &a, &b, &c, &d);
  return (d >> 8) & 1;
#else
  return false;
#endif
}

void calibrate() {
  g_info.clock = "CLOCK_MONOTONIC_RAW";
  g_info.invariant_tsc = has_invariant_tsc();
  if (!g_info.invariant_tsc) {
    g_info.source = "clock_gettime";
    g_info.ticks_per_ns = 1.0;
    g_info.calibration_ms = 0;
    return;
  }
  // Busy interval of ~20 ms, bracketed by both clocks; take the rate.
  uint64_t n0 = mono_raw_ns();
  uint64_t t0 = __rdtsc();
  uint64_t n1;
  do {
    n1 = mono_raw_ns();
  } while (n1 - n0 < 20000000ULL);
  uint64_t t1 = __rdtsc();
  g_info.source = "tsc";
  g_info.ticks_per_ns = static_cast<double>(t1 - t0) / static_cast<double>(n1 - n0);
  g_info.calibration_ms = (n1 - n0) / 1e6;
  g_use_tsc = g_info.ticks_per_ns > 0.1;
  if (!g_use_tsc) {
    g_info.source = "clock_gettime";
    g_info.ticks_per_ns = 1.0;
  }
}
}  // namespace

uint64_t mono_raw_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + ts.tv_nsec;
}

const TimerInfo& timer_info() {
  std::call_once(g_once, calibrate);
  return g_info;
}

uint64_t now_ticks() {
  if (g_use_tsc) {
    unsigned aux;
    return __rdtscp(&aux);
  }
  return mono_raw_ns();
}

double thread_cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

}  // namespace ibvf
