// runJob(endpoints, spec, onProgress): runs one measurement Step on every endpoint at
// once (one thread per pair, optionally pinned), off the JS thread, reporting the
// iterations done to onProgress every 100 ms. Resolves to one result per pair;
// rejects with an Error whose `code` says why (timeout, peer-lost, cancelled, ...).
#pragma once
#include <napi.h>

namespace ibvf {
Napi::Value RunJob(const Napi::CallbackInfo& info);
}
