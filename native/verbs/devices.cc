#include "devices.h"

#include <cstdio>
#include <string>

#include "ibverbs.h"

namespace ibvf {

namespace {

const char* port_state(ibv_port_state s) {
  switch (s) {
    case IBV_PORT_DOWN: return "down";
    case IBV_PORT_INIT: return "init";
    case IBV_PORT_ARMED: return "armed";
    case IBV_PORT_ACTIVE: return "active";
    case IBV_PORT_ACTIVE_DEFER: return "active-defer";
    default: return "nop";
  }
}

int mtu_bytes(ibv_mtu m) { return 128 << static_cast<int>(m); }

std::string gid_text(const ibv_gid& g) {
  char buf[40];
  const uint8_t* r = g.raw;
  std::snprintf(buf, sizeof buf, "%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x", r[0], r[1],
                r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
  return buf;
}

bool zero_gid(const ibv_gid& g) {
  for (uint8_t b : g.raw)
    if (b != 0) return false;
  return true;
}

Napi::Object port_object(Napi::Env env, const Verbs& v, ibv_context* ctx, uint8_t port) {
  Napi::Object p = Napi::Object::New(env);
  p.Set("port", port);
  ibv_port_attr a{};
  if (v.query_port(ctx, port, &a) != 0) {
    p.Set("error", "ibv_query_port failed");
    return p;
  }
  p.Set("state", port_state(a.state));
  p.Set("activeMtu", mtu_bytes(a.active_mtu));
  p.Set("maxMtu", mtu_bytes(a.max_mtu));
  p.Set("lid", a.lid);
  p.Set("activeWidth", a.active_width);
  p.Set("activeSpeed", a.active_speed);
  p.Set("linkLayer", a.link_layer == IBV_LINK_LAYER_ETHERNET ? "ethernet" : "infiniband");
  Napi::Array gids = Napi::Array::New(env);
  for (int i = 0; i < a.gid_tbl_len && i < 256; ++i) {
    ibv_gid g{};
    if (v.query_gid(ctx, port, i, &g) != 0 || zero_gid(g)) continue;
    Napi::Object o = Napi::Object::New(env);
    o.Set("index", i);
    o.Set("gid", gid_text(g));
    gids.Set(gids.Length(), o);
  }
  p.Set("gids", gids);
  return p;
}

}  // namespace

Napi::Value VerbsDevices(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  Napi::Array devices = Napi::Array::New(env);
  out.Set("devices", devices);
  std::string why;
  const Verbs* v = load_verbs(why);
  if (v == nullptr) {
    out.Set("library", Napi::Env(env).Null());
    out.Set("testDouble", false);
    out.Set("why", why);
    return out;
  }
  out.Set("library", v->path);
  out.Set("testDouble", v->test_double);
  int n = 0;
  ibv_device** list = device_list(*v, n, why);
  if (!why.empty()) out.Set("why", why);
  for (int i = 0; i < n; ++i) {
    Napi::Object d = Napi::Object::New(env);
    d.Set("name", v->get_device_name(list[i]));
    ibv_context* ctx = v->open_device(list[i]);
    if (ctx == nullptr) {
      d.Set("error", "ibv_open_device failed (permissions on /dev/infiniband/uverbs*?)");
      devices.Set(devices.Length(), d);
      continue;
    }
    ibv_device_attr a{};
    if (v->query_device(ctx, &a) == 0) {
      d.Set("firmware", a.fw_ver);
      d.Set("vendorId", a.vendor_id);
      d.Set("vendorPartId", a.vendor_part_id);
      d.Set("hwVersion", a.hw_ver);
      d.Set("maxQpWr", a.max_qp_wr);
      d.Set("maxSge", a.max_sge);
      Napi::Array ports = Napi::Array::New(env);
      for (uint8_t p = 1; p <= a.phys_port_cnt; ++p) ports.Set(ports.Length(), port_object(env, *v, ctx, p));
      d.Set("ports", ports);
    } else {
      d.Set("error", "ibv_query_device failed");
    }
    v->close_device(ctx);
    devices.Set(devices.Length(), d);
  }
  if (list != nullptr) v->free_device_list(list);
  return out;
}

}  // namespace ibvf
