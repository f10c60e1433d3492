/**
 * `--region` end to end against the libibverbs test double: one MR per region size on
 * each side, messages that cycle through every page of it, the region runs recorded
 * apart from the path's sweep, and the refusals. The double has no IOMMU, so its
 * latencies show no knee: these tests check the mechanics, never a fitted value.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateProbeResult } from '../../../src/probe/validate.js';
import { ibvf } from '../helpers.js';
import { buildDouble, haveVerbsHeader } from './double.js';

const enabled = haveVerbsHeader();
let lib = '';

async function run(args: string[], extra: Record<string, string> = {}) {
  const r = await ibvf(
    [
      'probe',
      'run',
      '--transport',
      'verbs',
      '--progress',
      'poll',
      '--iters',
      '10',
      '--sizes',
      '8:64',
      '--timeout',
      '20',
      '--json',
      ...args,
    ],
    { IBVF_TEST_LIBIBVERBS: lib, ...extra },
  );
  return { ...r, result: r.code === 0 ? validateProbeResult(JSON.parse(r.stdout), 'stdout') : undefined };
}

describe.skipIf(!enabled)('verbs --region against the test double', () => {
  beforeAll(() => {
    lib = buildDouble();
  });

  it('registers one MR per region on each side, and the messages use every page of it', async () => {
    const trace = join(mkdtempSync(join(tmpdir(), 'ibvf-region-')), 'trace.txt');
    const r = await run(['--region', '64K,256K', '--region-sizes', 'all'], { IBVF_DOUBLE_TRACE: trace });
    expect(r.code, r.stderr).toBe(0);
    const res = r.result!;
    expect(res.device?.test_double).toBe(true);
    expect(res.region).toEqual({
      bytes: [65536, 262144],
      stride_bytes: 4096,
      page_bytes: expect.any(Number),
      small_pages: expect.any(Boolean),
      messages: 'all',
    });
    expect(res.region!.page_bytes).toBeGreaterThanOrEqual(4096);
    // the region sweeps are apart from the path's own sweep, which is unchanged
    expect(res.latency.map((l) => l.sizes.map((s) => s.bytes))).toEqual([[8, 16, 32, 64]]);
    const runs = res.region_latency ?? [];
    expect(runs.map((x) => [x.region_bytes, x.mode, x.sizes.map((s) => s.bytes)])).toEqual([
      [65536, 'poll', [8, 16, 32, 64]],
      [262144, 'poll', [8, 16, 32, 64]],
    ]);
    // --iters 10 is the timed count when given; each sample is a real round trip
    for (const x of runs)
      for (const s of x.sizes) {
        expect(s.samples_us).toHaveLength(10);
        expect(s.min_us).toBeGreaterThan(0);
      }
    // The double notes, per MR, the 4 KiB pages local sends and receives used. Each side
    // registers its two buffers and one MR per region; the region's warm-up pass alone
    // visits each of its R/4K slots, sending and receiving.
    const lines = readFileSync(trace, 'utf8').trim().split('\n');
    const mrs = lines.map((l) => /^mr (\d+) pages (\d+)$/.exec(l)!).map((m) => [Number(m[1]), Number(m[2])]);
    for (const [bytes, slots] of [
      [65536, 16],
      [262144, 64],
    ]) {
      const mine = mrs.filter(([len]) => len === bytes);
      expect(mine, lines.join('\n')).toHaveLength(2); // one on each side
      for (const [, pages] of mine) expect(pages).toBe(slots);
    }
  });

  it('by default a region ping-pong runs at the smallest size only', async () => {
    const r = await run(['--region', '16K']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.result!.region_latency!.map((x) => x.sizes.map((s) => s.bytes))).toEqual([[8]]);
    expect(r.result!.region!.messages).toBe('smallest');
  });

  it('refuses a region smaller than the stride, other ops, and other transports, in one line (exit 2)', async () => {
    for (const [args, re] of [
      [['--region', '2K'], /--region 2048: smaller than the stride \(4096 B\)/],
      [
        ['--region', '1M', '--region-stride', '3000'],
        /--region-stride 3000: a power of two of at least 4096/,
      ],
      [['--region', '1M', '--op', 'write'], /--region with --op write: only send cycles its buffers/],
      [['--region-stride', '8K'], /--region-stride and --region-sizes go with --region/],
      [['--region', '1M', '--sizes', '8K:16K'], /no --sizes at or below the stride/],
      [['--region', '1M', '--pairs', '2'], /--region with --pairs 2: the region runs measure one pair/],
    ] as const) {
      const r = await run([...args]);
      expect(r.code, r.stderr).toBe(2);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('ibvf:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(re);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const shm = await ibvf(['probe', 'run', '--transport', 'shm', '--region', '1M']);
    expect(shm.code).toBe(2);
    expect(shm.stderr).toMatch(/--region, --device and --ib-port are for --transport verbs/);
  });

  it('a region over the locked-memory limit stops the run with the limit and what to do (exit 3)', async () => {
    // The double fails ibv_reg_mr beyond IBVF_DOUBLE_MEMLOCK bytes, as the kernel does
    // beyond RLIMIT_MEMLOCK: the buffers (3 x 64 B) fit in 1 MiB, a 4 MiB region does not.
    const r = await run(['--region', '4M'], { IBVF_DOUBLE_MEMLOCK: String(2 ** 20) });
    expect(r.code).toBe(3);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('ibvf:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /ibv_reg_mr could not register the probe's buffers \(4194496 bytes for the buffers and the --region sizes/,
    );
    expect(errors[0]).toMatch(
      /the locked-memory limit \(ulimit -l\) is (unlimited|\d+ KiB): raise it .* or use fewer or smaller --region sizes/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
