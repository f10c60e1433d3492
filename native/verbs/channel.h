// The verbs transport: one RC queue pair per pair of processes, as perftest's
// ib_send_lat / ib_write_lat / ib_read_lat set it up, behind the Channel interface
// so measure.cc times it like shm and tcp.
//   send   RC send/recv: receives are pre-posted (kRecvDepth, all into one buffer, as
//          perftest's bandwidth tests do: the payload is not read), a message is one
//          signalled ibv_post_send, inline when it fits the chosen inline size.
//   write  RDMA write ping-pong: the receiver polls the last byte of its buffer
//          (perftest's write latency test); no completion exists on its side, so event
//          mode is refused, as perftest refuses -e for ib_write_lat.
//   read   RDMA read: the active side reads s bytes of the peer's buffer; one read is a
//          whole round trip (reported whole, not halved); the peer's CPU takes no part.
// The caller's buffers are not registered: only byte 0 (the settling flag of
// measure.cc) is carried from them, so no copy is timed, as in perftest.
// --region (send only): besides the two buffers, one memory region (MR) per size asked
// for, registered over the start of one buffer of the largest size; a step that names
// one of them (Step::region) sends its k-th message from offset (k mod slots) x stride
// and posts its k-th receive at the same offset, slots = region / stride, so each
// message's DMAs (the descriptor's payload read, the receive's write) use a page whose
// IOMMU translation the previous slots-1 messages did not: what an MPI library's
// registered buffers for many peers make the IOTLB hold. perftest has no such option
// (its latency tests reuse one buffer; its bandwidth tests step within one page).
// One CQ takes send and receive completions; event mode arms it with
// ibv_req_notify_cq and sleeps in ibv_get_cq_event on its completion channel.
#pragma once
#include <string>
#include <vector>

#include "../channel.h"
#include "ibverbs.h"

namespace ibvf {

enum class VerbsOp { Send, Write, Read };

struct VerbsConfig {
  std::string device;       // empty: the first device
  int port = 1;
  VerbsOp op = VerbsOp::Send;
  int inline_size = -1;     // -1: the device's maximum (found by search); 0: no inline
  size_t max_message = 4096;
  std::vector<size_t> regions;  // --region sizes (bytes; send only), empty: none
  size_t region_stride = 4096;  // bytes between consecutive messages' buffers in a region
};

// Limits of --region, checked in TypeScript first (src/probe/verbs/region.ts).
constexpr size_t kMaxRegions = 16;
constexpr size_t kMinRegionStride = 4096;
constexpr size_t kMaxRegionBytes = size_t{1} << 36;  // 64 GiB

// What each side sends the other to connect its QP (perftest's pingpong_dest).
struct VerbsPeerInfo {
  uint32_t qpn = 0, psn = 0, rkey = 0;
  uint16_t lid = 0;
  uint64_t addr = 0;
  int mtu = 0;              // active MTU in bytes
  std::string gid;          // 32 hex digits, empty when the port has none (InfiniBand without GRH)
};

// Queue depths held fixed: the inline search uses the same, since mlx4's inline
// maximum depends on max_send_wr and max_send_sge.
constexpr uint32_t kSendDepth = 128;
constexpr uint32_t kRecvDepth = 256;

// The largest cap.max_inline_data a QP is created with on this PD/CQ, by binary search
// over [0, 4096], and what the provider granted (read back from the created QP).
struct InlineSearch {
  uint32_t requested = 0, granted = 0, probes = 0;
};

class VerbsChannel : public Channel {
 public:
  static VerbsChannel* open(const Verbs& v, const VerbsConfig& cfg);
  ~VerbsChannel() override;
  const char* transport() const override { return "verbs"; }
  size_t max_message() const override { return cfg_.max_message; }
  void set_mode(Mode m) override;
  void send(const uint8_t* buf, size_t len) override;
  void recv(uint8_t* buf, size_t len) override;
  bool halves_round_trip() const override { return cfg_.op != VerbsOp::Read; }
  void set_role(bool active) override { active_ = active; }
  void set_overhead_log(OverheadLog* log) override { log_ = log; }
  bool streams_by_completion() const override { return true; }
  void post_windowed(const uint8_t* buf, size_t len, uint32_t window) override;
  void complete_all() override;
  bool passive_sees_each() const override { return cfg_.op == VerbsOp::Send; }
  void send_quiet(const uint8_t* buf, size_t len) override;

