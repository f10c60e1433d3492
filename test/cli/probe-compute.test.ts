import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAddon } from '../../src/probe/native.js';
import { validateComputeResult } from '../../src/probe/compute-validate.js';
import { validateProfile } from '../../src/profiles/validate.js';
import { REPO_ROOT } from '../fixtures.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { runIbvf } from './run.js';

const BIN = path.join(REPO_ROOT, 'bin', 'ibvf.js');
const scratch = () => mkdtempSync(path.join(tmpdir(), 'ibvf-compute-'));

function addonBuilt(): boolean {
  try {
    loadAddon();
    return true;
  } catch (e) {
    console.warn(`skipping the compute probe runs: ${(e as Error).message}`);
    return false;
  }
}
const built = addonBuilt();

/** A usage or input error: exit 2, one line on stderr, no stack. */
function expectOneLine(r: { code: number; err: string; out: string }, what: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(what);
  expect(r.err).not.toMatch(/\n\s+at /);
}

describe.skipIf(!built)(
  'ibvf probe compute, then ibvf calibrate on its file (end to end, on this machine)',
  () => {
    it('measures copy and reduce warm and cold, and calibrate fits both from the warm runs', async () => {
      const dir = scratch();
      const file = path.join(dir, 'c.json');
      // Small sizes, few samples and a small rotating set: a few seconds here.
      const probe = await runIbvf(
        'probe',
        'compute',
        '--sizes',
        '256:64K',
        '--iters',
        '10',
        '--cold-set',
        '1M',
        '--out',
        file,
      );
      expect(probe.code).toBe(0);
      expect(probe.out).toMatch(/memcpy \(the MPI eager copy\), warm cache/);
      expect(probe.out).toMatch(/MPI_SUM on MPI_DOUBLE\), cold cache, rotating set 1048576 B per side/);
      const result = validateComputeResult(JSON.parse(readFileSync(file, 'utf8')), file);
      expect(result.partial).toBe(false);
      expect(result.runs).toHaveLength(4);
      for (const run of result.runs) expect(run.sizes.map((p) => p.bytes)).toEqual(result.options.sizes);
      expect(result.cpu.ran_on).toEqual([result.cpu.requested]);

      const out = path.join(dir, 'here.json');
      const cal = await runIbvf('calibrate', file, '--name', 'here', '--out', out, '--json');
      expect(cal.code).toBe(0);
      const profile = validateProfile(JSON.parse(readFileSync(out, 'utf8')), out);
      const copy = profile.mpi.copyPerByte;
      const reduce = profile.compute.reducePerByte;
      for (const p of [copy, reduce]) {
        expect(p.source.kind).toBe('fit');
        expect(p.source.ref).toContain(file);
        expect(Number.isFinite(p.value)).toBe(true);
        // Physically safe bounds, not speed thresholds: no core moves bytes faster than
        // 1 TB/s (1e-6 us/B; L1 at 64 B per cycle and 5 GHz is 320 GB/s), and any machine
        // this century copies faster than 100 MB/s (1e-2 us/B).
        expect(p.value).toBeGreaterThan(1e-6);
        expect(p.value).toBeLessThan(1e-2);
        expect(p.interval![0]).toBeGreaterThan(0);
      }
      expect(copy.source.ref).toContain('fitCopyPerByte');
      expect(reduce.source.ref).toContain('fitReducePerByte');
      // A reduction reads two bytes and writes one per result byte where the copy reads one
      // and writes one, and memcpy is the C library's fastest way to move bytes: half the
      // copy's cost per byte is a floor with room for noise.
      expect(reduce.value).toBeGreaterThan(copy.value / 2);

      const shown = await runIbvf('probe', 'show', file);
      expect(shown.code).toBe(0);
      expect(shown.out).toContain('# ibvf probe compute');
    });

    it("draws a progress bar on a terminal's stderr only", async () => {
      const args = ['probe', 'compute', '--sizes', '1K:8K', '--iters', '3', '--cache', 'warm', '--json'];
      for (const tty of [true, false]) {
        const io = memoryIo();
        io.stderrIsTTY = tty;
        expect(await main(args, io)).toBe(0);
        if (tty) {
          expect(io.err).toContain('compute ');
          expect(io.err).toMatch(/100% \|/);
        } else expect(io.err).toBe('');
        validateComputeResult(JSON.parse(io.out), 'stdout');
      }
    });

    it('--json prints the result and writes no file', async () => {
      const dir = scratch();
      const r = spawnSync(
        process.execPath,
        [
          BIN,
          'probe',
          'compute',
          '--sizes',
          '1K:4K',
          '--iters',
          '3',
          '--op',
          'copy',
          '--cache',
          'warm',
          '--json',
        ],
        { cwd: dir, encoding: 'utf8' },
      );
      expect(r.status).toBe(0);
      const result = validateComputeResult(JSON.parse(r.stdout), 'stdout');
      expect(result.runs.map((run) => `${run.op} ${run.cache}`)).toEqual(['copy warm']);
      expect(result.options.cold_set_bytes).toBe(0);
    });

    it('a Ctrl-C keeps every finished size in the file, marked partial with the reason, exit 3', async () => {
      const dir = scratch();
      const file = path.join(dir, 'long.json');
      const child = spawn(
        process.execPath,
        [BIN, 'probe', 'compute', '--sizes', '64:64M', '--iters', '50', '--cold-set', '64M', '--out', file],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // The file appears after the first size; then interrupt.
      for (let i = 0; i < 500 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 20));
      expect(existsSync(file)).toBe(true);
      child.kill('SIGINT');
      expect(await exited).toBe(3);
      const result = validateComputeResult(JSON.parse(readFileSync(file, 'utf8')), file);
      expect(result.partial).toBe(true);
      expect(result.stopped).toBe('interrupted by SIGINT');
      expect(result.runs[0].sizes.length).toBeGreaterThan(0);
    });
  },
);

