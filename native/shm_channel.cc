#include "shm_channel.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

#include "timer.h"

namespace ibvf {

namespace {
constexpr uint32_t kMagic = 0x49425646;  // "IBVF"
constexpr uint32_t kLayoutVersion = 1;

long futex(std::atomic<uint32_t>* word, int op, uint32_t val, const timespec* timeout) {
  // Not FUTEX_PRIVATE: the word lives in memory shared by two processes.
  return syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), op, val, timeout, nullptr, 0);
}
}  // namespace

struct ShmChannel::Ring {
  alignas(64) std::atomic<uint32_t> head;  // slots produced by the writer
  std::atomic<uint32_t> head_sleepers;     // readers asleep on head (event mode)
  alignas(64) std::atomic<uint32_t> tail;  // slots consumed by the reader
  std::atomic<uint32_t> tail_sleepers;     // writers asleep on tail (ring full)
};

struct ShmSegment {
  uint32_t magic;
  uint32_t version;
  uint32_t slots;
  uint32_t slot_size;
  std::atomic<int32_t> pid_a;
  std::atomic<int32_t> pid_b;
};

namespace {
constexpr size_t kHeaderBytes = 4096;  // segment header, then two rings, then data
constexpr size_t kRingsOffset = 256;
}  // namespace

ShmChannel* ShmChannel::create(const std::string& name, uint32_t slots, uint32_t slot_size) {
  if (slots < 1 || slot_size < 64 || slot_size % 64 != 0)
    throw ProbeError("system", "shm: slots must be >= 1 and slot size a multiple of 64");
  size_t bytes = kHeaderBytes + 2ull * slots * slot_size;
  int fd = shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0) throw_errno("shm_open(" + name + ")");
  if (ftruncate(fd, static_cast<off_t>(bytes)) != 0) {
    close(fd);
    shm_unlink(name.c_str());
    throw_errno("ftruncate(" + name + ")");
  }
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
  close(fd);
  if (p == MAP_FAILED) {
    shm_unlink(name.c_str());
    throw_errno("mmap(" + name + ")");
  }
  auto* ch = new ShmChannel();
  ch->name_ = name;
  ch->creator_ = true;
  ch->bytes_ = bytes;
  ch->seg_ = static_cast<ShmSegment*>(p);
  ch->seg_->slots = slots;
  ch->seg_->slot_size = slot_size;
  ch->seg_->version = kLayoutVersion;
  ch->seg_->pid_a.store(getpid());
  ch->seg_->pid_b.store(0);
  std::atomic_thread_fence(std::memory_order_seq_cst);
  ch->seg_->magic = kMagic;
  ch->slots_ = slots;
  ch->slot_size_ = slot_size;
  auto* base = static_cast<uint8_t*>(p);
  auto* rings = reinterpret_cast<Ring*>(base + kRingsOffset);
  uint8_t* data = base + kHeaderBytes;
  ch->out_ = &rings[0];
  ch->in_ = &rings[1];
  ch->out_data_ = data;
  ch->in_data_ = data + static_cast<size_t>(slots) * slot_size;
  return ch;
}

