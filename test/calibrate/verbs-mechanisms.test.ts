/**
 * `ibvf calibrate` from verbs probe files: inline on vs off -> inlineSaving and
 * inlineLimit, read vs write -> readExtra, VF vs PF -> requestCost, one VM vs two VMs of a
 * node -> the vf-to-vf L.
 * The files are synthetic, built here from the model (src/model/p2p/verbs.ts) on a "truth"
 * profile whose values differ from the base's, with 2% seeded noise in 100 samples per
 * size, so the answer is known. They are not the verbs test double's output, which
 * calibrate refuses (last test).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrateProfile } from '../../src/calibrate/calibrate.js';
import type { ProbeInput } from '../../src/calibrate/input.js';
import { p2pLatency } from '../../src/model/p2p/predict.js';
import { verbsLatency, type VerbsOp } from '../../src/model/p2p/verbs.js';
import type { ProbeResult } from '../../src/probe/result.js';
import { summarize } from '../../src/probe/stats.js';
import { validateProbeResult } from '../../src/probe/validate.js';
import { builtinProfile } from '../../src/profiles/builtin.js';
import type { PathParams, Profile } from '../../src/profiles/types.js';
import { fixtureDir } from '../fixtures.js';
import { sampledSweep } from './fit/synthetic.js';

const base = builtinProfile('cx3-fdr-kvm-2013')!;
const SIZES = Array.from({ length: 17 }, (_, e) => 2 ** e); // 1 B .. 64 KiB
const template = JSON.parse(
  readFileSync(path.join(fixtureDir('probe'), 'shm-quick-poll.json'), 'utf8'),
) as ProbeResult;

/** The truth: the base with other inline, read and VF-to-VF numbers. */
const truth: Profile = structuredClone(base);
const native = truth.paths.native;
native.inlineLimit = { ...native.inlineLimit, value: 256 };
native.inlineSaving = { ...native.inlineSaving, value: 0.3 };
native.readExtra = { ...native.readExtra, value: 0.8 };
// A VF path is its PF path plus the per-request cost and no inline (src/model/p2p/verbs.ts).
const VF_REQUEST_COST = 0.25;
truth.paths['native-loopback'] = { ...structuredClone(native), L: truth.paths['native-loopback'].L };
for (const [vfPath, pfPath] of [
  ['vf', 'native'],
  ['vf-loopback', 'native-loopback'],
  ['vf-to-vf', 'native-loopback'],
] as const) {
  const pf = truth.paths[pfPath];
  truth.paths[vfPath] = {
    ...truth.paths[vfPath],
    L: pf.L,
    inlineSaving: pf.inlineSaving,
    readExtra: pf.readExtra,
    requestCost: { ...truth.paths[vfPath].requestCost, value: VF_REQUEST_COST },
  };
}
const VF_TO_VF_EXTRA = 0.4;
truth.paths['vf-to-vf'].L = {
  ...truth.paths['vf-loopback'].L,
  value: truth.paths['vf-loopback'].L.value + VF_TO_VF_EXTRA,
};

let seed = 1;
/** A verbs probe file whose poll sweep is the model's latency of `op` on `p`, noisy. */
function verbsFile(p: PathParams, op: VerbsOp, inlineUsed: number, inlineMax: number): ProbeResult {
  const sweep = sampledSweep(SIZES, (bytes) => verbsLatency(p, op, bytes, 'poll'), 100, 0.02, seed++);
  const result: ProbeResult = {
    ...template,
    transport: 'verbs',
    op,
    latency_kind: op === 'read' ? 'round trip' : 'half round trip',
    device: {
      name: 'mlx4_0',
      library: 'libibverbs.so.1',
      test_double: false,
      function: p.function === 'vf' ? 'vf' : 'pf',
      function_evidence: 'synthetic (built by this test from the model)',
      path_mtu: 2048,
      inline: { max_bytes: inlineMax, max_requested: 1024, probes: 10, used_bytes: inlineUsed },
    },
    options: { ...template.options, suite: 'quick', sizes: SIZES },
    latency: [
      {
        mode: 'poll',
        pair: 0,
        cpu: null,
        sizes: sweep.map((s) => ({
          bytes: s.bytes,
          iterations: 100,
          ...summarize(s.samples_us),
          samples_us: s.samples_us,
        })),
      },
    ],
    streaming: [],
    prtt: [],
    warnings: [],
  };
  return validateProbeResult(JSON.parse(JSON.stringify(result)), 'synthetic');
}