  VerbsPeerInfo local() const { return local_; }
  void connect(const VerbsPeerInfo& remote);
  const InlineSearch& inline_search() const { return search_; }
  uint32_t inline_size() const { return inline_; }
  std::string device_name() const { return device_; }
  int path_mtu() const { return path_mtu_; }
  bool test_double() const { return v_->test_double; }
  void set_region(size_t bytes) override;
  // The page size of the region buffer and whether transparent huge pages were turned
  // off for it (madvise MADV_NOHUGEPAGE): a 2 MiB page would hold 512 strides.
  size_t region_page() const { return region_page_; }
  bool region_small_pages() const { return region_small_pages_; }

 private:
  VerbsChannel(const Verbs& v, const VerbsConfig& c) : v_(&v), cfg_(c) {}
  void setup();
  ibv_qp* create_qp(uint32_t max_inline);
  std::string refused_cap(uint32_t max_inline);
  void post_recvs(uint32_t n);
  void setup_regions(int access);
  // Posts one work request of `len` bytes; `quiet` writes come from the zeroed half of
  // the send buffer, so they carry no arrival marker and never race the marked one.
  void post(const uint8_t* buf, size_t len, bool quiet);
  // Polls the CQ once (non-blocking), counting finished sends and receives.
  void drain();
  void count(const ibv_wc* wc, int n);
  // Waits until `ready()`, polling or sleeping on the completion channel.
  template <class Ready>
  void wait(Ready ready);

  const Verbs* v_;
  VerbsConfig cfg_;
  std::string device_;
  Mode mode_ = Mode::Poll;
  ibv_context* ctx_ = nullptr;
  ibv_pd* pd_ = nullptr;
  ibv_comp_channel* cc_ = nullptr;
  ibv_cq* cq_ = nullptr;
  ibv_qp* qp_ = nullptr;
  uint8_t* sbuf_ = nullptr;  // registered: what this side sends (and where reads land); the
                             // second half (qbuf_) stays zero for quiet writes
  uint8_t* qbuf_ = nullptr;
  uint8_t* rbuf_ = nullptr;  // registered: where the peer's sends and writes land
  ibv_mr* smr_ = nullptr;
  ibv_mr* rmr_ = nullptr;
  InlineSearch search_;
  uint32_t inline_ = 0;
  int path_mtu_ = 0;
  VerbsPeerInfo local_, remote_;
  uint32_t outstanding_ = 0;  // sends posted, not yet completed
  uint64_t received_ = 0;     // receive completions not yet consumed
  size_t last_write_ = 0;     // size of the previous RDMA write (its marker to clear)
  bool armed_ = false;
  bool active_ = true;
  uint32_t unacked_events_ = 0;
  OverheadLog* log_ = nullptr;
  uint64_t recv_poll_ticks_ = 0;  // the poll_cq call that returned the last receive (logging)
  // --region: the buffer (mmap), its MRs (one per size, as cfg_.regions), the one in use.
  uint8_t* region_buf_ = nullptr;
  size_t region_alloc_ = 0, region_page_ = 0;
  bool region_small_pages_ = false;
  std::vector<ibv_mr*> region_mrs_;
  ibv_mr* region_mr_ = nullptr;  // null: the plain buffers
  size_t region_slots_ = 0;
  bool region_chosen_ = false;   // a region step ran: the receives posted since are a stride long
  uint64_t sends_ = 0, recvs_posted_ = 0;
  // Where each completed receive landed, oldest first (its wr_id is the address).
  uint64_t landed_[kRecvDepth] = {};
  uint32_t landed_head_ = 0, landed_count_ = 0;
};

}  // namespace ibvf
