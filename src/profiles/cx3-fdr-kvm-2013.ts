/**
 * Built-in profile of the testbed in Jose et al., "SR-IOV Support for Virtualization
 * on InfiniBand Clusters: Early Experience", CCGrid 2013: four nodes of
 * two 8-core Xeon E5-2670, ConnectX-3 FDR HCAs in a PCIe 3.0 slot, a Mellanox SX6036
 * switch, KVM guests on SR-IOV virtual functions, MVAPICH2 1.9a2.
 *
 * Fitted values come from the paper's visible point-to-point rows (Sections V-B to
 * V-D); the fit minimises the largest relative error over the rows listed in
 * `test/model/p2p/paper-rows.ts` with the formulas of `src/model/p2p/`. Values the
 * paper cannot pin down say `assumption` and why.
 */
import type { Param, Profile, Source, Unit } from './types.js';

const PAPER = 'Jose et al., CCGrid 2013';
const cite = (ref: string): Source => ({ kind: 'citation', ref });
const fit = (ref: string): Source => ({ kind: 'fit', ref });
const assume = (ref: string): Source => ({ kind: 'assumption', ref });
const p = (value: number, unit: Unit, source: Source, interval?: [number, number]): Param =>
  interval ? { value, unit, interval, source } : { value, unit, source };

/** The verbs rows the fit used; named once so every fitted value cites the same set. */
const VERBS_FIT = `minimax fit to ${PAPER} Sec. V-B/V-C/V-D rows (verbs send/write 2 B and 4 KB, Fig. 4(a) poll, UPC memget, MPI 1 B poll and blocking)`;

/** Bandwidth both native and SR-IOV reach in osu_bw: 6,283.36 MB/s (Sec. V-D). */
const G_PEAK = 1 / 6283.36;

/** LogGP parameters common to native and VF InfiniBand paths (only the extras differ). */
function ibPath(
  over: Partial<Profile['paths'][string]> &
    Pick<Profile['paths'][string], 'description' | 'medium' | 'function'>,
): Profile['paths'][string] {
  return {
    L: p(
      0.611,
      'us',
      fit(`o_s + L + o_r = 0.861 us from the ${VERBS_FIT}; L is that minus the assumed o_s and o_r`),
      [0.58, 0.64],
    ),
    o_s: p(
      0.15,
      'us',
      assume(
        'posting a work request (descriptor build plus doorbell/BlueFlame write) on a 2.6 GHz Sandy Bridge; only o_s + L + o_r is measured',
      ),
      [0.1, 0.2],
    ),
    o_r: p(0.1, 'us', assume('polling one completion; only o_s + L + o_r is measured'), [0.05, 0.15]),
    g: p(
      0.2,
      'us',
      assume(
        'one process posts about 5 M messages/s on FDR (osu_mbw_mr order for one pair); no row of the paper measures it',
      ),
      [0.1, 0.3],
    ),
    G: p(
      G_PEAK,
      'us/B',
      cite(`${PAPER} Sec. V-D: MPI peak bandwidth 6,283.36 MB/s, native and SR-IOV alike`),
      [1 / 6400, 1 / 6150],
    ),
    O: p(0, 'us/B', cite('RDMA: the HCA moves the payload, the CPU touches no byte (zero-copy)')),
    mtu: p(
      2048,
      'B',
      assume('IB MTU 2048, the active MTU MVAPICH2 1.9 uses by default on ConnectX (MV2_DEFAULT_MTU)'),
    ),
    storeForward: p(
      0.00042,
      'us/B',
      fit(
        `first-packet DMA stages at both HCAs (about 2 x PCIe at ~4.8 GB/s), from the 4 KB send rows; ${VERBS_FIT}`,
      ),
      [0.00035, 0.0005],
    ),
    inlineLimit: p(400, 'B', cite(`${PAPER} Sec. V-B: max_inline_size is 400 bytes on the PF`)),
    inlineSaving: p(
      0.347,
      'us',
      fit(
        `descriptor and payload DMA fetch skipped by BlueFlame inline; one saving for send and write; ${VERBS_FIT}`,
      ),
      [0.3, 0.4],
    ),
    requestCost: p(0, 'us', cite('physical function: no SR-IOV translation')),
    recvCost: p(0.006, 'us', fit(`send/recv minus RDMA write at 2 B; ${VERBS_FIT}`), [0, 0.05]),
    readExtra: p(
      0.548,
      'us',
      fit(
        `RDMA read responder work, from upc_memget 1.81/2.16 us less the assumed PGAS runtime cost; ${VERBS_FIT}`,
      ),
      [0.45, 0.65],
    ),
    eventExtra: p(
      5.323,
      'us',
      fit(`${PAPER} Fig. 4(a): 1 B verbs latency 6.19 us blocking vs model poll latency`),
      [5.0, 5.6],
    ),
    ...over,
  };
}

