#include "channel.h"

#include <errno.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

#include "../timer.h"

namespace ibvf {
namespace {

/**
 * ibv_reg_mr pins the buffers, so the kernel counts them against RLIMIT_MEMLOCK (ulimit -l),
 * 64 KiB by default on many distributions and inside containers: the usual reason a
 * registration fails. Says the limit in force and what to do, with the errno's own text.
 */
[[noreturn]] void throw_registration_failed(size_t total, const char* what = "for the largest --sizes",
                                           const char* smaller = "smaller --sizes") {
  const int err = errno;
  rlimit rl{};
  std::string limit = "unknown";
  if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0)
    limit = rl.rlim_cur == RLIM_INFINITY ? "unlimited" : std::to_string(rl.rlim_cur / 1024) + " KiB";
  throw ProbeError("system", "ibv_reg_mr could not register the probe's buffers (" + std::to_string(total) +
                                 " bytes " + what + "): " + std::strerror(err) +
                                 "; the locked-memory limit (ulimit -l) is " + limit +
                                 ": raise it (ulimit -l unlimited, or memlock in /etc/security/limits.conf), " +
                                 "or use " + smaller);
}

}  // namespace
}  // namespace ibvf

namespace ibvf {

namespace {

// perftest's defaults (perftest_parameters.h): timeout 14, retry 7, RNR retry 7.
constexpr uint8_t kTimeout = 14, kRetry = 7, kRnrRetry = 7, kMinRnrTimer = 12;
constexpr uint32_t kInlineSearchTop = 4096;

const char* wc_status(ibv_wc_status s) {
  switch (s) {
    case IBV_WC_SUCCESS: return "success";
    case IBV_WC_LOC_LEN_ERR: return "local length error";
    case IBV_WC_LOC_QP_OP_ERR: return "local QP operation error";
    case IBV_WC_LOC_PROT_ERR: return "local protection error";
    case IBV_WC_WR_FLUSH_ERR: return "flushed (the QP is in error)";
    case IBV_WC_REM_ACCESS_ERR: return "remote access error";
    case IBV_WC_REM_INV_REQ_ERR: return "remote invalid request";
    case IBV_WC_RETRY_EXC_ERR: return "transport retry exceeded (is the peer gone?)";
    case IBV_WC_RNR_RETRY_EXC_ERR: return "receiver-not-ready retry exceeded";
    default: return "error";
  }
}

ibv_mtu mtu_enum(int bytes) {
  switch (bytes) {
    case 256: return IBV_MTU_256;
    case 512: return IBV_MTU_512;
    case 1024: return IBV_MTU_1024;
    case 2048: return IBV_MTU_2048;
    default: return IBV_MTU_4096;
  }
}

std::string hex(const uint8_t* p, size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += d[p[i] >> 4];
    s += d[p[i] & 15];
  }
  return s;
}

bool unhex(const std::string& s, uint8_t* out, size_t n) {
  if (s.size() != 2 * n) return false;
  for (size_t i = 0; i < n; ++i) {
    unsigned v;
    if (std::sscanf(s.c_str() + 2 * i, "%2x", &v) != 1) return false;
    out[i] = static_cast<uint8_t>(v);
  }
  return true;
}

uint8_t* alloc_buffer(size_t n) {
  const size_t page = 4096;
  size_t bytes = (n + page - 1) / page * page;
  void* p = std::aligned_alloc(page, bytes);
  if (p == nullptr) throw ProbeError("system", "cannot allocate a " + std::to_string(bytes) + "-byte buffer");
  std::memset(p, 0, bytes);
  return static_cast<uint8_t*>(p);
}

}  // namespace

VerbsChannel* VerbsChannel::open(const Verbs& v, const VerbsConfig& cfg) {
  auto* ch = new VerbsChannel(v, cfg);
  try {
    ch->setup();
  } catch (...) {
    delete ch;
    throw;
  }
  return ch;
}

