// Built instead of the verbs files when infiniband/verbs.h is missing at build time.
#include "binding.h"

namespace ibvf {
void RegisterVerbs(Napi::Env env, Napi::Object exports) {
  exports.Set("verbsUnavailable",
              "the probe's addon was built without infiniband/verbs.h, so the verbs transport is compiled out; "
              "install libibverbs-dev (Debian, Ubuntu) or rdma-core-devel (RHEL) and rebuild (npm rebuild ibvf)");
}
}  // namespace ibvf
