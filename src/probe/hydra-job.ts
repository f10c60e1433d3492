import { closeSync, fstatSync, readFileSync, readSync, writeSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * The identity of an MPICH Hydra job, which every rank of one `mpiexec` shares. Hydra
 * exports no job id (MPICH 4.0.2 gives each rank PMI_RANK, PMI_SIZE, PMI_FD,
 * MPI_LOCALNRANKS and MPI_LOCALRANKID only), and a parent pid is no key: under `npx`
 * each rank's parent is its own npx process. Two ways to the job, tried in order:
 *
 * 1. Walk up the process tree (/proc) to `hydra_pmi_proxy`, whose command line names
 *    mpiexec's control address (`--control-port HOST:PORT`) and the process group
 *    (`--pgid N`): the same for every proxy of one job, on every host. This works
 *    whatever sits between the proxy and ibvf (npx, a shell, a container runtime that
 *    keeps the host's pids).
 * 2. Where the proxy is not visible (another pid namespace, no /proc), ask Hydra over
 *    PMI_FD (the PMI-1 wire protocol, MPICH's src/pmi/simple):
 *    `cmd=init pmi_version=1 pmi_subversion=1`, `cmd=get_my_kvsname`, `cmd=finalize`.
 *    The kvsname (`kvs_<mpiexec pid>_<pgid>_<random>_<host>`) is the same on every rank.
 *    Finalize is required: Hydra aborts the job when a rank that called init exits
 *    without it. Not first, because a wrapper may or may not pass PMI_FD on (under npx
 *    on this machine some ranks of one job had it and others not), and ranks that took
 *    different ways would not meet; every rank finds the proxy the same way.
 */

/** The kvsname in Hydra's reply to `cmd=get_my_kvsname`, if the reply is one. */
export function parseKvsnameReply(reply: string): string | undefined {
  const fields = new Map(
    reply
      .trim()
      .split(/\s+/)
      .map((kv) => kv.split('=', 2) as [string, string | undefined]),
  );
  if (fields.get('cmd') !== 'my_kvsname') return undefined;
  const rc = fields.get('rc');
  if (rc !== undefined && rc !== '0') return undefined;
  const name = fields.get('kvsname');
  return name && /^[A-Za-z0-9_.-]+$/.test(name) ? name : undefined;
}

/** The job key from a hydra_pmi_proxy command line (argv), or undefined for any other process. */
export function hydraProxyKey(argv: string[]): string | undefined {
  if (argv.length === 0 || basename(argv[0]) !== 'hydra_pmi_proxy') return undefined;
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const control = value('--control-port');
  if (!control) return undefined;
  return `hydra-${control}-pg${value('--pgid') ?? '0'}`;
}

/** The parent pid in a /proc/PID/stat line (the name in parentheses may hold spaces). */
export function parentOfStat(stat: string): number | undefined {
  const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(after[1]);
  return Number.isInteger(ppid) && ppid > 0 ? ppid : undefined;
}

/** How /proc is read: replaced in tests. */
export interface ProcTree {
  parent(pid: number): number | undefined;
  argv(pid: number): string[];
}

export const linuxProcTree: ProcTree = {
  parent(pid) {
    try {
      return parentOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return undefined;
    }
  },
  argv(pid) {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      return [];
    }
  },
};

/** Walks up from `pid` to the nearest hydra_pmi_proxy; its job key, or undefined. */
export function proxyAncestorKey(pid: number, tree: ProcTree = linuxProcTree): string | undefined {
  let at: number | undefined = pid;
  for (let depth = 0; at !== undefined && at > 1 && depth < 64; depth++) {
    const key = hydraProxyKey(tree.argv(at));
    if (key) return key;
    at = tree.parent(at);
  }
  return undefined;
}

const PMI_DEADLINE_MS = 2000;

/** One PMI-1 request and its one-line reply, on a blocking or non-blocking socket. */
function pmiRequest(fd: number, line: string, deadline: number): string {
  writeSync(fd, line);
  const buf = Buffer.alloc(1024);
  let reply = '';
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!reply.endsWith('\n')) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > deadline) throw e;
      Atomics.wait(pause, 0, 0, 5);
      continue;
    }
    if (n === 0) throw new Error('PMI connection closed');
    reply += buf.subarray(0, n).toString('latin1');
    if (reply.length > 4096) throw new Error('PMI reply too long');
  }
  return reply;
}

/**
 * The kvsname from Hydra over PMI_FD, or undefined when the fd is not Hydra's socket
 * (closed by a wrapper, or reused by this process for something else: then it is not
 * written to) or Hydra does not answer as expected.
 */
export function kvsnameOverPmi(env: Record<string, string | undefined>): string | undefined {
  const fd = env.PMI_FD !== undefined && /^\d+$/.test(env.PMI_FD) ? Number(env.PMI_FD) : undefined;
  if (fd === undefined || fd <= 2) return undefined;
  try {
    if (!fstatSync(fd).isSocket()) return undefined;
  } catch {
    return undefined;
  }
  const deadline = Date.now() + PMI_DEADLINE_MS;
  let initialized = false;
  try {
    const init = pmiRequest(fd, 'cmd=init pmi_version=1 pmi_subversion=1\n', deadline);
    if (!/cmd=response_to_init\b.*\brc=0\b/.test(init)) return undefined;
    initialized = true;
    return parseKvsnameReply(pmiRequest(fd, 'cmd=get_my_kvsname\n', deadline));
  } catch {
    return undefined;
  } finally {
    if (initialized) {
      try {
        pmiRequest(fd, 'cmd=finalize\n', deadline);
        closeSync(fd);
      } catch {
        // Hydra gone: nothing to finalize
      }
    }
  }
}

/** The job key of an MPICH Hydra rank: its proxy's, else PMI's kvsname, else undefined. */
export function hydraJobKey(env: Record<string, string | undefined>, pid = process.pid): string | undefined {
  const proxy = proxyAncestorKey(pid);
  if (proxy) return proxy;
  const kvs = kvsnameOverPmi(env);
  return kvs ? `hydra-${kvs}` : undefined;
}
