import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrateProfile } from '../../src/calibrate/calibrate.js';
import { importBenchmarkFile } from '../../src/calibrate/import/index.js';
import type { ImportedInput } from '../../src/calibrate/input.js';
import { selectMpich402Ch4 } from '../../src/model/collectives/mpich402-ch4-select.js';
import type { CollectiveOp } from '../../src/model/collectives/types.js';
import { predictPoint } from '../../src/model/predict-collective.js';
import { builtinProfile } from '../../src/profiles/builtin.js';
import { fixtureDir } from '../fixtures.js';

const OSU = fixtureDir('osu');
const imported = (name: string): ImportedInput => {
  const file = path.join(OSU, name);
  return { kind: 'imported', file, path: 'shm', progress: 'poll', runs: importBenchmarkFile(file) };
};

describe('a profile calibrated on MPICH osu_latency and osu_bw predicts its collectives (out of sample)', () => {
  const { profile } = calibrateProfile(
    [imported('mpich-shm-np2-osu_latency.txt'), imported('mpich-shm-np2-osu_bw.txt')],
    { name: 'mpich-host', base: builtinProfile('cx3-fdr-kvm-2013')! },
  );

  it.each(['bcast', 'allreduce', 'alltoall'] as CollectiveOp[])(
    'osu_%s, 2 ranks on one host, with MPICH 4.0.2 ch4 selection: the table printed, every error finite',
    (op) => {
      const [run] = importBenchmarkFile(path.join(OSU, `mpich-shm-np2-osu_${op}.txt`));
      const rows = run.points.map((p) => {
        const choice = selectMpich402Ch4(op, p.bytes, 2, 1);
        const q = {
          op,
          nodes: 1,
          procs: 2,
          placement: 'native' as const,
          shm: true,
          progress: 'poll' as const,
          engine: 'sim' as const,
          algorithm: choice.algorithm,
        };
        const predicted = predictPoint(profile, q, p.bytes).latency_us;
        const measured = p.latency_us!;
        return { bytes: p.bytes, choice, predicted, measured, error: (predicted - measured) / measured };
      });
      const lines = rows.map(
        (r) =>
          `  ${String(r.bytes).padEnd(9)} ${r.predicted.toFixed(2).padStart(9)} ${r.measured.toFixed(2).padStart(9)} ${(100 * r.error).toFixed(1).padStart(8)}  ${r.choice.mpich}${r.choice.standIn ? ` (as ${r.choice.algorithm})` : ''}`,
      );
      const abs = rows.map((r) => Math.abs(r.error)).sort((a, b) => a - b);
      console.log(
        `# osu_${op}: profile calibrated on osu_latency + osu_bw (MPICH 4.0.2, 2 ranks, shm)\n` +
          '# Size      Predicted  Measured  Error(%)  MPICH 4.0.2 ch4 algorithm\n' +
          `${lines.join('\n')}\n# median |error| ${(100 * abs[abs.length >> 1]).toFixed(1)}%, worst ${(100 * abs[abs.length - 1]).toFixed(1)}%`,
      );
      expect(rows).toHaveLength(run.points.length);
      expect(rows.length).toBeGreaterThan(10);
      for (const r of rows) {
        // MPICH's own algorithm at every size (release-gather since MVAPICH2's stand-ins left).
        expect(r.choice.standIn).toBe(false);
        expect(Number.isFinite(r.error)).toBe(true);
        expect(r.predicted).toBeGreaterThan(0);
      }
    },
  );
});
