// What the CPU says about itself (CPUID) and pinning a thread to one CPU.
#pragma once
#include <string>

namespace ibvf {

struct CpuId {
  std::string vendor;      // "GenuineIntel", "AuthenticAMD", ...
  std::string brand;       // brand string, leaves 0x80000002-4
  bool hypervisor = false; // CPUID.1:ECX[31], set by hypervisors for their guests
  std::string hypervisor_vendor;  // leaf 0x40000000 ("KVMKVMKVM", "Microsoft Hv", ...)
};
CpuId cpu_id();

// Pins the calling thread to `cpu`; returns false (errno set) if the kernel refuses.
bool pin_current_thread(int cpu);

}  // namespace ibvf
