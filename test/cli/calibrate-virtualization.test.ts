/**
 * `ibvf calibrate` on the command line with the runs that measure the IOMMU and the
 * spanning VM (synthetic probe files written to a scratch folder: the model's answers with
 * seeded noise, not measurements), and `ibvf probe run --spanning-vm` recording its
 * placement on this host's shared memory.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAddon } from '../../src/probe/native.js';
import { validateProbeResult } from '../../src/probe/validate.js';
import { probeFile } from '../calibrate/synthetic-probe.js';
import { regionFile, truth } from '../calibrate/synthetic-region.js';
import { ibvf } from '../probe/helpers.js';
import { runIbvf } from './run.js';

const scratch = () => mkdtempSync(path.join(tmpdir(), 'ibvf-calibrate-virt-'));

function addonBuilt(): boolean {
  try {
    loadAddon();
    return true;
  } catch {
    return false;
  }
}

describe('ibvf calibrate: IOMMU and spanning-VM runs', () => {
  it('a verbs --region file on the vf path gives iommuReach and iommuMissCost, their sources naming the file and fitter', async () => {
    const dir = scratch();
    const file = path.join(dir, 'vf-region.json');
    writeFileSync(file, JSON.stringify(regionFile('vf', 1, 7)));
    const out = path.join(dir, 'p.json');
    const r = await runIbvf('calibrate', file, '--path', 'vf', '--name', 'host', '--out', out, '--json');
    expect(r.code, r.err).toBe(0);
    const profile = JSON.parse(readFileSync(out, 'utf8'));
    expect(profile.virtualization.iommuReach.source.kind).toBe('fit');
    expect(profile.virtualization.iommuReach.source.ref).toContain(`fitIommu on ${file}`);
    expect(Math.abs(profile.virtualization.iommuReach.value / 2 ** 21 - 1)).toBeLessThan(0.15);
    expect(profile.virtualization.iommuMissCost.source.ref).toContain(
      'dmasPerMessage 3 kept from base profile',
    );
  });

  it('probe show prints each region ping-pong under its region', async () => {
    const file = path.join(scratch(), 'vf-region.json');
    writeFileSync(file, JSON.stringify(regionFile('vf', 1, 8)));
    const r = await runIbvf('probe', 'show', file);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(
      ' verbs send, region 65536 B ping-pong, poll mode: one-way latency = half round trip (usec)',
    );
    expect(r.out).toContain(' verbs send, region 33554432 B ping-pong, poll mode');
  });

  it('a spanning-vm file from a host that is not a VM: one line naming the file, exit 2', async () => {
    const dir = scratch();
    const same = path.join(dir, 'same.json');
    const span = path.join(dir, 'span.json');
    writeFileSync(same, JSON.stringify(probeFile(truth, truth.paths.shm, {}, 'same-socket')));
    const spanning = probeFile(truth, truth.paths.shm, {}, 'spanning-vm');
    writeFileSync(span, JSON.stringify({ ...spanning, host: { ...spanning.host, is_vm: false } }));
    const r = await runIbvf('calibrate', same, span, '--name', 'x', '--out', path.join(dir, 'p.json'));
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`${span}: placement.relation is "spanning-vm" but the probe found no hypervisor`);
  });
});

describe.skipIf(!addonBuilt())('ibvf probe run --spanning-vm', () => {
  it('records placement.relation "spanning-vm" on an unpinned shm run', async () => {
    const r = await ibvf([
      'probe',
      'run',
      '--transport',
      'shm',
      '--spanning-vm',
      '--progress',
      'poll',
      '--iters',
      '20',
      '--sizes',
      '1:64',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const res = validateProbeResult(JSON.parse(r.stdout), 'stdout');
    expect(res.placement.relation).toBe('spanning-vm');
  });

  it('refuses --spanning-vm with --pin, and on another transport (exit 2, one line)', async () => {
    for (const [args, re] of [
      [['--transport', 'shm', '--pin', 'same-socket'], /--spanning-vm with --pin or --cpus/],
      [['--transport', 'tcp'], /--spanning-vm marks a shared-memory sweep/],
    ] as const) {
      const r = await runIbvf('probe', 'run', '--spanning-vm', ...args);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(re);
    }
  });
});
