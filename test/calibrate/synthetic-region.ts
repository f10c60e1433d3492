/**
 * Synthetic verbs probe files with `--region` runs for calibrate's tests: the latency rule 3
 * of the model (iommuExtraUs) gives a message when its node has registered a footprint, on
 * a truth whose IOMMU values differ from the base's, over a base latency, with seeded noise
 * on every sample. Not measurements, nor the verbs test double's output.
 */
import { buildLayout } from '../../src/model/layout/index.js';
import { seededRng } from '../../src/model/uncertainty/rng.js';
import { iommuExtraUs } from '../../src/model/virtualization.js';
import type { ProbeResult, RegionLatencyRun } from '../../src/probe/result.js';
import { summarize } from '../../src/probe/stats.js';
import { builtinProfile } from '../../src/profiles/builtin.js';
import type { Profile } from '../../src/profiles/types.js';
import { noisySamples } from './fit/synthetic.js';
import { probeFile, verbsDevice } from './synthetic-probe.js';

export const base = builtinProfile('cx3-fdr-kvm-2013')!;
export const truth: Profile = structuredClone(base);
truth.virtualization.iommuReach.value = 2 ** 21; // 2 MiB
truth.virtualization.iommuMissCost.value = 0.4;
const BASE_US = 3;
// Two nodes, one rank each in its own VM: each node's footprint is one peer's registeredPerPeer.
const pair = buildLayout({
  nodes: 2,
  procs: 2,
  socketsPerNode: 2,
  coresPerSocket: 8,
  placement: 'vm-per-node',
  shm: false,
});

/** Rule 3 over `baseUs`: a message's latency in a VM whose node has registered `footprint` bytes, under profile `t`. */
export function rule3Latency(footprint: number, t: Profile, baseUs: number): number {
  const p = structuredClone(t);
  p.virtualization.registeredPerPeer.value = footprint;
  return baseUs + iommuExtraUs(p, pair, 0);
}
export const REGIONS = Array.from({ length: 10 }, (_, k) => 2 ** (16 + k)); // 64 KiB .. 32 MiB

/** A verbs probe file with --region runs whose node footprint is `sides` x the region. */
export function regionFile(fn: 'pf' | 'vf', sides: number, seed: number, t: Profile = truth): ProbeResult {
  const rng = seededRng(seed);
  const runs: RegionLatencyRun[] = REGIONS.map((region) => {
    const samples = noisySamples(rule3Latency(sides * region, t, BASE_US), 200, 0.02, rng);
    return {
      mode: 'poll',
      pair: 0,
      cpu: 0,
      region_bytes: region,
      sizes: [{ bytes: 8, iterations: 200, ...summarize(samples), samples_us: samples }],
    };
  });
  return probeFile(truth, truth.paths[fn === 'vf' ? 'vf' : 'native'], {
    transport: 'verbs',
    op: 'send',
    device: { ...verbsDevice(fn), inline: { max_bytes: 0, max_requested: 0, probes: 1, used_bytes: 0 } },
    region: { bytes: REGIONS, stride_bytes: 4096, page_bytes: 4096, small_pages: true, messages: 'smallest' },
    region_latency: runs,
  });
}
