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
