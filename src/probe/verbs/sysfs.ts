/**
 * Reads what sysfs says about an RDMA device's PCI function. The root is /sys, or
 * IBVF_TEST_SYSFS (a fake tree the tests build). I/O only; function-kind.ts decides.
 */
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { PciFacts } from './function-kind.js';
import type { NumaFacts } from './numa-pin.js';
import { parseCpuList } from '../topology.js';

export function sysfsRoot(env: Record<string, string | undefined> = process.env): string {
  return env.IBVF_TEST_SYSFS && env.IBVF_TEST_SYSFS !== '' ? env.IBVF_TEST_SYSFS : '/sys';
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function number(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : undefined;
}

export function readPciFacts(root: string, device: string): PciFacts {
  const dir = join(root, 'class', 'infiniband', device, 'device');
  const facts: PciFacts = { dir };
  const physfn = join(dir, 'physfn');
  try {
    facts.physfn = basename(readlinkSync(physfn));
  } catch {
    if (existsSync(physfn)) facts.physfn = 'physfn';
  }
  facts.sriovNumvfs = read(join(dir, 'sriov_numvfs'));
  facts.vendor = number(read(join(dir, 'vendor')));
  facts.pciDevice = number(read(join(dir, 'device')));
  facts.numaNode = number(read(join(dir, 'numa_node')));
  return facts;
}

/**
 * The HCA's NUMA node and that node's CPUs (both under the sysfs root, so the tests' fake
 * tree sets them), and the CPUs online on this host (always the real /sys: that is where
 * threads are pinned).
 */
export function readNumaFacts(
  root: string,
  device: string,
  online = '/sys/devices/system/cpu/online',
): NumaFacts {
  const nodeFile = join(root, 'class', 'infiniband', device, 'device', 'numa_node');
  const node = number(read(nodeFile));
  const list =
    node === undefined || node < 0
      ? undefined
      : read(join(root, 'devices', 'system', 'node', `node${node}`, 'cpulist'));
  const onlineText = read(online);
  return {
    nodeFile,
    ...(node !== undefined ? { node } : {}),
    ...(list !== undefined ? { nodeCpus: parseCpuList(list) } : {}),
    online: onlineText === undefined ? [] : parseCpuList(onlineText),
  };
}
