/**
 * `ibvf calibrate` from probe files that measure the node and the HCA: shm sweeps pinned
 * same-socket and other-socket -> node.numaRemoteFactor, shm streaming at several --pairs
 * -> node.socketCopyBandwidth, verbs streaming on native-loopback and native ->
 * hca.pcieBandwidth. The files are synthetic, built here from the model on a truth whose
 * values differ from the base's, with seeded noise: the answer is known. They are not
 * measurements (nor the verbs test double's output, which calibrate refuses).
 */
import { describe, expect, it } from 'vitest';
import { calibrateProfile } from '../../src/calibrate/calibrate.js';
import { CROSS_SOCKET_REMOTE_SHARE } from '../../src/calibrate/fit/numa-remote-factor.js';
import { memoryBandwidthStretch, remoteMemoryStretch } from '../../src/model/virtualization.js';
import type { ProbeResult } from '../../src/probe/result.js';
import { builtinProfile } from '../../src/profiles/builtin.js';
import type { PathParams, Profile } from '../../src/profiles/types.js';
import { noiseFrom, probeFile, probeInput, streamAt, verbsDevice } from './synthetic-probe.js';

const base = builtinProfile('cx3-fdr-kvm-2013')!;
const truth: Profile = structuredClone(base);
truth.node.numaRemoteFactor.value = 2;
truth.node.socketCopyBandwidth.value = 18000;
truth.hca.pcieBandwidth.value = 5600;
const shm = truth.paths.shm;
const noisy = noiseFrom(99, 0.01);

/** A streaming run of `pairs` pairs whose aggregate is `bandwidth` MB/s. */
const stream = (pairs: number, bytes: number, bandwidth: number) =>
  streamAt(pairs, bytes, (bandwidth * 1e6) / bytes);
const file = (over: Partial<ProbeResult>, relation = 'unpinned', p: PathParams = shm) =>
  probeFile(truth, p, over, relation);
const input = probeInput;

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
      device: verbsDevice('pf'),
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
  /** `--pairs 6` streaming runs of 1 to 6 pairs, pinned as `relation` says. */
  const pairsFile = (relation: string) => {
    const f = file({ streaming: pairsRuns }, relation);
    f.options.pairs = 6;
    return f;
  };
  // The loopback never crosses the link (fit/pcie-bandwidth.ts).
  const loop = truth.hca.pcieBandwidth.value;
  const net = Math.min(truth.hca.linkBandwidth.value, truth.hca.pcieBandwidth.value);
  const inputs = [
    input('same.json', 'shm', file({}, 'same-socket')),
    input('other.json', 'shm', file({}, 'other-socket', farShm)),
    input('pairs.json', 'shm', pairsFile('same-socket')),
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

  it('node.socketCopyBandwidth: warns when the --pairs runs were not pinned to one socket', () => {
    const unpinned = calibrateProfile(
      [
        input('same.json', 'shm', file({}, 'same-socket')),
        input('pairs.json', 'shm', file({ streaming: pairsRuns })),
      ],
      options,
    );
    expect(unpinned.profile.node.socketCopyBandwidth.source.kind).toBe('fit');
    expect(unpinned.report.warnings.join('\n')).toMatch(
      /node\.socketCopyBandwidth: the --pairs runs \(pairs\.json\) were not pinned to one socket \(placement unpinned\).*--pairs N --pin same-socket/,
    );
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
