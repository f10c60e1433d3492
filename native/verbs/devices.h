// verbsDevices(): every RDMA device libibverbs sees, with what ibv_query_device,
// ibv_query_port and ibv_query_gid report. Sysfs (PF/VF, NUMA node) is read in
// src/probe/verbs/sysfs.ts, not here.
#pragma once
#include <napi.h>

namespace ibvf {
Napi::Value VerbsDevices(const Napi::CallbackInfo& info);
}
