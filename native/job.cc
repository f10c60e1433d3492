#include "job.h"

#include <chrono>
#include <mutex>
#include <system_error>
#include <thread>

#include "cpu.h"
#include "endpoint.h"
#include "measure.h"
#include "timer.h"

namespace ibvf {

namespace {

// A job runs on a thread of its own, not on libuv's worker pool: the pool has 4 threads
// by default and serves Node's file system and DNS work too, and a job waits for the
// whole measurement (seconds to minutes). Progress and the result come back to the JS
// thread through a thread-safe function.
class JobRun : public std::enable_shared_from_this<JobRun> {
 public:
  JobRun(Napi::Env env, std::vector<std::shared_ptr<EndpointState>> eps, Step step, std::vector<int> cpus,
         uint64_t idle_ms, Napi::Function on_progress)
      : deferred_(Napi::Promise::Deferred::New(env)),
        eps_(std::move(eps)),
        step_(std::move(step)),
        cpus_(std::move(cpus)),
        idle_ms_(idle_ms),
        results_(eps_.size()) {
    Napi::Function cb = on_progress.IsEmpty() ? Napi::Function::New(env, [](const Napi::CallbackInfo&) {})
                                              : on_progress;
    tsfn_ = Napi::ThreadSafeFunction::New(env, cb, "ibvf-probe-job", 0, 1);
  }
  Napi::Promise Promise() { return deferred_.Promise(); }

  // Starts the job's thread; a thread that cannot be created rejects the promise at once.
  void Start() {
    auto self = shared_from_this();
    try {
      std::thread([self] { self->Execute(); }).detach();
    } catch (const std::system_error& e) {
      tsfn_.Release();
      deferred_.Reject(probe_error(deferred_.Env(), "system", std::string("cannot start the job thread: ") + e.what())
                           .Value());
    }
  }

 private:
  void Execute() {
    timer_info();  // calibrate before any thread starts timing
    std::vector<std::thread> threads;
    // A thread that cannot be created (EAGAIN: the process or user hit its thread limit)
    // is an error of this job, never std::terminate: the pairs already started are told
    // to stop and joined, and the job fails with the reason.
    try {
      for (size_t i = 0; i < eps_.size(); ++i) {
        running_.fetch_add(1);  // before the thread exists, so the wait below cannot miss it
        threads.emplace_back([this, i] { RunPair(i); });
      }
    } catch (const std::system_error& e) {
      running_.fetch_sub(1);
      Fail("system", "cannot start measurement thread " + std::to_string(threads.size() + 1) + " of " +
                         std::to_string(eps_.size()) + ": " + e.what());
      for (auto& ep : eps_) ep->cancel.store(true);
    }
    uint64_t last = ~0ull;
    for (auto& t : threads) {
      while (running_.load() > 0 && !stop_.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        uint64_t d = done_.load();
        if (d != last) {
          last = d;
          tsfn_.NonBlockingCall(new uint64_t(d), [](Napi::Env env, Napi::Function cb, uint64_t* done) {
            double v = static_cast<double>(*done);
            delete done;
            if (env != nullptr && cb != nullptr) cb.Call({Napi::Number::New(env, v)});
          });
        }
      }
      t.join();
    }
    auto self = shared_from_this();
    tsfn_.BlockingCall([self](Napi::Env env, Napi::Function) {
      if (env != nullptr) self->Settle(env);
    });
    tsfn_.Release();
  }

  void Settle(Napi::Env env) {
    Napi::HandleScope scope(env);
    if (!error_code_.empty()) {
      deferred_.Reject(probe_error(env, error_code_, error_message_).Value());
      return;
    }
    Napi::Array pairs = Napi::Array::New(env, results_.size());
    for (size_t p = 0; p < results_.size(); ++p) {
      Napi::Array sizes = Napi::Array::New(env, results_[p].size());
      for (size_t k = 0; k < results_[p].size(); ++k) {
        const SizeResult& r = results_[p][k];
        Napi::Object o = Napi::Object::New(env);
        o.Set("bytes", Napi::Number::New(env, static_cast<double>(r.bytes)));
        o.Set("iterations", Napi::Number::New(env, r.iterations));
        Napi::Float64Array samples = Napi::Float64Array::New(env, r.samples_us.size());
        for (size_t i = 0; i < r.samples_us.size(); ++i) samples[i] = r.samples_us[i];
        o.Set("samplesUs", samples);
        o.Set("seconds", Napi::Number::New(env, r.seconds));
        o.Set("cpuSeconds", Napi::Number::New(env, r.cpu_seconds));
        o.Set("messages", Napi::Number::New(env, static_cast<double>(r.messages)));
        Napi::Float64Array post = Napi::Float64Array::New(env, r.post_us.size());
        for (size_t i = 0; i < r.post_us.size(); ++i) post[i] = r.post_us[i];
        o.Set("postUs", post);
        Napi::Float64Array recv = Napi::Float64Array::New(env, r.recv_us.size());
        for (size_t i = 0; i < r.recv_us.size(); ++i) recv[i] = r.recv_us[i];
        o.Set("recvUs", recv);
        sizes.Set(k, o);
      }
      Napi::Object pair = Napi::Object::New(env);
      pair.Set("cpu", Napi::Number::New(env, p < cpus_.size() ? cpus_[p] : -1));
      pair.Set("pinned", Napi::Boolean::New(env, p < pinned_.size() && pinned_[p]));
      pair.Set("sizes", sizes);
      pairs.Set(p, pair);
    }
    deferred_.Resolve(pairs);
  }

