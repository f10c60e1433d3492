// A test double of libibverbs for the probe's tests: loaded in its place through
// IBVF_TEST_LIBIBVERBS (never installed, never used for measurements; the probe sees
// the exported `ibvf_test_double` and labels its results). It exports the entry
// points the probe calls and returns real `struct ibv_context`s whose ops table carries
// the data path (post_send, post_recv, poll_cq, req_notify_cq), since libibverbs
// defines those as inline functions calling context->ops.
//
// The wire: each QP owns a POSIX shared-memory ring (/ibvfdbl-<qpn>) of fixed slots;
// the peer QP maps it at RTR (dest_qp_num names it) and pushes sends, RDMA writes,
// read requests and read responses into it, a message larger than a slot as several.
// A progress thread in the owning process drains its rings: it matches sends with
// posted receives (a send with no receive posted waits in the ring, as RC's RNR
// retry would), copies writes into registered memory (the last byte last, so a
// receiver polling it sees the whole message), and answers read requests, since the
// peer's CPU takes no part in RDMA. A send or write completes once on the wire.
//
// Settings (environment, read at each call):
//   IBVF_DOUBLE_MAX_INLINE  largest cap.max_inline_data accepted (default 256; 0 acts like
//                           a ConnectX-3 VF, which has no inline)
//   IBVF_DOUBLE_EVENTS=0    completion events unsupported (ibv_req_notify_cq fails)
//   IBVF_DOUBLE_PORT=down   the port is down
//   IBVF_DOUBLE_PART_ID     vendor part id (default 0x1003, ConnectX-3 PF)
//   IBVF_DOUBLE_DEVICES=0   no devices
//   IBVF_DOUBLE_MTU         active MTU in bytes (default 2048)
#include <infiniband/verbs.h>
#undef ibv_get_device_list
#undef ibv_query_port
#undef ibv_reg_mr

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr uint32_t kSlots = 64;
constexpr uint32_t kSlotData = 64 * 1024;
enum MsgType : uint32_t { kSend = 1, kWrite = 2, kReadReq = 3, kReadResp = 4 };

struct Slot {
  uint32_t type, len, total, last;
  uint64_t off;      // offset of this fragment in the message
  uint64_t raddr;    // write: target; read request: source; read response: local target
  uint32_t rkey, pad;
  uint64_t wr_id;    // read: the requester's wr_id
  uint64_t laddr;    // read request: where the response goes in the requester
  uint8_t data[kSlotData];
};

struct Ring {
  alignas(64) std::atomic<uint32_t> head;
  alignas(64) std::atomic<uint32_t> tail;
  alignas(64) std::atomic<uint32_t> lock;
  int32_t owner_pid;
  Slot slots[kSlots];
};

long env_num(const char* name, long def) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtol(v, nullptr, 0) : def;
}

struct Cq;
struct Qp;

struct Cq {
  ibv_cq cq;  // first: the probe holds &cq
  std::mutex mu;
  std::deque<ibv_wc> q;
  bool armed = false;
};

struct Qp {
  ibv_qp qp;  // first
  std::string name;
  Ring* in = nullptr;    // this QP's ring (the peer pushes into it)
  Ring* peer = nullptr;  // the peer's ring
  uint32_t max_inline = 0;
  std::mutex rmu;
  std::deque<ibv_recv_wr> recvs;  // posted receives (sg_list copied)
  std::deque<ibv_sge> recv_sges;
};

// Never destroyed: the progress thread may still run while the process exits.
std::mutex& g_mu = *new std::mutex;
std::vector<Qp*>& g_qps = *new std::vector<Qp*>;
std::mutex& g_mr_mu = *new std::mutex;  // g_mrs only: the progress thread holds g_mu
std::map<uint32_t, ibv_mr*>& g_mrs = *new std::map<uint32_t, ibv_mr*>;  // by rkey (= lkey)
uint32_t g_next_key = 0x100;
// Per MR (by lkey), the 4 KiB pages of it that a send or a receive used: what a test of
// --region reads back (IBVF_DOUBLE_TRACE, written when the MR is deregistered).
std::map<uint32_t, std::set<uint64_t>>& g_pages = *new std::map<uint32_t, std::set<uint64_t>>;

