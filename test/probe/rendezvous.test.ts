import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LAUNCH_SPREAD_MS,
  processStartTime,
  publishRendezvous,
  readRendezvous,
  rendezvousPath,
  staleOnThisHost,
  sweepStaleRendezvous,
  type Here,
  type RendezvousRecord,
} from '../../src/probe/rendezvous.js';
import { tempDir } from './helpers.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
/** A host whose processes are the map's entries (pid -> start time); others are gone. */
function host(name: string, procs: Record<number, string>): Here {
  return { hostname: name, bootId: `boot-${name}`, pidStart: (pid) => procs[pid], startedMs: NOW };
}
const record = (over: Partial<RendezvousRecord> = {}): RendezvousRecord => ({
  host: '10.0.0.1',
  port: 5000,
  hostname: 'h1',
  bootId: 'boot-h1',
  pid: 100,
  pidStart: '777',
  time: new Date(NOW).toISOString(),
  ...over,
});
const at = { host: '10.0.0.1', port: 5000 };

describe('rendezvous records', () => {
  it('reads an address; a file being written is not one yet', () => {
    const h1 = host('h1', { 100: '777' });
    expect(readRendezvous(JSON.stringify(record()), h1)).toEqual(at);
    expect(readRendezvous('{"host":"10.0', h1)).toBeUndefined();
    expect(readRendezvous('null', h1)).toBeUndefined();
    expect(readRendezvous('{"host":1,"port":"x"}', h1)).toBeUndefined();
  });

  it('on its own host and boot: stale when its rank 0 is gone or its pid is another process now', () => {
    expect(staleOnThisHost(record(), host('h1', {}))).toMatch(/pid 100\) is gone/);
    expect(readRendezvous(JSON.stringify(record()), host('h1', {}))).toBeUndefined();
    // the pid was reused: same number, another start time
    expect(staleOnThisHost(record(), host('h1', { 100: '999' }))).toMatch(/another process/);
    expect(readRendezvous(JSON.stringify(record()), host('h1', { 100: '999' }))).toBeUndefined();
    // alive: kept however old (a rank 0 started by hand long before its partner)
    const old = record({ time: new Date(NOW - 10 * LAUNCH_SPREAD_MS).toISOString() });
    expect(staleOnThisHost(old, host('h1', { 100: '777' }))).toBeUndefined();
    expect(readRendezvous(JSON.stringify(old), host('h1', { 100: '777' }))).toEqual(at);
  });

  it('never judged stale by a process of another host or another boot of the same name', () => {
    expect(staleOnThisHost(record(), host('h2', {}))).toBeUndefined();
    expect(staleOnThisHost(record({ bootId: 'boot-before' }), host('h1', {}))).toBeUndefined();
  });

  it('read on another host: ignored when published before this launch by more than a rank 0 waits', () => {
    const h2 = host('h2', {});
    expect(readRendezvous(JSON.stringify(record()), h2)).toEqual(at);
    const late = record({ time: new Date(NOW - LAUNCH_SPREAD_MS - 30_000).toISOString() });
    expect(readRendezvous(JSON.stringify(late), h2)).toBeUndefined();
    // a rank 0 with --timeout 60 may still wait for it
    expect(readRendezvous(JSON.stringify(late), h2, 60_000)).toEqual(at);
  });

  it("reads the first format (host name and pid only) by its pid on the writer's host", () => {
    const first = { host: '10.0.0.1', port: 5000, pid: 100, hostname: 'h1' };
    expect(readRendezvous(JSON.stringify(first), host('h1', { 100: '1' }))).toEqual(at);
    expect(readRendezvous(JSON.stringify(first), host('h1', {}))).toBeUndefined();
    expect(readRendezvous(JSON.stringify(first), host('h2', {}))).toEqual(at);
  });

  it('publishes what names its writer beyond doubt (this process, read back alive)', () => {
    const file = rendezvousPath(tempDir(), 'job/1');
    expect(file).toMatch(/\.ibvf-rendezvous-job_1\.json$/);
    publishRendezvous(file, '10.0.0.1', 5000, 'job/1');
    expect(readdirSync(join(file, '..'))).toEqual(['.ibvf-rendezvous-job_1.json']);
    const text = readFileSync(file, 'utf8');
    expect(readRendezvous(text)).toEqual(at);
    const r = JSON.parse(text) as RendezvousRecord;
    expect(r).toMatchObject({ pid: process.pid, jobKey: 'job/1' });
    expect(r.pidStart).toBe(processStartTime(process.pid));
  });
});

describe('processStartTime', () => {
  it("is /proc's start time of a live process, undefined for a pid that cannot exist", () => {
    expect(processStartTime(process.pid)).toMatch(/^\d+$/);
    expect(processStartTime(2 ** 30)).toBeUndefined();
  });
});

describe('sweepStaleRendezvous', () => {
  it('removes only our files whose writer is provably gone', () => {
    const dir = tempDir();
    const h1 = host('h1', { 100: '777' });
    const put = (name: string, r: unknown) => writeFileSync(join(dir, name), JSON.stringify(r));
    put('.ibvf-rendezvous-dead.json', record({ pid: 200 }));
    put('.ibvf-rendezvous-dead2.json.tmp', record({ pid: 201 }));
    put('.ibvf-rendezvous-reused.json', record({ pidStart: '1' }));
    put('.ibvf-rendezvous-live.json', record());
    put('.ibvf-rendezvous-other-host.json', record({ hostname: 'h2', bootId: 'boot-h2', pid: 200 }));
    put('.ibvf-rendezvous-first-format.json', { host: 'x', port: 1, hostname: 'h1', pid: 200 });
    put('rendezvous-dead.json', record({ pid: 200 }));
    writeFileSync(join(dir, '.ibvf-rendezvous-garbage.json'), 'not json');
    writeFileSync(
      join(dir, '.ibvf-rendezvous-big.json'),
      ' '.repeat(100_000) + JSON.stringify(record({ pid: 200 })),
    );
    mkdirSync(join(dir, '.ibvf-rendezvous-dir.json'));
    expect(sweepStaleRendezvous(dir, h1).sort()).toEqual([
      '.ibvf-rendezvous-dead.json',
      '.ibvf-rendezvous-dead2.json.tmp',
      '.ibvf-rendezvous-reused.json',
    ]);
    expect(readdirSync(dir).sort()).toEqual([
      '.ibvf-rendezvous-big.json',
      '.ibvf-rendezvous-dir.json',
      '.ibvf-rendezvous-first-format.json',
      '.ibvf-rendezvous-garbage.json',
      '.ibvf-rendezvous-live.json',
      '.ibvf-rendezvous-other-host.json',
      'rendezvous-dead.json',
    ]);
  });

  it('is quiet about a directory that does not exist', () => {
    expect(sweepStaleRendezvous(join(tempDir(), 'none'))).toEqual([]);
  });
});
