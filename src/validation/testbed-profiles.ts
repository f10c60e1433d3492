import { cx3FdrKvm2013 } from '../profiles/cx3-fdr-kvm-2013.js';
import type { Param, Profile, Source } from '../profiles/types.js';

/**
 * A profile for each testbed of the public validation set (`validation/testbeds.md`),
 * built from the built-in one. Only what a source states about the testbed changes, each
 * change citing it; every other number is the seed's, relabelled as an assumption
 * "carried over", since nothing says it holds on that testbed. No parameter here is
 * fitted to any row of the set: every row judges.
 */

/** A changed parameter: a dotted field (a `*` matches every InfiniBand path) and its new value. */
interface Change {
  field: string;
  value: number;
  source: Source;
}

interface TestbedSpec {
  name: string;
  description: string;
  summary: string;
  source: string;
  changes: Change[];
}

const cite = (ref: string): Source => ({ kind: 'citation', ref });
const assume = (ref: string): Source => ({ kind: 'assumption', ref });

const SEED = cx3FdrKvm2013;

/**
 * The seed's fabric paths reach 6,283.36 MB/s of FDR's 6,818 MB/s data rate (92.2%:
 * its PCIe 3.0 x8 slot, Jose et al. Sec. V-D). A faster link is assumed to be reached in
 * the same proportion, its adapter's slot not being the limit (no source states it).
 */
const SEED_LINK_EFFICIENCY = SEED.hca.pcieBandwidth.value / SEED.hca.linkBandwidth.value;

function shape(sockets: number, coresPerSocket: number, ref: string): Change[] {
  return [
    { field: 'node.sockets', value: sockets, source: cite(ref) },
    { field: 'node.coresPerSocket', value: coresPerSocket, source: cite(ref) },
  ];
}

/** EDR and HDR: 4 lanes of 25.78125 or 53.125 Gbaud; data rate after 64b/66b (or PAM4 FEC) coding. */
function link(dataMBps: number, ref: string): Change[] {
  const peak = dataMBps * SEED_LINK_EFFICIENCY;
  const efficiency = `assumption: the seed's ${(100 * SEED_LINK_EFFICIENCY).toFixed(1)}% of the link's data rate carried over (its PCIe slot is not stated)`;
  return [
    { field: 'hca.linkBandwidth', value: dataMBps, source: cite(ref) },
    { field: 'hca.pcieBandwidth', value: peak, source: assume(efficiency) },
    { field: 'paths.*.G', value: 1 / peak, source: assume(`1 / (${peak.toFixed(0)} MB/s): ${efficiency}`) },
  ];
}

const EDR = 'InfiniBand EDR 4x: 100 Gb/s data rate = 12,500 MB/s';
const HDR = 'InfiniBand HDR 4x: 200 Gb/s data rate = 25,000 MB/s';

