/**
 * Builds the libibverbs test double (double/fake_verbs.cc) with g++ into the system's
 * temporary directory, once per version of its source, and gives the environment that
 * makes the probe load it. Never installed, never used for measurements.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('./double/fake_verbs.cc', import.meta.url));

/** The header the double (and the addon's verbs part) compile against is installed. */
export function haveVerbsHeader(): boolean {
  try {
    execFileSync('sh', ['-c', 'echo "#include <infiniband/verbs.h>" | g++ -E -x c++ - >/dev/null 2>&1']);
    return true;
  } catch {
    return false;
  }
}

export function buildDouble(): string {
  const src = readFileSync(SOURCE);
  const hash = createHash('sha256').update(src).digest('hex').slice(0, 12);
  const out = join(tmpdir(), `ibvf-verbs-double-${hash}.so`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}`;
  execFileSync('g++', ['-std=c++17', '-O2', '-shared', '-fPIC', '-o', tmp, SOURCE, '-lrt', '-pthread']);
  renameSync(tmp, out); // atomic: a parallel build never loads half a file
  return out;
}

/**
 * A fake sysfs tree holding one device directory for `name`, as a PF or a VF of a
 * ConnectX-3, on NUMA node `numa.node` (default 1) whose CPUs are `numa.cpus` (a sysfs
 * cpulist, default 0-1: CPUs every test host has).
 */
export function fakeSysfs(
  root: string,
  name: string,
  kind: 'pf' | 'vf',
  numa: { node: number; cpus: string } = { node: 1, cpus: '0-1' },
): string {
  const dev = join(root, 'class', 'infiniband', name, 'device');
  mkdirSync(dev, { recursive: true });
  writeFileSync(join(dev, 'vendor'), '0x15b3\n');
  writeFileSync(join(dev, 'numa_node'), `${numa.node}\n`);
  if (numa.node >= 0) {
    const node = join(root, 'devices', 'system', 'node', `node${numa.node}`);
    mkdirSync(node, { recursive: true });
    writeFileSync(join(node, 'cpulist'), `${numa.cpus}\n`);
  }
  if (kind === 'vf') {
    writeFileSync(join(dev, 'device'), '0x1004\n');
    mkdirSync(join(root, 'pf-0000:03:00.0'), { recursive: true });
    symlinkSync(join(root, 'pf-0000:03:00.0'), join(dev, 'physfn'));
  } else {
    writeFileSync(join(dev, 'device'), '0x1003\n');
    writeFileSync(join(dev, 'sriov_numvfs'), '4\n');
  }
  return root;
}