// A local SGE must lie inside the MR its lkey names, as the HCA checks (a local
// protection error otherwise); with IBVF_DOUBLE_TRACE its page is noted.
bool local_sge_ok(const ibv_sge& sge) {
  std::lock_guard<std::mutex> lock(g_mr_mu);
  auto it = g_mrs.find(sge.lkey);
  if (it == g_mrs.end()) return false;
  const auto base = reinterpret_cast<uint64_t>(it->second->addr);
  if (sge.addr < base || sge.addr + sge.length > base + it->second->length) return false;
  if (std::getenv("IBVF_DOUBLE_TRACE") != nullptr) g_pages[sge.lkey].insert((sge.addr - base) / 4096);
  return true;
}
std::once_flag g_thread_once;

ibv_device g_device;
ibv_device* g_list[2];

Ring* map_ring(const std::string& name, bool create) {
  int fd = shm_open(name.c_str(), create ? (O_CREAT | O_EXCL | O_RDWR) : O_RDWR, 0600);
  if (fd < 0) return nullptr;
  if (create && ftruncate(fd, sizeof(Ring)) != 0) {
    close(fd);
    shm_unlink(name.c_str());
    return nullptr;
  }
  void* p = mmap(nullptr, sizeof(Ring), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  return p == MAP_FAILED ? nullptr : static_cast<Ring*>(p);
}

// Pushes one slot into a ring (any process may push: a spin lock in the segment).
// Fails with ECONNRESET when the ring's owner is gone.
int push(Ring* r, const Slot& head, const uint8_t* data) {
  uint32_t expected = 0;
  while (!r->lock.compare_exchange_weak(expected, 1, std::memory_order_acquire)) {
    expected = 0;
    sched_yield();
  }
  uint32_t h = r->head.load(std::memory_order_relaxed);
  while (h - r->tail.load(std::memory_order_acquire) >= kSlots) {
    if (kill(r->owner_pid, 0) != 0 && errno == ESRCH) {
      r->lock.store(0, std::memory_order_release);
      return ECONNRESET;
    }
    sched_yield();
  }
  Slot& s = r->slots[h % kSlots];
  std::memcpy(&s, &head, offsetof(Slot, data));
  if (head.len > 0) std::memcpy(s.data, data, head.len);
  r->head.store(h + 1, std::memory_order_release);
  r->lock.store(0, std::memory_order_release);
  return 0;
}

// Sends a whole message as slots of at most kSlotData bytes.
int push_message(Ring* r, Slot head, const uint8_t* data, uint64_t total) {
  uint64_t off = 0;
  do {
    uint64_t n = total - off < kSlotData ? total - off : kSlotData;
    head.off = off;
    head.len = static_cast<uint32_t>(n);
    head.total = static_cast<uint32_t>(total);
    head.last = off + n == total;
    int rc = push(r, head, data + off);
    if (rc != 0) return rc;
    off += n;
  } while (off < total);
  return 0;
}

void complete(ibv_cq* c, const ibv_wc& wc) {
  Cq* cq = reinterpret_cast<Cq*>(c);
  bool notify = false;
  {
    std::lock_guard<std::mutex> lock(cq->mu);
    cq->q.push_back(wc);
    if (cq->armed) {
      cq->armed = false;
      notify = true;
    }
  }
  if (notify && c->channel != nullptr) {
    // The channel's fd is a pipe: ibv_get_cq_event reads the CQ's address from it.
    ssize_t w = write(c->channel->refcnt, &c, sizeof c);  // refcnt holds the pipe's write end
    (void)w;
  }
}

ibv_wc wc_for(Qp* q, uint64_t wr_id, ibv_wc_opcode op, uint32_t len) {
  ibv_wc wc{};
  wc.wr_id = wr_id;
  wc.status = IBV_WC_SUCCESS;
  wc.opcode = op;
  wc.byte_len = len;
  wc.qp_num = q->qp.qp_num;
  return wc;
}

uint8_t* target(uint64_t addr, uint32_t rkey, uint64_t len) {
  std::lock_guard<std::mutex> lock(g_mr_mu);
  auto it = g_mrs.find(rkey);
  if (it == g_mrs.end()) return nullptr;
  auto* base = static_cast<uint8_t*>(it->second->addr);
  auto* p = reinterpret_cast<uint8_t*>(addr);
  if (p < base || p + len > base + it->second->length) return nullptr;
  return p;
}

// Copies a fragment; on a message's last fragment the final byte is stored last, with
// release order, so a receiver polling it (RDMA write latency) sees the whole message.
void place(uint8_t* dst, const Slot& s) {
  if (s.len == 0) return;
  if (!s.last) {
    std::memcpy(dst, s.data, s.len);
    return;
  }
  std::memcpy(dst, s.data, s.len - 1);
  __atomic_store_n(dst + s.len - 1, s.data[s.len - 1], __ATOMIC_RELEASE);
}

// Handles the next slot of q's ring; false when there is none (or a send waits for a receive).
bool progress_one(Qp* q) {
  Ring* r = q->in;
  uint32_t t = r->tail.load(std::memory_order_relaxed);
  if (r->head.load(std::memory_order_acquire) == t) return false;
  Slot& s = r->slots[t % kSlots];
  switch (s.type) {
    case kSend: {
      std::lock_guard<std::mutex> lock(q->rmu);
      if (q->recvs.empty()) return false;  // receiver not ready: the message waits
      ibv_sge& sge = q->recv_sges.front();
      if (s.off + s.len <= sge.length) std::memcpy(reinterpret_cast<uint8_t*>(sge.addr) + s.off, s.data, s.len);
      if (s.last) {
        ibv_wc wc = wc_for(q, q->recvs.front().wr_id, IBV_WC_RECV, s.total);
        if (s.total > sge.length) wc.status = IBV_WC_LOC_LEN_ERR;
        q->recvs.pop_front();
        q->recv_sges.pop_front();
        complete(q->qp.recv_cq, wc);
      }
      break;
    }
    case kWrite: {
      uint8_t* dst = target(s.raddr + s.off, s.rkey, s.len);
      if (dst != nullptr) place(dst, s);
      break;
    }
    case kReadReq: {
      const uint8_t* src = target(s.raddr, s.rkey, s.total);
      Slot resp{};
      resp.type = kReadResp;
      resp.raddr = s.laddr;
      resp.wr_id = s.wr_id;
      if (src != nullptr && q->peer != nullptr) push_message(q->peer, resp, src, s.total);
      break;
    }
    case kReadResp: {
      std::memcpy(reinterpret_cast<uint8_t*>(s.raddr + s.off), s.data, s.len);
      if (s.last) complete(q->qp.send_cq, wc_for(q, s.wr_id, IBV_WC_RDMA_READ, s.total));
      break;
    }
  }
  r->tail.store(t + 1, std::memory_order_release);
  return true;
}

void progress_thread() {
  uint32_t idle = 0;
  for (;;) {
    bool any = false;
    {
      std::lock_guard<std::mutex> lock(g_mu);
      for (Qp* q : g_qps)
        while (progress_one(q)) any = true;
    }
    if (any) {
      idle = 0;
    } else if (++idle > 2000) {
      usleep(50);  // idle: give the CPU back (a double, not a benchmark)
    } else {
      sched_yield();
    }
  }
}

int post_send(ibv_qp* qp, ibv_send_wr* wr, ibv_send_wr** bad) {
  Qp* q = reinterpret_cast<Qp*>(qp);
  for (; wr != nullptr; wr = wr->next) {
    uint64_t len = 0;
    for (int i = 0; i < wr->num_sge; ++i) len += wr->sg_list[i].length;
    if (q->peer == nullptr || qp->state != IBV_QPS_RTS || wr->num_sge != 1 ||
        ((wr->send_flags & IBV_SEND_INLINE) && len > q->max_inline)) {
      *bad = wr;
      return EINVAL;
    }
    if (!((wr->send_flags & IBV_SEND_INLINE) || local_sge_ok(wr->sg_list[0]))) {
      *bad = wr;
      return EINVAL;
    }
    const auto* data = reinterpret_cast<const uint8_t*>(wr->sg_list[0].addr);
    Slot head{};
    int rc = 0;
    ibv_wc_opcode op = IBV_WC_SEND;
    switch (wr->opcode) {
      case IBV_WR_SEND:
        head.type = kSend;
        rc = push_message(q->peer, head, data, len);
        break;
      case IBV_WR_RDMA_WRITE:
        head.type = kWrite;
        head.raddr = wr->wr.rdma.remote_addr;
        head.rkey = wr->wr.rdma.rkey;
        op = IBV_WC_RDMA_WRITE;
        rc = push_message(q->peer, head, data, len);
        break;
      case IBV_WR_RDMA_READ:
        head.type = kReadReq;
        head.raddr = wr->wr.rdma.remote_addr;
        head.rkey = wr->wr.rdma.rkey;
        head.total = static_cast<uint32_t>(len);
        head.last = 1;
        head.wr_id = wr->wr_id;
        head.laddr = wr->sg_list[0].addr;
        rc = push(q->peer, head, nullptr);
        break;
      default:
        *bad = wr;
        return EINVAL;
    }
    if (rc != 0) {
      *bad = wr;
      return rc;
    }
    if (wr->opcode != IBV_WR_RDMA_READ && (wr->send_flags & IBV_SEND_SIGNALED))
      complete(qp->send_cq, wc_for(q, wr->wr_id, op, static_cast<uint32_t>(len)));
  }
  return 0;
}

int post_recv(ibv_qp* qp, ibv_recv_wr* wr, ibv_recv_wr** bad) {
  Qp* q = reinterpret_cast<Qp*>(qp);
  std::lock_guard<std::mutex> lock(q->rmu);
  for (; wr != nullptr; wr = wr->next) {
    if (wr->num_sge != 1 || !local_sge_ok(wr->sg_list[0])) {
      *bad = wr;
      return EINVAL;
    }
    q->recvs.push_back(*wr);
    q->recv_sges.push_back(wr->sg_list[0]);
  }
  return 0;
}

int poll_cq(ibv_cq* c, int n, ibv_wc* wc) {
  Cq* cq = reinterpret_cast<Cq*>(c);
  std::lock_guard<std::mutex> lock(cq->mu);
  int k = 0;
  while (k < n && !cq->q.empty()) {
    wc[k++] = cq->q.front();
    cq->q.pop_front();
  }
  return k;
}

int req_notify_cq(ibv_cq* c, int) {
  if (env_num("IBVF_DOUBLE_EVENTS", 1) == 0) return ENOSYS;
  Cq* cq = reinterpret_cast<Cq*>(c);
  std::lock_guard<std::mutex> lock(cq->mu);
  cq->armed = true;
  return 0;
}

}  // namespace

