#include "noise.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "cpu.h"
#include "endpoint.h"
#include "timer.h"

namespace ibvf {
namespace {

// The work of one loop: a 64-bit multiply-add whose result feeds the next (Knuth's MMIX
// LCG constants), so no two loops overlap in the pipeline and the compiler cannot fold
// the loop (the empty asm makes x opaque after every step). It touches no memory: the
// quantum measures CPU time lost, not cache or memory bandwidth.
inline uint64_t work(uint64_t loops, uint64_t x) {
  for (uint64_t k = 0; k < loops; ++k) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    asm volatile("" : "+r"(x));
  }
  return x;
}

std::atomic<uint64_t> g_sink{0};  // keeps the work's result alive

// CLOCK_MONOTONIC_RAW (native/timer.cc): the kernel's monotonic clock without NTP's
// slewing, read through the vDSO (tens of ns, negligible against a quantum of 10 us or more).
double now_us() { return static_cast<double>(mono_raw_ns()) / 1e3; }

// The smallest time (us) of `reps` quanta of `loops` loops on this thread: the minimum is
// FWQ's noiseless quantum, the one no interruption lengthened.
double min_quantum_us(uint64_t loops, int reps) {
  double best = 1e300;
  uint64_t x = 1;
  for (int r = 0; r < reps; ++r) {
    double t0 = now_us();
    x = work(loops, x);
    best = std::min(best, now_us() - t0);
  }
  g_sink.fetch_add(x, std::memory_order_relaxed);
  return best;
}

Napi::Value NoiseCpus(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  cpu_set_t set;
  CPU_ZERO(&set);
  Napi::Array out = Napi::Array::New(env);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return out;
  uint32_t n = 0;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &set)) out.Set(n++, Napi::Number::New(env, c));
  return out;
}

// Loops per quantum: the rate from a short quantum (minimum of 20), scaled to the asked
// duration, then the scaled quantum's own minimum of 5 as the undisturbed time.
Napi::Value NoiseCalibrate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber())
    throw Napi::TypeError::New(env, "noiseCalibrate(quantumUs: number)");
  double want = info[0].As<Napi::Number>().DoubleValue();
  if (!(want >= 1 && want <= 1e6)) throw Napi::TypeError::New(env, "noiseCalibrate: quantumUs from 1 to 1e6");
  uint64_t loops = 1000;
  double t = min_quantum_us(loops, 20);
  while (t < 20 && loops < (1ULL << 40)) {  // a trial of 20 us or more: the clock's reads are then < 1%
    loops *= 4;
    t = min_quantum_us(loops, 20);
  }
  loops = std::max<uint64_t>(1, static_cast<uint64_t>(loops * want / std::max(t, 1e-3)));
  double measured = min_quantum_us(loops, 5);
  Napi::Object o = Napi::Object::New(env);
  o.Set("loops", Napi::Number::New(env, static_cast<double>(loops)));
  o.Set("quantumUs", Napi::Number::New(env, measured));
  return o;
}

struct NoiseSpec {
  uint32_t workers;
  uint64_t loops;
  uint32_t samples;
  std::vector<int> cpus;  // per worker, -1: unpinned
};

// One run: a thread per worker (std::thread, not libuv's pool, whose 4 threads serve the
// file system too), a coordinator that hands the new samples to JS every 200 ms through a
// thread-safe function (so the file is written as the run goes), and a stop flag.
class NoiseRun : public std::enable_shared_from_this<NoiseRun> {
 public:
  NoiseRun(Napi::Env env, NoiseSpec spec, Napi::Function on_chunk)
      : deferred_(Napi::Promise::Deferred::New(env)),
        spec_(std::move(spec)),
        fresh_(spec_.workers),
        pinned_(spec_.workers, false) {
    tsfn_ = Napi::ThreadSafeFunction::New(env, on_chunk, "ibvf-noise", 0, 1);
  }
  Napi::Promise Promise() { return deferred_.Promise(); }
  void Stop() {
    stopped_by_user_.store(true);
    stop_.store(true);
  }

