#include "ibverbs.h"

#include <dlfcn.h>
#include <errno.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

namespace ibvf {

namespace {

template <class F>
bool bind(void* lib, const char* name, F& out, std::string& why) {
  out = reinterpret_cast<F>(dlsym(lib, name));
  if (out == nullptr && why.empty()) why = std::string("it has no ") + name;
  return out != nullptr;
}

std::once_flag once;
Verbs verbs;
const Verbs* loaded = nullptr;
std::string load_error;

void load() {
  const char* env = std::getenv("IBVF_TEST_LIBIBVERBS");
  const std::string path = env != nullptr && *env != '\0' ? env : "libibverbs.so.1";
  // RTLD_NOW: a library missing a symbol fails here, not in the middle of a run.
  void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* e = dlerror();
    load_error = "libibverbs is not installed or not loadable (" + std::string(e ? e : path) +
                 "); install rdma-core (Debian: libibverbs1 and the provider of your HCA, e.g. ibverbs-providers)";
    return;
  }
  std::string why;
  Verbs v;
  v.path = path;
  v.test_double = dlsym(lib, "ibvf_test_double") != nullptr;
  bind(lib, "ibv_get_device_list", v.get_device_list, why);
  bind(lib, "ibv_free_device_list", v.free_device_list, why);
  bind(lib, "ibv_get_device_name", v.get_device_name, why);
  bind(lib, "ibv_open_device", v.open_device, why);
  bind(lib, "ibv_close_device", v.close_device, why);
  bind(lib, "ibv_query_device", v.query_device, why);
  // The exported ibv_query_port fills the compat prefix of ibv_port_attr, which holds
  // every field read here (state, MTU, LID, width, speed, GID table length).
  bind(lib, "ibv_query_port", v.query_port, why);
  bind(lib, "ibv_query_gid", v.query_gid, why);
  bind(lib, "ibv_alloc_pd", v.alloc_pd, why);
  bind(lib, "ibv_dealloc_pd", v.dealloc_pd, why);
  bind(lib, "ibv_reg_mr", v.reg_mr, why);
  bind(lib, "ibv_dereg_mr", v.dereg_mr, why);
  bind(lib, "ibv_create_comp_channel", v.create_comp_channel, why);
  bind(lib, "ibv_destroy_comp_channel", v.destroy_comp_channel, why);
  bind(lib, "ibv_create_cq", v.create_cq, why);
  bind(lib, "ibv_destroy_cq", v.destroy_cq, why);
  bind(lib, "ibv_get_cq_event", v.get_cq_event, why);
  bind(lib, "ibv_ack_cq_events", v.ack_cq_events, why);
  bind(lib, "ibv_create_qp", v.create_qp, why);
  bind(lib, "ibv_destroy_qp", v.destroy_qp, why);
  bind(lib, "ibv_modify_qp", v.modify_qp, why);
  bind(lib, "ibv_fork_init", v.fork_init, why);
  if (!why.empty()) {
    load_error = path + " is not a usable libibverbs: " + why;
    dlclose(lib);
    return;
  }
  // Node forks (child_process): without this, a child writing to a page that is
  // registered memory would break the parent's registrations. Must precede any ibv_reg_mr.
  v.fork_init();
  verbs = v;
  loaded = &verbs;
}

}  // namespace

const Verbs* load_verbs(std::string& why) {
  std::call_once(once, load);
  if (loaded == nullptr) why = load_error;
  return loaded;
}

ibv_device** device_list(const Verbs& v, int& count, std::string& why) {
  count = 0;
  errno = 0;
  ibv_device** list = v.get_device_list(&count);
  if (list == nullptr) {
    int e = errno;
    if (e == ENOSYS)
      why = "no RDMA devices: the kernel has no RDMA support (ibv_get_device_list: ENOSYS; load ib_uverbs and the HCA's driver, e.g. mlx4_ib or mlx5_ib)";
    else
      why = std::string("no RDMA devices: ibv_get_device_list failed (") + std::strerror(e) + ")";
    count = 0;
    return nullptr;
  }
  if (count == 0) {
    why =
        "no RDMA devices: libibverbs found none (is the HCA's kernel driver loaded, e.g. mlx4_ib or mlx5_ib, and "
        "ib_uverbs? ls /sys/class/infiniband)";
  }
  return list;
}

}  // namespace ibvf
