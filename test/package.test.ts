import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// As users import it: the package by name, through package.json `exports` (the built
// dist/, which `npm test` builds first), not the sources.
import * as ibvf from 'ibvf';
import {
  ALGORITHMS,
  algorithmsFor,
  assumptionsOf,
  buildLayout,
  compareLayouts,
  fitSegmented,
  importBenchmarkFile,
  LOGGOPSIM_DEFAULTS,
  loadProfile,
  memoryIo,
  parsePlacement,
  pathBetween,
  predictCollective,
  predictP2p,
  probe,
  readGoalFile,
  runCli,
  selectName,
  sensitivity,
  simulate,
  validateProfile,
  type CollectiveQuery,
  type OutputStreams,
  type WhatifQuery,
  type WhatifResult,
} from 'ibvf';
import { fixtureDir, REPO_ROOT } from './fixtures.js';

/** The entry points `src/index.ts` documents, by area, with what each must be. */
const ENTRY_POINTS: Record<string, Record<string, 'function' | 'object' | 'string'>> = {
  profiles: {
    loadProfile: 'function',
    validateProfile: 'function',
    builtinProfile: 'function',
    BUILTIN_PROFILES: 'object',
    DEFAULT_PROFILE: 'string',
  },
  'point-to-point': { predictP2p: 'function', p2pLatency: 'function', p2pBandwidth: 'function' },
  collectives: {
    predictCollective: 'function',
    predictPoint: 'function',
    collectiveSizes: 'function',
    buildNetwork: 'function',
    ENGINES: 'object',
    COLLECTIVE_PROGRESS: 'object',
  },
  layouts: {
    parsePlacement: 'function',
    placementName: 'function',
    buildLayout: 'function',
    pathBetween: 'function',
    pathUsesHca: 'function',
    LAYOUT_PATHS: 'object',
  },
  algorithms: {
    ALGORITHMS: 'object',
    COLLECTIVE_OPS: 'object',
    algorithmsFor: 'function',
    findAlgorithm: 'function',
    selectAlgorithm: 'function',
    selectName: 'function',
  },
  sensitivity: {
    sensitivity: 'function',
    assumptionsOf: 'function',
    SWEPT_PARAMS: 'object',
    LAYOUT_ASSUMPTIONS: 'object',
  },
  whatif: { compareLayouts: 'function', whatifCases: 'function', FIGURE5_QUERY: 'object' },
  simulator: {
    simulate: 'function',
    createScheduleBuilder: 'function',
    readGoalFile: 'function',
    parseGoal: 'function',
    writeGoal: 'function',
    uniformNetwork: 'function',
    LOGGOPSIM_DEFAULTS: 'object',
  },
  importers: {
    importBenchmarkText: 'function',
    importBenchmarkFile: 'function',
    detectTool: 'function',
    importOsu: 'function',
    importPerftest: 'function',
    importQperf: 'function',
    importSockperf: 'function',
    IMPORT_TOOLS: 'object',
  },
  fitters: { fitSegmented: 'function' },
  probe: { probe: 'object' },
  cli: { runCli: 'function', processIo: 'object', memoryIo: 'function' },
  errors: { IbvfError: 'function', UsageError: 'function', InputError: 'function', RunError: 'function' },
};

const profile = loadProfile('cx3-fdr-kvm-2013');

