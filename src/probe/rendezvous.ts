/**
 * The rendezvous file: how a launcher's rank 0 tells the other ranks where it listens
 * (`.ibvf-rendezvous-<job key>.json` in a directory they share, IBVF_RENDEZVOUS_DIR or the
 * working directory).
 *
 * Rank 0 removes it on every path it controls (success, error, Ctrl-C, SIGTERM), but a
 * rank 0 killed with SIGKILL or by the OOM killer leaves it. So the file names the process
 * that wrote it beyond doubt: host name, boot id (/proc/sys/kernel/random/boot_id, new on
 * every boot), pid and the pid's start time (field 22 of /proc/PID/stat, clock ticks since
 * boot), which together never recur even when the pid is reused. A later run on the same
 * host proves such a file stale and removes it; a reader on another host, which cannot
 * look at that process, ignores a file published long before its own launch began
 * (`readRendezvous`).
 */
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { RunError } from '../errors.js';
import { bootId } from './hostinfo.js';

const PREFIX = '.ibvf-rendezvous-';
/** Our files and the temporary file each is written through: nothing else is ever removed. */
const OURS = /^\.ibvf-rendezvous-[A-Za-z0-9_.-]+\.json(\.tmp)?$/;
/** A rendezvous file is a few hundred bytes; anything larger is not ours and is not read. */
const MAX_RECORD_BYTES = 64 * 1024;
/**
 * How long, beyond its --timeout, before a rank's own start a live rank 0 of the same
 * launch can have published: a launcher starts all ranks within seconds; the rest covers
 * clocks that differ between hosts (NTP keeps them within a fraction of a second).
 */
export const LAUNCH_SPREAD_MS = 120_000;

/** What rank 0 writes. */
export interface RendezvousRecord {
  /** Where rank 0 listens. */
  host: string;
  port: number;
  /** The writing process, beyond doubt: host, boot, pid and the pid's start time. */
  hostname: string;
  bootId?: string;
  pid?: number;
  /** /proc/PID/stat's starttime (clock ticks since boot); null where there is no /proc. */
  pidStart?: string | null;
  jobKey?: string;
  /** When it was published (ISO 8601). */
  time?: string;
}

/** What a reader knows about itself and can ask about processes on its host. */
export interface Here {
  hostname: string;
  bootId: string;
  /** The start time of a live process on this host, as in /proc/PID/stat; undefined: no such process. */
  pidStart(pid: number): string | null | undefined;
  /** When this process started (ms since the epoch). */
  startedMs: number;
}