  void Start() {
    auto self = shared_from_this();
    try {
      std::thread([self] { self->Execute(); }).detach();
    } catch (const std::system_error& e) {
      tsfn_.Release();
      deferred_.Reject(
          probe_error(deferred_.Env(), "system", std::string("cannot start the noise thread: ") + e.what()).Value());
    }
  }

 private:
  void Execute() {
    timer_info();
    std::vector<std::thread> threads;
    try {
      for (uint32_t i = 0; i < spec_.workers; ++i) threads.emplace_back([this, i] { Worker(i); });
    } catch (const std::system_error& e) {
      error_ = "cannot start worker " + std::to_string(threads.size() + 1) + " of " + std::to_string(spec_.workers) +
               ": " + e.what();
      stop_.store(true);
      ready_.store(spec_.workers);  // release those started
    }
    while (finished_.load() < threads.size()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      Flush();
    }
    for (auto& t : threads) t.join();
    Flush();
    auto self = shared_from_this();
    tsfn_.BlockingCall([self](Napi::Env env, Napi::Function) {
      if (env != nullptr) self->Settle(env);
    });
    tsfn_.Release();
  }

  void Worker(uint32_t i) {
    if (i < spec_.cpus.size() && spec_.cpus[i] >= 0) pinned_[i] = pin_current_thread(spec_.cpus[i]);
    // All start together: a worker that started early would run its first quanta alone.
    ready_.fetch_add(1);
    while (ready_.load() < spec_.workers) std::this_thread::yield();
    uint64_t x = i + 1;
    double t0 = now_us();
    for (uint32_t s = 0; s < spec_.samples && !stop_.load(std::memory_order_relaxed); ++s) {
      x = work(spec_.loops, x);
      double t1 = now_us();
      {
        std::lock_guard<std::mutex> lock(mu_);
        fresh_[i].push_back(t1 - t0);
      }
      t0 = t1;
    }
    // The first worker done stops the others: a worker left running after another ended
    // would have its core to itself, and its last quanta would not be the load's.
    stop_.store(true);
    g_sink.fetch_add(x, std::memory_order_relaxed);
    finished_.fetch_add(1);
  }

  // Hands the samples recorded since the last call to JS (in worker order).
  void Flush() {
    auto chunk = std::make_unique<std::vector<std::vector<double>>>(spec_.workers);
    size_t n = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (uint32_t i = 0; i < spec_.workers; ++i) {
        n += fresh_[i].size();
        (*chunk)[i].swap(fresh_[i]);
      }
    }
    if (n == 0) return;
    tsfn_.BlockingCall(chunk.release(), [](Napi::Env env, Napi::Function cb, std::vector<std::vector<double>>* c) {
      std::unique_ptr<std::vector<std::vector<double>>> own(c);
      if (env == nullptr || cb == nullptr) return;
      Napi::Array per = Napi::Array::New(env, c->size());
      for (size_t i = 0; i < c->size(); ++i) {
        Napi::Float64Array a = Napi::Float64Array::New(env, (*c)[i].size());
        std::copy((*c)[i].begin(), (*c)[i].end(), a.Data());
        per.Set(i, a);
      }
      cb.Call({per});
    });
  }

  void Settle(Napi::Env env) {
    Napi::HandleScope scope(env);
    if (!error_.empty()) {
      deferred_.Reject(probe_error(env, "system", error_).Value());
      return;
    }
    Napi::Object o = Napi::Object::New(env);
    Napi::Array workers = Napi::Array::New(env, spec_.workers);
    for (uint32_t i = 0; i < spec_.workers; ++i) {
      Napi::Object w = Napi::Object::New(env);
      w.Set("cpu", Napi::Number::New(env, i < spec_.cpus.size() ? spec_.cpus[i] : -1));
      w.Set("pinned", Napi::Boolean::New(env, pinned_[i]));
      workers.Set(i, w);
    }
    o.Set("workers", workers);
    o.Set("stopped", Napi::Boolean::New(env, stopped_by_user_.load()));
    deferred_.Resolve(o);
  }

  Napi::Promise::Deferred deferred_;
  NoiseSpec spec_;
  std::vector<std::vector<double>> fresh_;
  std::vector<char> pinned_;  // each written by its own worker (char, not the packed vector<bool>)
  std::mutex mu_;
  std::atomic<uint32_t> ready_{0};
  std::atomic<size_t> finished_{0};
  std::atomic<bool> stop_{false};
  std::atomic<bool> stopped_by_user_{false};
  std::string error_;
  Napi::ThreadSafeFunction tsfn_;
};

