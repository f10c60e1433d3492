/**
 * `ibvf calibrate` from probe files that measure the node and the HCA: shm sweeps pinned
 * same-socket and other-socket -> node.numaRemoteFactor, shm streaming at several --pairs
 * -> node.socketCopyBandwidth, verbs streaming on native-loopback and native ->
 * hca.pcieBandwidth. The files are synthetic, built here from the model on a truth whose
 * values differ from the base's, with seeded noise: the answer is known. They are not
 * measurements (nor the verbs test double's output, which calibrate refuses).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrateProfile } from '../../src/calibrate/calibrate.js';
import { CROSS_SOCKET_REMOTE_SHARE } from '../../src/calibrate/fit/numa-remote-factor.js';
import type { ProbeInput } from '../../src/calibrate/input.js';
import { mpiTransferLatency } from '../../src/model/p2p/mpi.js';
import { normal, seededRng } from '../../src/model/uncertainty/rng.js';
import { memoryBandwidthStretch, remoteMemoryStretch } from '../../src/model/virtualization.js';
import type { ProbeResult, StreamRun } from '../../src/probe/result.js';
import { summarize } from '../../src/probe/stats.js';
import { validateProbeResult } from '../../src/probe/validate.js';
import { builtinProfile } from '../../src/profiles/builtin.js';
import type { PathParams, Profile } from '../../src/profiles/types.js';
import { fixtureDir } from '../fixtures.js';
import { sampledSweep } from './fit/synthetic.js';

const base = builtinProfile('cx3-fdr-kvm-2013')!;
const template = JSON.parse(
  readFileSync(path.join(fixtureDir('probe'), 'shm-quick-poll.json'), 'utf8'),
) as ProbeResult;
const SIZES = Array.from({ length: 21 }, (_, e) => 2 ** e); // 1 B .. 1 MiB

const truth: Profile = structuredClone(base);
truth.node.numaRemoteFactor.value = 2;
truth.node.socketCopyBandwidth.value = 18000;
truth.hca.pcieBandwidth.value = 5600;
const shm = truth.paths.shm;

let seed = 1;
const rng = seededRng(99);
const noisy = (x: number) => x * (1 + 0.01 * normal(rng));

function sweepOf(p: PathParams) {
  const sweep = sampledSweep(
    SIZES,
    (bytes) => mpiTransferLatency(truth, p, bytes, 'poll'),
    100,
    0.02,
    seed++,
  );
  return sweep.map((s) => ({
    bytes: s.bytes,
    iterations: 100,
    ...summarize(s.samples_us),
    samples_us: s.samples_us,
  }));
}

function stream(pairs: number, bytes: number, bandwidth: number): StreamRun {
  return {
    mode: 'poll',
    bytes,
    window: 64,
    pairs,
    per_pair: [],
    aggregate: { msg_rate: (bandwidth * 1e6) / bytes, bandwidth_MBps: bandwidth },
  };
}

function file(over: Partial<ProbeResult>, relation = 'unpinned', p: PathParams = shm): ProbeResult {
  const result: ProbeResult = {
    ...template,
    options: { ...template.options, sizes: SIZES },
    placement: { relation, cpus: [0, 1] },
    latency: [{ mode: 'poll', pair: 0, cpu: 0, sizes: sweepOf(p) }],
    streaming: [],
    prtt: [],
    warnings: [],
    ...over,
  };
  return validateProbeResult(JSON.parse(JSON.stringify(result)), 'synthetic');
}

const input = (name: string, pathName: string, result: ProbeResult): ProbeInput => ({
  kind: 'probe',
  file: name,
  path: pathName,
  result,
});

// Rule 2 with the fit's share of remote streams: the other-socket pair's copies.
const remote: Profile = structuredClone(truth);
remote.virtualization.spanningRemoteShare.value = CROSS_SOCKET_REMOTE_SHARE;
const farShm = structuredClone(shm);
farShm.O.value = shm.O.value * remoteMemoryStretch(remote);
// Rule 5: N pairs on a socket are 2N ranks copying at the path's O.
const shmAggregate = (pairs: number) =>
  pairs / (shm.O.value * memoryBandwidthStretch(truth, 2 * pairs, shm.O.value));

function verbsFile(pathName: 'native' | 'native-loopback', bandwidths: number[]): ProbeResult {
  const p = truth.paths[pathName];
  return file(
    {
      transport: 'verbs',
      op: 'write',
      device: {
        name: 'mlx4_0',
        library: 'libibverbs.so.1',
        test_double: false,
        function: 'pf',
        function_evidence: 'synthetic (built by this test from the model)',
        path_mtu: 2048,
        inline: { max_bytes: 256, max_requested: 1024, probes: 10, used_bytes: 256 },
      },
      // The plateau runs, and two the fit must pass over: a smaller size, a shallower window.
      streaming: [
        ...bandwidths.map((b) => stream(1, 1 << 20, b)),
        stream(1, 4096, bandwidths[0] / 3),
        { ...stream(1, 1 << 20, bandwidths[0] / 2), window: 1 },
      ],
    },
    'unpinned',
    p,
  );
}

const options = { name: 'node', base, draws: 200, seed: 3 };

describe('calibrate fits the node and HCA parameters a probe run measures', () => {
  const pairsRuns = [1, 2, 3, 4, 6].flatMap((n) =>
    [0, 1].map(() => stream(n, 1 << 20, noisy(shmAggregate(n)))),
  );
  // The loopback never crosses the link (fit/pcie-bandwidth.ts).
  const loop = truth.hca.pcieBandwidth.value;
  const net = Math.min(truth.hca.linkBandwidth.value, truth.hca.pcieBandwidth.value);
  const inputs = [
    input('same.json', 'shm', file({}, 'same-socket')),
    input('other.json', 'shm', file({}, 'other-socket', farShm)),
    input('pairs.json', 'shm', file({ streaming: pairsRuns })),
    input(
      'loop.json',
      'native-loopback',
      verbsFile('native-loopback', [noisy(loop), noisy(loop), noisy(loop)]),
    ),
    input('net.json', 'native', verbsFile('native', [noisy(net), noisy(net)])),
  ];
  const { profile, report } = calibrateProfile(inputs, options);
  const reported = (field: string) => report.params.find((p) => p.field === field)!;

  it('says nothing about the node parameters it fitted', () => {
    expect(report.warnings.join('\n')).not.toMatch(/numaRemoteFactor|socketCopyBandwidth|pcieBandwidth/);
  });

  it('node.numaRemoteFactor from same-socket against other-socket sweeps', () => {
    const f = profile.node.numaRemoteFactor;
    expect(Math.abs(f.value - 2)).toBeLessThan(0.15);
    expect(f.interval![0]).toBeLessThanOrEqual(f.value);
    expect(f.source.kind).toBe('fit');
    expect(f.source.ref).toMatch(/^fitNumaRemoteFactor on same\.json, other\.json: .*seeded bootstrap/);
    expect(reported('node.numaRemoteFactor').fitted).toBe(true);
  });

  it('node.socketCopyBandwidth from the shm --pairs plateau at the largest size', () => {
    const b = profile.node.socketCopyBandwidth;
    expect(Math.abs(b.value / 18000 - 1)).toBeLessThan(0.03);
    expect(b.source.ref).toMatch(/^fitSocketCopyBandwidth on pairs\.json at 1048576 B, window 64, poll: /);
    expect(reported('node.socketCopyBandwidth').fitted).toBe(true);
  });

  it('hca.pcieBandwidth from the native-loopback plateau at its largest size and deepest window, checked against native', () => {
    const b = profile.hca.pcieBandwidth;
    expect(Math.abs(b.value / 5600 - 1)).toBeLessThan(0.02);
    expect(b.interval).not.toBeNull();
    expect(b.source.ref).toMatch(
      /^fitPcieBandwidth on loop\.json, net\.json at native-loopback 1048576 B, window 64/,
    );
    expect(b.source.ref).toContain('link and PCIe not told apart');
  });

  it('files without those runs leave the base values and say nothing about them', () => {
    const plain = calibrateProfile([input('same.json', 'shm', file({}, 'same-socket'))], options);
    for (const field of ['numaRemoteFactor', 'socketCopyBandwidth'] as const)
      expect(plain.profile.node[field].source.ref).toMatch(/^from base profile cx3-fdr-kvm-2013: /);
    expect(plain.profile.hca.pcieBandwidth.source.ref).toMatch(/^from base profile /);
    expect(plain.report.warnings.join('\n')).not.toMatch(
      /numaRemoteFactor|socketCopyBandwidth|pcieBandwidth/,
    );
  });

  it('runs that cannot pin a parameter down keep the base and warn, naming it', () => {
    const growing = [1, 2].map((n) => stream(n, 1 << 20, n * 9000));
    const { profile: p, report: r } = calibrateProfile(
      [
        input('pairs.json', 'shm', file({ streaming: growing })),
        input('loop.json', 'native-loopback', verbsFile('native-loopback', [3000])),
        input('net.json', 'native', verbsFile('native', [net])),
      ],
      options,
    );
    expect(p.node.socketCopyBandwidth.value).toBe(base.node.socketCopyBandwidth.value);
    expect(p.hca.pcieBandwidth.value).toBe(base.hca.pcieBandwidth.value);
    const said = r.warnings.join('\n');
    expect(said).toMatch(
      /node\.socketCopyBandwidth: .*cannot pin socketCopyBandwidth down.*; kept from the base profile/,
    );
    expect(said).toMatch(/hca\.pcieBandwidth: .*cannot pin pcieBandwidth down; kept from the base profile/);
  });
});
