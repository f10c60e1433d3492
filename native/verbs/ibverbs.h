// libibverbs, loaded at run time with dlopen("libibverbs.so.1") so the addon builds
// and loads on machines without it (the build needs only the header). The data path
// (ibv_post_send, ibv_post_recv, ibv_poll_cq, ibv_req_notify_cq) are inline functions
// of verbs.h that call through context->ops, so only the control path is looked up
// here. IBVF_TEST_LIBIBVERBS names another library to load instead (the tests' double,
// test/probe/verbs/double/); a library that exports `ibvf_test_double` is that double
// and everything measured through it is labelled so.
#pragma once
#include <infiniband/verbs.h>

#include <string>

namespace ibvf {

struct Verbs {
  std::string path;          // what was loaded
  bool test_double = false;  // the library says it is the ibvf test double
  ibv_device** (*get_device_list)(int*);
  void (*free_device_list)(ibv_device**);
  const char* (*get_device_name)(ibv_device*);
  ibv_context* (*open_device)(ibv_device*);
  int (*close_device)(ibv_context*);
  int (*query_device)(ibv_context*, ibv_device_attr*);
  int (*query_port)(ibv_context*, uint8_t, ibv_port_attr*);
  int (*query_gid)(ibv_context*, uint8_t, int, ibv_gid*);
  ibv_pd* (*alloc_pd)(ibv_context*);
  int (*dealloc_pd)(ibv_pd*);
  ibv_mr* (*reg_mr)(ibv_pd*, void*, size_t, int);
  int (*dereg_mr)(ibv_mr*);
  ibv_comp_channel* (*create_comp_channel)(ibv_context*);
  int (*destroy_comp_channel)(ibv_comp_channel*);
  ibv_cq* (*create_cq)(ibv_context*, int, void*, ibv_comp_channel*, int);
  int (*destroy_cq)(ibv_cq*);
  int (*get_cq_event)(ibv_comp_channel*, ibv_cq**, void**);
  void (*ack_cq_events)(ibv_cq*, unsigned int);
  ibv_qp* (*create_qp)(ibv_pd*, ibv_qp_init_attr*);
  int (*destroy_qp)(ibv_qp*);
  int (*modify_qp)(ibv_qp*, ibv_qp_attr*, int);
  int (*fork_init)();
};

// The loaded library, or nullptr with `why` saying what failed (not found, a missing symbol).
const Verbs* load_verbs(std::string& why);

// The devices, or an empty list with `why` saying why there are none (ENOSYS: no RDMA
// support in the kernel). Free with verbs.free_device_list when not null.
ibv_device** device_list(const Verbs& v, int& count, std::string& why);

}  // namespace ibvf
