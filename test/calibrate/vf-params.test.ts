/**
 * `ibvf calibrate` from verbs `--pairs N` streaming in one VM (vf-loopback) and across VMs
 * of a node (vf-to-vf) -> virtualization.perVfCost; from `--progress event --pairs N`
 * ping-pong on the PF loopback and in one VM -> interruptService and interruptExitCost.
 * The files are synthetic, built here from the model (rules 4 and 6) on a truth whose
 * values differ from the base's, with seeded noise.
 */
import { describe, expect, it } from 'vitest';
import { calibrateProfile } from '../../src/calibrate/calibrate.js';
import { hcaMessageUs } from '../../src/model/virtualization.js';
import { verbsLatency } from '../../src/model/p2p/verbs.js';
import { seededRng } from '../../src/model/uncertainty/rng.js';
import { summarize } from '../../src/probe/stats.js';
import type { LatencyRun, PairLayout, ProbeResult } from '../../src/probe/result.js';
import { builtinProfile } from '../../src/profiles/builtin.js';
import type { Profile } from '../../src/profiles/types.js';
import { noisySamples } from './fit/synthetic.js';
import { noiseFrom, probeFile, probeInput, streamAt, sweepOf, verbsDevice } from './synthetic-probe.js';

const base = builtinProfile('cx3-fdr-kvm-2013')!;
const truth: Profile = structuredClone(base);
truth.hca.messageRate.value = 12;
truth.virtualization.perVfCost.value = 0.03;
truth.virtualization.interruptService.value = 1.5;
truth.virtualization.interruptExitCost.value = 2;
const PER_PAIR = 4; // Mmsg/s, one pair alone
const noisy = noiseFrom(7, 0.01);
const aggregate = (pairs: number, vms: number) =>
  noisy(Math.min(PER_PAIR * pairs, 1 / hcaMessageUs(truth, vms)) * 1e6);

/** Rank i of pair i sends from VM host(i), its partner receives on VM host(i + pairs). */
function layout(pairs: number, host: (rank: number) => string): PairLayout {
  return {
    by: 'processes',
    launcher: 'mpich',
    pairs: Array.from({ length: pairs }, (_, i) => ({
      pair: i,
      sender: { rank: i, host: host(i), pid: 100 + i },
      receiver: { rank: i + pairs, host: host(i + pairs), pid: 200 + i },
    })),
  };
}

/** One file per pair count: in one VM, or each rank pair spread so that `vms(pairs)` VMs take part. */
function pairsFile(pairs: number, across: boolean): ProbeResult {
  const vms = across ? pairs + 1 : 1;
  const host = (rank: number) => `vm${across ? rank % vms : 0}`;
  return probeFile(truth, truth.paths[across ? 'vf-to-vf' : 'vf-loopback'], {
    transport: 'verbs',
    op: 'write',
    device: verbsDevice('vf'),
    pair_layout: layout(pairs, host),
    streaming: [0, 1].map(() => streamAt(pairs, 8, aggregate(pairs, vms))),
  });
}

const options = { name: 'vfs', base, draws: 400, seed: 2 };
const COUNTS = [1, 2, 4, 6, 8];

describe('calibrate fits virtualization.perVfCost from pairs in one VM against pairs across VMs', () => {
  const inputs = COUNTS.flatMap((n) => [
    probeInput(`one-vm-${n}.json`, 'vf-loopback', pairsFile(n, false)),
    probeInput(`vms-${n}.json`, 'vf-to-vf', pairsFile(n, true)),
  ]);
  const { profile, report } = calibrateProfile(inputs, options);

  it('recovers the cost the model was given, with a bootstrap interval', () => {
    const c = profile.virtualization.perVfCost;
    expect(Math.abs(c.value - 0.03)).toBeLessThan(0.005);
    expect(c.interval![0]).toBeLessThan(0.03);
    expect(c.interval![1]).toBeGreaterThan(0.03);
    expect(c.source.ref).toMatch(
      /^fitPerVfCost on .* at 8 B, window 64, poll \(vf-loopback against vf-to-vf\): /,
    );
    expect(report.params.find((p) => p.field === 'virtualization.perVfCost')!.fitted).toBe(true);
  });

  it('fits hca.messageRate from the one-VM runs only (runs across VMs hold the engine longer)', () => {
    expect(Math.abs(profile.hca.messageRate.value / 12 - 1)).toBeLessThan(0.02);
    expect(profile.hca.messageRate.source.ref).not.toContain('vms-');
  });

  it('without runs across VMs it keeps the base and says nothing', () => {
    const one = calibrateProfile(
      inputs.filter((i) => i.path === 'vf-loopback'),
      options,
    );
    expect(one.profile.virtualization.perVfCost.source.ref).toMatch(/^from base profile /);
    expect(one.report.warnings.join('\n')).not.toContain('perVfCost');
  });

  it('runs across VMs that never saturate keep the base, with a warning naming perVfCost', () => {
    const slow = (n: number) =>
      probeFile(truth, truth.paths['vf-to-vf'], {
        transport: 'verbs',
        op: 'write',
        device: verbsDevice('vf'),
        pair_layout: layout(n, (r) => `vm${r % 2}`),
        streaming: [streamAt(n, 8, n * 1e6)],
      });
    const r = calibrateProfile(
      [
        ...inputs.filter((i) => i.path === 'vf-loopback'),
        probeInput('slow-1.json', 'vf-to-vf', slow(1)),
        probeInput('slow-2.json', 'vf-to-vf', slow(2)),
      ],
      options,
    );
    expect(r.profile.virtualization.perVfCost.source.ref).toMatch(/^from base profile /);
    expect(r.report.warnings.join('\n')).toMatch(
      /virtualization\.perVfCost: no run across two or more VMs saturates .*; kept from the base profile/,
    );
  });
});

