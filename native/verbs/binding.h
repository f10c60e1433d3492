// The verbs part of the addon's exports: verbsDevices(), verbsOpen(config),
// verbsConnect(endpoint, remote), or, where the addon was built without
// infiniband/verbs.h (binding.gyp compiles absent.cc instead), verbsUnavailable: why.
#pragma once
#include <napi.h>

namespace ibvf {
void RegisterVerbs(Napi::Env env, Napi::Object exports);
}