void VerbsChannel::setup() {
  std::string why;
  int n = 0;
  ibv_device** list = device_list(*v_, n, why);
  ibv_device* dev = nullptr;
  for (int i = 0; i < n && dev == nullptr; ++i)
    if (cfg_.device.empty() || cfg_.device == v_->get_device_name(list[i])) dev = list[i];
  if (dev == nullptr) {
    if (list != nullptr) v_->free_device_list(list);
    throw ProbeError("system", why.empty() ? "no RDMA device named " + cfg_.device + " (ibvf devices lists them)" : why);
  }
  device_ = v_->get_device_name(dev);
  ctx_ = v_->open_device(dev);
  v_->free_device_list(list);
  if (ctx_ == nullptr) throw_errno("ibv_open_device(" + device_ + ")");
  ibv_port_attr pa{};
  if (v_->query_port(ctx_, static_cast<uint8_t>(cfg_.port), &pa) != 0)
    throw ProbeError("system", device_ + " has no port " + std::to_string(cfg_.port));
  if (pa.state != IBV_PORT_ACTIVE)
    throw ProbeError("system", device_ + " port " + std::to_string(cfg_.port) +
                                   " is not active (state " + std::to_string(pa.state) +
                                   "): is the cable in and the subnet manager running?");
  local_.lid = pa.lid;
  local_.mtu = 128 << static_cast<int>(pa.active_mtu);
  ibv_gid gid{};
  if (v_->query_gid(ctx_, static_cast<uint8_t>(cfg_.port), 0, &gid) == 0) {
    bool zero = true;
    for (uint8_t b : gid.raw) zero = zero && b == 0;
    if (!zero) local_.gid = hex(gid.raw, 16);
  }
  pd_ = v_->alloc_pd(ctx_);
  if (pd_ == nullptr) throw_errno("ibv_alloc_pd");
  cc_ = v_->create_comp_channel(ctx_);
  if (cc_ == nullptr) throw_errno("ibv_create_comp_channel");
  cq_ = v_->create_cq(ctx_, static_cast<int>(kSendDepth + kRecvDepth), nullptr, cc_, 0);
  if (cq_ == nullptr) throw_errno("ibv_create_cq");
  size_t bytes = cfg_.max_message < 64 ? 64 : cfg_.max_message;
  sbuf_ = alloc_buffer(2 * bytes);
  qbuf_ = sbuf_ + bytes;
  rbuf_ = alloc_buffer(bytes);
  const int access = IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_READ;
  smr_ = v_->reg_mr(pd_, sbuf_, 2 * bytes, access);
  rmr_ = smr_ == nullptr ? nullptr : v_->reg_mr(pd_, rbuf_, bytes, access);
  if (smr_ == nullptr || rmr_ == nullptr) throw_registration_failed(3 * bytes);
  setup_regions(access);

  // The inline maximum: the largest request accepted, by binary search (each probe a
  // QP created and destroyed), and what the provider granted for it.
  uint32_t lo = 0, hi = kInlineSearchTop;
  ibv_qp* probe = create_qp(0);
  ++search_.probes;
  if (probe == nullptr) throw ProbeError("system", "QP creation refused: " + refused_cap(0));
  search_.granted = 0;
  v_->destroy_qp(probe);
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo + 1) / 2;
    ibv_qp* q = create_qp(mid);
    ++search_.probes;
    if (q != nullptr) {
      lo = mid;
      v_->destroy_qp(q);
    } else {
      hi = mid - 1;
    }
  }
  search_.requested = lo;
  {
    ibv_qp_init_attr a{};
    a.send_cq = a.recv_cq = cq_;
    a.qp_type = IBV_QPT_RC;
    a.cap.max_send_wr = kSendDepth;
    a.cap.max_recv_wr = kRecvDepth;
    a.cap.max_send_sge = a.cap.max_recv_sge = 1;
    a.cap.max_inline_data = lo;
    ibv_qp* q = v_->create_qp(pd_, &a);
    if (q != nullptr) {
      search_.granted = a.cap.max_inline_data;
      v_->destroy_qp(q);
    }
  }
  if (cfg_.inline_size < 0) {
    inline_ = search_.granted;
  } else {
    inline_ = static_cast<uint32_t>(cfg_.inline_size);
  }
  qp_ = create_qp(inline_);
  if (qp_ == nullptr) throw ProbeError("system", "QP creation refused: " + refused_cap(inline_));

  ibv_qp_attr attr{};
  attr.qp_state = IBV_QPS_INIT;
  attr.pkey_index = 0;
  attr.port_num = static_cast<uint8_t>(cfg_.port);
  attr.qp_access_flags = IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_READ | IBV_ACCESS_LOCAL_WRITE;
  if (v_->modify_qp(qp_, &attr, IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT | IBV_QP_ACCESS_FLAGS) != 0)
    throw_errno("ibv_modify_qp to INIT");
  if (cfg_.op == VerbsOp::Send) post_recvs(kRecvDepth);
  local_.qpn = qp_->qp_num;
  local_.psn = std::random_device{}() & 0xffffff;  // as perftest: a random 24-bit start PSN
  local_.rkey = rmr_->rkey;
  local_.addr = reinterpret_cast<uint64_t>(rbuf_);
}

