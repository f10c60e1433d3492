// The measurement loops, written once against the Channel interface so every
// transport (shm, tcp, verbs) is measured the same way. The "active" side times;
// the "passive" side answers.
//
//   pingpong  perftest's *_lat and osu_latency: send s, wait for s back; the sample is
//             half the round trip (one-way latency as perftest, qperf and sockperf print).
//   stream    osu_bw / osu_mbw_mr: `window` messages back to back, then a 4-byte ack
//             from the receiver; gives message rate, bandwidth and the sender's CPU time
//             per post (CLOCK_THREAD_CPUTIME_ID over the timed loop).
//   prtt      PRTT(n, d, s) of Hoefler, Lichei and Rehm, "Low-Overhead LogGP Parameter
//             Assessment for Modern Interconnection Networks" (IPDPS 2007, the method
//             behind Netgauge): the client sends n messages of s bytes, busy-waiting d
//             between consecutive sends, and the server answers the n-th with s bytes;
//             the sample is the whole time (not halved). PRTT(1,0,s) is a round trip,
//             (PRTT(n,0,s) - PRTT(1,0,s))/(n-1) = g + (s-1)G, and with d large enough
//             (PRTT(n,d,s) - PRTT(1,0,s))/(n-1) - d = o.
//   verbs     stream runs as perftest's ib_send_bw / ib_write_bw / ib_read_bw
//             (run_iter_bw in src/perftest_resources.c: keep up to tx_depth work
//             requests posted, poll completions, post again; here tx_depth = window and
//             every request is signalled, perftest's cq_mod 1), with no ack message;
//             ping-pong and stream also record each post's and each receive's CPU cost
//             (Channel::set_overhead_log) for the model's o_s and o_r.
// Timestamps go into buffers sized before the timed loop; nothing allocates inside it.
#pragma once
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "channel.h"

namespace ibvf {

enum class Kind { PingPong, Stream, Prtt };

struct Step {
  Kind kind = Kind::PingPong;
  bool active = true;
  Mode mode = Mode::Poll;
  std::vector<size_t> sizes;
  std::vector<uint32_t> iterations;  // per size
  uint32_t warmup = 0;               // untimed iterations before each size
  uint32_t window = 1;               // stream
  uint32_t n = 1;                    // prtt
  double delay_ns = 0;               // prtt d
  bool overheads = false;            // record per-message costs (SizeResult::post_us, recv_us)
  size_t region = 0;                 // verbs --region: the registered region to cycle through (0: none)
};

struct SizeResult {
  size_t bytes = 0;
  uint32_t iterations = 0;
  std::vector<double> samples_us;  // pingpong: half round trips; prtt: whole PRTT
  double seconds = 0;              // wall time of the timed loop
  double cpu_seconds = 0;          // this thread's CPU time in the timed loop
  uint64_t messages = 0;           // messages this side sent (stream: posts)
  // Channels that record them (verbs), on the active side: per message, microseconds
  // inside the post call, and in the poll that returned a receive plus its re-post.
  std::vector<double> post_us, recv_us;
};

// Runs one step on one channel; `done` counts finished iterations (for progress).
void run_step(Channel& ch, const Step& step, std::vector<SizeResult>& out, std::atomic<uint64_t>& done);

}  // namespace ibvf