// Limits: the CLI checks first (src/cli/commands/probe-noise.ts); checked again here so
// no value reaches a loop or an allocation unchecked.
constexpr double kMaxWorkers = 4096;
constexpr double kMaxSamples = 1e7;
constexpr double kMaxLoops = 1e13;

double whole(Napi::Env env, const Napi::Object& o, const char* key, double lo, double hi) {
  Napi::Value v = o.Get(key);
  double x = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1e300;
  if (!(x >= lo && x <= hi) || x != static_cast<double>(static_cast<int64_t>(x)))
    throw Napi::TypeError::New(env, std::string("noiseStart: spec.") + key + " must be a whole number from " +
                                        std::to_string(static_cast<int64_t>(lo)) + " to " +
                                        std::to_string(static_cast<int64_t>(hi)));
  return x;
}

Napi::Value NoiseStart(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction())
    throw Napi::TypeError::New(env, "noiseStart(spec: {workers, loops, samples, cpus?}, onChunk: (perWorker) => void)");
  Napi::Object o = info[0].As<Napi::Object>();
  NoiseSpec spec;
  spec.workers = static_cast<uint32_t>(whole(env, o, "workers", 1, kMaxWorkers));
  spec.loops = static_cast<uint64_t>(whole(env, o, "loops", 1, kMaxLoops));
  spec.samples = static_cast<uint32_t>(whole(env, o, "samples", 1, kMaxSamples));
  Napi::Value c = o.Get("cpus");
  if (!c.IsUndefined()) {
    if (!c.IsArray() || c.As<Napi::Array>().Length() != spec.workers)
      throw Napi::TypeError::New(env, "noiseStart: spec.cpus must be an array of one CPU (or -1) per worker");
    Napi::Array a = c.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); ++i) {
      Napi::Value v = a.Get(i);
      double x = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -2;
      if (!(x >= -1 && x < CPU_SETSIZE) || x != static_cast<double>(static_cast<int>(x)))
        throw Napi::TypeError::New(env, "noiseStart: spec.cpus[" + std::to_string(i) + "] must be a CPU number or -1");
      spec.cpus.push_back(static_cast<int>(x));
    }
  }
  auto run = std::make_shared<NoiseRun>(env, std::move(spec), info[1].As<Napi::Function>());
  Napi::Object handle = Napi::Object::New(env);
  handle.Set("done", run->Promise());
  std::weak_ptr<NoiseRun> weak = run;
  handle.Set("stop", Napi::Function::New(env, [weak](const Napi::CallbackInfo&) {
               if (auto r = weak.lock()) r->Stop();
             }));
  run->Start();
  return handle;
}

}  // namespace

void RegisterNoise(Napi::Env env, Napi::Object exports) {
  exports.Set("noiseCpus", Napi::Function::New(env, NoiseCpus));
  exports.Set("noiseCalibrate", Napi::Function::New(env, NoiseCalibrate));
  exports.Set("noiseStart", Napi::Function::New(env, NoiseStart));
}

}  // namespace ibvf