ibv_qp* VerbsChannel::create_qp(uint32_t max_inline) {
  ibv_qp_init_attr a{};
  a.send_cq = a.recv_cq = cq_;
  a.qp_type = IBV_QPT_RC;
  a.sq_sig_all = 0;
  a.cap.max_send_wr = kSendDepth;
  a.cap.max_recv_wr = kRecvDepth;
  a.cap.max_send_sge = a.cap.max_recv_sge = 1;
  a.cap.max_inline_data = max_inline;
  return v_->create_qp(pd_, &a);
}

// Which cap made ibv_create_qp fail: perftest only says "Unable to create QP".
std::string VerbsChannel::refused_cap(uint32_t max_inline) {
  char text[400];
  std::snprintf(text, sizeof text,
                "ibv_create_qp(RC, max_send_wr %u, max_recv_wr %u, max_send_sge 1, max_recv_sge 1, "
                "max_inline_data %u) failed (%s)",
                kSendDepth, kRecvDepth, max_inline, std::strerror(errno));
  std::string s = text;
  if (max_inline > 0) {
    ibv_qp* q = create_qp(0);
    if (q != nullptr) {
      v_->destroy_qp(q);
      return s + "; it succeeds with max_inline_data 0, so the device refuses " + std::to_string(max_inline) +
             " bytes of inline data (its maximum with these queue depths is " + std::to_string(search_.granted) +
             "; use --inline " + std::to_string(search_.granted) + " or less)";
    }
  }
  return s + "; the device refuses these queue depths";
}

void VerbsChannel::post_recvs(uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    ibv_sge sge{reinterpret_cast<uint64_t>(rbuf_), static_cast<uint32_t>(cfg_.max_message), rmr_->lkey};
    if (region_mr_ != nullptr) {
      // a slot of the region, a stride long (region steps' messages are at most a stride)
      sge.addr = reinterpret_cast<uint64_t>(region_buf_) + (recvs_posted_ % region_slots_) * cfg_.region_stride;
      sge.length = static_cast<uint32_t>(cfg_.region_stride);
      sge.lkey = region_mr_->lkey;
    }
    ++recvs_posted_;
    ibv_recv_wr wr{};
    ibv_recv_wr* bad = nullptr;
    wr.wr_id = sge.addr;  // where it lands: recv() reads the settling flag from there
    wr.sg_list = &sge;
    wr.num_sge = 1;
    if (ibv_post_recv(qp_, &wr, &bad) != 0) throw_errno("ibv_post_recv");
  }
}

void VerbsChannel::connect(const VerbsPeerInfo& r) {
  remote_ = r;
  path_mtu_ = r.mtu < local_.mtu ? r.mtu : local_.mtu;
  ibv_qp_attr a{};
  a.qp_state = IBV_QPS_RTR;
  a.path_mtu = mtu_enum(path_mtu_);
  a.dest_qp_num = r.qpn;
  a.rq_psn = r.psn;
  a.max_dest_rd_atomic = 1;
  a.min_rnr_timer = kMinRnrTimer;
  a.ah_attr.dlid = r.lid;
  a.ah_attr.sl = 0;
  a.ah_attr.port_num = static_cast<uint8_t>(cfg_.port);
  if (!r.gid.empty()) {
    a.ah_attr.is_global = 1;
    if (!unhex(r.gid, a.ah_attr.grh.dgid.raw, 16)) throw ProbeError("protocol", "the peer's GID is malformed");
    a.ah_attr.grh.sgid_index = 0;
    a.ah_attr.grh.hop_limit = 1;
  }
  if (v_->modify_qp(qp_, &a,
                    IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU | IBV_QP_DEST_QPN | IBV_QP_RQ_PSN |
                        IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER) != 0)
    throw_errno("ibv_modify_qp to RTR (peer QP " + std::to_string(r.qpn) + ", LID " + std::to_string(r.lid) + ")");
  ibv_qp_attr s{};
  s.qp_state = IBV_QPS_RTS;
  s.timeout = kTimeout;
  s.retry_cnt = kRetry;
  s.rnr_retry = kRnrRetry;
  s.sq_psn = local_.psn;
  s.max_rd_atomic = 1;
  if (v_->modify_qp(qp_, &s,
                    IBV_QP_STATE | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT | IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN |
                        IBV_QP_MAX_QP_RD_ATOMIC) != 0)
    throw_errno("ibv_modify_qp to RTS");
}

