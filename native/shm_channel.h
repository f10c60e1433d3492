// Shared-memory transport: one POSIX shared segment (shm_open + mmap) per pair of
// processes on one host, holding two rings of fixed-size slots (one per direction).
// A message larger than a slot goes through as several slots, pipelined, the way
// MPICH's nemesis shared-memory cells and OSU's intra-node path move large messages.
// Poll mode spins on the ring counters; event mode sleeps on them with futex(2) and
// the writer wakes it: that wake-up stands for the interrupt path of a NIC.
#pragma once
#include <atomic>
#include <string>

#include "channel.h"

namespace ibvf {

struct ShmSegment;

class ShmChannel : public Channel {
 public:
  // Creates the segment `name` (must not exist); this side is "A".
  static ShmChannel* create(const std::string& name, uint32_t slots, uint32_t slot_size);
  // Opens a segment created by the peer; this side is "B".
  static ShmChannel* open(const std::string& name);
  ~ShmChannel() override;

  const char* transport() const override { return "shm"; }
  size_t max_message() const override { return SIZE_MAX; }
  void set_mode(Mode m) override { mode_ = m; }
  void set_guard(const Guard& g) override;
  void send(const uint8_t* buf, size_t len) override;
  void recv(uint8_t* buf, size_t len) override;
  // Removes the segment's name (both sides have it mapped by then).
  void unlink() override;

 private:
  ShmChannel() = default;
  struct Ring;
  template <class Ready>
  void wait_for(std::atomic<uint32_t>& word, std::atomic<uint32_t>& sleepers, Ready ready);
  void wake(std::atomic<uint32_t>& word, std::atomic<uint32_t>& sleepers);

  std::string name_;
  bool creator_ = false;
  bool unlinked_ = false;
  ShmSegment* seg_ = nullptr;
  size_t bytes_ = 0;
  Mode mode_ = Mode::Poll;
  uint32_t slots_ = 0, slot_size_ = 0;
  uint8_t* out_data_ = nullptr;
  uint8_t* in_data_ = nullptr;
  Ring* out_ = nullptr;
  Ring* in_ = nullptr;
  uint32_t out_head_ = 0;  // slots this side has produced
  uint32_t in_tail_ = 0;   // slots this side has consumed
};

}  // namespace ibvf