  void RunPair(size_t i) {
    struct Done {  // this pair no longer runs once it returns, however it returns
      std::atomic<int>& n;
      ~Done() { n.fetch_sub(1); }
    };
    Done done{running_};
    try {
      auto& ep = eps_[i];
      if (!ep->channel) throw ProbeError("cancelled", "the endpoint is closed");
      bool pinned = false;
      if (i < cpus_.size() && cpus_[i] >= 0) pinned = pin_current_thread(cpus_[i]);
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (pinned_.size() <= i) pinned_.resize(eps_.size(), false);
        pinned_[i] = pinned;
      }
      Guard g;
      g.cancel = &ep->cancel;
      g.stop = &stop_;
      g.idle_ticks = ns_to_ticks(static_cast<double>(idle_ms_) * 1e6);
      ep->channel->set_guard(g);
      run_step(*ep->channel, step_, results_[i], done_);
    } catch (const ProbeError& e) {
      Fail(e.code, e.what());
    } catch (const std::exception& e) {
      Fail("system", e.what());
    }
  }

  void Fail(const std::string& code, const std::string& msg) {
    std::lock_guard<std::mutex> lock(mu_);
    // The first real cause wins over the "stopped because another pair failed" echoes.
    if (error_code_.empty() || (error_code_ == "cancelled" && code != "cancelled")) {
      error_code_ = code;
      error_message_ = msg;
    }
    stop_.store(true);
  }

  Napi::Promise::Deferred deferred_;
  std::vector<std::shared_ptr<EndpointState>> eps_;
  Step step_;
  std::vector<int> cpus_;
  uint64_t idle_ms_;
  std::vector<std::vector<SizeResult>> results_;
  std::vector<bool> pinned_;
  std::atomic<uint64_t> done_{0};
  std::atomic<bool> stop_{false};
  std::atomic<int> running_{0};
  std::mutex mu_;
  std::string error_code_, error_message_;
  Napi::ThreadSafeFunction tsfn_;
};

// The limits of a job spec, the same as src/probe/job-spec.ts (which checks first, and
// on the serving side checks what a client sent over the network). Checked again here so
// that no value reaches an allocation or a loop unchecked: a TypeError naming the field,
// never a crash. 1 GiB messages and 10^7 iterations (80 MB of timestamps per pair) are
// far above any suite's and below what a probe host can hold.
constexpr uint32_t kMaxSizes = 64;
constexpr double kMaxBytes = 1073741824.0;
constexpr double kMaxIterations = 1e7;
constexpr double kMaxWindow = 65536;
constexpr double kMaxN = 65536;
constexpr double kMaxDelayNs = 1e12;
constexpr double kMaxRegion = 68719476736.0;  // 64 GiB: verbs --region (native/verbs/channel.h)

[[noreturn]] void bad_spec(Napi::Env env, const std::string& field, const std::string& want) {
  throw Napi::TypeError::New(env, "runJob: spec." + field + " must be " + want);
}

double whole(Napi::Env env, Napi::Value v, const std::string& field, double lo, double hi) {
  if (!v.IsNumber()) bad_spec(env, field, "a number");
  double x = v.As<Napi::Number>().DoubleValue();
  if (!(x >= lo && x <= hi) || x != static_cast<double>(static_cast<int64_t>(x)))
    bad_spec(env, field, "a whole number from " + std::to_string(static_cast<int64_t>(lo)) + " to " +
                             std::to_string(static_cast<int64_t>(hi)));
  return x;
}

double optional_whole(Napi::Env env, const Napi::Object& o, const char* key, double lo, double hi, double def) {
  Napi::Value v = o.Get(key);
  return v.IsUndefined() ? def : whole(env, v, key, lo, hi);
}

Napi::Array array_field(Napi::Env env, const Napi::Object& o, const char* key, uint32_t lo, uint32_t hi) {
  Napi::Value v = o.Get(key);
  if (!v.IsArray()) bad_spec(env, key, "an array");
  Napi::Array a = v.As<Napi::Array>();
  if (a.Length() < lo || a.Length() > hi)
    bad_spec(env, key, "an array of " + std::to_string(lo) + " to " + std::to_string(hi) + " items");
  return a;
}

std::string choice(Napi::Env env, const Napi::Object& o, const char* key, std::initializer_list<const char*> allowed) {
  Napi::Value v = o.Get(key);
  std::string want;
  for (const char* a : allowed) {
    if (v.IsString() && v.As<Napi::String>().Utf8Value() == a) return a;
    want += want.empty() ? std::string("'") + a + "'" : std::string(" or '") + a + "'";
  }
  bad_spec(env, key, want);
}

}  // namespace