extern "C" {

// The probe looks for this symbol: results through this library are labelled test-double.
int ibvf_test_double = 1;

ibv_device** ibv_get_device_list(int* n) {
  if (env_num("IBVF_DOUBLE_DEVICES", 1) == 0) {
    if (n) *n = 0;
    g_list[0] = nullptr;
    return g_list;
  }
  std::memset(&g_device, 0, sizeof g_device);
  std::snprintf(g_device.name, sizeof g_device.name, "ibvfdouble0");
  std::snprintf(g_device.dev_name, sizeof g_device.dev_name, "uverbs0");
  g_device.node_type = IBV_NODE_CA;
  g_device.transport_type = IBV_TRANSPORT_IB;
  g_list[0] = &g_device;
  g_list[1] = nullptr;
  if (n) *n = 1;
  return g_list;
}

void ibv_free_device_list(ibv_device**) {}
const char* ibv_get_device_name(ibv_device* d) { return d->name; }
int ibv_fork_init(void) { return 0; }

ibv_context* ibv_open_device(ibv_device* d) {
  auto* ctx = new ibv_context();
  ctx->device = d;
  ctx->ops.post_send = post_send;
  ctx->ops.post_recv = post_recv;
  ctx->ops.poll_cq = poll_cq;
  ctx->ops.req_notify_cq = req_notify_cq;
  ctx->cmd_fd = -1;
  ctx->async_fd = -1;
  return ctx;
}

int ibv_close_device(ibv_context* ctx) {
  delete ctx;
  return 0;
}

int ibv_query_device(ibv_context*, ibv_device_attr* a) {
  std::memset(a, 0, sizeof *a);
  std::snprintf(a->fw_ver, sizeof a->fw_ver, "0.0.0-ibvf-double");
  a->vendor_id = 0x02c9;
  a->vendor_part_id = static_cast<uint32_t>(env_num("IBVF_DOUBLE_PART_ID", 0x1003));
  a->max_qp_wr = 16384;
  a->max_sge = 32;
  a->max_cqe = 65536;
  a->phys_port_cnt = 1;
  return 0;
}

int ibv_query_port(ibv_context*, uint8_t port, _compat_ibv_port_attr* compat) {
  if (port != 1) return EINVAL;
  // Only the compat prefix of ibv_port_attr is filled, as libibverbs' exported symbol does.
  auto* a = reinterpret_cast<ibv_port_attr*>(compat);
  std::memset(a, 0, offsetof(ibv_port_attr, link_layer) + 1);
  const char* st = std::getenv("IBVF_DOUBLE_PORT");
  a->state = st && std::strcmp(st, "down") == 0 ? IBV_PORT_DOWN : IBV_PORT_ACTIVE;
  long mtu = env_num("IBVF_DOUBLE_MTU", 2048);
  a->active_mtu = mtu == 4096 ? IBV_MTU_4096 : mtu == 1024 ? IBV_MTU_1024 : mtu == 512 ? IBV_MTU_512 : IBV_MTU_2048;
  a->max_mtu = IBV_MTU_4096;
  a->lid = 1;
  a->gid_tbl_len = 1;
  a->active_width = 2;   // 4x
  a->active_speed = 16;  // FDR
  a->link_layer = IBV_LINK_LAYER_INFINIBAND;
  return 0;
}

int ibv_query_gid(ibv_context*, uint8_t, int index, ibv_gid* gid) {
  std::memset(gid, 0, sizeof *gid);
  if (index != 0) return EINVAL;
  gid->raw[0] = 0xfe;
  gid->raw[1] = 0x80;
  gid->raw[15] = 1;
  return 0;
}

ibv_pd* ibv_alloc_pd(ibv_context* ctx) {
  auto* pd = new ibv_pd();
  pd->context = ctx;
  return pd;
}

int ibv_dealloc_pd(ibv_pd* pd) {
  delete pd;
  return 0;
}

// IBVF_DOUBLE_MEMLOCK=N: registrations beyond N bytes in all fail with ENOMEM, as the
// kernel fails them beyond RLIMIT_MEMLOCK.
size_t g_registered = 0;

ibv_mr* ibv_reg_mr(ibv_pd* pd, void* addr, size_t len, int) {
  const long memlock = env_num("IBVF_DOUBLE_MEMLOCK", -1);
  {
    std::lock_guard<std::mutex> lock(g_mr_mu);
    if (memlock >= 0 && g_registered + len > static_cast<size_t>(memlock)) {
      errno = ENOMEM;
      return nullptr;
    }
    g_registered += len;
  }
  auto* mr = new ibv_mr();
  mr->context = pd->context;
  mr->pd = pd;
  mr->addr = addr;
  mr->length = len;
  std::lock_guard<std::mutex> lock(g_mr_mu);
  mr->lkey = mr->rkey = g_next_key++;
  g_mrs[mr->rkey] = mr;
  return mr;
}

int ibv_dereg_mr(ibv_mr* mr) {
  {
    std::lock_guard<std::mutex> lock(g_mr_mu);
    if (const char* trace = std::getenv("IBVF_DOUBLE_TRACE")) {
      if (FILE* f = std::fopen(trace, "a")) {
        std::fprintf(f, "mr %zu pages %zu\n", mr->length, g_pages[mr->lkey].size());
        std::fclose(f);
      }
    }
    g_pages.erase(mr->lkey);
    g_mrs.erase(mr->rkey);
    g_registered -= mr->length;
  }
  delete mr;
  return 0;
}

ibv_comp_channel* ibv_create_comp_channel(ibv_context* ctx) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return nullptr;
  auto* ch = new ibv_comp_channel();
  ch->context = ctx;
  ch->fd = fds[0];
  ch->refcnt = fds[1];  // the write end, kept here (the probe never reads refcnt)
  return ch;
}

