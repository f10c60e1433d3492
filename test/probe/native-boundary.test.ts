/**
 * The boundary between the probe's TypeScript and its C++ addon: a job spec is checked on
 * both sides with errors naming the field, sockets are close-on-exec, and connect honours
 * its deadline against a host that never answers. Loopback only.
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkJobSpec, JOB_LIMITS } from '../../src/probe/job-spec.js';
import { loadAddon, type NativeEndpoint } from '../../src/probe/native.js';
import { runIbvf } from '../cli/run.js';
import { ROOT } from './helpers.js';

const GOOD = {
  kind: 'pingpong',
  mode: 'poll',
  sizes: [1, 8],
  iterations: [10, 10],
  warmup: 2,
  window: 1,
  n: 1,
  delayNs: 0,
  idleTimeoutMs: 1000,
};

const addon = loadAddon();
const opened: { close(): void }[] = [];
afterAll(() => opened.forEach((x) => x.close()));

/** A connected pair of TCP endpoints in this process. */
async function tcpPair(): Promise<[NativeEndpoint, NativeEndpoint]> {
  const listener = new addon.Listener('127.0.0.1', 0);
  opened.push(listener);
  const accepted = listener.accept(5000);
  const client = await addon.tcpConnect('127.0.0.1', listener.port, 5000);
  const server = await accepted;
  opened.push(client, server);
  return [client, server];
}

describe('job specs: checked in TypeScript before the addon, naming the field', () => {
  it('accepts a real spec and refuses each kind of damage', () => {
    expect(checkJobSpec(GOOD)).toMatchObject({ kind: 'pingpong', sizes: [1, 8], iterations: [10, 10] });
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ kind: 'rm -rf' }, /spec\.kind must be one of pingpong, stream, prtt/],
      [{ mode: 'spin' }, /spec\.mode/],
      [{ sizes: 'big' }, /spec\.sizes must be an array/],
      [
        { sizes: [1, 2 ** 40], iterations: [1, 1] },
        /spec\.sizes\[1\] must be a whole number from 0 to 1073741824/,
      ],
      [{ iterations: [10] }, /spec\.iterations must be as long as spec\.sizes/],
      [{ iterations: [10, 1e12] }, /spec\.iterations\[1\]/],
      [{ sizes: Array(65).fill(1), iterations: Array(65).fill(1) }, /1 to 64 numbers/],
      [{ window: 0 }, /spec\.window/],
      [{ delayNs: -1 }, /spec\.delayNs/],
      [{ delayNs: Infinity }, /spec\.delayNs/],
      [{ cpus: ['x'] }, /spec\.cpus\[0\]/],
    ];
    for (const [change, message] of bad) expect(() => checkJobSpec({ ...GOOD, ...change })).toThrow(message);
    expect(() => checkJobSpec(null)).toThrow(/spec must be an object/);
  });

  it('--iters, --sizes and --timeout beyond the limits are usage errors (exit 2) before anything runs', async () => {
    const iters = await runIbvf('probe', 'run', '--transport', 'tcp', '--iters', '100000000', '--json');
    expect(iters.code).toBe(2);
    expect(iters.err).toBe(
      `ibvf: --iters: 100000000 is above the probe's limit of ${JOB_LIMITS.iterations} per size (every timestamp is kept in memory)\n`,
    );
    const sizes = await runIbvf('probe', 'run', '--transport', 'tcp', '--sizes', '1:2G', '--json');
    expect(sizes.code).toBe(2);
    expect(sizes.err).toMatch(/--sizes: 2147483648 bytes is above the probe's largest message/);
    const timeout = await runIbvf('probe', 'run', '--transport', 'tcp', '--timeout', '3000000', '--json');
    expect(timeout.code).toBe(2);
    expect(timeout.err).toBe("ibvf: --timeout: '3000000' is too large (at most 86400)\n");
  });
});