/** Event-mode ping-pong of `pairs` pairs on one function's vector: l(N) = max(l(1), N S) (rule 6). */
function eventFile(name: 'native-loopback' | 'vf-loopback', pairs: number, rngSeed: number): ProbeResult {
  const p = truth.paths[name];
  const v = truth.virtualization;
  const S = v.interruptService.value + (name === 'vf-loopback' ? v.interruptExitCost.value : 0);
  const rng = seededRng(rngSeed);
  const event: LatencyRun[] = Array.from({ length: pairs }, (_, pair) => ({
    mode: 'event',
    pair,
    cpu: null,
    sizes: [8, 64].map((bytes) => {
      const samples = noisySamples(
        Math.max(verbsLatency(p, 'send', bytes, 'event'), pairs * S),
        100,
        0.02,
        rng,
      );
      return { bytes, iterations: 100, ...summarize(samples), samples_us: samples };
    }),
  }));
  return probeFile(truth, p, {
    transport: 'verbs',
    op: 'send',
    device: verbsDevice(name === 'vf-loopback' ? 'vf' : 'pf'),
    options: { ...probeFile(truth, p, {}).options, pairs, progress: ['poll', 'event'] },
    latency: [{ mode: 'poll', pair: 0, cpu: null, sizes: sweepOf(truth, p) }, ...event],
  });
}

describe('calibrate fits the interrupt vector service from event-mode --pairs runs', () => {
  const N = [1, 4, 16, 24];
  const files = (name: 'native-loopback' | 'vf-loopback') =>
    N.map((n, i) => probeInput(`${name}-event-${n}.json`, name, eventFile(name, n, 10 * i + name.length)));

  it('PF runs give interruptService, and VM runs beside them interruptExitCost', () => {
    const { profile, report } = calibrateProfile(
      [...files('native-loopback'), ...files('vf-loopback')],
      options,
    );
    const v = profile.virtualization;
    expect(Math.abs(v.interruptService.value - 1.5)).toBeLessThan(0.1);
    expect(Math.abs(v.interruptExitCost.value - 2)).toBeLessThan(0.15);
    expect(v.interruptService.source.ref).toMatch(
      /^fitVectorService on native-loopback-event-1\.json.* \(native-loopback, event mode, 8 B\)/,
    );
    expect(v.interruptExitCost.source.ref).toMatch(
      /^the VF vector service \(fitVectorService on vf-loopback/,
    );
    expect(v.interruptExitCost.interval![0]).toBeLessThanOrEqual(2);
    expect(report.params.find((p) => p.field === 'virtualization.interruptExitCost')!.fitted).toBe(true);
  });

  it('VM runs alone give interruptService less the base exit cost, saying so', () => {
    const { profile } = calibrateProfile(files('vf-loopback'), options);
    const exit = base.virtualization.interruptExitCost.value;
    expect(Math.abs(profile.virtualization.interruptService.value - (3.5 - exit))).toBeLessThan(0.15);
    expect(profile.virtualization.interruptService.source.ref).toContain(
      `less interruptExitCost ${exit} us from base profile`,
    );
    expect(profile.virtualization.interruptExitCost.source.ref).toMatch(/^from base profile /);
  });

  it('a --pairs N event sweep stays out of the path eventExtra: it is not refused as contradicting the lone run', () => {
    const { profile } = calibrateProfile(files('vf-loopback'), options);
    const lone =
      verbsLatency(truth.paths['vf-loopback'], 'send', 8, 'event') -
      verbsLatency(truth.paths['vf-loopback'], 'send', 8, 'poll');
    expect(Math.abs(profile.paths['vf-loopback'].eventExtra.value / lone - 1)).toBeLessThan(0.1);
  });
});
