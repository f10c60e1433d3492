#include "binding.h"

#include "../endpoint.h"
#include "channel.h"
#include "devices.h"

namespace ibvf {

namespace {

const Verbs& verbs_or_throw(Napi::Env env) {
  std::string why;
  const Verbs* v = load_verbs(why);
  if (v == nullptr) throw probe_error(env, "system", why);
  return *v;
}

Napi::Object peer_object(Napi::Env env, const VerbsPeerInfo& p) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("qpn", p.qpn);
  o.Set("psn", p.psn);
  o.Set("lid", p.lid);
  o.Set("rkey", p.rkey);
  // The address as a decimal string: a 64-bit value does not fit a JS number exactly.
  o.Set("addr", std::to_string(p.addr));
  o.Set("mtu", p.mtu);
  o.Set("gid", p.gid);
  return o;
}

uint32_t u32(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) throw Napi::TypeError::New(o.Env(), std::string("verbs peer info: ") + key + " is not a number");
  return v.As<Napi::Number>().Uint32Value();
}

// verbsOpen({ device, port, op, inline, maxMessage }) -> { endpoint, local, device, inline, ... }
Napi::Value VerbsOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) throw Napi::TypeError::New(env, "verbsOpen(config: object)");
  Napi::Object c = info[0].As<Napi::Object>();
  VerbsConfig cfg;
  if (c.Get("device").IsString()) cfg.device = c.Get("device").As<Napi::String>();
  if (c.Get("port").IsNumber()) cfg.port = c.Get("port").As<Napi::Number>().Int32Value();
  std::string op = c.Get("op").IsString() ? std::string(c.Get("op").As<Napi::String>()) : "send";
  cfg.op = op == "write" ? VerbsOp::Write : op == "read" ? VerbsOp::Read : VerbsOp::Send;
  if (c.Get("inline").IsNumber()) cfg.inline_size = c.Get("inline").As<Napi::Number>().Int32Value();
  if (c.Get("maxMessage").IsNumber())
    cfg.max_message = static_cast<size_t>(c.Get("maxMessage").As<Napi::Number>().Int64Value());
  // --region sizes and stride (checked again in the channel: the server's come from the client)
  Napi::Value regions = c.Get("regions");
  if (regions.IsArray()) {
    Napi::Array a = regions.As<Napi::Array>();
    if (a.Length() > kMaxRegions) throw Napi::RangeError::New(env, "verbsOpen: too many regions");
    for (uint32_t i = 0; i < a.Length(); ++i) {
      Napi::Value x = a.Get(i);
      const double b = x.IsNumber() ? x.As<Napi::Number>().DoubleValue() : -1;
      if (!(b >= 1 && b <= static_cast<double>(kMaxRegionBytes) && b == static_cast<double>(static_cast<size_t>(b))))
        throw Napi::RangeError::New(env, "verbsOpen: regions[" + std::to_string(i) + "] is not a byte count");
      cfg.regions.push_back(static_cast<size_t>(b));
    }
  }
  if (c.Get("regionStride").IsNumber()) {
    const double b = c.Get("regionStride").As<Napi::Number>().DoubleValue();
    if (!(b >= 1 && b <= static_cast<double>(kMaxRegionBytes)))
      throw Napi::RangeError::New(env, "verbsOpen: regionStride is not a byte count");
    cfg.region_stride = static_cast<size_t>(b);
  }
  const Verbs& v = verbs_or_throw(env);
  auto st = std::make_shared<EndpointState>();
  VerbsChannel* ch = nullptr;
  try {
    ch = VerbsChannel::open(v, cfg);
  } catch (const ProbeError& e) {
    throw probe_error(env, e.code, e.what());
  }
  st->channel.reset(ch);
  Napi::Object out = Napi::Object::New(env);
  out.Set("endpoint", Endpoint::Wrap(env, st));
  out.Set("local", peer_object(env, ch->local()));
  out.Set("device", ch->device_name());
  out.Set("library", v.path);
  out.Set("testDouble", v.test_double);
  Napi::Object inl = Napi::Object::New(env);
  inl.Set("maxRequested", ch->inline_search().requested);
  inl.Set("maxGranted", ch->inline_search().granted);
  inl.Set("probes", ch->inline_search().probes);
  inl.Set("used", ch->inline_size());
  out.Set("inline", inl);
  if (!cfg.regions.empty()) {
    Napi::Object reg = Napi::Object::New(env);
    reg.Set("pageBytes", static_cast<double>(ch->region_page()));
    reg.Set("smallPages", ch->region_small_pages());
    out.Set("region", reg);
  }
  return out;
}

// verbsConnect(endpoint, remote) -> { pathMtu }: the QP to RTR and RTS.
Napi::Value VerbsConnect(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto st = info.Length() > 0 ? Endpoint::StateOf(info[0]) : nullptr;
  // Built without RTTI: the channel names its transport.
  auto* ch = st && st->channel && std::string(st->channel->transport()) == "verbs"
                 ? static_cast<VerbsChannel*>(st->channel.get())
                 : nullptr;
  if (ch == nullptr || info.Length() < 2 || !info[1].IsObject())
    throw Napi::TypeError::New(env, "verbsConnect(endpoint: a verbs Endpoint, remote: object)");
  Napi::Object r = info[1].As<Napi::Object>();
  VerbsPeerInfo p;
  p.qpn = u32(r, "qpn");
  p.psn = u32(r, "psn");
  p.lid = static_cast<uint16_t>(u32(r, "lid"));
  p.rkey = u32(r, "rkey");
  p.mtu = static_cast<int>(u32(r, "mtu"));
  p.addr = std::stoull(r.Get("addr").ToString().Utf8Value());
  p.gid = r.Get("gid").IsString() ? r.Get("gid").As<Napi::String>().Utf8Value() : "";
  try {
    ch->connect(p);
  } catch (const ProbeError& e) {
    throw probe_error(env, e.code, e.what());
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("pathMtu", ch->path_mtu());
  return out;
}

}  // namespace

void RegisterVerbs(Napi::Env env, Napi::Object exports) {
  exports.Set("verbsDevices", Napi::Function::New(env, VerbsDevices));
  exports.Set("verbsOpen", Napi::Function::New(env, VerbsOpen));
  exports.Set("verbsConnect", Napi::Function::New(env, VerbsConnect));
}

}  // namespace ibvf
