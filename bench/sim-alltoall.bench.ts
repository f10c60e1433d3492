/**
 * Issue 3, benchmark (b): the whole `ibvf sim` command on a linear alltoall of 8 KB among
 * 1024 ranks, the GOAL text file schedgen writes for it (66 MB, 2,095,104 operations,
 * 3.1 million events), parsing included. Each rank r sends to r+i and receives from r-i
 * for i = 1..1023 in that order, as schedgen's linear_alltoall pattern does.
 * Target: under 5 s for the command, >= 2 million events/s. Needs `npm run build` (the
 * bench script builds first): it spawns `node bin/ibvf.js sim FILE --json`.
 * Baseline (docs/design.md, "Peers measured on the build machine"): LogGOPSim, 431 s (about 7,300 events/s).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createScheduleBuilder, writeGoalFile } from '../src/model/sim/index.js';

const RANKS = 1024;
const BYTES = 8192;

function writeLinearAlltoall(file: string): void {
  const b = createScheduleBuilder(RANKS, 2 * RANKS * (RANKS - 1));
  for (let r = 0; r < RANKS; r++) {
    for (let i = 1; i < RANKS; i++) {
      b.send(r, (r + i) % RANKS, BYTES, 0);
      b.recv(r, (r - i + RANKS) % RANKS, BYTES, 0);
    }
  }
  writeGoalFile(b.build(), file);
}

export default async function bench(): Promise<void> {
  const file = path.join(tmpdir(), `ibvf-linear_alltoall-${RANKS}-${BYTES}.goal`);
  if (!existsSync(file)) writeLinearAlltoall(file);
  const bin = fileURLToPath(new URL('../bin/ibvf.js', import.meta.url));
  interface SimJson {
    events: number;
    ops: number;
    maxHost: number;
    maxFinishNs: number;
    parseSeconds: number;
    simSeconds: number;
    eventsPerSecond: number;
  }
  // Three whole commands, reported by the median wall time: this VM's speed swings by a
  // third from minute to minute.
  const runs: { wall: number; r: SimJson }[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const run = spawnSync(process.execPath, [bin, 'sim', file, '--json'], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const wall = (performance.now() - t0) / 1000;
    if (run.status !== 0) {
      console.log(`(b) ibvf sim failed (exit ${run.status}): ${run.stderr.trim()}`);
      return;
    }
    runs.push({ wall, r: JSON.parse(run.stdout) as SimJson });
  }
  const walls = runs.map((x) => x.wall.toFixed(2)).join(', ');
  const { wall, r } = [...runs].sort((x, y) => x.wall - y.wall)[1];
  console.log(
    `(b) ibvf sim, linear alltoall ${RANKS} ranks ${BYTES} B (${(statSync(file).size / 1e6).toFixed(0)} MB GOAL, ${r.ops.toLocaleString('en-US')} operations): ` +
      `whole command ${wall.toFixed(2)} s (median of 3: ${walls} s; target < 5 s: ${wall < 5 ? 'met' : 'NOT met'}); in that run: parse ${r.parseSeconds.toFixed(2)} s, ` +
      `simulation ${r.simSeconds.toFixed(2)} s for ${r.events.toLocaleString('en-US')} events = ${(r.eventsPerSecond / 1e6).toFixed(2)} M events/s ` +
      `(target >= 2 M/s: ${r.eventsPerSecond >= 2e6 ? 'met' : 'NOT met'}); events over the whole command ${(r.events / wall / 1e6).toFixed(2)} M/s; ` +
      `last host ${r.maxHost} at ${r.maxFinishNs} ns`,
  );
  console.log('    baseline: LogGOPSim, same schedule, 431 s = about 7,300 events/s (this machine)');
}
