#include "job.h"

#include <chrono>
#include <mutex>
#include <thread>

#include "cpu.h"
#include "endpoint.h"
#include "measure.h"
#include "timer.h"

namespace ibvf {

namespace {

struct Tick {
  uint64_t done;
};

class JobWorker : public Napi::AsyncProgressWorker<Tick> {
 public:
  JobWorker(Napi::Env env, Napi::Function noop, std::vector<std::shared_ptr<EndpointState>> eps, Step step,
            std::vector<int> cpus, uint64_t idle_ms, Napi::Function on_progress)
      : Napi::AsyncProgressWorker<Tick>(noop),
        deferred_(Napi::Promise::Deferred::New(env)),
        eps_(std::move(eps)),
        step_(std::move(step)),
        cpus_(std::move(cpus)),
        idle_ms_(idle_ms),
        results_(eps_.size()) {
    if (!on_progress.IsEmpty()) on_progress_ = Napi::Persistent(on_progress);
  }
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute(const ExecutionProgress& progress) override {
    timer_info();  // calibrate before any thread starts timing
    std::atomic<bool> finished{false};
    std::vector<std::thread> threads;
    for (size_t i = 0; i < eps_.size(); ++i) threads.emplace_back([this, i] { RunPair(i); });
    std::thread waiter([&] {
      for (auto& t : threads) t.join();
      finished.store(true);
    });
    uint64_t last = ~0ull;
    while (!finished.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      uint64_t d = done_.load();
      if (d != last) {
        Tick t{d};
        progress.Send(&t, 1);
        last = d;
      }
    }
    waiter.join();
    if (!error_code_.empty()) SetError(error_message_);
  }

  void OnProgress(const Tick* data, size_t count) override {
    if (count == 0 || on_progress_.IsEmpty()) return;
    Napi::HandleScope scope(Env());
    on_progress_.Call({Napi::Number::New(Env(), static_cast<double>(data[count - 1].done))});
  }

  void OnOK() override {
    Napi::Env env = Env();
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

  void OnError(const Napi::Error& e) override {
    deferred_.Reject(probe_error(Env(), error_code_, e.Message()).Value());
  }

 private:
  void RunPair(size_t i) {
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
  std::mutex mu_;
  std::string error_code_, error_message_;
  Napi::FunctionReference on_progress_;
};

uint32_t get_u32(const Napi::Object& o, const char* key, uint32_t def) {
  Napi::Value v = o.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : def;
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
  std::string kind = spec.Get("kind").ToString();
  step.kind = kind == "stream" ? Kind::Stream : kind == "prtt" ? Kind::Prtt : Kind::PingPong;
  step.active = spec.Get("active").ToBoolean();
  step.mode = std::string(spec.Get("mode").ToString()) == "event" ? Mode::Event : Mode::Poll;
  Napi::Array sizes = spec.Get("sizes").As<Napi::Array>();
  Napi::Array iters = spec.Get("iterations").As<Napi::Array>();
  for (uint32_t i = 0; i < sizes.Length(); ++i) {
    step.sizes.push_back(static_cast<size_t>(sizes.Get(i).As<Napi::Number>().Int64Value()));
    step.iterations.push_back(iters.Get(i).As<Napi::Number>().Uint32Value());
  }
  step.warmup = get_u32(spec, "warmup", 0);
  step.window = get_u32(spec, "window", 1);
  step.n = get_u32(spec, "n", 1);
  Napi::Value d = spec.Get("delayNs");
  step.delay_ns = d.IsNumber() ? d.As<Napi::Number>().DoubleValue() : 0;
  std::vector<int> cpus;
  Napi::Value c = spec.Get("cpus");
  if (c.IsArray()) {
    Napi::Array ca = c.As<Napi::Array>();
    for (uint32_t i = 0; i < ca.Length(); ++i) cpus.push_back(ca.Get(i).As<Napi::Number>().Int32Value());
  }
  uint64_t idle_ms = get_u32(spec, "idleTimeoutMs", 30000);
  Napi::Function on_progress = info.Length() > 2 && info[2].IsFunction() ? info[2].As<Napi::Function>() : Napi::Function();
  Napi::Function noop = Napi::Function::New(env, [](const Napi::CallbackInfo&) {});
  auto* w = new JobWorker(env, noop, std::move(eps), std::move(step), std::move(cpus), idle_ms, on_progress);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

}  // namespace ibvf