// --region: one buffer of the largest size, mapped (page-aligned, zeroed), with
// transparent huge pages turned off so that each stride is a page of its own and the
// recorded page size is the one the buffer has; one MR per size over its start.
void VerbsChannel::setup_regions(int access) {
  if (cfg_.regions.empty()) return;
  if (cfg_.op != VerbsOp::Send)
    throw ProbeError("system", "--region is for --op send (an RDMA write's receiver and a read's target are one buffer)");
  const size_t stride = cfg_.region_stride;
  if (stride < kMinRegionStride || (stride & (stride - 1)) != 0)
    throw ProbeError("system", "--region stride " + std::to_string(stride) + " is not a power of two of at least " +
                                   std::to_string(kMinRegionStride));
  if (cfg_.regions.size() > kMaxRegions)
    throw ProbeError("system", "more than " + std::to_string(kMaxRegions) + " --region sizes");
  size_t largest = 0, total = 0;
  for (size_t r : cfg_.regions) {
    if (r < stride || r > kMaxRegionBytes)
      throw ProbeError("system", "--region " + std::to_string(r) + " is not from the stride (" + std::to_string(stride) +
                                     ") to " + std::to_string(kMaxRegionBytes) + " bytes");
    largest = std::max(largest, r);
    total += r;
  }
  region_page_ = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  region_alloc_ = (largest + region_page_ - 1) / region_page_ * region_page_;
  void* p = ::mmap(nullptr, region_alloc_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    region_alloc_ = 0;
    throw_errno("mmap of the " + std::to_string(largest) + "-byte --region buffer");
  }
  region_buf_ = static_cast<uint8_t*>(p);
#ifdef MADV_NOHUGEPAGE
  region_small_pages_ = ::madvise(region_buf_, region_alloc_, MADV_NOHUGEPAGE) == 0;
#endif
  for (size_t r : cfg_.regions) {
    ibv_mr* mr = v_->reg_mr(pd_, region_buf_, r, access);
    if (mr == nullptr)
      throw_registration_failed(3 * (cfg_.max_message < 64 ? 64 : cfg_.max_message) + total,
                                "for the buffers and the --region sizes, each region registered on its own",
                                "fewer or smaller --region sizes");
    region_mrs_.push_back(mr);
  }
}

void VerbsChannel::set_region(size_t bytes) {
  if (bytes == 0) {
    // The receives posted during a region step are a stride long: a later plain step's
    // larger messages would not fit them, so region steps come last (suites.ts).
    if (region_chosen_) throw ProbeError("system", "a step without --region after a region step (they come last)");
    region_mr_ = nullptr;
    return;
  }
  for (size_t i = 0; i < cfg_.regions.size(); ++i)
    if (cfg_.regions[i] == bytes) {
      region_mr_ = region_mrs_[i];
      region_slots_ = bytes / cfg_.region_stride;
      region_chosen_ = true;
      return;
    }
  throw ProbeError("system", "no --region of " + std::to_string(bytes) + " bytes was registered");
}

VerbsChannel::~VerbsChannel() {
  if (cq_ != nullptr && unacked_events_ > 0) v_->ack_cq_events(cq_, unacked_events_);
  if (qp_ != nullptr) v_->destroy_qp(qp_);
  if (smr_ != nullptr) v_->dereg_mr(smr_);
  if (rmr_ != nullptr) v_->dereg_mr(rmr_);
  for (ibv_mr* mr : region_mrs_) v_->dereg_mr(mr);
  if (region_buf_ != nullptr) ::munmap(region_buf_, region_alloc_);
  if (cq_ != nullptr) v_->destroy_cq(cq_);
  if (cc_ != nullptr) v_->destroy_comp_channel(cc_);
  if (pd_ != nullptr) v_->dealloc_pd(pd_);
  if (ctx_ != nullptr) v_->close_device(ctx_);
  std::free(sbuf_);
  std::free(rbuf_);
}

void VerbsChannel::set_mode(Mode m) {
  if (m == Mode::Event && cfg_.op == VerbsOp::Write)
    throw ProbeError("system",
                     "event mode is not possible for RDMA write: the receiver learns of a write by polling memory, "
                     "no completion is raised on its side (perftest's ib_write_lat refuses -e too)");
  mode_ = m;
}

