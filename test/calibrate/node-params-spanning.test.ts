/**
 * `ibvf calibrate` fits virtualization.spanningRemoteShare from an shm sweep in a VM that
 * spans both sockets (`probe run --spanning-vm`, placement.relation "spanning-vm") against
 * one pinned to a socket (src/calibrate/node-params.ts). The files are synthetic: the shm
 * path's copies stretched by the model's rule 2 on a truth whose share differs from the
 * base's, with seeded noise. They are not measurements.
 */
import { describe, expect, it } from 'vitest';
import { calibrateProfile } from '../../src/calibrate/calibrate.js';
import { CROSS_SOCKET_REMOTE_SHARE } from '../../src/calibrate/fit/numa-remote-factor.js';
import { remoteMemoryStretch } from '../../src/model/virtualization.js';
import type { ProbeResult } from '../../src/probe/result.js';
import { builtinProfile } from '../../src/profiles/builtin.js';
import type { Profile } from '../../src/profiles/types.js';
import { probeFile, probeInput } from './synthetic-probe.js';

const base = builtinProfile('cx3-fdr-kvm-2013')!;
const truth: Profile = structuredClone(base);
truth.node.numaRemoteFactor.value = 2;
truth.virtualization.spanningRemoteShare.value = 0.3;
const shm = truth.paths.shm;
/** The shm path with its copies stretched by rule 2 at remote share `q`. */
function stretched(q: number) {
  const p: Profile = structuredClone(truth);
  p.virtualization.spanningRemoteShare.value = q;
  const far = structuredClone(shm);
  far.O.value = shm.O.value * remoteMemoryStretch(p);
  return far;
}
const inVm = (r: ProbeResult, isVm = true): ProbeResult => ({
  ...r,
  host: {
    ...r.host,
    is_vm: isVm,
    vm_evidence: isVm
      ? 'cpuid hypervisor bit (KVMKVMKVM)'
      : 'no DMI hypervisor name, cpuid hypervisor bit clear',
  },
});
const same = () => probeInput('same.json', 'shm', probeFile(truth, shm, {}, 'same-socket'));
const other = () =>
  probeInput('other.json', 'shm', probeFile(truth, stretched(CROSS_SOCKET_REMOTE_SHARE), {}, 'other-socket'));
const spanning = (isVm = true) =>
  probeInput('span.json', 'shm', inVm(probeFile(truth, stretched(0.3), {}, 'spanning-vm'), isVm));
const settings = { name: 'span', base, draws: 200 };

describe('calibrate fits virtualization.spanningRemoteShare from a spanning VM against one socket', () => {
  it('with an other-socket sweep: q over the fitted numaRemoteFactor, with an interval', () => {
    const { profile, report } = calibrateProfile([same(), other(), spanning()], settings);
    const q = profile.virtualization.spanningRemoteShare;
    expect(Math.abs(profile.node.numaRemoteFactor.value - 2)).toBeLessThan(0.15);
    expect(Math.abs(q.value - 0.3)).toBeLessThan(0.08);
    expect(q.interval![0]).toBeLessThanOrEqual(q.value);
    expect(q.source.ref).toMatch(
      /^fitSpanningRemoteShare on same\.json, span\.json \(spanning-vm against same-socket\)/,
    );
    expect(q.source.ref).toMatch(/numaRemoteFactor as fitted above/);
    expect(report.params.find((p) => p.field === 'virtualization.spanningRemoteShare')?.fitted).toBe(true);
  });

  it("without one: divides by the base's numaRemoteFactor and says so", () => {
    const { profile } = calibrateProfile([same(), spanning()], settings);
    const q = profile.virtualization.spanningRemoteShare;
    // the spanning run's stretch 1 + 0.3 (2 - 1) read with the base's factor 1.5: 0.3 / 0.5
    expect(Math.abs(q.value - 0.6)).toBeLessThan(0.1);
    expect(q.source.ref).toMatch(
      /numaRemoteFactor 1\.5 from base profile cx3-fdr-kvm-2013 \(no other-socket sweep/,
    );
  });

  it('a spanning run without a same-socket sweep keeps the base, with a warning', () => {
    const { profile, report } = calibrateProfile([spanning()], settings);
    expect(profile.virtualization.spanningRemoteShare.source.ref).toMatch(/^from base profile/);
    expect(
      report.warnings.some((w) =>
        /^virtualization\.spanningRemoteShare: span\.json ran in a spanning VM, but no shm sweep pinned --pin same-socket/.test(
          w,
        ),
      ),
    ).toBe(true);
  });

  it('refuses a spanning-vm file whose host the probe found not to be a VM', () => {
    expect(() => calibrateProfile([same(), spanning(false)], settings)).toThrow(
      /span\.json: placement\.relation is "spanning-vm" but the probe found no hypervisor/,
    );
  });
});