int ibv_destroy_comp_channel(ibv_comp_channel* ch) {
  close(ch->fd);
  close(ch->refcnt);
  delete ch;
  return 0;
}

ibv_cq* ibv_create_cq(ibv_context* ctx, int cqe, void* cq_context, ibv_comp_channel* ch, int) {
  auto* cq = new Cq();
  cq->cq.context = ctx;
  cq->cq.channel = ch;
  cq->cq.cq_context = cq_context;
  cq->cq.cqe = cqe;
  return &cq->cq;
}

int ibv_destroy_cq(ibv_cq* c) {
  delete reinterpret_cast<Cq*>(c);
  return 0;
}

int ibv_get_cq_event(ibv_comp_channel* ch, ibv_cq** cq, void** cq_context) {
  ibv_cq* c = nullptr;
  if (read(ch->fd, &c, sizeof c) != static_cast<ssize_t>(sizeof c)) return -1;
  *cq = c;
  *cq_context = c->cq_context;
  return 0;
}

void ibv_ack_cq_events(ibv_cq*, unsigned int) {}

ibv_qp* ibv_create_qp(ibv_pd* pd, ibv_qp_init_attr* a) {
  const long max_inline = env_num("IBVF_DOUBLE_MAX_INLINE", 256);
  if (a->qp_type != IBV_QPT_RC || a->cap.max_inline_data > static_cast<uint32_t>(max_inline) ||
      a->cap.max_send_wr > 16384 || a->cap.max_recv_wr > 16384 || a->cap.max_send_sge > 32) {
    errno = EINVAL;
    return nullptr;
  }
  std::call_once(g_thread_once, [] { std::thread(progress_thread).detach(); });
  auto* q = new Qp();
  std::random_device rd;
  for (int tries = 0; tries < 100 && q->in == nullptr; ++tries) {
    q->qp.qp_num = (rd() & 0xfffffe) | 1;
    q->name = "/ibvfdbl-" + std::to_string(q->qp.qp_num);
    q->in = map_ring(q->name, true);
  }
  if (q->in == nullptr) {
    delete q;
    errno = ENOMEM;
    return nullptr;
  }
  q->in->owner_pid = getpid();
  q->qp.context = pd->context;
  q->qp.pd = pd;
  q->qp.send_cq = a->send_cq;
  q->qp.recv_cq = a->recv_cq;
  q->qp.qp_type = IBV_QPT_RC;
  q->qp.state = IBV_QPS_RESET;
  // The provider grants all the inline room it has when any is asked for (mlx5 rounds up too).
  q->max_inline = a->cap.max_inline_data > 0 ? static_cast<uint32_t>(max_inline) : 0;
  a->cap.max_inline_data = q->max_inline;
  std::lock_guard<std::mutex> lock(g_mu);
  g_qps.push_back(q);
  return &q->qp;
}