const VF_OVERRIDES = {
  inlineLimit: p(0, 'B', cite(`${PAPER} Sec. V-B: max_inline_size is 0 bytes on the VF`)),
  requestCost: p(
    0.124,
    'us',
    fit(
      `per work request an HCA processes for a VF (send: sender WQE + receive WQE; write: 1; read: request + response); ${VERBS_FIT}`,
    ),
    [0.08, 0.17],
  ),
  eventExtra: p(
    26.968,
    'us',
    fit(`${PAPER} Fig. 4(a): 1 B verbs latency 28.43 us blocking vs model poll latency on SR-IOV`),
    [25.5, 28.5],
  ),
};

/** Zhang, Lu, Arnold, Panda, "MVAPICH2 over OpenStack with SR-IOV", CCGrid 2015, Sec. V-A. */
const ZHANG15 = 'Zhang et al., CCGrid 2015 (validation row zh15-01)';

/**
 * The HCA loopback (no cable, no switch: VFs share the port's LID, so the message never
 * leaves the adapter; docs/evidence/virtualization-costs.md section 1). Its L is set so
 * that MPI between two VMs of one node on the seed's hardware class takes the published
 * "around 1.2 us" at 8 B (MVAPICH2 2.0), with the rest of the VF path as fitted to the
 * paper; "around" is read as +-0.1 us.
 */
const LOOPBACK_L = p(
  0.356,
  'us',
  fit(
    `osu_latency 8 B between two VMs of one node 'around 1.2 us' (${ZHANG15}) through the VF model; solved for L`,
  ),
  [0.256, 0.456],
);

/** An IPoIB path's HCA-level terms: its carrier verbs path supplies them (src/model/p2p/tcp.ts). */
const CARRIED_BY_VERBS = {
  L: p(0, 'us', cite('the carrier path supplies the wire latency')),
  storeForward: p(0, 'us/B', cite('carried by the verbs path')),
  inlineLimit: p(0, 'B', cite('carried by the verbs path')),
  inlineSaving: p(0, 'us', cite('carried by the verbs path')),
  requestCost: p(0, 'us', cite('carried by the verbs path')),
  recvCost: p(0, 'us', cite('carried by the verbs path')),
  readExtra: p(0, 'us', cite('carried by the verbs path')),
  eventExtra: p(0, 'us', cite('the carrier path supplies the interrupt cost')),
};

