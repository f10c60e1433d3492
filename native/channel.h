// The transport interface: a reliable, ordered, bidirectional message pipe between
// two processes, used by the measurement loops in measure.cc. A transport (shm, tcp,
// and next verbs) implements send/recv of whole messages in two completion modes:
//   poll   busy-poll for completion (spin, then yield; see wait.h)
//   event  sleep in the kernel until the peer's message arrives (futex, blocking recv)
// Neither call allocates; buffers belong to the caller.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "wait.h"

namespace ibvf {

enum class Mode { Poll, Event };

class Channel {
 public:
  virtual ~Channel() = default;
  virtual const char* transport() const = 0;
  // Largest message send/recv accept.
  virtual size_t max_message() const = 0;
  virtual void set_mode(Mode m) = 0;
  // The guard every wait of this channel obeys; set before each job.
  virtual void set_guard(const Guard& g) { guard_ = g; }
  virtual void send(const uint8_t* buf, size_t len) = 0;
  virtual void recv(uint8_t* buf, size_t len) = 0;
  // Removes the channel's rendezvous name once both sides are attached (shm).
  virtual void unlink() {}
  // verbs (native/verbs/channel.h): whether a ping-pong sample is half the timed round
  // trip (false for an RDMA read, whose one operation is the round trip), and which
  // side this is (the passive side of a read does nothing).
  virtual bool halves_round_trip() const { return true; }
  virtual void set_role(bool active) {}

 protected:
  Guard guard_;
};

}  // namespace ibvf