// Empties the CQ: after arming, an event comes only for a new completion, so one
// left behind would never wake an event-mode wait.
void VerbsChannel::drain() {
  ibv_wc wc[16];
  int n;
  do {
    if (log_ == nullptr) {
      n = ibv_poll_cq(cq_, 16, wc);
    } else {
      const uint64_t before = received_;
      const uint64_t t0 = now_ticks();
      n = ibv_poll_cq(cq_, 16, wc);
      const uint64_t t = now_ticks() - t0;
      if (n > 0) {
        count(wc, n);
        if (received_ > before) recv_poll_ticks_ = t;
        continue;
      }
    }
    if (n < 0) throw ProbeError("system", "ibv_poll_cq failed");
    count(wc, n);
  } while (n == 16);
}

void VerbsChannel::count(const ibv_wc* wc, int n) {
  for (int i = 0; i < n; ++i) {
    if (wc[i].status != IBV_WC_SUCCESS)
      throw ProbeError(wc[i].status == IBV_WC_RETRY_EXC_ERR ? "peer-lost" : "system",
                       std::string("work completion failed: ") + wc_status(wc[i].status) + " (status " +
                           std::to_string(wc[i].status) + ")");
    if (wc[i].opcode & IBV_WC_RECV) {
      if (landed_count_ == kRecvDepth) throw ProbeError("system", "more receive completions than receives posted");
      landed_[(landed_head_ + landed_count_++) % kRecvDepth] = wc[i].wr_id;
      ++received_;
    } else if (outstanding_ > 0) {
      --outstanding_;
    }
  }
}

template <class Ready>
void VerbsChannel::wait(Ready ready) {
  drain();
  if (ready()) return;
  if (mode_ == Mode::Poll) {
    Spinner spin(guard_);
    for (;;) {
      drain();
      if (ready()) return;
      spin.pause();
    }
  }
  const uint64_t start = now_ticks();
  for (;;) {
    if (!armed_) {
      if (ibv_req_notify_cq(cq_, 0) != 0) throw_errno("ibv_req_notify_cq");
      armed_ = true;
      drain();  // a completion that came before the arming raises no event
      if (ready()) return;
    }
    pollfd p{cc_->fd, POLLIN, 0};
    int r = ::poll(&p, 1, kEventSliceMs);
    if (r > 0) {
      ibv_cq* cq = nullptr;
      void* ctx = nullptr;
      if (v_->get_cq_event(cc_, &cq, &ctx) != 0) throw_errno("ibv_get_cq_event");
      // Acknowledged in batches: ibv_ack_cq_events takes a mutex (perftest acks each).
      if (++unacked_events_ >= 64) {
        v_->ack_cq_events(cq_, unacked_events_);
        unacked_events_ = 0;
      }
      armed_ = false;
      drain();
      if (ready()) return;
    } else if (r < 0 && errno != EINTR) {
      throw_errno("poll on the completion channel");
    }
    guard_.check(start);
  }
}

