// An Endpoint is one connected Channel as JS sees it: created by shmCreate/shmOpen
// or by a TCP accept/connect, passed to runJob, cancelled or closed from JS. The
// state is shared with running jobs, so closing an endpoint in use only cancels it
// and the channel goes away when the job ends.
#pragma once
#include <napi.h>

#include <atomic>
#include <memory>

#include "channel.h"

namespace ibvf {

struct EndpointState {
  std::unique_ptr<Channel> channel;
  std::atomic<bool> cancel{false};
};

class Endpoint : public Napi::ObjectWrap<Endpoint> {
 public:
  static Napi::Function Define(Napi::Env env);
  static Napi::Object Wrap(Napi::Env env, std::shared_ptr<EndpointState> state);
  static std::shared_ptr<EndpointState> StateOf(const Napi::Value& v);
  explicit Endpoint(const Napi::CallbackInfo& info);

 private:
  Napi::Value Cancel(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value Unlink(const Napi::CallbackInfo& info);
  Napi::Value Transport(const Napi::CallbackInfo& info);
  std::shared_ptr<EndpointState> state_;
};

// Per-addon-instance data: constructors made once per environment.
struct AddonData {
  Napi::FunctionReference endpoint;
  Napi::FunctionReference listener;
};

// Throws a JS Error with `code` set (one of ProbeError's codes).
Napi::Error probe_error(Napi::Env env, const std::string& code, const std::string& message);

}  // namespace ibvf
