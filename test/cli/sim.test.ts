import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { parseReferenceCsv, VALIDATION_DIR } from '../model/sim/helpers.js';

async function ibvf(...args: string[]) {
  const io = memoryIo();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

const rows = parseReferenceCsv(readFileSync(path.join(VALIDATION_DIR, 'reference.csv'), 'utf8'));
const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-sim-cli-'));

describe('ibvf sim', () => {
  for (const row of rows) {
    const { L, o, g, G, O, S } = row.params;
    it(`prints LogGOPSim's maximum for ${row.pattern}-${row.ranks}-${row.bytes} with L=${L} o=${o} g=${g} G=${G} O=${O} S=${S}`, async () => {
      const file = path.join(VALIDATION_DIR, `${row.pattern}-${row.ranks}-${row.bytes}.goal`);
      const args = ['--L', `${L}`, '--o', `${o}`, '--g', `${g}`, '--G', `${G}`, '--O', `${O}`, '--S', `${S}`];
      const { code, out, err } = await ibvf('sim', file, ...args);
      expect(code).toBe(0);
      expect(err).toBe('');
      const m = /^Maximum finishing time at host (\d+): (\d+)$/m.exec(out);
      expect(m).not.toBeNull();
      expect(Number(m![2])).toBe(row.maxFinishNs);
      expect(out).toMatch(new RegExp(`^Events: ${row.events} in [\\d.]+ s \\(\\d+ events/s\\)`, 'm'));
    });
  }

  it("uses LogGOPSim's defaults (L=2500 o=1500 g=1000 G=6 O=0 S=65535)", async () => {
    const { code, out } = await ibvf('sim', path.join(VALIDATION_DIR, 'binomialtreebcast-32-8192.goal'));
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe('Maximum finishing time at host 31: 273230');
  });

  it('--hosts prints every host, --json all of it in nanoseconds', async () => {
    const file = path.join(VALIDATION_DIR, 'binomialtreebcast-32-8192.goal');
    const hosts = await ibvf('sim', file, '--hosts');
    expect(hosts.code).toBe(0);
    const lines = hosts.out.split('\n').filter((l) => l.startsWith('Host '));
    expect(lines).toHaveLength(32);
    expect(lines[0]).toBe('Host 0: 202084');
    expect(lines[31]).toBe('Host 31: 273230');
    const json = await ibvf('sim', file, '--json');
    expect(json.code).toBe(0);
    const r = JSON.parse(json.out);
    expect(r).toMatchObject({
      mode: 'compat',
      ranks: 32,
      ops: 62,
      maxHost: 31,
      maxFinishNs: 273230,
      events: 93,
    });
    expect(r.params).toEqual({ L: 2500, o: 1500, g: 1000, G: 6, O: 0, S: 65535 });
    expect(r.finishNs).toHaveLength(32);
    expect(r.finishNs[0]).toBe(202084);
    expect(r.eventsPerSecond).toBeGreaterThan(0);
  });

  it('--native runs ibvf semantics, with a shared HCA when asked', async () => {
    const file = path.join(VALIDATION_DIR, 'binomialtreebcast-32-8192.goal');
    const plain = await ibvf('sim', file, '--native', '--json');
    expect(plain.code).toBe(0);
    // One rank per node and no shared HCA: the same LogGOPS arithmetic on these sizes.
    expect(JSON.parse(plain.out).maxFinishNs).toBe(273230);
    const shared = await ibvf(
      'sim',
      file,
      '--native',
      '--ranks-per-node',
      '8',
      '--hca-gap',
      '200',
      '--hca-per-byte',
      '0.5',
      '--json',
    );
    expect(shared.code).toBe(0);
    expect(JSON.parse(shared.out).maxFinishNs).toBeGreaterThan(273230);
  });

  it('a malformed file: one line with file and line number, exit 2', async () => {
    const file = path.join(dir, 'bad.goal');
    writeFileSync(file, 'num_ranks 2\nrank 0 {\nl1: send 8b to 1\nl2: sned 8b to 1\n}\nrank 1 {\n}\n');
    const { code, out, err } = await ibvf('sim', file);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`ibvf: ${file}:4: unknown operation 'sned' after "l2:" (expected send, recv or calc)\n`);
  });

  it('a truncated file: exit 2 naming the open block', async () => {
    const file = path.join(dir, 'cut.goal');
    writeFileSync(file, 'num_ranks 2\nrank 0 {\nl1: send 8b to 1\n}\nrank 1 {\nl1: recv 8b from 0\n');
    const { code, err } = await ibvf('sim', file);
    expect(code).toBe(2);
    expect(err).toMatch(
      new RegExp(`^ibvf: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6: file ends inside rank 1's block`),
    );
  });

  it('a deadlock: hosts and unmatched operations, exit 3', async () => {
    const file = path.join(dir, 'deadlock.goal');
    writeFileSync(
      file,
      'num_ranks 2\nrank 0 {\nl1: recv 8b from 1 tag 3\n}\nrank 1 {\nl1: recv 8b from 0 tag 3\n}\n',
    );
    const { code, out, err } = await ibvf('sim', file);
    expect(code).toBe(3);
    expect(out).toBe('');
    expect(err).toMatch(/^ibvf: deadlock: 2 operation\(s\) never completed on 2 host\(s\) \(0, 1\)/);
    expect(err).toContain(
      'host 0: recv 8b from 1 tag 3 (line 3): receive posted, no matching message arrived',
    );
    expect(err).toContain('host 1: recv 8b from 0 tag 3 (line 6)');
  });

  it('bad options are usage errors (exit 2)', async () => {
    const file = path.join(VALIDATION_DIR, 'binomialtreebcast-32-8192.goal');
    expect((await ibvf('sim', file, '--G', '1.5')).code).toBe(2);
    expect((await ibvf('sim', file, '--L', '-3')).code).toBe(2);
    expect((await ibvf('sim', file, '--ranks-per-node', '4')).err).toMatch(/need --native/);
    expect((await ibvf('sim', path.join(dir, 'missing.goal'))).err).toMatch(
      /cannot read the GOAL file \(ENOENT\)/,
    );
  });

  it('--help explains every parameter with its LogGP meaning and an example', async () => {
    const { code, out } = await ibvf('sim', '--help');
    expect(code).toBe(0);
    for (const text of [
      'latency',
      'overhead',
      'gap',
      'per byte',
      'eager',
      'Examples:',
      'ibvf sim',
      'rendezvous',
    ]) {
      expect(out).toContain(text);
    }
  });
});