describe("the package root ('ibvf'), as users import it", () => {
  for (const [area, names] of Object.entries(ENTRY_POINTS)) {
    it(`exports the ${area} entry points`, () => {
      const exported = ibvf as unknown as Record<string, unknown>;
      for (const [name, kind] of Object.entries(names)) expect(typeof exported[name], name).toBe(kind);
    });
  }

  it("exports every name the examples of src/index.ts's doc comment use", () => {
    const source = readFileSync(path.join(REPO_ROOT, 'src', 'index.ts'), 'utf8');
    const comment = source.slice(0, source.indexOf('*/'));
    // The example lines (indented under ` * `) and `inline code` of the prose.
    const doc = [
      ...comment.split('\n').filter((l) => l.startsWith(' *   ')),
      ...[...comment.matchAll(/`([^`]+)`/g)].map((m) => m[1]),
    ].join('\n');
    const imported = [...doc.matchAll(/import \{([^}]+)\} from 'ibvf'/g)].flatMap((m) =>
      m[1].split(',').map((n) => n.trim()),
    );
    const called = [...doc.matchAll(/\b([a-zA-Z]\w*)\(/g)].map((m) => m[1]);
    const constants = [...doc.matchAll(/\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)\b/g)].map((m) => m[1]);
    const notOurs = new Set(['map', 'await']);
    const names = [...new Set([...imported, ...called, ...constants])].filter((n) => !notOurs.has(n));
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((n) => !(n in ibvf) && !(n in ibvf.probe))).toEqual([]);
  });

  it("compares layouts on the built-in profile: the paper's Figure 5, best layout at ratio 1", () => {
    const query: Partial<WhatifQuery> = { engine: 'analytic' };
    const result: WhatifResult = compareLayouts(profile, query);
    expect(result.rows).toHaveLength(15);
    for (const op of ['alltoall', 'bcast', 'allreduce']) {
      const group = result.rows.filter((r) => r.op === op);
      expect(group.map((r) => r.placement)).toEqual([
        'native',
        'native',
        'vm-per-core',
        'vm-per-socket',
        'vm-per-node',
      ]);
      expect(Math.min(...group.map((r) => r.ratio_to_best))).toBe(1);
    }
    expect(result.assumptions.map((a) => a.field)).toEqual(assumptionsOf(profile).map((a) => a.field));
  });

  it('parses placements, builds layouts and routes pairs over their paths', () => {
    expect(parsePlacement('vms-per-node=2')).toEqual({ vmsPerNode: 2 });
    expect(parsePlacement('vm-per-core')).toBe('vm-per-core');
    const layout = buildLayout({
      nodes: 4,
      procs: 32,
      socketsPerNode: 2,
      coresPerSocket: 8,
      placement: { vmsPerNode: 2 },
      shm: true,
    });
    expect(pathBetween(layout, 0, 1)).toBe('shm');
    expect(pathBetween(layout, 0, 4)).toBe('vf-to-vf');
    expect(pathBetween(layout, 0, 8)).toBe('vf');
  });

  it('predicts a collective with its range, selects algorithms from the registry, and sweeps assumptions', () => {
    const query: CollectiveQuery = {
      op: 'allreduce',
      nodes: 4,
      procs: 32,
      placement: 'vm-per-core',
      shm: false,
      progress: 'poll',
      engine: 'analytic',
    };
    const [row] = predictCollective(profile, query, [8192]).rows;
    expect(row.latency_lo_us).toBeLessThanOrEqual(row.latency_us);
    expect(row.latency_hi_us).toBeGreaterThanOrEqual(row.latency_us);
    const chosen = selectName({ op: 'allreduce', bytes: 8192, procs: 32, ranksPerNode: 8, shm: false });
    expect(row.algorithm).toBe(chosen);
    expect(algorithmsFor('allreduce').map((a) => a.name)).toContain(chosen);
    expect(ALGORITHMS.length).toBeGreaterThan(10);
    const swept = sensitivity(profile, query, 8192);
    expect(swept.map((s) => s.field)).toContain('virtualization.perVfCost');
    for (const s of swept) expect(s.latency_us[1]).toBeCloseTo(row.latency_us, 9);
  });

  it('predicts point-to-point and validates profiles', () => {
    const [small] = predictP2p(profile, { path: 'vf', op: 'mpi', progress: 'poll' }, [1]);
    expect(small.latency_us).toBeGreaterThan(0);
    expect(validateProfile(structuredClone(profile), 'copy').name).toBe(profile.name);
    expect(() => validateProfile({ ...profile, paths: undefined }, 'broken')).toThrow(/broken/);
  });

  it('simulates a GOAL schedule with LogGOPSim defaults as LogGOPSim does', () => {
    const file = path.join(fixtureDir('loggopsim'), 'binomialtreebcast-32-8192.goal');
    const result = simulate(readGoalFile(file), { mode: 'compat', params: LOGGOPSIM_DEFAULTS });
    // test/fixtures/loggopsim/reference.csv: binomialtreebcast,32,8192 at the defaults.
    expect(result.maxFinishNs).toBe(273230);
  });

  it('imports benchmark output and fits it', () => {
    const [run] = importBenchmarkFile(path.join(fixtureDir('osu'), 'mpich-shm-np2-osu_latency.txt'));
    expect(run.tool).toBe('osu');
    const fit = fitSegmented(run.points.map((p) => ({ bytes: p.bytes, us: p.latency_us! })));
    expect(fit.segments.length).toBeGreaterThanOrEqual(1);
  });

  it('runs the command line in-process, and holds the probe without loading its addon', async () => {
    const io: OutputStreams & { out: string } = memoryIo();
    expect(await runCli(['whatif', '--op', 'bcast', '--engine', 'analytic', '--csv'], io)).toBe(0);
    expect(io.out.split('\n')[0]).toMatch(/^op,placement,shm,bytes,/);
    expect(typeof probe.probeRun).toBe('function');
    expect(probe.parsePeer('127.0.0.1:18519')).toEqual({ host: '127.0.0.1', port: 18519 });
  });

  it('works where the probe addon was not built; only a probe command needs it, and says so', () => {
    // A Node process in which no native addon can load (process.dlopen is how require loads one).
    const script = `
      process.dlopen = () => { throw new Error('no native addons in this process'); };
      const { compareLayouts, loadProfile, runCli, memoryIo } = await import('ibvf');
      const rows = compareLayouts(loadProfile('cx3-fdr-kvm-2013'), { ops: ['bcast'], engine: 'analytic' }).rows;
      const whatif = memoryIo();
      const whatifCode = await runCli(['whatif', '--op', 'bcast', '--engine', 'analytic', '--csv'], whatif);
      const probeIo = memoryIo();
      const probeCode = await runCli(['probe', 'run', '--transport', 'shm', '--suite', 'quick'], probeIo);
      console.log(JSON.stringify({ rows: rows.length, whatifCode, probeCode, probeErr: probeIo.err }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    const r = JSON.parse(out) as { rows: number; whatifCode: number; probeCode: number; probeErr: string };
    expect(r.rows).toBe(5);
    expect(r.whatifCode).toBe(0);
    expect(r.probeCode).toBe(3);
    expect(r.probeErr).toMatch(/^ibvf: the probe's native addon is not built; tried .*ibvf_probe\.node/);
    expect(r.probeErr).toMatch(/no native addons in this process/);
  });

  it('resolves in plain Node, outside vitest, to the built dist/ through package.json `exports`', () => {
    const script =
      "const m = await import('ibvf'); console.log(JSON.stringify({ url: import.meta.resolve('ibvf'), keys: Object.keys(m) }));";
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    const { url, keys } = JSON.parse(out) as { url: string; keys: string[] };
    expect(url.endsWith('/dist/index.js')).toBe(true);
    for (const names of Object.values(ENTRY_POINTS))
      for (const name of Object.keys(names)) expect(keys).toContain(name);
  });
});