void VerbsChannel::post(const uint8_t* buf, size_t len, bool quiet) {
  if (len > cfg_.max_message)
    throw ProbeError("system", "message of " + std::to_string(len) + " bytes is larger than the registered buffer");
  if (outstanding_ >= kSendDepth) wait([&] { return outstanding_ < kSendDepth; });
  const bool from_quiet = quiet && cfg_.op == VerbsOp::Write;
  ibv_sge sge{reinterpret_cast<uint64_t>(from_quiet ? qbuf_ : sbuf_), static_cast<uint32_t>(len), smr_->lkey};
  uint8_t* first = sbuf_;  // where byte 0 (the settling flag) goes
  if (region_mr_ != nullptr) {
    if (len > cfg_.region_stride)
      throw ProbeError("system", "a --region message of " + std::to_string(len) + " bytes is longer than the stride (" +
                                     std::to_string(cfg_.region_stride) + ")");
    first = region_buf_ + (sends_ % region_slots_) * cfg_.region_stride;
    sge.addr = reinterpret_cast<uint64_t>(first);
    sge.lkey = region_mr_->lkey;
  }
  ++sends_;
  ibv_send_wr wr{};
  ibv_send_wr* bad = nullptr;
  wr.wr_id = 2;
  wr.sg_list = &sge;
  wr.num_sge = 1;
  wr.send_flags = IBV_SEND_SIGNALED;
  switch (cfg_.op) {
    case VerbsOp::Send:
      first[0] = len > 0 ? buf[0] : 0;
      wr.opcode = IBV_WR_SEND;
      break;
    case VerbsOp::Write:
      // The receiver polls the last byte: nonzero marks arrival (bit 7), and for a
      // 1-byte message bit 0 carries the settling flag. The previous marker is cleared
      // first so a later, longer message carries 0 there (its write was delivered: the
      // answer to it came back before this send). A quiet write comes from qbuf_, all
      // zero: it lands without a marker.
      if (!from_quiet) {
        if (last_write_ > 0) sbuf_[last_write_ - 1] = 0;
        if (len > 1) sbuf_[0] = buf[0];
        if (len > 0) sbuf_[len - 1] = static_cast<uint8_t>(0x80 | (len == 1 && buf[0] != 0 ? 1 : 0));
        last_write_ = len;
      }
      wr.opcode = IBV_WR_RDMA_WRITE;
      wr.wr.rdma.remote_addr = remote_.addr;
      wr.wr.rdma.rkey = remote_.rkey;
      break;
    case VerbsOp::Read:
      wr.opcode = IBV_WR_RDMA_READ;
      wr.wr.rdma.remote_addr = remote_.addr;
      wr.wr.rdma.rkey = remote_.rkey;
      break;
  }
  if (cfg_.op != VerbsOp::Read && len <= inline_ && inline_ > 0) wr.send_flags |= IBV_SEND_INLINE;
  int rc;
  if (log_ == nullptr) {
    rc = ibv_post_send(qp_, &wr, &bad);
  } else {
    const uint64_t t0 = now_ticks();
    rc = ibv_post_send(qp_, &wr, &bad);
    log_->add_post(now_ticks() - t0);
  }
  if (rc != 0) {
    errno = rc;
    throw_errno("ibv_post_send");
  }
  ++outstanding_;
}

void VerbsChannel::send(const uint8_t* buf, size_t len) {
  if (cfg_.op == VerbsOp::Read && !active_) return;  // the reader's peer takes no part
  post(buf, len, false);
  // A read is the whole round trip: wait for the data to land.
  if (cfg_.op == VerbsOp::Read) wait([&] { return outstanding_ == 0; });
}

void VerbsChannel::send_quiet(const uint8_t* buf, size_t len) {
  if (cfg_.op == VerbsOp::Read) return send(buf, len);
  post(buf, len, true);
}

// perftest's run_iter_bw with tx_depth = window: post while fewer than `window`
// requests are outstanding, else poll completions first.
void VerbsChannel::post_windowed(const uint8_t* buf, size_t len, uint32_t window) {
  if (window > kSendDepth)
    throw ProbeError("system", "a streaming window of " + std::to_string(window) + " is deeper than the send queue (" +
                                   std::to_string(kSendDepth) + ")");
  if (outstanding_ >= window) wait([&] { return outstanding_ < window; });
  post(buf, len, true);
}

void VerbsChannel::complete_all() {
  if (outstanding_ > 0) wait([&] { return outstanding_ == 0; });
}

void VerbsChannel::recv(uint8_t* buf, size_t len) {
  switch (cfg_.op) {
    case VerbsOp::Send:
      wait([&] { return received_ > 0; });
      --received_;
      {
        const auto* at = reinterpret_cast<const uint8_t*>(landed_[landed_head_]);
        landed_head_ = (landed_head_ + 1) % kRecvDepth;
        --landed_count_;
        if (len > 0) buf[0] = at[0];
      }
      if (log_ == nullptr) {
        post_recvs(1);
      } else {
        const uint64_t t0 = now_ticks();
        post_recvs(1);
        log_->add_recv(recv_poll_ticks_ + (now_ticks() - t0));
      }
      break;
    case VerbsOp::Write: {
      if (len == 0) return;
      volatile uint8_t* last = rbuf_ + len - 1;
      if (*last == 0) {
        Spinner spin(guard_);
        while (*last == 0) {
          drain();
          spin.pause();
        }
      }
      __atomic_thread_fence(__ATOMIC_ACQUIRE);
      const uint8_t mark = *last;
      buf[0] = len == 1 ? (mark & 1) : rbuf_[0];
      rbuf_[0] = 0;
      *last = 0;
      drain();
      break;
    }
    case VerbsOp::Read:
      break;  // the active side's read was the round trip; the passive side does nothing
  }
}

}  // namespace ibvf
