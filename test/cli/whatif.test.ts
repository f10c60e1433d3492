import { describe, expect, it } from 'vitest';
import { compareLayouts } from '../../src/model/whatif.js';
import { loadProfile } from '../../src/profiles/load.js';
import { runIbvf } from './run.js';

describe('ibvf whatif', () => {
  it("answers the paper's Figure 5 question with no options: four layouts, three collectives, ranges, assumptions", async () => {
    const { code, out } = await runIbvf('whatif');
    expect(code).toBe(0);
    for (const op of ['alltoall', 'bcast', 'allreduce']) expect(out).toContain(`# ${op}, 8192 bytes`);
    for (const layout of ['native', 'vm-per-core', 'vm-per-socket', 'vm-per-node'])
      expect(out).toMatch(new RegExp(`\\n  ${layout} `));
    expect(out).toMatch(/95% range \(us\)/);
    expect(out).toMatch(/vs best/);
    expect(out).toMatch(/assumptions this answer rests on/);
    expect(out).toMatch(/virtualization\.perVfCost = 0 us/);
  });

  it("prints JSON rows with ranges, the best layout at ratio 1, and the paper's layout shapes", async () => {
    const { code, out } = await runIbvf('whatif', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.rows).toHaveLength(15);
    for (const op of ['alltoall', 'bcast', 'allreduce']) {
      const group = result.rows.filter((r: { op: string }) => r.op === op);
      expect(Math.min(...group.map((r: { ratio_to_best: number }) => r.ratio_to_best))).toBe(1);
      for (const r of group) {
        expect(r.latency_lo_us).toBeLessThanOrEqual(r.latency_us);
        expect(r.latency_hi_us).toBeGreaterThanOrEqual(r.latency_us);
        expect(r.max_us).toBeGreaterThanOrEqual(r.latency_us);
      }
    }
    const shape = (p: string) =>
      result.rows.find((r: { placement: string }) => r.placement === p).layout.perNode;
    expect(shape('vm-per-core')).toEqual({ vms: 8, vcpusPerVm: [1], ranks: 8 });
    expect(shape('vm-per-socket')).toEqual({ vms: 2, vcpusPerVm: [4], ranks: 8 });
    expect(shape('vm-per-node')).toEqual({ vms: 1, vcpusPerVm: [8], ranks: 8 });
    expect(
      result.rows
        .filter((r: { placement: string }) => r.placement === 'native')
        .map((r: { shm: boolean }) => r.shm),
    ).toEqual([true, false, true, false, true, false]);
  });

  it('takes ranges from 100 simulated draws by default, from closed-form draws when asked', async () => {
    const sim = await runIbvf('whatif', '--op', 'bcast', '--placements', 'native,vm-per-node');
    expect(sim.code).toBe(0);
    expect(sim.out).toMatch(/same 100 simulated draws for both/);
    const closed = await runIbvf(
      ...['whatif', '--op', 'bcast', '--placements', 'native,vm-per-node', '--closed-form-draws', '--json'],
    );
    expect(closed.code).toBe(0);
    const profile = loadProfile('cx3-fdr-kvm-2013');
    const query = { ops: ['bcast'], placements: ['native', 'vm-per-node'] } as const;
    expect(JSON.parse(closed.out)).toEqual(compareLayouts(profile, { ...query, draws: 0 }));
    expect(JSON.parse(closed.out)).not.toEqual(compareLayouts(profile, query));
  });

  it("prints the model's comparison (compareLayouts) as it is: the CLI only parses and prints", async () => {
    const { code, out } = await runIbvf('whatif', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(compareLayouts(loadProfile('cx3-fdr-kvm-2013')));
  });

  it('says that layouts whose paired difference to the best one may be 0 are indistinguishable, not ranked', async () => {
    const args = [
      'whatif',
      '--op',
      'bcast,allreduce',
      '--placements',
      'vm-per-core,vm-per-socket,vm-per-node',
    ];
    const { code, out } = await runIbvf(...args);
    expect(code).toBe(0);
    type Row = {
      op: string;
      placement: string;
      latency_us: number;
      ratio_to_best: number;
      diff_lo_us: number;
      diff_hi_us: number;
      distinguishable: boolean;
    };
    const { rows } = JSON.parse((await runIbvf(...args, '--json')).out) as { rows: Row[] };
    for (const op of ['bcast', 'allreduce']) {
      const group = rows.filter((r) => r.op === op);
      const section = out.slice(out.indexOf(`# ${op},`)).split('\n# vs best')[0];
      // The best layout is the first fastest; every other is ranked only when the 95%
      // range of its paired difference to it excludes 0.
      const best = group.findIndex((r) => r.latency_us === Math.min(...group.map((x) => x.latency_us)));
      group.forEach((r, k) => {
        const line = section.split('\n').find((l) => l.startsWith(`  ${r.placement} `))!;
        if (k === best) return expect(line).toMatch(/ 1\.00x$/);
        expect(r.distinguishable).toBe(r.diff_lo_us > 0 || r.diff_hi_us < 0);
        if (r.distinguishable) expect(line).toMatch(new RegExp(` ${r.ratio_to_best.toFixed(2)}x$`));
        else expect(line).toMatch(/ ~\d\.\d\dx \(indistinguishable\)$/);
      });
    }
    // bcast 8 KB: one VM per core or per socket take the same time within the draws.
    expect(
      rows.some(
        (r: { distinguishable: boolean; ratio_to_best: number }) =>
          !r.distinguishable && r.ratio_to_best >= 1,
      ),
    ).toBe(true);
    expect(out).toMatch(
      /\n# vs best: .*~ \(indistinguishable\): the 95% range of the paired difference .* contains 0\n/,
    );
  });

  it('compares comma lists of ops, shm and placements, and prints CSV', async () => {
    const { code, out } = await runIbvf(
      'whatif',
      '--op',
      'barrier,gather',
      '--placements',
      'vm-per-node,vms-per-node=2',
      '--shm',
      'on,off',
      '--sizes',
      '1K:2K',
      '--csv',
    );
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe(
      'op,placement,shm,bytes,latency_us,latency_lo_us,latency_hi_us,max_us,algorithm,ratio_to_best,diff_lo_us,diff_hi_us,distinguishable',
    );
    // barrier: one size x 4 layouts; gather: two sizes x 4 layouts.
    expect(lines).toHaveLength(1 + 4 + 8);
  });

  it('gives each layout the latency `predict` gives it, and the ratio to the fastest layout', async () => {
    const whatif = JSON.parse((await runIbvf('whatif', '--op', 'bcast', '--json')).out);
    const rows = whatif.rows as {
      placement: string;
      shm: boolean;
      latency_us: number;
      ratio_to_best: number;
    }[];
    const best = Math.min(...rows.map((r) => r.latency_us));
    for (const r of rows) expect(r.ratio_to_best).toBeCloseTo(r.latency_us / best, 9);
    const core = rows.find((r) => r.placement === 'vm-per-core')!;
    const predict = await runIbvf(
      ...['predict', '--op', 'bcast', '--nodes', '4', '--procs', '32', '--placement', 'vm-per-core'],
      ...['--shm', 'off', '--sizes', '8K:8K', '--json'],
    );
    expect(JSON.parse(predict.out).rows[0].latency_us).toBe(core.latency_us);
  });

  it('--explain prints, per op, how much of each gap between layouts each mechanism makes', async () => {
    const { code, out } = await runIbvf('whatif', '--op', 'bcast', '--explain');
    expect(code).toBe(0);
    expect(out).toMatch(/# where the gaps come from: bcast, 8192 bytes/);
    expect(out).toMatch(/Gap\(us\)\s+vf-device\s+hca-sharing\s+per-vf-cost/);
    expect(out).toMatch(/\n {2}vm-per-core shm off\s+native shm off\s+[\d.]+\s+-?\d+%/);
    const json = JSON.parse((await runIbvf('whatif', '--op', 'bcast', '--explain', '--json')).out);
    const gap = json.explanation.gaps.find(
      (g: { layout: string; versus: string }) =>
        g.layout === 'vm-per-core shm off' && g.versus === 'native shm off',
    );
    const row = (placement: string, shm: boolean) =>
      json.rows.find((r: { placement: string; shm: boolean }) => r.placement === placement && r.shm === shm);
    expect(gap.gap_us).toBeCloseTo(row('vm-per-core', false).latency_us - row('native', false).latency_us, 9);
  });

  it('sweeps the assumed parameters with --sensitivity', async () => {
    const { code, out } = await runIbvf(
      'whatif',
      '--op',
      'allreduce',
      '--placements',
      'vm-per-core',
      '--sensitivity',
    );
    expect(code).toBe(0);
    expect(out).toMatch(/sensitivity at 8192 bytes/);
    for (const f of [
      'virtualization.perVfCost',
      'virtualization.hostCoresReserved',
      'virtualization.subscriptionPenalty',
      'hca.messageRate',
    ]) {
      expect(out).toContain(f);
    }
  });

  it.each([
    [['--nodes', '0'], /--nodes: must be at least 1/],
    [['--procs', '33'], /--procs 33 does not divide by --nodes 4/],
    [['--nodes', '1', '--procs', '32'], /32 ranks per node .* exceed the node's 16 cores/],
    [['--placements', 'vms-per-node=3'], /vms-per-node=3 does not divide the 8 ranks per node/],
    [['--placements', 'vm-per-rack'], /--placement: 'vm-per-rack' is not one of/],
    [['--op', 'alltoall,scan'], /--op: 'scan' is not one of/],
    [['--shm', 'maybe'], /--shm: 'maybe' is not one of on, off/],
    [['--engine', 'quantum'], /--engine: 'quantum' is not one of sim, analytic/],
    [['--engine', 'analytic', '--draws', '10'], /--draws runs the simulator/],
    [['--draws', '10', '--closed-form-draws'], /--draws and --closed-form-draws .* give one/],
    [['--progress', 'event', '--closed-form-draws'], /event progress has no closed form/],
    [['--engine', 'analytic', '--progress', 'event'], /--engine analytic cannot answer --progress event/],
  ])('rejects %j with one line and exit 2', async (args, message) => {
    const { code, out, err } = await runIbvf('whatif', ...args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});