describe('ibvf sim refuses what it cannot read, at once and in one line', () => {
  it('a directory: exit 2, no stack trace (was an uncaught EISDIR)', async () => {
    const { code, err } = await ibvf('sim', dir);
    expect(code).toBe(2);
    expect(err).toBe(`ibvf: ${dir}: cannot read the GOAL file: it is a directory, not a regular file\n`);
  });

  it('/dev/zero: refused as a device instead of read without end', async () => {
    const { code, err } = await ibvf('sim', '/dev/zero');
    expect(code).toBe(2);
    expect(err).toMatch(/^ibvf: \/dev\/zero: cannot read the GOAL file: it is a device/);
  });

  it('a FIFO: refused without waiting for a writer', async () => {
    const fifo = path.join(dir, 'schedule.fifo');
    execFileSync('mkfifo', [fifo]);
    const { code, err } = await ibvf('sim', fifo);
    expect(code).toBe(2);
    expect(err).toMatch(/it is a FIFO, not a regular file\n$/);
  });

  it('a file over the size limit: refused naming the limit and --max-goal-size', async () => {
    const file = path.join(VALIDATION_DIR, 'binomialtreebcast-32-8192.goal');
    const small = await ibvf('sim', file, '--max-goal-size', '100');
    expect(small.code).toBe(2);
    expect(small.err).toMatch(/bytes, more than the limit of 100 \(raise it with --max-goal-size\)\n$/);
    expect((await ibvf('sim', file, '--max-goal-size', '1M')).code).toBe(0);
  });
});

describe('ibvf sim parameters', () => {
  it("--L 1e308 is too large, with the limit (was 'is not a whole number')", async () => {
    for (const mode of [[], ['--native']]) {
      const { code, err } = await ibvf(
        'sim',
        path.join(VALIDATION_DIR, 'binomialtreebcast-32-8192.goal'),
        '--L',
        '1e308',
        ...mode,
      );
      expect(code).toBe(2);
      expect(err).toBe("ibvf: --L: '1e308' is too large (at most 9007199254740991)\n");
    }
  });
});
