#include "wait.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "timer.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define IBVF_CPU_RELAX() _mm_pause()
#else
#define IBVF_CPU_RELAX() ((void)0)
#endif

namespace ibvf {

void throw_errno(const std::string& what) {
  int e = errno;
  throw ProbeError("system", what + ": " + strerror(e));
}

void Guard::check(uint64_t since_ticks) const {
  if (cancel && cancel->load(std::memory_order_relaxed)) throw ProbeError("cancelled", "measurement cancelled");
  if (stop && stop->load(std::memory_order_relaxed))
    throw ProbeError("cancelled", "stopped because another pair failed");
  if (idle_ticks > 0 && now_ticks() - since_ticks > idle_ticks) {
    char secs[32];
    snprintf(secs, sizeof secs, "%g", ticks_to_ns(idle_ticks) / 1e9);
    throw ProbeError("timeout", std::string("no answer from the peer for ") + secs + " s");
  }
}

void Guard::check_peer() const {
  if (peer_pid > 0 && kill(peer_pid, 0) != 0 && errno == ESRCH)
    throw ProbeError("peer-lost", "peer process " + std::to_string(peer_pid) + " is gone");
}

Spinner::Spinner(const Guard& g) : guard_(g), start_(now_ticks()) {}

void Spinner::pause() {
  ++spins_;
  if ((spins_ & 1023) == 0) guard_.check(start_);
  if ((spins_ & 0xFFFF) == 0) guard_.check_peer();
  if (spins_ % kSpinsBeforeYield == 0) {
    sched_yield();
  } else {
    IBVF_CPU_RELAX();
  }
}

}  // namespace ibvf