describe('the addon itself', () => {
  it('refuses a bad spec with a TypeError naming the field, never a crash', async () => {
    const [client] = await tcpPair();
    const run = (spec: Record<string, unknown>) => () =>
      addon.runJob([client], { ...GOOD, active: true, ...spec } as never);
    expect(run({ sizes: 'x' })).toThrow(/runJob: spec\.sizes must be an array/);
    expect(run({ iterations: [10] })).toThrow(/runJob: spec\.iterations must be as long as spec\.sizes/);
    expect(run({ sizes: [1, -5] })).toThrow(/runJob: spec\.sizes\[1\] must be a whole number/);
    expect(run({ iterations: [10, 2 ** 40] })).toThrow(/runJob: spec\.iterations\[1\]/);
    expect(run({ kind: 7 })).toThrow(/runJob: spec\.kind must be 'pingpong' or 'stream' or 'prtt'/);
    expect(run({ delayNs: NaN })).toThrow(/runJob: spec\.delayNs/);
    expect(run({ cpus: [0, 1] })).toThrow(/runJob: spec\.cpus must be an array of 0 to 1 items/);
    expect(run({ active: 'yes' })).toThrow(/runJob: spec\.active must be true or false/);
  });

  it('accepted and connected sockets are close-on-exec: a process spawned meanwhile holds none of them', async () => {
    await tcpPair();
    const child = spawnSync('sh', ['-c', 'ls -l /proc/self/fd/'], { encoding: 'utf8' });
    expect(child.status).toBe(0);
    // beyond its stdin, stdout and stderr (which spawnSync makes sockets), no socket
    const inherited = child.stdout
      .split('\n')
      .filter((l) => / (\d+) -> socket:/.exec(l) && Number(/ (\d+) -> /.exec(l)![1]) > 2);
    expect(inherited).toEqual([]);
  });

  it('connect gives up at its deadline when the host never answers (its SYNs dropped)', async () => {
    // A listener that never accepts, its backlog filled: the kernel then drops new SYNs,
    // as a host that does not answer would.
    const listener = new addon.Listener('127.0.0.1', 0);
    opened.push(listener);
    const fillers: net.Socket[] = [];
    for (let i = 0; i < 40; i++) {
      const s = net.connect(listener.port, '127.0.0.1');
      s.on('error', () => undefined);
      fillers.push(s);
    }
    await new Promise((r) => setTimeout(r, 500));
    const t0 = Date.now();
    await expect(addon.tcpConnect('127.0.0.1', listener.port, 1500)).rejects.toThrow(
      /cannot connect to 127\.0\.0\.1/,
    );
    const took = Date.now() - t0;
    fillers.forEach((s) => s.destroy());
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(6000);
  });
});

describe("libuv's worker pool", () => {
  it('accepts, connects and jobs run on threads of their own: with a pool of one thread, all of them and a file read still run', () => {
    // Before, each waited on a pool thread for its whole length: with UV_THREADPOOL_SIZE=1
    // a pending accept kept the connect from running, and a passive job the active one.
    const native = pathToFileURL(join(ROOT, 'dist', 'probe', 'native.js')).href;
    const code = `
      import { readFile } from 'node:fs/promises';
      import { loadAddon } from '${native}';
      const addon = loadAddon();
      const listener = new addon.Listener('127.0.0.1', 0);
      // an accept waiting while the connect runs: neither holds the one pool thread
      const accepted = listener.accept(5000);
      const a = await addon.tcpConnect('127.0.0.1', listener.port, 5000);
      const b = await accepted;
      const spec = { kind: 'pingpong', mode: 'event', sizes: [1, 8], iterations: [50, 50], warmup: 2, idleTimeoutMs: 5000 };
      const passive = addon.runJob([b], { ...spec, active: false });
      const active = addon.runJob([a], { ...spec, active: true });
      const text = await readFile('${join(ROOT, 'package.json')}', 'utf8');
      const [r] = await active;
      await passive;
      console.log(JSON.stringify({ read: text.length > 0, samples: r.sizes.map((s) => s.samplesUs.length) }));
      for (const x of [a, b, listener]) x.close();
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      encoding: 'utf8',
      env: { ...process.env, UV_THREADPOOL_SIZE: '1' },
      timeout: 30000,
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ read: true, samples: [50, 50] });
  });
});
