import { spawnSync } from 'node:child_process';

/**
 * What some tests need from the machine. A developer's machine may lack a tool and skip
 * those tests; CI installs every tool (`.ci/apt-packages.txt`) and sets CI, so there a
 * missing tool is a broken install and fails the run instead of hiding the tests.
 * A missing capability (network namespaces need CAP_SYS_ADMIN) is not an install
 * problem: it skips everywhere, saying why.
 */

export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

/** Whether `tool args` runs and exits 0. */
function runs(tool: string, args: string[]): boolean {
  return spawnSync(tool, args, { stdio: 'ignore' }).status === 0;
}

/**
 * True when `tool` is installed (`tool ...probeArgs` exits 0). When it is not: under CI an
 * error naming the Debian package to install; elsewhere false, with the reason on stderr.
 */
export function hasTool(
  tool: string,
  probeArgs: string[],
  debianPackage: string,
  env = process.env,
): boolean {
  if (runs(tool, probeArgs)) return true;
  const why = `${tool} is not installed (Debian package ${debianPackage})`;
  if (inCi(env)) throw new Error(`${why}: CI installs it from .ci/apt-packages.txt, so its tests must run`);
  console.warn(`skipping the tests that need ${tool}: ${why}`);
  return false;
}

/**
 * Whether this process may create network namespaces (root with CAP_SYS_ADMIN and `ip`
 * from iproute2). `ip` itself missing is a tool problem (see hasTool); lacking the
 * capability skips, with the reason on stderr.
 */
export function canUseNetns(env = process.env): boolean {
  if (!hasTool('ip', ['-V'], 'iproute2', env)) return false;
  if (process.getuid?.() !== 0) {
    console.warn('skipping the network-namespace tests: they need root (CAP_SYS_ADMIN)');
    return false;
  }
  const name = `ibvf-netns-check-${process.pid}`;
  const added = spawnSync('ip', ['netns', 'add', name], { encoding: 'utf8' });
  if (added.status !== 0) {
    console.warn(`skipping the network-namespace tests: 'ip netns add' failed: ${added.stderr.trim()}`);
    return false;
  }
  spawnSync('ip', ['netns', 'del', name]);
  return true;
}