Napi::Value RunJob(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsArray() || !info[1].IsObject())
    throw Napi::TypeError::New(env, "runJob(endpoints: Endpoint[], spec: JobSpec, onProgress?: (done) => void)");
  Napi::Array arr = info[0].As<Napi::Array>();
  std::vector<std::shared_ptr<EndpointState>> eps;
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    auto st = Endpoint::StateOf(arr.Get(i));
    if (!st) throw Napi::TypeError::New(env, "runJob: endpoints[" + std::to_string(i) + "] is not an open Endpoint");
    eps.push_back(st);
  }
  if (eps.empty()) throw Napi::TypeError::New(env, "runJob: no endpoints");
  Napi::Object spec = info[1].As<Napi::Object>();
  Step step;
  std::string kind = choice(env, spec, "kind", {"pingpong", "stream", "prtt"});
  step.kind = kind == "stream" ? Kind::Stream : kind == "prtt" ? Kind::Prtt : Kind::PingPong;
  if (!spec.Get("active").IsBoolean()) bad_spec(env, "active", "true or false");
  step.active = spec.Get("active").As<Napi::Boolean>().Value();
  step.mode = choice(env, spec, "mode", {"poll", "event"}) == "event" ? Mode::Event : Mode::Poll;
  Napi::Array sizes = array_field(env, spec, "sizes", 1, kMaxSizes);
  Napi::Array iters = array_field(env, spec, "iterations", 1, kMaxSizes);
  if (iters.Length() != sizes.Length()) bad_spec(env, "iterations", "as long as spec.sizes");
  for (uint32_t i = 0; i < sizes.Length(); ++i) {
    std::string at = "[" + std::to_string(i) + "]";
    step.sizes.push_back(static_cast<size_t>(whole(env, sizes.Get(i), "sizes" + at, 0, kMaxBytes)));
    step.iterations.push_back(static_cast<uint32_t>(whole(env, iters.Get(i), "iterations" + at, 1, kMaxIterations)));
  }
  step.warmup = static_cast<uint32_t>(optional_whole(env, spec, "warmup", 0, kMaxIterations, 0));
  step.window = static_cast<uint32_t>(optional_whole(env, spec, "window", 1, kMaxWindow, 1));
  step.n = static_cast<uint32_t>(optional_whole(env, spec, "n", 1, kMaxN, 1));
  Napi::Value d = spec.Get("delayNs");
  step.delay_ns = 0;
  if (!d.IsUndefined()) {
    if (!d.IsNumber()) bad_spec(env, "delayNs", "a number");
    step.delay_ns = d.As<Napi::Number>().DoubleValue();
    if (!(step.delay_ns >= 0 && step.delay_ns <= kMaxDelayNs)) bad_spec(env, "delayNs", "from 0 to 1e12 ns");
  }
  Napi::Value ov = spec.Get("overheads");
  if (!ov.IsUndefined() && !ov.IsBoolean()) bad_spec(env, "overheads", "true or false");
  step.overheads = ov.IsBoolean() && ov.As<Napi::Boolean>().Value();
  // verbs --region: which of the regions the channel registered (it checks the value).
  step.region = static_cast<size_t>(optional_whole(env, spec, "region", 0, kMaxRegion, 0));
  std::vector<int> cpus;
  Napi::Value c = spec.Get("cpus");
  if (!c.IsUndefined()) {
    Napi::Array ca = array_field(env, spec, "cpus", 0, static_cast<uint32_t>(eps.size()));
    for (uint32_t i = 0; i < ca.Length(); ++i)
      cpus.push_back(static_cast<int>(whole(env, ca.Get(i), "cpus[" + std::to_string(i) + "]", -1, 65535)));
  }
  uint64_t idle_ms = static_cast<uint64_t>(optional_whole(env, spec, "idleTimeoutMs", 0, 2147483647, 30000));
  Napi::Function on_progress = info.Length() > 2 && info[2].IsFunction() ? info[2].As<Napi::Function>() : Napi::Function();
  auto job = std::make_shared<JobRun>(env, std::move(eps), std::move(step), std::move(cpus), idle_ms, on_progress);
  Napi::Promise p = job->Promise();
  job->Start();
  return p;
}

}  // namespace ibvf
