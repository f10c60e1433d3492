#include "tcp_listener.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <system_error>
#include <thread>

#include "endpoint.h"
#include "tcp_channel.h"
#include "timer.h"

namespace ibvf {

ListenerState::~ListenerState() {
  if (fd >= 0) close(fd);
}

namespace {

std::string errno_text(const std::string& what) { return what + ": " + strerror(errno); }

// Settles a promise with an Endpoint for `fd`, or rejects with (code, message). Runs on a
// thread of its own, not on libuv's worker pool (4 threads by default, shared with Node's
// file and DNS work), which an accept or connect would hold for up to --timeout; the
// result comes back to the JS thread through a thread-safe function.
class FdWorker : public std::enable_shared_from_this<FdWorker> {
 public:
  explicit FdWorker(Napi::Env env) : deferred_(Napi::Promise::Deferred::New(env)) {
    tsfn_ = Napi::ThreadSafeFunction::New(env, Napi::Function::New(env, [](const Napi::CallbackInfo&) {}),
                                          "ibvf-probe-socket", 0, 1);
  }
  // A socket that was opened but never handed to an Endpoint (the worker failed after it,
  // or the environment went away before it settled) is closed here, on every path.
  virtual ~FdWorker() {
    if (fd_ >= 0) close(fd_);
  }
  Napi::Promise Promise() { return deferred_.Promise(); }

  // Starts the worker's thread; one that cannot be created rejects the promise at once.
  void Start() {
    auto self = shared_from_this();
    try {
      std::thread([self] {
        self->Execute();
        self->tsfn_.BlockingCall([self](Napi::Env env, Napi::Function) {
          if (env != nullptr) self->Settle(env);
        });
        self->tsfn_.Release();
      }).detach();
    } catch (const std::system_error& e) {
      tsfn_.Release();
      deferred_.Reject(
          probe_error(deferred_.Env(), "system", std::string("cannot start a socket thread: ") + e.what()).Value());
    }
  }

 protected:
  virtual void Execute() = 0;
  void Fail(const std::string& code, const std::string& message) {
    code_ = code;
    message_ = message;
  }
  int fd_ = -1;

 private:
  void Settle(Napi::Env env) {
    Napi::HandleScope scope(env);
    if (!code_.empty() || fd_ < 0) {
      deferred_.Reject(probe_error(env, code_.empty() ? "system" : code_, message_).Value());
      return;
    }
    auto state = std::make_shared<EndpointState>();
    state->channel = std::make_unique<TcpChannel>(fd_);
    fd_ = -1;
    deferred_.Resolve(Endpoint::Wrap(env, state));
  }
  Napi::Promise::Deferred deferred_;
  Napi::ThreadSafeFunction tsfn_;
  std::string code_, message_;
};

class AcceptWorker : public FdWorker {
 public:
  AcceptWorker(Napi::Env env, std::shared_ptr<ListenerState> st, int timeout_ms)
      : FdWorker(env), st_(std::move(st)), timeout_ms_(timeout_ms) {}
  void Execute() override {
    uint64_t start = mono_raw_ns();
    for (;;) {
      if (st_->cancel.load()) return Fail("cancelled", "accept cancelled");
      pollfd p{st_->fd, POLLIN, 0};
      int r = poll(&p, 1, 50);
      if (r > 0) {
        // close-on-exec, so that a process spawned later (a peer, a shell) does not inherit it
        int fd = accept4(st_->fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
          fd_ = fd;
          return;
        }
        if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) return Fail("system", errno_text("accept"));
      } else if (r < 0 && errno != EINTR) {
        return Fail("system", errno_text("poll"));
      }
      if (timeout_ms_ > 0 && (mono_raw_ns() - start) / 1000000 > static_cast<uint64_t>(timeout_ms_))
        return Fail("timeout", "no data connection from the peer within " + std::to_string(timeout_ms_ / 1000) + " s");
    }
  }

