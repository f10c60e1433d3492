#include "compute.h"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "cpu.h"
#include "endpoint.h"
#include "timer.h"

namespace ibvf {

namespace {

enum class Op { Copy, Reduce };

struct ComputeSpec {
  Op op = Op::Copy;
  bool cold = false;
  size_t bytes = 0;
  uint32_t samples = 1;
  size_t set_bytes = 0;     // cold: bytes of each side's rotating set
  int cpu = -1;             // -1: unpinned
  double min_sample_ns = 0; // a sample lasts at least this long (reps chosen to match)
};

struct ComputeOut {
  int cpu = -1;
  bool pinned = false;
  std::string pin_error;
  uint32_t reps = 1;
  size_t set_bytes = 0;
  std::vector<double> samples_us;
};

// MPI_SUM on doubles (see compute.h). noinline so the loop is compiled once, as a library
// function is, and not specialised for the caller's constant arguments.
__attribute__((noinline)) void sum_doubles(double* __restrict__ a, const double* __restrict__ b, size_t n) {
  for (size_t i = 0; i < n; i++) a[i] = a[i] + b[i];
}

// Keeps the compiler from dropping or merging repeated operations on the same buffers.
inline void clobber(void* p) { asm volatile("" : : "r"(p) : "memory"); }

// The rotating set, kept between sizes: allocating and touching hundreds of MiB per size
// would cost more than the measurement. One run at a time (the CLI runs sizes in turn).
std::mutex g_pool_mutex;
char* g_pool = nullptr;
size_t g_pool_bytes = 0;

char* pool_of(size_t bytes) {
  if (g_pool_bytes >= bytes) return g_pool;
  std::free(g_pool);
  g_pool = nullptr;
  g_pool_bytes = 0;
  size_t rounded = (bytes + 4095) / 4096 * 4096;
  void* p = std::aligned_alloc(4096, rounded);
  if (p == nullptr) throw std::runtime_error("cannot allocate " + std::to_string(rounded) + " bytes for the buffers");
  // Touch every page, and fill doubles that stay normal under repeated sums.
  double* d = static_cast<double*>(p);
  for (size_t i = 0; i < rounded / sizeof(double); i++) d[i] = 1.0 / 3.0;
  g_pool = static_cast<char*>(p);
  g_pool_bytes = rounded;
  return g_pool;
}

inline void operate(Op op, char* dst, const char* src, size_t bytes) {
  if (op == Op::Copy)
    std::memcpy(dst, src, bytes);
  else
    sum_doubles(reinterpret_cast<double*>(dst), reinterpret_cast<const double*>(src), bytes / sizeof(double));
  clobber(dst);
}

void measure(const ComputeSpec& spec, ComputeOut& out) {
  if (spec.cpu >= 0) {
    out.pinned = pin_current_thread(spec.cpu);
    if (!out.pinned) out.pin_error = std::strerror(errno);
  }
  out.cpu = sched_getcpu();
  timer_info();
  // Buffers start on 64-byte lines; a buffer pair is (dst, src) in two halves of the pool.
  const size_t stride = (spec.bytes + 63) / 64 * 64;
  const size_t side = spec.cold ? std::max(spec.set_bytes, stride) : stride;
  const size_t buffers = side / stride;
  out.set_bytes = spec.cold ? buffers * stride : 0;
  std::lock_guard<std::mutex> lock(g_pool_mutex);
  char* pool = pool_of(2 * side);
  char* dsts = pool;
  char* srcs = pool + side;
  size_t next = 0;
  auto one = [&]() {
    operate(spec.op, dsts + next * stride, srcs + next * stride, spec.bytes);
    if (++next == buffers) next = 0;
  };
  // Warm-up: a pass over the set (cold: so the timed walk starts where it will continue),
  // at least 8 operations, then the time of one operation to choose reps.
  size_t warm = std::max<size_t>(8, buffers);
  for (size_t i = 0; i < warm; i++) one();
  uint64_t t0 = now_ticks();
  for (int i = 0; i < 8; i++) one();
  double one_ns = std::max(1.0, ticks_to_ns(now_ticks() - t0) / 8);
  double want = std::ceil(spec.min_sample_ns / one_ns);
  out.reps = static_cast<uint32_t>(std::min(1e6, std::max(1.0, want)));
  out.samples_us.reserve(spec.samples);
  for (uint32_t s = 0; s < spec.samples; s++) {
    uint64_t a = now_ticks();
    for (uint32_t r = 0; r < out.reps; r++) one();
    uint64_t b = now_ticks();
    out.samples_us.push_back(ticks_to_ns(b - a) / 1000.0 / out.reps);
  }
}

// Off the JS thread; the measurement runs on a thread of its own so that pinning it
// never changes the affinity of a libuv pool thread that Node reuses for other work.
class ComputeWorker : public Napi::AsyncWorker {
 public:
  ComputeWorker(Napi::Env env, ComputeSpec spec)
      : Napi::AsyncWorker(env), spec_(spec), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    std::string error;
    try {
      std::thread t([this, &error] {
        try {
          measure(spec_, out_);
        } catch (const std::exception& e) {
          error = e.what();
        }
      });
      t.join();
    } catch (const std::system_error& e) {
      error = std::string("cannot start the measurement thread: ") + e.what();
    }
    if (!error.empty()) SetError(error);
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object o = Napi::Object::New(env);
    o.Set("cpu", out_.cpu);
    o.Set("pinned", out_.pinned);
    if (!out_.pin_error.empty()) o.Set("pinError", out_.pin_error);
    o.Set("bytes", static_cast<double>(spec_.bytes));
    o.Set("reps", out_.reps);
    o.Set("setBytes", static_cast<double>(out_.set_bytes));
    Napi::Float64Array samples = Napi::Float64Array::New(env, out_.samples_us.size());
    std::copy(out_.samples_us.begin(), out_.samples_us.end(), samples.Data());
    o.Set("samplesUs", samples);
    deferred_.Resolve(o);
  }

