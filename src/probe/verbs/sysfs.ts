/**
 * Reads what sysfs says about an RDMA device's PCI function. The root is /sys, or
 * IBVF_TEST_SYSFS (a fake tree the tests build). I/O only; function-kind.ts decides.
 */
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { PciFacts } from './function-kind.js';

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
