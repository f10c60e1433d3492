/**
 * Issue 11, item 5a, on this machine: a real probe shm run (`ibvf probe run --transport shm
 * --suite full`, which holds PRTT and streaming runs) is fitted on PRTT(1,0,s) and
 * PRTT(n,0,s) only (n = 8 and 128), and predicts the same run's delayed PRTT(8,d,s) and its
 * streaming bandwidth, which never enter the fit.
 *
 * The mechanism this checks (streaming-gap.test.ts shows it in the committed fixtures): on
 * shm the per-message gap grows along a train before it settles, so PRTT(8,0,s) alone sees
 * a start-up gap, and deep streaming windows ran 17-46% slower than a fit to it predicted.
 * The probe now also runs PRTT(128,0,s), the largest window; the slope in n over n = 1, 8,
 * 128 is the settled gap. This test measures both: the gap of the 8..128 part of a train
 * against the 1..8 part, and the prediction errors.
 *
 * Measurements here share 2 CPUs with other work, so the probe runs up to five times, keeps
 * the runs it did not flag as disturbed (its own `warnings`: load above the CPUs, a wide
 * tail, poll slower than event) until three are clean, and each row's error is the median
 * over the clean runs; every run is printed. A host loaded above its CPUs before the first
 * run, or with no clean run, skips the test and says why: two busy-polling processes on a
 * starved host measure the scheduler, not the ring (a run at load 8-15 on 2 vCPUs gave
 * PRTT(1,0,128 B) medians of 160 us against 0.6 us idle).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { median } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { calibrateProfile } from '../../src/calibrate/calibrate.js';
import type { ProbeInput } from '../../src/calibrate/input.js';
import { holdoutTable } from '../../src/cli/commands/calibrate.js';
import type { ProbeResult } from '../../src/probe/result.js';
import { validateProbeResult } from '../../src/probe/validate.js';
import { builtinProfile } from '../../src/profiles/builtin.js';
import { REPO_ROOT } from '../fixtures.js';

const CLEAN_RUNS = 3;
const MAX_RUNS = 5;
const built =
  existsSync(path.join(REPO_ROOT, 'build', 'Release')) && existsSync(path.join(REPO_ROOT, 'dist'));

function probeRun(dir: string, i: number): ProbeResult {
  const out = path.join(dir, `shm-${i}.json`);
  const args = ['probe', 'run', '--transport', 'shm', '--suite', 'full', '--progress', 'poll'];
  const r = spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, 'bin', 'ibvf.js'), ...args, '--sizes', '8:2K', '--out', out],
    {
      encoding: 'utf8',
    },
  );
  expect(r.status, r.stderr).toBe(0);
  return validateProbeResult(JSON.parse(readFileSync(out, 'utf8')), out);
}

const input = (file: string, result: ProbeResult): ProbeInput => ({
  kind: 'probe',
  file,
  path: 'shm',
  result,
});

/** Fit on the back-to-back PRTT runs, hold out the delayed ones and the streaming. */
function holdout(run: ProbeResult, name: string) {
  const none = { latency: [], streaming: [], prtt: [] };
  const fit = { ...run, ...none, prtt: run.prtt.filter((r) => r.d_us === 0) };
  const delayed = { ...run, ...none, prtt: run.prtt.filter((r) => r.d_us > 0) };
  const streaming = { ...run, ...none, streaming: run.streaming.filter((r) => r.pairs === 1) };
  return calibrateProfile([input(`${name} (PRTT, d = 0)`, fit)], {
    name: 'here',
    base: builtinProfile('cx3-fdr-kvm-2013')!,
    holdout: [input(`${name} (PRTT, d > 0)`, delayed), input(`${name} (streaming)`, streaming)],
  }).report;
}

/** Per size, the gap per message over the first 8 of a train and over the 9th to 128th. */
function trainGaps(run: ProbeResult) {
  const at = (s: number, n: number) =>
    run.prtt.find((r) => r.bytes === s && r.n === n && r.d_us === 0)!.median_us;
  const sizes = [...new Set(run.prtt.map((r) => r.bytes))].sort((a, b) => a - b);
  return sizes.map((s) => ({
    s,
    first: (at(s, 8) - at(s, 1)) / 7,
    settled: (at(s, 128) - at(s, 8)) / 120,
  }));
}

