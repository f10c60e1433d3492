#include "measure.h"

#include <algorithm>
#include <cstring>

#include "timer.h"

namespace ibvf {

void Channel::set_region(size_t bytes) {
  if (bytes != 0)
    throw ProbeError("system", std::string("--region is for --transport verbs, not ") + transport());
}

namespace {

void pingpong(Channel& ch, const Step& st, size_t s, uint32_t iters, uint8_t* sbuf, uint8_t* rbuf,
              std::vector<uint64_t>& ticks, std::atomic<uint64_t>& done, OverheadLog* log) {
  for (uint32_t i = 0; i < st.warmup; ++i) {
    if (st.active) {
      ch.send(sbuf, s);
      ch.recv(rbuf, s);
    } else {
      ch.recv(rbuf, s);
      ch.send(sbuf, s);
    }
  }
  ch.set_overhead_log(log);
  for (uint32_t i = 0; i < iters; ++i) {
    if (st.active) {
      uint64_t t0 = now_ticks();
      ch.send(sbuf, s);
      ch.recv(rbuf, s);
      ticks[i] = now_ticks() - t0;
    } else {
      ch.recv(rbuf, s);
      ch.send(sbuf, s);
    }
    done.fetch_add(1, std::memory_order_relaxed);
  }
  ch.set_overhead_log(nullptr);
}

void stream_round(Channel& ch, const Step& st, size_t s, uint8_t* sbuf, uint8_t* rbuf) {
  if (st.active) {
    for (uint32_t w = 0; w < st.window; ++w) ch.send(sbuf, s);
    ch.recv(rbuf, 4);
  } else {
    for (uint32_t w = 0; w < st.window; ++w) ch.recv(rbuf, s);
    ch.send(sbuf, 4);
  }
}

void stream(Channel& ch, const Step& st, size_t s, uint32_t iters, uint8_t* sbuf, uint8_t* rbuf,
            SizeResult& r, std::atomic<uint64_t>& done) {
  for (uint32_t i = 0; i < st.warmup; ++i) stream_round(ch, st, s, sbuf, rbuf);
  double c0 = thread_cpu_seconds();
  uint64_t t0 = now_ticks();
  for (uint32_t i = 0; i < iters; ++i) {
    stream_round(ch, st, s, sbuf, rbuf);
    done.fetch_add(1, std::memory_order_relaxed);
  }
  r.seconds = ticks_to_ns(now_ticks() - t0) / 1e9;
  r.cpu_seconds = thread_cpu_seconds() - c0;
  r.messages = static_cast<uint64_t>(iters) * st.window;
}

// perftest's bandwidth loop (run_iter_bw): the active side keeps up to `window`
// messages in flight and waits for their completions at the end; the passive side
// receives each message (send) or takes no part (RDMA write, read). A "round" counts
// `window` messages, so iterations mean what they mean for stream().
void stream_by_completion(Channel& ch, const Step& st, size_t s, uint32_t iters, uint8_t* sbuf, uint8_t* rbuf,
                          SizeResult& r, std::atomic<uint64_t>& done, OverheadLog* log) {
  const uint64_t warm = static_cast<uint64_t>(st.warmup) * st.window;
  const uint64_t total = static_cast<uint64_t>(iters) * st.window;
  if (!st.active) {
    if (ch.passive_sees_each())
      for (uint64_t m = 0; m < warm + total; ++m) {
        ch.recv(rbuf, s);
        if (m >= warm && (m - warm + 1) % st.window == 0) done.fetch_add(1, std::memory_order_relaxed);
      }
    return;
  }
  for (uint64_t m = 0; m < warm; ++m) ch.post_windowed(sbuf, s, st.window);
  ch.complete_all();
  ch.set_overhead_log(log);
  double c0 = thread_cpu_seconds();
  uint64_t t0 = now_ticks();
  for (uint64_t m = 0; m < total; ++m) {
    ch.post_windowed(sbuf, s, st.window);
    if ((m + 1) % st.window == 0) done.fetch_add(1, std::memory_order_relaxed);
  }
  ch.complete_all();
  r.seconds = ticks_to_ns(now_ticks() - t0) / 1e9;
  r.cpu_seconds = thread_cpu_seconds() - c0;
  r.messages = total;
  ch.set_overhead_log(nullptr);
}

void prtt_round(Channel& ch, const Step& st, size_t s, uint8_t* sbuf, uint8_t* rbuf, uint64_t delay) {
  if (st.active) {
    for (uint32_t k = 0; k < st.n; ++k) {
      if (k + 1 < st.n) {
        ch.send_quiet(sbuf, s);
      } else {
        ch.send(sbuf, s);
      }
      if (k + 1 < st.n && delay > 0) {
        uint64_t until = now_ticks() + delay;
        while (now_ticks() < until) {
        }
      }
    }
    ch.recv(rbuf, s);
  } else {
    // RDMA write: only the train's last message carries a marker to wait for
    const uint32_t seen = ch.passive_sees_each() ? st.n : 1;
    for (uint32_t k = 0; k < seen; ++k) ch.recv(rbuf, s);
    ch.send(sbuf, s);
  }
}

void prtt(Channel& ch, const Step& st, size_t s, uint32_t iters, uint8_t* sbuf, uint8_t* rbuf,
          std::vector<uint64_t>& ticks, std::atomic<uint64_t>& done) {
  const uint64_t delay = ns_to_ticks(st.delay_ns);
  for (uint32_t i = 0; i < st.warmup; ++i) prtt_round(ch, st, s, sbuf, rbuf, delay);
  for (uint32_t i = 0; i < iters; ++i) {
    uint64_t t0 = now_ticks();
    prtt_round(ch, st, s, sbuf, rbuf, delay);
    ticks[i] = now_ticks() - t0;
    done.fetch_add(1, std::memory_order_relaxed);
  }
}

// Before a job's first timed loop, both sides exchange 1-byte messages in the job's
// completion mode for at least kSettleMs (the active side decides; its last message
// carries 0, every other 1). The JS work between two jobs (recording and writing the
// previous results, V8's collection after it) and the scheduler's placement of the
// fresh measurement threads (in event mode, the two ends of a blocking ping-pong
// settle onto one CPU, as a plain C ping-pong's processes do) otherwise leave a
// transient of a few to tens of milliseconds in the first samples: with 5000
// iterations it lifted the event-mode mean by 10-20% over qperf and sockperf, whose
// 5 s runs amortize their own start.
constexpr uint64_t kSettleMs = 30;
constexpr uint32_t kSettleMinRounds = 100;

void settle(Channel& ch, const Step& st, uint8_t* sbuf, uint8_t* rbuf) {
  if (st.active) {
    const uint64_t until = now_ticks() + ns_to_ticks(kSettleMs * 1e6);
    for (uint32_t i = 0;; ++i) {
      const bool more = i < kSettleMinRounds || now_ticks() < until;
      sbuf[0] = more ? 1 : 0;
      ch.send(sbuf, 1);
      ch.recv(rbuf, 1);
      if (!more) break;
    }
  } else {
    for (;;) {
      ch.recv(rbuf, 1);
      const bool more = rbuf[0] != 0;
      ch.send(sbuf, 1);
      if (!more) break;
    }
  }
  sbuf[0] = 0xA5;
}

// Per-message costs a channel logged in the timed loop (verbs), in microseconds.
void take_overheads(OverheadLog& log, SizeResult& r) {
  r.post_us.resize(log.n_post);
  for (size_t i = 0; i < log.n_post; ++i) r.post_us[i] = ticks_to_ns(log.post[i]) / 1e3;
  r.recv_us.resize(log.n_recv);
  for (size_t i = 0; i < log.n_recv; ++i) r.recv_us[i] = ticks_to_ns(log.recv[i]) / 1e3;
}

// At most this many per-message costs per size (8 MB of ticks per list).
constexpr uint64_t kMaxLogged = 1u << 20;

}  // namespace

void run_step(Channel& ch, const Step& st, std::vector<SizeResult>& out, std::atomic<uint64_t>& done) {
  size_t max_size = 4;
  for (size_t s : st.sizes) max_size = std::max(max_size, s);
  uint32_t max_iters = 0;
  for (uint32_t it : st.iterations) max_iters = std::max(max_iters, it);
  std::vector<uint8_t> sbuf(max_size, 0xA5), rbuf(max_size, 0);
  std::vector<uint64_t> ticks(max_iters, 0);
  ch.set_mode(st.mode);
  ch.set_role(st.active);
  ch.set_region(st.region);
  const double per_sample = ch.halves_round_trip() ? 2e3 : 1e3;  // ns -> us of one sample
  out.clear();
  out.resize(st.sizes.size());
  settle(ch, st, sbuf.data(), rbuf.data());
  OverheadLog log;
  // Only in steps that ask: the timer reads around each call lengthen the loop, so
  // latency and message-rate steps are never the ones logged.
  const bool logging = st.active && st.overheads && st.kind != Kind::Prtt;
  for (size_t k = 0; k < st.sizes.size(); ++k) {
    const size_t s = st.sizes[k];
    const uint32_t iters = st.iterations[k];
    SizeResult& r = out[k];
    r.bytes = s;
    r.iterations = iters;
    if (logging) {
      const uint64_t want = st.kind == Kind::Stream ? static_cast<uint64_t>(iters) * st.window : iters;
      log.reset(static_cast<size_t>(std::min<uint64_t>(want, kMaxLogged)));
    }
    switch (st.kind) {
      case Kind::PingPong:
        // warm-up rounds are not logged: the log is set after them, inside pingpong()
        pingpong(ch, st, s, iters, sbuf.data(), rbuf.data(), ticks, done, logging ? &log : nullptr);
        r.messages = iters;
        if (st.active) {
          r.samples_us.resize(iters);
          for (uint32_t i = 0; i < iters; ++i) r.samples_us[i] = ticks_to_ns(ticks[i]) / per_sample;
        }
        break;
      case Kind::Stream:
        if (ch.streams_by_completion()) {
          stream_by_completion(ch, st, s, iters, sbuf.data(), rbuf.data(), r, done, logging ? &log : nullptr);
        } else {
          stream(ch, st, s, iters, sbuf.data(), rbuf.data(), r, done);
        }
        break;
      case Kind::Prtt:
        prtt(ch, st, s, iters, sbuf.data(), rbuf.data(), ticks, done);
        r.messages = static_cast<uint64_t>(iters) * st.n;
        if (st.active) {
          r.samples_us.resize(iters);
          for (uint32_t i = 0; i < iters; ++i) r.samples_us[i] = ticks_to_ns(ticks[i]) / 1e3;
        }
        break;
    }
    if (logging) take_overheads(log, r);
  }
}

}  // namespace ibvf