 private:
  std::shared_ptr<ListenerState> st_;
  int timeout_ms_;
};

class ConnectWorker : public FdWorker {
 public:
  ConnectWorker(Napi::Env env, std::string host, int port, int timeout_ms)
      : FdWorker(env), host_(std::move(host)), port_(port), timeout_ms_(timeout_ms) {}
  void Execute() override {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    int g = getaddrinfo(host_.c_str(), std::to_string(port_).c_str(), &hints, &res);
    if (g != 0) return Fail("system", "cannot resolve " + host_ + ": " + gai_strerror(g));
    uint64_t start = mono_raw_ns();
    std::string last = "connection refused";
    auto left_ms = [&]() -> int {
      if (timeout_ms_ <= 0) return 1000;  // no deadline: wait in slices
      int64_t used = static_cast<int64_t>((mono_raw_ns() - start) / 1000000);
      return static_cast<int>(std::max<int64_t>(0, timeout_ms_ - used));
    };
    for (;;) {
      for (addrinfo* a = res; a; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0) continue;
        // Non-blocking, so that a host that never answers (SYNs dropped) costs the
        // deadline, not the kernel's two minutes of SYN retries.
        int r = connect(fd, a->ai_addr, a->ai_addrlen);
        if (r < 0 && errno == EINPROGRESS) {
          pollfd p{fd, POLLOUT, 0};
          int w;
          do w = poll(&p, 1, std::max(1, left_ms()));
          while (w < 0 && errno == EINTR);
          int err = 0;
          socklen_t len = sizeof err;
          if (w > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) {
            r = 0;
          } else {
            errno = w == 0 ? ETIMEDOUT : (err != 0 ? err : errno);
          }
        }
        if (r == 0) {
          int flags = fcntl(fd, F_GETFL);
          fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);  // the channel sets its own mode per job
          freeaddrinfo(res);
          fd_ = fd;
          return;
        }
        last = strerror(errno);
        close(fd);
      }
      if (timeout_ms_ > 0 && left_ms() == 0) break;
      usleep(100000);
    }
    freeaddrinfo(res);
    Fail("timeout", "cannot connect to " + host_ + ":" + std::to_string(port_) + ": " + last);
  }

 private:
  std::string host_;
  int port_;
  int timeout_ms_;
};

}  // namespace

Napi::Function Listener::Define(Napi::Env env) {
  return DefineClass(env, "Listener",
                     {InstanceMethod("accept", &Listener::Accept), InstanceMethod("close", &Listener::Close),
                      InstanceAccessor("port", &Listener::Port, nullptr)});
}

// new Listener(host, port): binds and listens at once (errors are thrown here).
Listener::Listener(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Listener>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsNumber())
    throw Napi::TypeError::New(env, "Listener(host: string, port: number)");
  std::string host = info[0].As<Napi::String>();
  int port = info[1].As<Napi::Number>().Int32Value();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* res = nullptr;
  int g = getaddrinfo(host.empty() ? nullptr : host.c_str(), std::to_string(port).c_str(), &hints, &res);
  if (g != 0) throw probe_error(env, "system", "cannot resolve " + host + ": " + gai_strerror(g));
  state_ = std::make_shared<ListenerState>();
  std::string err = "no address";
  for (addrinfo* a = res; a; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 16) == 0) {
      state_->fd = fd;
      break;
    }
    err = strerror(errno);
    close(fd);
  }
  freeaddrinfo(res);
  if (state_->fd < 0) throw probe_error(env, "system", "cannot listen on " + host + ":" + std::to_string(port) + ": " + err);
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  getsockname(state_->fd, reinterpret_cast<sockaddr*>(&ss), &len);
  port_ = ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                                         : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
}

Napi::Value Listener::Accept(const Napi::CallbackInfo& info) {
  if (!state_) throw probe_error(info.Env(), "cancelled", "the listener is closed");
  int timeout = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 0;
  auto w = std::make_shared<AcceptWorker>(info.Env(), state_, timeout);
  Napi::Promise p = w->Promise();
  w->Start();
  return p;
}

Napi::Value Listener::Close(const Napi::CallbackInfo& info) {
  if (state_) {
    state_->cancel.store(true);
    state_.reset();  // the socket closes when no accept holds it any more
  }
  return info.Env().Undefined();
}

Napi::Value Listener::Port(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), port_); }

Napi::Value TcpConnect(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[1].IsNumber() || !info[2].IsNumber())
    throw Napi::TypeError::New(env, "tcpConnect(host: string, port: number, timeoutMs: number)");
  auto w = std::make_shared<ConnectWorker>(env, info[0].As<Napi::String>(), info[1].As<Napi::Number>().Int32Value(),
                                           info[2].As<Napi::Number>().Int32Value());
  Napi::Promise p = w->Promise();
  w->Start();
  return p;
}

}  // namespace ibvf