int ibv_destroy_qp(ibv_qp* qp) {
  Qp* q = reinterpret_cast<Qp*>(qp);
  {
    std::lock_guard<std::mutex> lock(g_mu);
    for (size_t i = 0; i < g_qps.size(); ++i)
      if (g_qps[i] == q) {
        g_qps.erase(g_qps.begin() + static_cast<long>(i));
        break;
      }
  }
  shm_unlink(q->name.c_str());
  munmap(q->in, sizeof(Ring));
  if (q->peer) munmap(q->peer, sizeof(Ring));
  delete q;
  return 0;
}

int ibv_modify_qp(ibv_qp* qp, ibv_qp_attr* attr, int mask) {
  Qp* q = reinterpret_cast<Qp*>(qp);
  if (!(mask & IBV_QP_STATE)) return EINVAL;
  if (attr->qp_state == IBV_QPS_RTR) {
    if (!(mask & IBV_QP_DEST_QPN) || !(mask & IBV_QP_AV) || !(mask & IBV_QP_PATH_MTU)) return EINVAL;
    std::string peer = "/ibvfdbl-" + std::to_string(attr->dest_qp_num);
    Ring* r = map_ring(peer, false);
    if (r == nullptr) return ENOENT;  // no such QP anywhere on this host
    shm_unlink(peer.c_str());        // mapped by its one peer: the name is no longer needed
    q->peer = r;
  }
  qp->state = attr->qp_state;
  return 0;
}

}  // extern "C"