const input = (file: string, pathName: string, result: ProbeResult): ProbeInput => ({
  kind: 'probe',
  file,
  path: pathName,
  result,
});
const noInline = { ...native, inlineLimit: { ...native.inlineLimit, value: 0 } };
/** The native send file with the per-call timings a verbs probe run records (o_s 0.2, o_r 0.12 us). */
const timedSend: ProbeResult = {
  ...verbsFile(native, 'send', 256, 256),
  overheads: [
    {
      mode: 'poll',
      pair: 0,
      bytes: 8,
      during: 'pingpong',
      window: 1,
      o_send: { count: 100, ...summarize(Array.from({ length: 100 }, (_, i) => 0.19 + (0.02 * i) / 99)) },
      o_recv: { count: 100, ...summarize(Array.from({ length: 100 }, (_, i) => 0.11 + (0.02 * i) / 99)) },
    },
  ],
};
const inputs = [
  input('native-send.json', 'native', timedSend),
  input('native-send-inline0.json', 'native', verbsFile(noInline, 'send', 0, 256)),
  input('native-write.json', 'native', verbsFile(native, 'write', 256, 256)),
  input('native-read.json', 'native', verbsFile(native, 'read', 256, 256)),
  input('one-vm.json', 'vf-loopback', verbsFile(truth.paths['vf-loopback'], 'send', 0, 0)),
  input('two-vms.json', 'vf-to-vf', verbsFile(truth.paths['vf-to-vf'], 'send', 0, 0)),
  input('guest-read.json', 'vf', verbsFile(truth.paths.vf, 'read', 0, 0)),
  input('host-loopback.json', 'native-loopback', verbsFile(truth.paths['native-loopback'], 'send', 256, 256)),
];

