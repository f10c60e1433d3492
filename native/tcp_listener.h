// TCP data connections for the tcp transport: a Listener (bind + listen now, accept
// on a worker thread with a timeout) and tcpConnect (resolve + connect on a worker
// thread, retrying a refused connection until the timeout, since the peer may still
// be starting). Both resolve to Endpoints wrapping a TcpChannel.
#pragma once
#include <napi.h>

#include <atomic>
#include <memory>

namespace ibvf {

struct ListenerState {
  int fd = -1;
  std::atomic<bool> cancel{false};
  ~ListenerState();
};

class Listener : public Napi::ObjectWrap<Listener> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit Listener(const Napi::CallbackInfo& info);

 private:
  Napi::Value Accept(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value Port(const Napi::CallbackInfo& info);
  std::shared_ptr<ListenerState> state_;
  int port_ = 0;
};

// tcpConnect(host, port, timeoutMs): Promise<Endpoint>
Napi::Value TcpConnect(const Napi::CallbackInfo& info);

}  // namespace ibvf
