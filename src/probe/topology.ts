import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** Where the two processes of a pair run relative to each other. */
export const PINS = ['none', 'same-cpu', 'same-core', 'same-socket', 'other-socket'] as const;
export type Pin = (typeof PINS)[number];

export interface Cpu {
  id: number;
  core: number;
  socket: number;
}

/** Parses a sysfs CPU list such as `0-3,8,10-11`. */
export function parseCpuList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.trim().split(',')) {
    if (part === '') continue;
    const [a, b] = part.split('-').map(Number);
    for (let c = a; c <= (b ?? a); c++) out.push(c);
  }
  return out;
}

/** Online CPUs with their core and socket, from /sys/devices/system/cpu (Linux topology files). */
export function readTopology(root = '/sys/devices/system/cpu'): Cpu[] {
  const online = parseCpuList(readFileSync(`${root}/online`, 'utf8'));
  return online.map((id) => {
    const read = (f: string) => Number(readFileSync(`${root}/cpu${id}/topology/${f}`, 'utf8').trim());
    return { id, core: read('core_id'), socket: read('physical_package_id') };
  });
}

/** Two CPUs for the two sides of a pair with the relation asked for, or a usage error saying why not. */
export function choosePair(cpus: Cpu[], pin: Exclude<Pin, 'none'>): [number, number] {
  const sockets = new Set(cpus.map((c) => c.socket)).size;
  const fits: Record<Exclude<Pin, 'none'>, (a: Cpu, b: Cpu) => boolean> = {
    'same-cpu': (a, b) => a.id === b.id,
    'same-core': (a, b) => a.id !== b.id && a.core === b.core && a.socket === b.socket,
    'same-socket': (a, b) => a.core !== b.core && a.socket === b.socket,
    'other-socket': (a, b) => a.socket !== b.socket,
  };
  for (const a of cpus) for (const b of cpus) if (fits[pin](a, b)) return [a.id, b.id];
  throw new UsageError(
    `--pin ${pin}: this host has no such pair of CPUs (${cpus.length} online CPUs, ${sockets} socket(s), ` +
      `${new Set(cpus.map((c) => `${c.socket}:${c.core}`)).size} cores)`,
  );
}

/** Each pair's CPUs: this side's and the peer's, pair by pair. */
export interface PairCpus {
  local: number[];
  peer: number[];
}

/**
 * CPUs for `n` pairs of measuring threads (`--pairs N --pin RELATION`): every pair with
 * the relation asked for, and no CPU used twice, so that the pairs measure the memory or
 * the fabric and not the scheduler. same-socket puts all 2N threads on one socket, each on
 * a core of its own (the run that `node.socketCopyBandwidth` reads: N pairs sharing one
 * memory controller); other-socket puts every pair's two sides on two sockets; same-core
 * puts each pair on the two hyperthreads of a core; same-cpu each pair on a CPU of its
 * own. With `reuse` (--oversubscribe) CPUs the host lacks are taken again in turn, on the
 * same socket(s), and the relation still holds for every pair.
 */
export function choosePairs(cpus: Cpu[], pin: Exclude<Pin, 'none'>, n: number, reuse = false): PairCpus {
  if (n === 1) {
    const [a, b] = choosePair(cpus, pin);
    return { local: [a], peer: [b] };
  }
  const sockets = [...new Set(cpus.map((c) => c.socket))].sort((x, y) => x - y);
  /** One CPU per core of a socket, the lowest-numbered. */
  const coresOf = (socket: number): Cpu[] => {
    const seen = new Map<number, Cpu>();
    for (const c of cpus) if (c.socket === socket && !seen.has(c.core)) seen.set(c.core, c);
    return [...seen.values()];
  };
  const take = (list: number[], count: number): number[] | undefined =>
    list.length >= count ? list.slice(0, count) : reuse && list.length > 0 ? cycle(list, count) : undefined;
  const pick = (): PairCpus | undefined => {
    if (pin === 'same-cpu') {
      const ids = take(
        cpus.map((c) => c.id),
        n,
      );
      return ids && { local: ids, peer: ids };
    }
    if (pin === 'same-core') {
      const siblings = [...new Set(cpus.map((c) => `${c.socket}:${c.core}`))]
        .map((k) => cpus.filter((c) => `${c.socket}:${c.core}` === k))
        .filter((s) => s.length >= 2);
      const chosen = take(
        siblings.map((_, i) => i),
        n,
      );
      return (
        chosen && { local: chosen.map((i) => siblings[i][0].id), peer: chosen.map((i) => siblings[i][1].id) }
      );
    }
    if (pin === 'same-socket') {
      const perSocket = sockets.map((s) => coresOf(s).map((c) => c.id));
      const roomy = perSocket.find((ids) => ids.length >= 2 * n);
      if (roomy) return { local: roomy.slice(0, n), peer: roomy.slice(n, 2 * n) };
      // Reused, pair i's sides stay on two different cores: one from each half of the socket's.
      const widest = perSocket.reduce((a, b) => (b.length > a.length ? b : a), []);
      const half = Math.floor(widest.length / 2);
      if (reuse && half > 0)
        return { local: cycle(widest.slice(0, half), n), peer: cycle(widest.slice(half), n) };
      return undefined;
    }
    if (sockets.length < 2) return undefined;
    const a = take(
      coresOf(sockets[0]).map((c) => c.id),
      n,
    );
    const b = take(
      coresOf(sockets[1]).map((c) => c.id),
      n,
    );
    return a && b && { local: a, peer: b };
  };
  const chosen = pick();
  if (chosen) return chosen;
  const cores = new Set(cpus.map((c) => `${c.socket}:${c.core}`)).size;
  const need: Record<Exclude<Pin, 'none'>, string> = {
    'same-cpu': `${n} CPUs`,
    'same-core': `${n} cores with two hyperthreads`,
    'same-socket': `${2 * n} cores on one socket`,
    'other-socket': `${n} cores on each of two sockets`,
  };
  throw new UsageError(
    `--pairs ${n} --pin ${pin}: this host has ${cpus.length} online CPUs, ${sockets.length} socket(s), ${cores} cores; ` +
      `${n} pairs need ${need[pin]}, each CPU used once (fewer --pairs, or --oversubscribe to reuse CPUs in turn)`,
  );
}

function cycle(list: number[], count: number): number[] {
  return Array.from({ length: count }, (_, i) => list[i % list.length]);
}