export function rendezvousPath(dir: string, jobKey: string): string {
  return join(dir, `${PREFIX}${jobKey.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
}

/**
 * A process's start time from /proc/PID/stat (field 22; the name in field 2 may hold
 * spaces and parentheses, so fields are counted after its closing parenthesis). Undefined
 * when no such process runs; null when it runs but /proc cannot say (not Linux), or when
 * it runs as another user (EPERM).
 */
export function processStartTime(pid: number): string | null | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    try {
      process.kill(pid, 0);
      return null;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM' ? null : undefined;
    }
  }
}

export function hereNow(): Here {
  return {
    hostname: os.hostname(),
    bootId: bootId(),
    pidStart: processStartTime,
    startedMs: performance.timeOrigin,
  };
}

/**
 * Why a record is provably stale on this host (its writer is gone), or undefined when it
 * cannot be proved here: written on another host or boot, or by a process that runs on.
 */
export function staleOnThisHost(r: RendezvousRecord, here: Here): string | undefined {
  if (r.hostname !== here.hostname || r.bootId !== here.bootId || typeof r.pid !== 'number') return undefined;
  const now = here.pidStart(r.pid);
  if (now === undefined) return `its rank 0 (pid ${r.pid}) is gone`;
  if (typeof r.pidStart === 'string' && typeof now === 'string' && now !== r.pidStart)
    return `pid ${r.pid} is now another process`;
  return undefined;
}

/** Parses a rendezvous record, or undefined when the text is not one (yet: being written). */
export function parseRendezvous(text: string): RendezvousRecord | undefined {
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof r !== 'object' || r === null) return undefined;
  const o = r as Record<string, unknown>;
  if (typeof o.host !== 'string' || typeof o.port !== 'number') return undefined;
  return o as unknown as RendezvousRecord;
}

/**
 * Rank 0 publishes where it listens (atomically: write then rename), with what names
 * it beyond doubt (above), so that a file it leaves when killed can be told stale.
 */
export function publishRendezvous(path: string, host: string, port: number, jobKey?: string): void {
  const record: RendezvousRecord = {
    host,
    port,
    hostname: os.hostname(),
    bootId: bootId(),
    pid: process.pid,
    pidStart: processStartTime(process.pid) ?? null,
    ...(jobKey === undefined ? {} : { jobKey }),
    time: new Date().toISOString(),
  };
  writeFileSync(`${path}.tmp`, JSON.stringify(record));
  renameSync(`${path}.tmp`, path);
}

/**
 * A rendezvous file's address, or undefined when it is not (yet) one: being written, or
 * stale. Written on this host and boot, its writer is looked at (`staleOnThisHost`).
 * Written elsewhere, it is stale when published before this rank started by more than a
 * live rank 0 waits (`waitMs`, its --timeout, which both ranks share) plus
 * LAUNCH_SPREAD_MS: a rank 0 that old has given up and gone.
 */
export function readRendezvous(
  text: string,
  here: Here = hereNow(),
  waitMs = 0,
): { host: string; port: number } | undefined {
  const r = parseRendezvous(text);
  if (!r) return undefined;
  const at = { host: r.host, port: r.port };
  if (r.hostname === here.hostname && typeof r.pid === 'number') {
    if (r.bootId === here.bootId) return staleOnThisHost(r, here) ? undefined : at;
    // A file of the first format (host name and pid, no boot id): its writer is checked by pid.
    if (r.bootId === undefined) return here.pidStart(r.pid) === undefined ? undefined : at;
  }
  const published = typeof r.time === 'string' ? Date.parse(r.time) : NaN;
  if (Number.isFinite(published) && published < here.startedMs - waitMs - LAUNCH_SPREAD_MS) return undefined;
  return at;
}

export function removeRendezvous(path: string): void {
  rmSync(path, { force: true });
}

/**
 * Removes the rendezvous files in `dir` that are provably stale (`staleOnThisHost`),
 * and returns their names: at startup, so files left by killed runs do not pile up.
 * Only our files (our name pattern) and only those whose writer is gone; a file of
 * another host or a live run is left alone.
 */
export function sweepStaleRendezvous(dir: string, here: Here = hereNow()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!OURS.test(name)) continue;
    const file = join(dir, name);
    try {
      if (!statSync(file).isFile() || statSync(file).size > MAX_RECORD_BYTES) continue;
      const r = parseRendezvous(readFileSync(file, 'utf8'));
      if (r && staleOnThisHost(r, here)) {
        rmSync(file, { force: true });
        removed.push(name);
      }
    } catch {
      // gone meanwhile (its run finished) or unreadable: not ours to judge
    }
  }
  return removed;
}

/** Rank 1 waits for rank 0's file (polling every 100 ms) up to timeoutMs. */
export async function awaitRendezvous(
  path: string,
  timeoutMs: number,
): Promise<{ host: string; port: number }> {
  const deadline = Date.now() + timeoutMs;
  const here = hereNow();
  while (Date.now() < deadline) {
    if (existsSync(path)) {
      let text = '';
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        // replaced between the check and the read: try again
      }
      const at = readRendezvous(text, here, timeoutMs);
      if (at) return at;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new RunError(
    `rank 0 did not publish its address in ${path} within ${timeoutMs / 1000} s ` +
      '(is the directory shared by both ranks? set IBVF_RENDEZVOUS_DIR, or IBVF_PEER=HOST:PORT)',
  );
}