  void OnError(const Napi::Error& e) override {
    deferred_.Reject(probe_error(Env(), "system", e.Message()).Value());
  }

 private:
  ComputeSpec spec_;
  ComputeOut out_;
  Napi::Promise::Deferred deferred_;
};

double number_field(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (!v.IsNumber()) throw Napi::TypeError::New(o.Env(), std::string("computeRun: spec.") + name + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

}  // namespace

Napi::Value ComputeRun(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject())
    throw Napi::TypeError::New(env, "computeRun(spec: {op, cache, bytes, samples, setBytes, cpu, minSampleNs})");
  Napi::Object o = info[0].As<Napi::Object>();
  ComputeSpec spec;
  std::string op = o.Get("op").ToString();
  std::string cache = o.Get("cache").ToString();
  if (op != "copy" && op != "reduce") throw Napi::TypeError::New(env, "computeRun: op must be copy or reduce");
  if (cache != "warm" && cache != "cold") throw Napi::TypeError::New(env, "computeRun: cache must be warm or cold");
  spec.op = op == "copy" ? Op::Copy : Op::Reduce;
  spec.cold = cache == "cold";
  double bytes = number_field(o, "bytes");
  double samples = number_field(o, "samples");
  double set = number_field(o, "setBytes");
  double cpu = number_field(o, "cpu");
  double min_ns = number_field(o, "minSampleNs");
  // The limits the CLI checks first; here so that no caller can make the addon misbehave.
  if (!(bytes >= 8 && bytes <= (1ull << 30))) throw Napi::RangeError::New(env, "computeRun: bytes must be 8..1G");
  if (spec.op == Op::Reduce && static_cast<uint64_t>(bytes) % 8 != 0)
    throw Napi::RangeError::New(env, "computeRun: reduce bytes must be a multiple of 8 (doubles)");
  if (!(samples >= 1 && samples <= 1e6)) throw Napi::RangeError::New(env, "computeRun: samples must be 1..1e6");
  if (!(set >= 0 && set <= (4ull << 30))) throw Napi::RangeError::New(env, "computeRun: setBytes must be 0..4G");
  if (!(min_ns >= 0 && min_ns <= 1e9)) throw Napi::RangeError::New(env, "computeRun: minSampleNs must be 0..1e9");
  spec.bytes = static_cast<size_t>(bytes);
  spec.samples = static_cast<uint32_t>(samples);
  spec.set_bytes = static_cast<size_t>(set);
  spec.cpu = static_cast<int>(cpu);
  spec.min_sample_ns = min_ns;
  auto* worker = new ComputeWorker(env, spec);
  Napi::Promise p = worker->Promise();
  worker->Queue();
  return p;
}

Napi::Value ComputeInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto size = [](int name) {
    long v = sysconf(name);
    return v > 0 ? static_cast<double>(v) : 0.0;
  };
  Napi::Object o = Napi::Object::New(env);
  // glibc reads these from CPUID (leaf 4 on Intel, 0x8000001D on AMD), which a guest sees too.
  o.Set("l1d", size(_SC_LEVEL1_DCACHE_SIZE));
  o.Set("l2", size(_SC_LEVEL2_CACHE_SIZE));
  o.Set("l3", size(_SC_LEVEL3_CACHE_SIZE));
  o.Set("cpu", sched_getcpu());
  return o;
}

Napi::Value ComputeRelease(const Napi::CallbackInfo& info) {
  std::lock_guard<std::mutex> lock(g_pool_mutex);
  std::free(g_pool);
  g_pool = nullptr;
  g_pool_bytes = 0;
  return info.Env().Undefined();
}

}  // namespace ibvf
