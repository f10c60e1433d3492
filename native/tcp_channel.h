// TCP transport: one connected stream socket per pair with TCP_NODELAY (Nagle off,
// as qperf and sockperf set it), so each message leaves at once. Poll mode keeps
// the socket non-blocking and busy-polls recv/send (spin, then yield; wait.h);
// event mode blocks in the kernel: recv/send with a short SO_RCVTIMEO/SO_SNDTIMEO
// slice so a cancel or a silent peer is noticed.
#pragma once
#include "channel.h"

namespace ibvf {

class TcpChannel : public Channel {
 public:
  // Takes ownership of a connected socket.
  explicit TcpChannel(int fd);
  ~TcpChannel() override;
  const char* transport() const override { return "tcp"; }
  size_t max_message() const override { return SIZE_MAX; }
  void set_mode(Mode m) override;
  void send(const uint8_t* buf, size_t len) override;
  void recv(uint8_t* buf, size_t len) override;

 private:
  int fd_;
  Mode mode_ = Mode::Event;
};

// Options every probe TCP socket gets: TCP_NODELAY and large buffers.
void tune_socket(int fd);

}  // namespace ibvf