export const cx3FdrKvm2013: Profile = {
  schema: 'ibvf.profile/2',
  name: 'cx3-fdr-kvm-2013',
  description:
    'The SR-IOV InfiniBand testbed of Jose et al. (CCGrid 2013): 4 nodes, 2 x 8-core Xeon E5-2670, ConnectX-3 FDR, PCIe 3.0, KVM, MVAPICH2 1.9a2',
  testbed: {
    summary:
      '4 nodes; dual Xeon E5-2670 2.6 GHz (8 cores each), 32 GB; one ConnectX-3 FDR 56 Gb/s HCA per node in a PCIe 3.0 slot; Mellanox SX6036 switch; RHEL 6.1, MLNX_OFED SRIOV-ALPHA-3.3.0; KVM; MVAPICH2 1.9a2, MVAPICH2-X 1.9a2',
    source: cite(`${PAPER} Sec. V-A`),
  },
  node: {
    sockets: p(2, 'count', cite(`${PAPER} Sec. V-A: dual-socket nodes`)),
    coresPerSocket: p(8, 'count', cite(`${PAPER} Sec. V-A: eight-core Xeon E5-2670`)),
    hcas: p(1, 'count', cite(`${PAPER} Sec. V-A: one PCIe 3.0 slot, one ConnectX-3`)),
    socketCopyBandwidth: p(
      26200,
      'MB/s',
      cite(
        'likwid-bench copy on one socket of a Xeon E5-2680 (same 4-channel DDR3-1600 uncore as the E5-2670): 11.1 GB/s on one core, 26.2 GB/s from 4 cores on (RRZE-HPC/kerncraft SandyBridgeEP_E5-2680.yml; docs/evidence/virtualization-costs.md section 7)',
      ),
      [20000, 30000],
    ),
    numaRemoteFactor: p(
      1.5,
      'ratio',
      assume(
        "remote memory 'more than 50% higher' latency than local (IBM eX5 Implementation Guide, another Xeon platform; no E5-2670 figure found: docs/evidence/virtualization-costs.md section 6)",
      ),
      [1.2, 2],
    ),
  },
  hca: {
    messageRate: p(
      90,
      'Mmsg/s',
      cite(
        "ConnectX-3 FDR adapters 'deliver more than 90 million messages per second' (Olusanya and Hussain, Dell HPC blog, 2016, repeating the vendor's figure; docs/evidence/virtualization-costs.md section 1); all functions of the HCA share it",
      ),
      [60, 120],
    ),
    linkBandwidth: p(
      6818,
      'MB/s',
      cite('InfiniBand FDR 4x: 4 lanes x 14.0625 Gb/s with 64b/66b encoding = 54.5 Gb/s'),
    ),
    pcieBandwidth: p(
      6283.36,
      'MB/s',
      cite(
        `${PAPER} Sec. V-D: measured MPI peak 6,283.36 MB/s, below FDR's 6,818 MB/s, so the PCIe 3.0 x8 slot is the bottleneck`,
      ),
    ),
  },
  paths: {
    native: ibPath({
      description: 'Native InfiniBand between two hosts through the switch (PF)',
      medium: 'fabric',
      function: 'pf',
    }),
    vf: ibPath({
      description: 'SR-IOV virtual function to virtual function on two hosts through the switch',
      medium: 'fabric',
      function: 'vf',
      ...VF_OVERRIDES,
    }),
    'native-inline0': ibPath({
      description: "Native PF with max inline forced to 0: the paper's 'Native (Max Inline=0)'",
      medium: 'fabric',
      function: 'pf',
      inlineLimit: p(0, 'B', cite(`${PAPER} Sec. V-B: native run with max_inline_size set to 0`)),
    }),
    'native-loopback': ibPath({
      description: 'Two processes on one native host through the HCA (PF loopback), shared memory off',
      medium: 'hca-loopback',
      function: 'pf',
      L: p(
        LOOPBACK_L.value,
        'us',
        assume(
          `the HCA loops back a PF's message as it does a VF's (measured VF to VF: ${ZHANG15}); the PF's own costs are in its other parameters`,
        ),
        LOOPBACK_L.interval,
      ),
    }),
    'vf-loopback': ibPath({
      description: 'Two ranks of one VM through its VF looped back to itself (shared memory off)',
      medium: 'hca-loopback',
      function: 'vf',
      ...VF_OVERRIDES,
      L: p(
        LOOPBACK_L.value,
        'us',
        assume(
          `one VF looped back to itself costs what two VFs of one HCA do (measured: ${ZHANG15}); the second IOMMU domain of VF to VF has no measured cost of its own`,
        ),
        LOOPBACK_L.interval,
      ),
    }),
    'vf-to-vf': ibPath({
      description: 'Two VMs on one node, VF to VF looped back inside the HCA between two functions',
      medium: 'hca-loopback',
      function: 'vf',
      ...VF_OVERRIDES,
      L: LOOPBACK_L,
    }),
    shm: {
      description: 'MPI intra-node shared memory (MVAPICH2 SMP channel)',
      medium: 'shm',
      function: 'none',
      L: p(
        0.1,
        'us',
        assume(
          'cache-line hand-off between cores of one socket on Sandy Bridge; MVAPICH2 reports about 0.2-0.3 us intra-node small-message latency for that generation',
        ),
        [0.05, 0.2],
      ),
      o_s: p(0.08, 'us', assume('enqueue into the shared-memory ring'), [0.04, 0.15]),
      o_r: p(0.08, 'us', assume('dequeue from the shared-memory ring'), [0.04, 0.15]),
      g: p(0.1, 'us', assume('one ring slot per message'), [0.05, 0.2]),
      G: p(1 / 5000, 'us/B', assume('two copies through a shared buffer at about 5 GB/s on Sandy Bridge'), [
        1 / 8000,
        1 / 3000,
      ]),
      O: p(1 / 10000, 'us/B', assume('each end copies at about 10 GB/s'), [1 / 15000, 1 / 6000]),
      mtu: p(8192, 'B', assume('MVAPICH2 SMP channel cell size order (MV2_SMP_EAGERSIZE region)')),
      storeForward: p(0, 'us/B', cite('no DMA stages on the shared-memory path')),
      inlineLimit: p(0, 'B', cite('no HCA on this path')),
      inlineSaving: p(0, 'us', cite('no HCA on this path')),
      requestCost: p(0, 'us', cite('no HCA on this path')),
      recvCost: p(0, 'us', cite('no HCA on this path')),
      readExtra: p(0, 'us', cite('no HCA on this path')),
      eventExtra: p(
        5.323,
        'us',
        assume('a futex wake-up costs about what a native interrupt plus wake-up does (Fig. 4(a) native)'),
        [2, 8],
      ),
    },
    'ipoib-native': {
      description: 'TCP over IPoIB between two native hosts (kernel TCP/IP stack over a UD QP)',
      medium: 'ipoib',
      function: 'pf',
      carrier: 'native',
      o_s: p(
        9.73,
        'us',
        fit(
          `half of the TCP/IP stack cost 19.46 us = IPoIB 1 B latency 25.653 us (${PAPER} Sec. V-B, netperf) less the carrier's event-mode verbs latency 6.19 us; halves assumed`,
        ),
        [9, 10.5],
      ),
      o_r: p(9.73, 'us', fit('the other half of the stack cost (see o_s)'), [9, 10.5]),
      g: p(2, 'us', assume('kernel per-packet cost bounds the message rate'), [1, 5]),
      G: p(1 / 2500, 'us/B', assume('IPoIB TCP streams reach about 2.5 GB/s on FDR with connected mode'), [
        1 / 4000,
        1 / 1500,
      ]),
      O: p(1 / 5000, 'us/B', assume('socket copies at each end'), [1 / 8000, 1 / 3000]),
      mtu: p(2044, 'B', cite('IPoIB datagram mode MTU 2044 (RFC 4391: 2048 less the 4-byte IPoIB header)')),
      ...CARRIED_BY_VERBS,
    },
    'ipoib-vf': {
      description: 'TCP over IPoIB between two KVM guests on SR-IOV VFs',
      medium: 'ipoib',
      function: 'vf',
      carrier: 'vf',
      o_s: p(
        12.655,
        'us',
        fit(
          `half of the guest stack cost 25.31 us = IPoIB 1 B latency 53.74 us (${PAPER} Sec. V-B) less the VF's event-mode verbs latency 28.43 us; the guest stack costs 5.85 us more than the host's ('TCP stack overheads are significant in virtualized mode')`,
        ),
        [11.9, 13.4],
      ),
      o_r: p(12.655, 'us', fit('the other half of the guest stack cost (see o_s)'), [11.9, 13.4]),
      g: p(2.5, 'us', assume('guest kernel per-packet cost'), [1, 6]),
      G: p(1 / 2500, 'us/B', assume('as ipoib-native: the VF moves data at native speed'), [
        1 / 4000,
        1 / 1500,
      ]),
      O: p(1 / 5000, 'us/B', assume('socket copies at each end'), [1 / 8000, 1 / 3000]),
      mtu: p(2044, 'B', cite('IPoIB datagram mode MTU 2044 (RFC 4391)')),
      ...CARRIED_BY_VERBS,
    },
  },
  mpi: {
    library: 'MVAPICH2 1.9a2',
    perMessageOverhead: p(
      0.094,
      'us',
      fit(`osu_latency 1 B 1.02/1.39 us (${PAPER} Sec. V-C) over the RDMA-write fast path; ${VERBS_FIT}`),
      [0.05, 0.15],
    ),
    channelOverhead: p(
      0.403,
      'us',
      fit(
        `MV2_USE_BLOCKING=1 latency 1.46/1.89 us (${PAPER} Sec. V-D): send/recv channel instead of the fast path; ${VERBS_FIT}`,
      ),
      [0.33, 0.48],
    ),
    headerBytes: p(
      40,
      'B',
      assume('MVAPICH2 eager packet header plus fast-path head/tail flags, about 40 bytes'),
    ),
    libraryInline: p(
      128,
      'B',
      cite(`${PAPER} Sec. V-C: 'the inline size optimization for MVAPICH2 is set as 128 bytes'`),
    ),
    rdmaFastPathMax: p(
      4096,
      'B',
      assume('MVAPICH2 fast-path buffers (MV2_RDMA_FAST_PATH_BUF_SIZE) hold about 4 KB'),
    ),
    eagerThreshold: p(
      12288,
      'B',
      cite('MVAPICH2 user guide, MV2_IBA_EAGER_THRESHOLD: 12 KB default on ConnectX'),
    ),
    copyPerByte: p(
      0.0001,
      'us/B',
      assume('eager copy into and out of vbufs at about 10 GB/s (in cache) on Sandy Bridge'),
      [0.00005, 0.0002],
    ),
    spinCount: p(
      5000,
      'count',
      cite('MVAPICH2 user guide, MV2_SPIN_COUNT default 5000 polls before blocking'),
    ),
  },
  mpiHost: {
    cpuVendor: { value: 'GenuineIntel', source: cite(`${PAPER} Sec. V-A: Intel Xeon E5-2670 nodes`) },
    cpuModel: p(
      45,
      'count',
      cite(
        'Xeon E5-2670 (Sandy Bridge-EP): CPUID family 6 model 45 (0x2D), the INTEL_E5_2670_MODEL that MVAPICH2 1.9a2 mv2_arch_detect.c tests',
      ),
    ),
    cpuModelName: {
      value: 'Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz',
      source: cite(
        "the E5-2670's brand string, INTEL_E5_2670_MODEL_NAME in MVAPICH2 1.9a2 mv2_arch_detect.c (mv2_get_arch_type)",
      ),
    },
    guestCpuModel: p(
      45,
      'count',
      assume(
        "KVM run with -cpu host passes the host's CPUID model through; the paper does not say which CPU model its guests had (QEMU's SandyBridge model would show model 42)",
      ),
    ),
    guestCpuModelName: {
      value: 'Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz',
      source: assume("-cpu host passes the host's brand string through (see guestCpuModel)"),
    },
    guestTopology: {
      value: 'socket-per-vcpu',
      source: assume(
        "QEMU's -smp N without a topology gives N sockets of one core before QEMU 6.2 (smp_parse prefers sockets), and so does libvirt without <topology>; the paper does not give its guests' topology",
      ),
    },
    hcaDevice: {
      value: 'mlx4',
      source: cite(`${PAPER} Sec. III, V-A: ConnectX-3; its PF and its VFs are mlx4 devices (mlx4_0)`),
    },
    hcaRate: p(
      56,
      'count',
      assume(
        "4x FDR: active width 4 x 14 Gb/s, what mv2_get_hca_type maps to MV2_HCA_MLX_CX_FDR; that a VF's port query reports the physical port's rate is the driver's behaviour, not MVAPICH2's, and the paper does not show it",
      ),
    ),
  },
  pgas: {
    getOverhead: p(
      0.1,
      'us',
      assume(
        'MVAPICH2-X upc_memget adds a runtime call and shared-pointer translation to the RDMA read; not separable from the read extra with the paper data',
      ),
      [0.02, 0.2],
    ),
  },
  virtualization: {
    perVfCost: p(
      0,
      'us',
      assume(
        'no cost per active function is measured at a few hundred QPs per HCA (docs/evidence/virtualization-costs.md section 1c); the interval admits context-cache misses, each a DMA read of context of about 0.6 us, in one message of 30 per other active VF',
      ),
      [0, 0.02],
    ),
    hostCoresReserved: p(
      1,
      'count',
      assume(
        'KVM host work (QEMU I/O threads, host kernel, interrupt handling) takes about one core per node',
      ),
      [0, 2],
    ),
    subscriptionPenalty: p(
      1,
      'ratio',
      assume(
        'when vCPUs plus host cores exceed the cores, CPU time is shared: work stretches by demand/cores; 1 = pure time-sharing, more = extra exit and preemption costs',
      ),
      [0.5, 2],
    ),
    hostWorkPerVm: p(
      0.02,
      'count',
      assume(
        "a QEMU main loop and the host timers of one guest: an idle guest caused 3,724 host timer wake-ups/s (linux-kvm.com, powertop), a few us each, about 1-2% of a core; QEMU's idle CPU time on KVM was not found (docs/evidence/virtualization-costs.md section 5)",
      ),
      [0.005, 0.05],
    ),
    tickOverhead: p(
      0.00126,
      'ratio',
      assume(
        'a busy vCPU takes 1000 guest ticks/s (RHEL-family HZ), each about 2 VM exits of about 0.63 us on Sandy Bridge (1600-1700 cycles, Shalabi 2014): 1000 x 2 x 0.63 us per s; exits per tick assumed (docs/evidence/virtualization-costs.md sections 4, 5)',
      ),
      [0.0005, 0.005],
    ),
    spanningRemoteShare: p(
      0.5,
      'ratio',
      assume(
        "a VM spanning both sockets without virtual NUMA has its memory placed without regard to its vCPUs (OKD and Red Hat tuning guides): half of a rank's accesses remote on two sockets",
      ),
      [0.25, 0.75],
    ),
    iommuMissCost: p(
      0.24,
      'us',
      cite(
        'pcie-bench on a Sandy Bridge-EP E5-2630 with intel_iommu=on: 64 B DMA-read latency 613 ns within a 512 KB window, 840-853 ns from 1 MB (Neugebauer et al., SIGCOMM 2018 data; an NFP6000 card, not a ConnectX-3)',
      ),
      [0.2, 0.3],
    ),
    dmasPerMessage: p(
      3,
      'count',
      assume(
        "a VF message's path holds the HCA's fetch of the work request (a VF has no BlueFlame: Linux mlx4 fw.c reports it disabled for guests), its payload read and its payload write; the completion write follows",
      ),
      [2, 4],
    ),
    iommuReach: p(
      1048576,
      'B',
      cite(
        'pcie-bench with intel_iommu=on: DMA latency rises between 512 KB and 1 MB windows with 4 KB mappings; the interval reaches 256 MB, the same IOTLB entries holding 2 MB superpages, since whether the testbed mapped guest memory that way is unknown',
      ),
      [524288, 268435456],
    ),
    registeredPerPeer: p(
      262144,
      'B',
      assume(
        "MVAPICH2's per-connection RDMA fast-path buffers (MV2_NUM_RDMA_BUFFER x MV2_RDMA_FAST_PATH_BUF_SIZE, 16-32 buffers of 8 KB) on both ends; a two-rank test stays within the IOTLB's reach, a 32-rank collective does not",
      ),
      [131072, 524288],
    ),
  },
  compute: {
    reducePerByte: p(
      0.0001,
      'us/B',
      assume('MPI_SUM over floats at about one element per cycle at 2.6 GHz (~10 GB/s)'),
      [0.00005, 0.0004],
    ),
  },
};
