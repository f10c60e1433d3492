#include "cpu.h"

#include <cpuid.h>
#include <pthread.h>
#include <sched.h>

#include <cstring>

namespace ibvf {

CpuId cpu_id() {
  CpuId r;
#if defined(__x86_64__) || defined(__i386__)
  unsigned a, b, c, d;
  char vendor[13] = {0};
  __cpuid(0, a, b, c, d);
  std::memcpy(vendor, &b, 4);
  std::memcpy(vendor + 4, &d, 4);
  std::memcpy(vendor + 8, &c, 4);
  r.vendor = vendor;
  __cpuid(1, a, b, c, d);
  r.hypervisor = (c >> 31) & 1;
  if (r.hypervisor) {
    char hv[13] = {0};
    __cpuid(0x40000000, a, b, c, d);
    std::memcpy(hv, &b, 4);
    std::memcpy(hv + 4, &c, 4);
    std::memcpy(hv + 8, &d, 4);
    r.hypervisor_vendor = hv;
  }
  unsigned max_ext = __get_cpuid_max(0x80000000, nullptr);
  if (max_ext >= 0x80000004) {
    char brand[49] = {0};
    for (unsigned leaf = 0; leaf < 3; ++leaf) {
      __cpuid(0x80000002 + leaf, a, b, c, d);
      std::memcpy(brand + leaf * 16, &a, 4);
      std::memcpy(brand + leaf * 16 + 4, &b, 4);
      std::memcpy(brand + leaf * 16 + 8, &c, 4);
      std::memcpy(brand + leaf * 16 + 12, &d, 4);
    }
    r.brand = brand;
    while (!r.brand.empty() && r.brand.back() == ' ') r.brand.pop_back();
  }
#endif
  return r;
}

bool pin_current_thread(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

}  // namespace ibvf
