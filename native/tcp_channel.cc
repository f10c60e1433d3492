#include "tcp_channel.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "timer.h"

namespace ibvf {

void tune_socket(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval tv{0, kEventSliceMs * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

TcpChannel::TcpChannel(int fd) : fd_(fd) { tune_socket(fd_); }

TcpChannel::~TcpChannel() {
  if (fd_ >= 0) close(fd_);
}

void TcpChannel::set_mode(Mode m) {
  mode_ = m;
  int flags = fcntl(fd_, F_GETFL);
  if (m == Mode::Poll)
    fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
  else
    fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK);
}

void TcpChannel::send(const uint8_t* buf, size_t len) {
  size_t off = 0;
  Spinner spin(guard_);
  uint64_t start = now_ticks();
  while (off < len) {
    ssize_t n = ::send(fd_, buf + off, len - off, MSG_NOSIGNAL);
    if (n > 0) {
      off += static_cast<size_t>(n);
      start = now_ticks();
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      if (mode_ == Mode::Poll) {
        spin.pause();
      } else {
        guard_.check(start);
      }
      continue;
    }
    if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
      throw ProbeError("peer-lost", "the peer closed the TCP connection");
    throw_errno("send");
  }
}

void TcpChannel::recv(uint8_t* buf, size_t len) {
  if (len == 0) return;
  size_t off = 0;
  Spinner spin(guard_);
  uint64_t start = now_ticks();
  do {
    ssize_t n = ::recv(fd_, buf + off, len - off, 0);
    if (n > 0) {
      off += static_cast<size_t>(n);
      start = now_ticks();
      continue;
    }
    if (n == 0) throw ProbeError("peer-lost", "the peer closed the TCP connection");
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
      if (mode_ == Mode::Poll) {
        spin.pause();
      } else {
        guard_.check(start);
      }
      continue;
    }
    if (errno == ECONNRESET) throw ProbeError("peer-lost", "the peer reset the TCP connection");
    throw_errno("recv");
  } while (off < len);
}

}  // namespace ibvf
