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
#include <vector>

#include "wait.h"

namespace ibvf {

enum class Mode { Poll, Event };

// Per-message CPU costs a channel records while a log is set (verbs: the ticks spent
// inside ibv_post_send, and inside the ibv_poll_cq call that returned a receive plus
// the ibv_post_recv that replaces it). Preallocated by the caller; a full log stops
// recording, it never grows inside a timed loop.
struct OverheadLog {
  std::vector<uint64_t> post, recv;
  size_t n_post = 0, n_recv = 0;
  void reset(size_t capacity) {
    post.assign(capacity, 0);
    recv.assign(capacity, 0);
    n_post = n_recv = 0;
  }
  void add_post(uint64_t t) {
    if (n_post < post.size()) post[n_post++] = t;
  }
  void add_recv(uint64_t t) {
    if (n_recv < recv.size()) recv[n_recv++] = t;
  }
};

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
  // verbs: records per-message costs into `log` while it is not null.
  virtual void set_overhead_log(OverheadLog* log) {}
  // verbs: streams as perftest's ib_send_bw / ib_write_bw (up to `window` messages in
  // flight, completions polled, no acknowledgement message), with post_windowed and
  // complete_all, instead of measure.cc's window-then-ack.
  virtual bool streams_by_completion() const { return false; }
  virtual void post_windowed(const uint8_t* buf, size_t len, uint32_t window) { send(buf, len); }
  virtual void complete_all() {}
  // Whether the passive side receives each message of a train (false for RDMA write
  // and read, where the peer's CPU sees only what is marked for it, or nothing).
  virtual bool passive_sees_each() const { return true; }
  // A message of a PRTT train the receiver does not wait for by itself (RDMA write:
  // no arrival marker); the train's last message is an ordinary send.
  virtual void send_quiet(const uint8_t* buf, size_t len) { send(buf, len); }
  // verbs --region: the registered region (one of those the channel was opened with)
  // that this step's messages cycle through, a stride at a time; 0: the plain buffers.
  // Transports without regions accept only 0.
  virtual void set_region(size_t bytes);

 protected:
  Guard guard_;
};

}  // namespace ibvf