export const TESTBED_SPECS: readonly TestbedSpec[] = [
  {
    name: 'chameleon-cx3-fdr-kvm-2016',
    description:
      'Chameleon Cloud, 8 nodes, ConnectX-3 FDR, KVM, MVAPICH2 2.2b (Zhang, Lu, Panda, IPDPSW 2016)',
    summary: '24 cores per node ("24-core 2.3 GHz Intel Xeon E5-2670"), ConnectX-3 FDR, PCIe 3.0, KVM',
    source: 'validation/sources.md, zhang-ipdpsw16',
    changes: shape(
      2,
      12,
      'zhang-ipdpsw16: "24-core 2.3 GHz Intel Xeon E5-2670 processors"; two sockets of 12 read from the v3 part (validation/testbeds.md)',
    ),
  },
  {
    name: 'nowlab-cx3-fdr-openstack-2015',
    description:
      'OSU Nowlab cloud, ConnectX-3 FDR, KVM under OpenStack, MVAPICH2 2.0 (Zhang et al., CCGrid 2015)',
    summary:
      'the seed testbed\'s hardware: "dual 8-core 2.6 GHz Intel Xeon E5-2670 (Sandy Bridge)", ConnectX-3 FDR',
    source: 'validation/sources.md, zhang-ccgrid15',
    changes: [],
  },
  {
    name: 'asgc-cx3-fdr-kvm-pt-2014',
    description:
      'AIST Super Green Cloud, ConnectX-3 FDR, KVM with PCI passthrough, Open MPI 1.6.5 (Chakthranont et al., CloudCom 2014)',
    summary: '2 x Xeon E5-2680 v2 (10 cores each), ConnectX-3 FDR, SX6025 switch',
    source: 'validation/sources.md, chakthranont-cloudcom14',
    changes: shape(
      2,
      10,
      'chakthranont-cloudcom14: "two Intel Xeon E5-2680 v2 (Ivy Bridge EN) 2.8 GHz processors"',
    ),
  },
  {
    name: 'azure-hb',
    description: 'Microsoft Azure HB-series: ConnectX-5 EDR over SR-IOV (Azure performance pages)',
    summary: '2 x 32-core AMD EPYC 7551, ConnectX-5 EDR 100 Gb/s, SR-IOV under the Azure hypervisor',
    source: 'validation/sources.md, azure-docs-perf',
    changes: [
      ...shape(2, 32, 'azure-docs-perf: "2 * 32-core EPYC 7551 CPUs"'),
      ...link(12500, `${EDR}; azure-docs-perf: "100 Gb EDR Mellanox ConnectX-5"`),
    ],
  },
  {
    name: 'azure-hc',
    description: 'Microsoft Azure HC-series: ConnectX-5 EDR over SR-IOV (Azure performance pages)',
    summary: '2 x 24-core Xeon Platinum 8168, ConnectX-5 EDR 100 Gb/s, SR-IOV under the Azure hypervisor',
    source: 'validation/sources.md, azure-docs-perf',
    changes: [
      ...shape(2, 24, 'azure-docs-perf: 2 x 24-core Xeon Platinum 8168'),
      ...link(12500, `${EDR}; azure-docs-perf: "100 Gb EDR Mellanox ConnectX-5"`),
    ],
  },
  {
    name: 'azure-hbv2',
    description: 'Microsoft Azure HBv2-series: ConnectX-6 HDR over SR-IOV (Azure pages, HBv2 blog 2019)',
    summary: '2 x 64-core AMD EPYC (Rome), ConnectX-6 HDR 200 Gb/s, SR-IOV under the Azure hypervisor',
    source: 'validation/sources.md, azure-docs-perf and azure-hbv2-blog19',
    changes: [
      ...shape(2, 64, 'azure-docs-perf: 2 x 64-core AMD EPYC 7V12'),
      ...link(25000, `${HDR}; azure-docs-perf: "200 Gb/s HDR Mellanox ConnectX-6"`),
    ],
  },
  {
    name: 'azure-hbv3',
    description: 'Microsoft Azure HBv3-series: ConnectX-6 HDR over SR-IOV (Azure performance pages)',
    summary: '2 x 64-core AMD EPYC 7V73X, ConnectX-6 HDR 200 Gb/s, SR-IOV under the Azure hypervisor',
    source: 'validation/sources.md, azure-docs-perf',
    changes: [
      ...shape(2, 64, 'azure-docs-perf: 2 x 64-core AMD EPYC 7V73X'),
      ...link(
        25000,
        `${HDR}; azure-docs-perf: "HDR InfiniBand network adapters (ConnectX-6) operating at up to 200 Gigabits/sec"`,
      ),
    ],
  },
  {
    name: 'hpchub-cx3-fdr-kvm-2017',
    description: 'HPC HUB, 2 nodes, ConnectX-3 FDR, KVM, Open MPI 1.10 (Habr, 2017)',
    summary: '2 x Xeon E5-2680 v2 (10 cores each), ConnectX-3 FDR, SX6036 switch, KVM',
    source: 'validation/sources.md, hpchub-habr17',
    changes: shape(2, 10, 'hpchub-habr17: Xeon E5-2680 v2, 10 cores, "2 nodes (40 cores)"'),
  },
];

function isParam(value: unknown): value is Param {
  return (
    typeof value === 'object' && value !== null && 'value' in value && 'unit' in value && 'source' in value
  );
}

/** Every parameter of a profile with its dotted field name. */
function* paramsOf(node: unknown, prefix: string): Generator<[string, Param]> {
  if (isParam(node)) {
    yield [prefix, node];
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, child] of Object.entries(node)) yield* paramsOf(child, prefix ? `${prefix}.${key}` : key);
}

function matches(pattern: string, field: string, profile: Profile): boolean {
  const [head, name, ...rest] = pattern.split('.');
  if (head !== 'paths' || name !== '*') return pattern === field;
  const [fHead, fName, ...fRest] = field.split('.');
  const medium = profile.paths[fName]?.medium;
  return (
    fHead === 'paths' &&
    (medium === 'fabric' || medium === 'hca-loopback') &&
    rest.join('.') === fRest.join('.')
  );
}

/** The profile of one testbed: the seed's, with the cited changes and everything else marked as carried over. */
export function testbedProfile(spec: TestbedSpec): Profile {
  const profile = structuredClone(SEED);
  profile.name = spec.name;
  profile.description = spec.description;
  profile.testbed = { summary: spec.summary, source: cite(spec.source) };
  for (const [field, param] of paramsOf(profile, '')) {
    const change = spec.changes.find((c) => matches(c.field, field, profile));
    if (change) {
      // A changed value keeps no interval: the seed's interval was about the seed's value.
      param.value = change.value;
      param.source = change.source;
      delete param.interval;
    } else {
      param.source = assume(`carried over from ${SEED.name} (${param.source.kind}: ${param.source.ref})`);
    }
  }
  return profile;
}

export function testbedProfileNamed(name: string): Profile | undefined {
  const spec = TESTBED_SPECS.find((s) => s.name === name);
  return spec ? testbedProfile(spec) : undefined;
}
