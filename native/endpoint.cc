#include "endpoint.h"

namespace ibvf {

Napi::Error probe_error(Napi::Env env, const std::string& code, const std::string& message) {
  Napi::Error e = Napi::Error::New(env, message);
  e.Set("code", Napi::String::New(env, code));
  return e;
}

Napi::Function Endpoint::Define(Napi::Env env) {
  return DefineClass(env, "Endpoint",
                     {InstanceMethod("cancel", &Endpoint::Cancel), InstanceMethod("close", &Endpoint::Close),
                      InstanceMethod("unlink", &Endpoint::Unlink),
                      InstanceAccessor("transport", &Endpoint::Transport, nullptr)});
}

Endpoint::Endpoint(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Endpoint>(info) {
  if (info.Length() != 1 || !info[0].IsExternal())
    throw Napi::TypeError::New(info.Env(), "Endpoint is created by shmCreate, shmOpen, accept or tcpConnect");
  state_ = *info[0].As<Napi::External<std::shared_ptr<EndpointState>>>().Data();
}

Napi::Object Endpoint::Wrap(Napi::Env env, std::shared_ptr<EndpointState> state) {
  auto* data = env.GetInstanceData<AddonData>();
  auto holder = std::make_unique<std::shared_ptr<EndpointState>>(std::move(state));
  auto ext = Napi::External<std::shared_ptr<EndpointState>>::New(env, holder.get());
  Napi::Object obj = data->endpoint.New({ext});
  return obj;  // holder freed here; the constructor copied the shared_ptr
}

std::shared_ptr<EndpointState> Endpoint::StateOf(const Napi::Value& v) {
  if (!v.IsObject()) return nullptr;
  Napi::Object o = v.As<Napi::Object>();
  auto* data = v.Env().GetInstanceData<AddonData>();
  if (!o.InstanceOf(data->endpoint.Value())) return nullptr;
  return Napi::ObjectWrap<Endpoint>::Unwrap(o)->state_;
}

Napi::Value Endpoint::Cancel(const Napi::CallbackInfo& info) {
  if (state_) state_->cancel.store(true);
  return info.Env().Undefined();
}

Napi::Value Endpoint::Close(const Napi::CallbackInfo& info) {
  if (state_) {
    state_->cancel.store(true);
    state_.reset();
  }
  return info.Env().Undefined();
}

Napi::Value Endpoint::Unlink(const Napi::CallbackInfo& info) {
  if (state_ && state_->channel) {
    state_->channel->unlink();
  }
  return info.Env().Undefined();
}

Napi::Value Endpoint::Transport(const Napi::CallbackInfo& info) {
  if (!state_ || !state_->channel) return Napi::String::New(info.Env(), "closed");
  return Napi::String::New(info.Env(), state_->channel->transport());
}

}  // namespace ibvf