describe.skipIf(!built)(
  'a real probe shm run: PRTT fit predicts its own held-out streaming (out of sample)',
  () => {
    it(
      'the streaming bandwidth, median over runs, within 15% as a whole and for the deep windows (each of those within 30%); delayed PRTT within 15%',
      { timeout: 300_000 },
      (ctx) => {
        const load = loadavg()[0];
        if (load > availableParallelism()) {
          console.log(
            `# skipped: 1-minute load ${load.toFixed(1)} above ${availableParallelism()} CPUs before the first run`,
          );
          ctx.skip();
        }
        const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-stream-holdout-'));
        const reports: ReturnType<typeof holdout>[] = [];
        const gaps: ReturnType<typeof trainGaps>[] = [];
        for (let i = 0; i < MAX_RUNS && reports.length < CLEAN_RUNS; i++) {
          const run = probeRun(dir, i);
          const report = holdout(run, `shm-${i}.json`);
          console.log(holdoutTable(report));
          const disturbed = run.warnings ?? [];
          if (disturbed.length > 0) {
            console.log(`# run ${i} left out, disturbed: ${disturbed.map((w) => w.message).join('; ')}`);
            continue;
          }
          reports.push(report);
          gaps.push(trainGaps(run));
        }
        if (reports.length === 0) {
          console.log(`# skipped: all ${MAX_RUNS} probe runs were disturbed (above)`);
          ctx.skip();
        }
        // Rows are in the same order in every run (same suite, same sizes).
        const rows = reports[0].holdout.rows.map((r, j) => ({
          what: r.what,
          label: r.label,
          errors: reports.map((rep) => rep.holdout.rows[j].relError),
        }));
        const medianError = (r: (typeof rows)[number]) => median(r.errors);
        console.log(
          [
            '# held-out row                      error per run (%)          median (%)',
            ...rows.map(
              (r) =>
                `  ${`${r.what} ${r.label}`.padEnd(34)} ${r.errors.map((e) => (100 * e).toFixed(1).padStart(7)).join(' ')}   ${(100 * medianError(r)).toFixed(1).padStart(7)}`,
            ),
            '# size  gap per message, n = 1..8 | n = 8..128 (us, per run)',
            ...gaps[0].map(
              (g, k) =>
                `  ${String(g.s).padStart(4)}  ${gaps.map((run) => `${run[k].first.toFixed(3)} | ${run[k].settled.toFixed(3)}`).join('   ')}`,
            ),
          ].join('\n'),
        );

        const stream = rows.filter((r) => r.what.includes('bandwidth'));
        expect(stream).toHaveLength(5 * 8); // sizes 8, 32, 128, 512, 2048 x windows 1..128
        const absMedians = stream.map((r) => Math.abs(medianError(r)));
        // The claim: the streaming of the run, predicted from its PRTT runs, within 15%
        // (the median row; the table above shows each one, the worst included).
        expect(median(absMedians)).toBeLessThan(0.15);
        // The rows the 8-message train missed by 17-46% (windows 16-128 at 8-128 B): the long
        // train measures the gap they run at, so as a group they are within 15% now. Not each
        // one: on this 2-vCPU VM one row's runs spread by up to 40 points (window 128, 8 B:
        // 42.5, 20.5 and 2.6% in one quiet run of this test, 2026-12-03), so a single row is
        // held to 30%, which says what a single row can be trusted to.
        const deep = stream.filter((x) => /window (16|32|64|128) (8|32|128) B/.test(`${x.what} ${x.label}`));
        expect(deep).toHaveLength(12);
        expect(median(deep.map((r) => Math.abs(medianError(r))))).toBeLessThan(0.15);
        for (const r of deep) expect(Math.abs(medianError(r)), `${r.what} ${r.label}`).toBeLessThan(0.3);
        for (const r of rows.filter((x) => x.what === 'PRTT')) {
          expect(Math.abs(medianError(r)), r.label).toBeLessThan(0.15);
        }
        // The mechanism, measured: at 8-128 B the settled gap is longer than a short train's.
        const ratio = median(
          gaps.flatMap((run) => run.filter((g) => g.s <= 128).map((g) => g.settled / g.first)),
        );
        expect(ratio).toBeGreaterThan(1.1);
      },
    );
  },
);
