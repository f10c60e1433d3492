/**
 * Issue 4's benchmarks for collective predictions:
 *  (a) a 100,000-point what-if sweep on the closed forms (target: >= 100,000 predictions/s
 *      on one core), points cycling over ops, placements, shm, sizes and process counts;
 *  (b) the whole command `ibvf predict --engine sim --op alltoall` on 1024 ranks
 *      (64 nodes of 16 cores, one VM per core, 8 KB; target: under 5 s).
 * Baseline for (b): LogGOPSim needs 431 s for a 1024-rank linear alltoall of 8 KB on this
 * machine (docs/design.md, "Peers measured on the build machine").
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { COLLECTIVE_OPS } from '../src/model/collectives/types.js';
import type { Placement } from '../src/model/layout/index.js';
import { predictPoint, type CollectiveQuery } from '../src/model/predict-collective.js';
import { cx3FdrKvm2013 as profile } from '../src/profiles/cx3-fdr-kvm-2013.js';

const POINTS = 100_000;

function sweep(): void {
  const placements: Placement[] = ['native', 'vm-per-core', 'vm-per-socket', 'vm-per-node'];
  const sizes = [8, 64, 512, 4096, 8192, 65536];
  const procs = [8, 16, 32, 64];
  const points: { q: CollectiveQuery; bytes: number }[] = [];
  for (let i = 0; points.length < POINTS; i++) {
    const placement = placements[i % placements.length];
    const p = procs[Math.floor(i / 4) % procs.length];
    points.push({
      q: {
        op: COLLECTIVE_OPS[Math.floor(i / 16) % COLLECTIVE_OPS.length],
        nodes: 4,
        procs: p,
        placement,
        shm: placement === 'native',
        progress: 'poll',
        engine: 'analytic',
      },
      bytes: sizes[Math.floor(i / 128) % sizes.length],
    });
  }
  const t0 = performance.now();
  let checksum = 0;
  for (const { q, bytes } of points) checksum += predictPoint(profile, q, bytes).latency_us;
  const seconds = (performance.now() - t0) / 1000;
  const rate = POINTS / seconds;
  console.log(
    `(a) what-if sweep, closed forms: ${POINTS} predictions in ${seconds.toFixed(2)} s = ${Math.round(rate).toLocaleString('en-US')} predictions/s ` +
      `(target >= 100,000/s; ${rate >= 100_000 ? 'met' : 'NOT met'}); checksum ${checksum.toFixed(0)} us`,
  );
}

function simCommand(): void {
  const bin = fileURLToPath(new URL('../bin/ibvf.js', import.meta.url));
  const args = [
    'predict',
    '--op',
    'alltoall',
    '--nodes',
    '64',
    '--procs',
    '1024',
    '--placement',
    'vm-per-core',
    '--sizes',
    '8K:8K',
    '--engine',
    'sim',
    '--json',
  ];
  const t0 = performance.now();
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (run.status !== 0) {
    console.log(`(b) ibvf ${args.join(' ')} failed: ${run.stderr.trim()}`);
    return;
  }
  const latency = JSON.parse(run.stdout).rows[0].latency_us;
  console.log(
    `(b) ibvf ${args.join(' ')}: ${seconds.toFixed(2)} s wall, whole command (target < 5 s; ${seconds < 5 ? 'met' : 'NOT met'}; ` +
      `LogGOPSim baseline 431 s for a 1024-rank 8 KB alltoall); predicted ${latency.toFixed(0)} us`,
  );
}

export default async function run(): Promise<void> {
  sweep();
  simCommand();
}