describe('ibvf probe compute and calibrate: bad input is one line, exit 2', () => {
  it('sizes below one double, sizes not whole doubles for the reduction, an unknown op, a CPU not online', async () => {
    expectOneLine(await runIbvf('probe', 'compute', '--sizes', '4:64'), /--sizes: 4 B is below 8 B/);
    expectOneLine(
      await runIbvf('probe', 'compute', '--sizes', '12:96'),
      /--sizes: 12 B is not a whole number of doubles .* or use --op copy/,
    );
    expectOneLine(
      await runIbvf('probe', 'compute', '--op', 'copy,scan'),
      /--op: 'scan' is not one of copy, reduce/,
    );
    expectOneLine(
      await runIbvf('probe', 'compute', '--cache', 'warm', '--cold-set', '8M'),
      /--cold-set sizes the cold runs/,
    );
    if (built)
      expectOneLine(
        await runIbvf('probe', 'compute', '--cpu', '4095', '--json'),
        /--cpu 4095: not an online CPU of this host/,
      );
  });

  it('calibrate refuses a compute file that is not JSON, of another schema, or holds a NaN-like sample', async () => {
    const dir = scratch();
    const write = (name: string, text: string) => {
      const f = path.join(dir, name);
      writeFileSync(f, text);
      return f;
    };
    const good = JSON.parse(
      readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'probe', 'compute-build-vm.json'), 'utf8'),
    );
    const run = (f: string) => runIbvf('calibrate', f, '--name', 'x', '--out', path.join(dir, 'x.json'));
    expectOneLine(await run(write('empty.json', '')), /empty\.json: empty file/);
    const nan = JSON.stringify(good).replace(/"samples_us":\[/, '"samples_us":[NaN,');
    expectOneLine(await run(write('nan.json', nan)), /nan\.json(:\d+)?: .*JSON/i);
    const nulled = structuredClone(good);
    nulled.runs[0].sizes[0].samples_us[0] = null;
    expectOneLine(
      await run(write('null.json', JSON.stringify(nulled))),
      /null\.json: field runs\.0\.sizes\.0\.samples_us\.0: /,
    );
    const empty = { ...good, runs: [] };
    expectOneLine(
      await run(write('no-runs.json', JSON.stringify(empty))),
      /no-runs\.json: a compute probe file with no size measured: nothing to fit/,
    );
  });
});
