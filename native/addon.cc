// ibvf_probe: the probe's native side. Exports (declared once in src/probe/native.ts):
//   timerInfo(), cpuInfo(), shmCreate(name, slots, slotSize), shmOpen(name),
//   Listener(host, port) with accept(timeoutMs) and close(), tcpConnect(host, port, timeoutMs),
//   runJob(endpoints, spec, onProgress); computeRun(spec), computeInfo(), computeRelease()
//   (native/compute.h); noise: native/noise.h; verbs: see native/verbs/binding.h.
#include <napi.h>

#include "compute.h"
#include "cpu.h"
#include "endpoint.h"
#include "job.h"
#include "noise.h"
#include "shm_channel.h"
#include "tcp_listener.h"
#include "timer.h"
#include "verbs/binding.h"

namespace ibvf {
namespace {

Napi::Value TimerInfoJs(const Napi::CallbackInfo& info) {
  const TimerInfo& t = timer_info();
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("source", t.source);
  o.Set("reference", t.clock);
  o.Set("ticksPerNs", t.ticks_per_ns);
  o.Set("calibrationMs", t.calibration_ms);
  o.Set("invariantTsc", t.invariant_tsc);
  return o;
}

Napi::Value CpuInfoJs(const Napi::CallbackInfo& info) {
  CpuId c = cpu_id();
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("vendor", c.vendor);
  o.Set("brand", c.brand);
  o.Set("hypervisor", c.hypervisor);
  o.Set("hypervisorVendor", c.hypervisor_vendor);
  return o;
}

Napi::Value ShmCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[1].IsNumber() || !info[2].IsNumber())
    throw Napi::TypeError::New(env, "shmCreate(name: string, slots: number, slotSize: number)");
  auto st = std::make_shared<EndpointState>();
  try {
    st->channel.reset(ShmChannel::create(info[0].As<Napi::String>(), info[1].As<Napi::Number>().Uint32Value(),
                                         info[2].As<Napi::Number>().Uint32Value()));
  } catch (const ProbeError& e) {
    throw probe_error(env, e.code, e.what());
  }
  return Endpoint::Wrap(env, st);
}

Napi::Value ShmOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(env, "shmOpen(name: string)");
  auto st = std::make_shared<EndpointState>();
  try {
    st->channel.reset(ShmChannel::open(info[0].As<Napi::String>()));
  } catch (const ProbeError& e) {
    throw probe_error(env, e.code, e.what());
  }
  return Endpoint::Wrap(env, st);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  Napi::Function endpoint = Endpoint::Define(env);
  Napi::Function listener = Listener::Define(env);
  data->endpoint = Napi::Persistent(endpoint);
  data->listener = Napi::Persistent(listener);
  env.SetInstanceData<AddonData>(data);
  exports.Set("Endpoint", endpoint);
  exports.Set("Listener", listener);
  exports.Set("timerInfo", Napi::Function::New(env, TimerInfoJs));
  exports.Set("cpuInfo", Napi::Function::New(env, CpuInfoJs));
  exports.Set("shmCreate", Napi::Function::New(env, ShmCreate));
  exports.Set("shmOpen", Napi::Function::New(env, ShmOpen));
  exports.Set("tcpConnect", Napi::Function::New(env, TcpConnect));
  exports.Set("runJob", Napi::Function::New(env, RunJob));
  exports.Set("computeRun", Napi::Function::New(env, ComputeRun));
  exports.Set("computeInfo", Napi::Function::New(env, ComputeInfo));
  exports.Set("computeRelease", Napi::Function::New(env, ComputeRelease));
  RegisterNoise(env, exports);  // the host-CPU noise probe (native/noise.h)
  RegisterVerbs(env, exports);  // verbs transport (native/verbs/), or why it is absent
  return exports;
}

}  // namespace
}  // namespace ibvf

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return ibvf::Init(env, exports); }

NODE_API_MODULE(ibvf_probe, InitAddon)
