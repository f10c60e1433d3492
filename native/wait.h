// What every wait in a measurement obeys: it can be cancelled (by JS or by another
// pair of the same job failing), it gives up when the peer is silent for too long
// or is gone, and a busy-poll spins only for a while before yielding the CPU, so two
// spinning processes that share a core both make progress.
#pragma once
#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace ibvf {

// An error raised inside a measurement; `code` is one of "timeout", "peer-lost",
// "cancelled", "system", "protocol"; JS turns it into a RunError.
struct ProbeError : std::runtime_error {
  std::string code;
  ProbeError(const std::string& c, const std::string& msg) : std::runtime_error(msg), code(c) {}
};

[[noreturn]] void throw_errno(const std::string& what);

struct Guard {
  const std::atomic<bool>* cancel = nullptr;  // set by endpoint.cancel()
  const std::atomic<bool>* stop = nullptr;    // set when another pair of the job failed
  uint64_t idle_ticks = 0;                    // longest wait for the peer (0: no limit)
  int peer_pid = 0;                           // peer process on this host (shm), or 0
  // Throws if cancelled, stopped, or `since` is too long ago (cheap: no syscall).
  void check(uint64_t since_ticks) const;
  // Throws if the peer process is gone (a kill(pid, 0) syscall; shm only).
  void check_peer() const;
};

// Busy-poll helper: call pause() each time the condition is still false.
class Spinner {
 public:
  explicit Spinner(const Guard& g);
  void pause();

 private:
  const Guard& guard_;
  uint64_t start_;
  uint32_t spins_ = 0;
};

// Spins this many polls before each sched_yield().
constexpr uint32_t kSpinsBeforeYield = 4096;
// Event waits wake at least this often to check the guard.
constexpr int kEventSliceMs = 50;

}  // namespace ibvf