describe('ibvf calibrate from verbs probe files: inline, read extra, VF request cost and VF-to-VF (synthetic, known answer)', () => {
  const { profile, report } = calibrateProfile(inputs, { name: 'verbs', base, draws: 200 });
  const p = profile.paths;

  it('inline on vs off: the saving within its interval of 0.3 us, the limit the largest size with it (256 B)', () => {
    expect(p.native.inlineSaving.value).toBeCloseTo(0.3, 1);
    const [lo, hi] = p.native.inlineSaving.interval!;
    expect(lo).toBeLessThanOrEqual(0.3);
    expect(hi).toBeGreaterThanOrEqual(0.3);
    expect(p.native.inlineLimit.value).toBe(256);
    for (const f of ['inlineSaving', 'inlineLimit'] as const) {
      expect(p.native[f].source.kind).toBe('fit');
      expect(p.native[f].source.ref).toMatch(/^fitInline: native-send\.json, native-send-inline0\.json/);
    }
  });

  it('read vs write: readExtra within its interval of 0.8 us (PF: no request cost)', () => {
    expect(p.native.readExtra.value).toBeCloseTo(0.8, 1);
    const [lo, hi] = p.native.readExtra.interval!;
    expect(lo).toBeLessThanOrEqual(0.8);
    expect(hi).toBeGreaterThanOrEqual(0.8);
    expect(p.native.readExtra.source.ref).toMatch(/^fitReadExtra: native-read\.json, native-write\.json/);
  });

  it("one VM vs two VMs: the calibrated model's vf-to-vf minus vf-loopback latency is the 0.4 us measured", () => {
    const q = (pathName: string, bytes: number) =>
      p2pLatency(profile, { path: pathName, op: 'send', progress: 'poll' }, bytes);
    for (const bytes of [1, 1024, 65536])
      expect(q('vf-to-vf', bytes) - q('vf-loopback', bytes)).toBeCloseTo(VF_TO_VF_EXTRA, 1);
    expect(p['vf-to-vf'].L.source.ref).toMatch(/^fitVfToVfExtra: two-vms\.json, one-vm\.json/);
    expect(report.params.find((x) => x.field === 'paths.vf-to-vf.L')?.fitted).toBe(true);
  });

  it('VF vs PF reads: the request cost within its interval of 0.25 us (base 0.119)', () => {
    expect(p.vf.requestCost.value).toBeCloseTo(VF_REQUEST_COST, 1);
    const [lo, hi] = p.vf.requestCost.interval!;
    expect(lo).toBeLessThanOrEqual(VF_REQUEST_COST);
    expect(hi).toBeGreaterThanOrEqual(VF_REQUEST_COST);
    expect(p.vf.requestCost.source.ref).toMatch(/^fitVfRequestCost: guest-read\.json, native-read\.json/);
    // The read run is a mechanism run: the VF path's L is the base's, untouched.
    expect(p.vf.L.value).toBe(base.paths.vf.L.value);
  });

  it("VF vs PF sends, one VM's ranks vs the host's: the request cost, and L re-solved so the VM's own curve still fits", () => {
    const cost = p['vf-loopback'].requestCost;
    expect(cost.value).toBeCloseTo(VF_REQUEST_COST, 1);
    expect(cost.source.ref).toMatch(/^fitVfRequestCost: one-vm\.json, host-loopback\.json/);
    expect(p['vf-loopback'].L.source.ref).toMatch(/moved by .* to keep that fit with requestCost refitted/);
    const q = (prof: Profile, bytes: number) =>
      p2pLatency(prof, { path: 'vf-loopback', op: 'send', progress: 'poll' }, bytes);
    for (const bytes of [1, 1024, 65536])
      expect(
        q(profile, bytes) / q(truth, bytes),
        `${bytes} B: ${q(profile, bytes)} vs ${q(truth, bytes)}; ${JSON.stringify(p['vf-loopback'])}`,
      ).toBeCloseTo(1, 1);
    expect(report.warnings.some((w) => w.startsWith('paths.vf-loopback.L: the latency curve'))).toBe(false);
  });

  it('the timed calls give o_s and o_r, and L is what the curve leaves after them (latency unchanged)', () => {
    expect(p.native.o_s.value).toBeCloseTo(0.2, 6);
    expect(p.native.o_r.value).toBeCloseTo(0.12, 6);
    expect(p.native.o_s.source.ref).toMatch(
      /^measuredOverheads: .*ibv_post_send.*native-send\.json \(100 calls at 8 B\)/,
    );
    expect(p.native.L.source.ref).toMatch(/^fitSegmented/);
    const q = (prof: Profile, bytes: number) =>
      p2pLatency(prof, { path: 'native', op: 'send', progress: 'poll' }, bytes);
    for (const bytes of [1, 1024, 65536]) expect(q(profile, bytes) / q(truth, bytes)).toBeCloseTo(1, 1);
  });

  it("the mechanism runs (read, inline off) stay out of the path's own latency fit", () => {
    const native = report.quality.filter((q) => q.path === 'native');
    expect(native.length).toBeGreaterThan(0);
    for (const q of native) {
      expect(q.files).not.toContain('native-read.json');
      expect(q.files).not.toContain('native-send-inline0.json');
    }
  });

  it('without the pair of runs a parameter keeps the base value and says so', () => {
    const only = calibrateProfile([inputs[0]], { name: 'one', base, draws: 50 }).profile;
    expect(only.paths.native.inlineSaving.value).toBe(base.paths.native.inlineSaving.value);
    expect(only.paths.native.inlineSaving.source.ref).toMatch(/^from base profile cx3-fdr-kvm-2013: /);
  });

  it('refuses a verbs result of the test double (device.test_double), naming the file', () => {
    const double = inputs[0].result;
    const marked = { ...double, device: { ...double.device!, test_double: true } };
    expect(() => calibrateProfile([input('double.json', 'native', marked)], { name: 'x', base })).toThrow(
      /double\.json: produced on the verbs test double/,
    );
  });
});