ShmChannel* ShmChannel::open(const std::string& name) {
  int fd = shm_open(name.c_str(), O_RDWR, 0600);
  if (fd < 0) throw_errno("shm_open(" + name + ") (is the peer on this host?)");
  struct stat st;
  if (fstat(fd, &st) != 0 || static_cast<size_t>(st.st_size) < kHeaderBytes) {
    close(fd);
    throw ProbeError("protocol", "shm segment " + name + " is too small");
  }
  size_t bytes = static_cast<size_t>(st.st_size);
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
  close(fd);
  if (p == MAP_FAILED) throw_errno("mmap(" + name + ")");
  auto* seg = static_cast<ShmSegment*>(p);
  if (seg->magic != kMagic || seg->version != kLayoutVersion ||
      kHeaderBytes + 2ull * seg->slots * seg->slot_size != bytes) {
    munmap(p, bytes);
    throw ProbeError("protocol", "shm segment " + name + " is not an ibvf segment of this version");
  }
  auto* ch = new ShmChannel();
  ch->name_ = name;
  ch->bytes_ = bytes;
  ch->seg_ = seg;
  ch->slots_ = seg->slots;
  ch->slot_size_ = seg->slot_size;
  seg->pid_b.store(getpid());
  auto* base = static_cast<uint8_t*>(p);
  auto* rings = reinterpret_cast<Ring*>(base + kRingsOffset);
  uint8_t* data = base + kHeaderBytes;
  ch->out_ = &rings[1];
  ch->in_ = &rings[0];
  ch->in_data_ = data;
  ch->out_data_ = data + static_cast<size_t>(ch->slots_) * ch->slot_size_;
  return ch;
}

ShmChannel::~ShmChannel() {
  if (creator_ && !unlinked_) shm_unlink(name_.c_str());
  if (seg_) munmap(seg_, bytes_);
}

void ShmChannel::unlink() {
  if (creator_ && !unlinked_) shm_unlink(name_.c_str());
  unlinked_ = true;
}

void ShmChannel::set_guard(const Guard& g) {
  guard_ = g;
  guard_.peer_pid = creator_ ? seg_->pid_b.load() : seg_->pid_a.load();
}

template <class Ready>
void ShmChannel::wait_for(std::atomic<uint32_t>& word, std::atomic<uint32_t>& sleepers, Ready ready) {
  if (ready()) return;
  if (mode_ == Mode::Poll) {
    Spinner spin(guard_);
    while (!ready()) spin.pause();
    return;
  }
  uint64_t start = now_ticks();
  const timespec slice{0, kEventSliceMs * 1000000L};
  for (;;) {
    uint32_t seen = word.load(std::memory_order_acquire);
    sleepers.fetch_add(1, std::memory_order_seq_cst);
    if (!ready()) futex(&word, FUTEX_WAIT, seen, &slice);
    sleepers.fetch_sub(1, std::memory_order_seq_cst);
    if (ready()) return;
    guard_.check(start);
    guard_.check_peer();
  }
}

void ShmChannel::wake(std::atomic<uint32_t>& word, std::atomic<uint32_t>& sleepers) {
  if (mode_ == Mode::Poll) return;  // a polling peer never sleeps on the word
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (sleepers.load(std::memory_order_relaxed) != 0) futex(&word, FUTEX_WAKE, 1, nullptr);
}

void ShmChannel::send(const uint8_t* buf, size_t len) {
  size_t off = 0;
  do {
    size_t n = len - off < slot_size_ ? len - off : slot_size_;
    const uint32_t h = out_head_;
    wait_for(out_->tail, out_->tail_sleepers,
             [&] { return h - out_->tail.load(std::memory_order_acquire) < slots_; });
    std::memcpy(out_data_ + static_cast<size_t>(h % slots_) * slot_size_, buf + off, n);
    out_head_ = h + 1;
    out_->head.store(out_head_, std::memory_order_release);
    wake(out_->head, out_->head_sleepers);
    off += n;
  } while (off < len);
}

void ShmChannel::recv(uint8_t* buf, size_t len) {
  size_t off = 0;
  do {
    size_t n = len - off < slot_size_ ? len - off : slot_size_;
    const uint32_t t = in_tail_;
    wait_for(in_->head, in_->head_sleepers, [&] { return in_->head.load(std::memory_order_acquire) != t; });
    std::memcpy(buf + off, in_data_ + static_cast<size_t>(t % slots_) * slot_size_, n);
    in_tail_ = t + 1;
    in_->tail.store(in_tail_, std::memory_order_release);
    wake(in_->tail, in_->tail_sleepers);
    off += n;
  } while (off < len);
}

}  // namespace ibvf
