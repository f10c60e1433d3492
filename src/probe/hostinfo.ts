import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { CpuInfo } from './native.js';
import type { HostInfo } from './result.js';

/** DMI vendor/product words that name a hypervisor (as systemd-detect-virt looks for them). */
const VM_DMI =
  /qemu|kvm|vmware|virtualbox|xen|bochs|bhyve|parallels|hyper-v|virtual machine|openstack|amazon ec2|google compute|oxide/i;

function readSys(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Whether this host is a virtual machine: first the DMI strings in
 * /sys/class/dmi/id (sys_vendor, product_name), then the CPUID hypervisor bit
 * (leaf 1, ECX bit 31) with the hypervisor's vendor string (leaf 0x40000000).
 */
export function detectVm(cpu: CpuInfo): { is_vm: boolean; vm_evidence: string } {
  for (const field of ['sys_vendor', 'product_name']) {
    const value = readSys(`/sys/class/dmi/id/${field}`);
    if (value && VM_DMI.test(value))
      return { is_vm: true, vm_evidence: `/sys/class/dmi/id/${field}: ${value}` };
  }
  if (cpu.hypervisor) {
    return {
      is_vm: true,
      vm_evidence: `cpuid hypervisor bit (${cpu.hypervisorVendor.trim() || 'unknown vendor'})`,
    };
  }
  return { is_vm: false, vm_evidence: 'no DMI hypervisor name, cpuid hypervisor bit clear' };
}

/** This host as a probe result records it. */
export function hostInfo(cpu: CpuInfo): HostInfo {
  return {
    name: os.hostname(),
    kernel: `${os.type()} ${os.release()} ${os.version()}`,
    cpu: cpu.brand || os.cpus()[0]?.model || 'unknown',
    cpus: os.availableParallelism(),
    ...detectVm(cpu),
  };
}

/** The kernel's boot id: two processes with the same one share a host (even across network namespaces). */
export function bootId(): string {
  return readSys('/proc/sys/kernel/random/boot_id') ?? `${os.hostname()}`;
}
