/**
 * The profile contract `ibvf.profile/2`: every number the model uses, with its unit,
 * its 95% interval and where it came from. TypeBox gives one source for the JSON
 * schema (validated on read) and the TypeScript types.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const PROFILE_SCHEMA_ID = 'ibvf.profile/2';
/** The schema before the layout mechanisms (docs/virtualization.md); `loadProfile` upgrades it. */
export const PROFILE_SCHEMA_V1 = 'ibvf.profile/1';

/** Units a parameter may carry. Times in microseconds, sizes in bytes, as OSU prints. */
export const Unit = Type.Union([
  Type.Literal('us'),
  Type.Literal('us/B'),
  Type.Literal('B'),
  Type.Literal('MB/s'),
  Type.Literal('Mmsg/s'),
  Type.Literal('count'),
  Type.Literal('ratio'),
]);
export type Unit = Static<typeof Unit>;

/**
 * Where a number came from: a `citation` (paper, manual, datasheet: name it),
 * a `measurement` (an input file a calibration read), a `fit` (which data it was
 * fitted to and how), or an `assumption` (why this value, when nothing measures it).
 */
export const Source = Type.Object(
  {
    kind: Type.Union([
      Type.Literal('citation'),
      Type.Literal('measurement'),
      Type.Literal('fit'),
      Type.Literal('assumption'),
    ]),
    ref: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type Source = Static<typeof Source>;

/** One model parameter. `interval` is the 95% range; absent for cited constants. */
export const Param = Type.Object(
  {
    value: Type.Number(),
    unit: Unit,
    interval: Type.Optional(Type.Tuple([Type.Number(), Type.Number()])),
    source: Source,
  },
  { additionalProperties: false },
);
export type Param = Static<typeof Param>;

const doc = <T extends TSchema>(schema: T, description: string): T => ({ ...schema, description });

/**
 * One communication path (docs/design.md, "Layouts and paths"): LogGP parameters plus the extras the
 * point-to-point model needs. For `ipoib` paths, `carrier` names the InfiniBand path
 * the datagrams travel on and o_s/o_r are the kernel TCP/IP stack's per-message costs.
 */
export const PathParams = Type.Object(
  {
    description: Type.String(),
    medium: Type.Union([
      Type.Literal('fabric'),
      Type.Literal('hca-loopback'),
      Type.Literal('shm'),
      Type.Literal('ipoib'),
    ]),
    function: Type.Union([Type.Literal('pf'), Type.Literal('vf'), Type.Literal('none')]),
    carrier: Type.Optional(Type.String()),
    L: doc(Param, 'Latency: wire, switch and HCA pipeline time of a small message (us)'),
    o_s: doc(Param, 'Sender CPU overhead per message (us)'),
    o_r: doc(Param, 'Receiver CPU overhead per message (us)'),
    g: doc(Param, 'Gap between consecutive messages of one process (us)'),
    G: doc(Param, 'Gap per byte: inverse of the streaming bandwidth (us/B)'),
    O: doc(Param, 'CPU overhead per byte (us/B); zero where the HCA moves the data'),
    mtu: doc(Param, 'Packet size the HCAs store and forward (B)'),
    storeForward: doc(Param, 'Per-byte cost of the first packet passing the DMA stages (us/B)'),
    inlineLimit: doc(Param, 'Largest send the CPU writes inline (BlueFlame); 0 = no inline (B)'),
    inlineSaving: doc(Param, 'Descriptor and payload DMA fetch that an inline send skips (us)'),
    requestCost: doc(Param, 'Extra cost per work request an HCA processes for this function (us)'),
    recvCost: doc(Param, 'Receive-side cost of channel semantics: receive WQE and CQE (us)'),
    readExtra: doc(Param, "Responder's work in an RDMA read: request handling and payload DMA read (us)"),
    eventExtra: doc(Param, 'Extra latency of event completion: interrupt plus thread wake-up (us)'),
  },
  { additionalProperties: false },
);
export type PathParams = Static<typeof PathParams>;

export const MpiParams = Type.Object(
  {
    library: Type.String(),
    perMessageOverhead: doc(Param, 'MPI library CPU time per message on the critical path (us)'),
    channelOverhead: doc(
      Param,
      'Extra per message when the send/recv channel replaces the RDMA fast path (us)',
    ),
    headerBytes: doc(Param, 'Bytes of MPI header carried with each eager message (B)'),
    libraryInline: doc(Param, 'Largest packet the MPI library sends inline (B)'),
    rdmaFastPathMax: doc(Param, 'Largest message sent over the RDMA fast path (B)'),
    eagerThreshold: doc(Param, 'Largest message sent eagerly; larger ones use rendezvous (B)'),
    copyPerByte: doc(Param, 'Eager copy cost per byte at each end (us/B)'),
    spinCount: doc(Param, 'Blocking mode: CQ polls before waiting for an event'),
  },
  { additionalProperties: false },
);
export type MpiParams = Static<typeof MpiParams>;

/** A fact that is a word rather than a number (a CPU model name, a device name), with its source. */
export const Fact = Type.Object(
  { value: Type.String({ minLength: 1 }), source: Source },
  { additionalProperties: false },
);
export type Fact = Static<typeof Fact>;

/**
 * What the MPI library detects on each host to choose its collective tuning tables
 * (docs/mvapich2-selection.md): MVAPICH2 1.9a2's `mv2_get_arch_type` reads the CPU
 * vendor, model number and model name from the kernel's cpuinfo (CONFIG_FILE in mv2_arch_detect.c) and counts sockets and cores
 * with hwloc; `mv2_get_hca_type` reads the HCA's device name and port rate. A guest
 * sees its VM: its vCPUs, the socket topology the VM is given, and the CPU model KVM
 * exposes (`-cpu host` passes the host's through).
 */
export const MpiHostView = Type.Object(
  {
    cpuVendor: doc(Fact, 'cpuinfo vendor_id of the nodes (GenuineIntel, AuthenticAMD)'),
    cpuModel: doc(Param, "cpuinfo model number of the nodes' CPU (count)"),
    cpuModelName: doc(Fact, "cpuinfo model name of the nodes' CPU"),
    guestCpuModel: doc(Param, 'model number the guests see: the CPU model KVM exposes (count)'),
    guestCpuModelName: doc(Fact, 'model name the guests see'),
    guestTopology: Type.Object(
      {
        value: Type.Union([Type.Literal('socket-per-vcpu'), Type.Literal('host-sockets')]),
        source: Source,
      },
      {
        additionalProperties: false,
        description:
          "sockets a guest shows: one per vCPU (QEMU's -smp N default before 6.2) or the host's socket count with the vCPUs spread over them",
      },
    ),
    hcaDevice: doc(Fact, 'verbs device name of the HCA (mlx4 for ConnectX-3 PF and VFs)'),
    hcaRate: doc(Param, 'active port rate in Gb/s as width x lane speed (56 for 4x FDR) (count)'),
  },
  { additionalProperties: false },
);
export type MpiHostView = Static<typeof MpiHostView>;

/** At most this many joint draws per group: enough for 95% quantiles, small in a file. */
export const MAX_JOINT_DRAWS = 200;

/**
 * Parameters fitted together, with their joint draws (docs/design.md, "Uncertainty"):
 * row d holds one draw of every named parameter, in the order of `params` (dotted field
 * paths such as `paths.shm.L`). Draws rather than a mean and covariance: a bootstrap's
 * draws of clamped, non-negative parameters are not normal, and the rows keep whatever
 * shape the fitter found. A prediction that draws the profile takes one row per draw.
 */
export const JointDraws = Type.Object(
  {
    params: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    draws: Type.Array(Type.Array(Type.Number()), { minItems: 2, maxItems: MAX_JOINT_DRAWS }),
    source: Source,
  },
  { additionalProperties: false },
);
export type JointDraws = Static<typeof JointDraws>;

export const Profile = Type.Object(
  {
    schema: Type.Literal(PROFILE_SCHEMA_ID),
    name: Type.String({ minLength: 1 }),
    description: Type.String(),
    testbed: Type.Object({ summary: Type.String(), source: Source }, { additionalProperties: false }),
    node: Type.Object(
      {
        sockets: Param,
        coresPerSocket: Param,
        hcas: Param,
        socketCopyBandwidth: doc(
          Param,
          'Memory copy bandwidth of one socket, all its cores together (MB/s): the eager copies of its ranks share it',
        ),
        numaRemoteFactor: doc(
          Param,
          "How much slower a memory-bound copy runs on the other socket's memory than on its own (ratio)",
        ),
      },
      { additionalProperties: false },
    ),
    hca: Type.Object(
      {
        messageRate: doc(
          Param,
          'Aggregate messages per second the HCA processes, all functions together; measured by streaming with `ibvf probe run --pairs N` for growing N until the aggregate stops growing (calibrate: fit/hca-message-rate.ts)',
        ),
        linkBandwidth: doc(Param, 'Data rate of the port (MB/s)'),
        pcieBandwidth: doc(Param, 'Effective PCIe bandwidth of the slot (MB/s)'),
      },
      { additionalProperties: false },
    ),
    paths: Type.Record(Type.String(), PathParams),
    mpi: MpiParams,
    mpiHost: Type.Optional(MpiHostView),
    pgas: Type.Object(
      { getOverhead: doc(Param, 'PGAS runtime cost of a one-sided get (us)') },
      { additionalProperties: false },
    ),
    virtualization: Type.Object(
      {
        perVfCost: doc(
          Param,
          'Extra HCA engine time per message for each other active VF on the node: an occupancy of the shared engine (us)',
        ),
        hostCoresReserved: doc(Param, 'Cores per node kept by the host (hypervisor, I/O threads)'),
        subscriptionPenalty: doc(Param, 'Slow-down of CPU work per unit of over-subscription (ratio)'),
        hostWorkPerVm: doc(
          Param,
          'Host CPU each VM needs besides its vCPUs: QEMU main loop, host timers (cores)',
        ),
        tickOverhead: doc(Param, 'Share of each vCPU taken by its guest timer ticks and their exits (ratio)'),
        spanningRemoteShare: doc(
          Param,
          'Share of memory accesses that go to the other socket for a VM spanning both sockets without virtual NUMA (ratio)',
        ),
        iommuMissCost: doc(Param, 'Extra time of a VF DMA whose IOMMU translation misses the IOTLB (us)'),
        dmasPerMessage: doc(Param, "DMAs on a VF message's path that the IOMMU translates (count)"),
        iommuReach: doc(Param, 'Memory the IOTLB covers before DMAs start to miss (B)'),
        registeredPerPeer: doc(Param, 'Memory an MPI rank registers with the HCA per peer it talks to (B)'),
        interruptVectors: doc(
          Param,
          "Completion interrupt vectors the MPI ranks of one function (a VM's VF, or the PF natively) spread their wake-ups over (count)",
        ),
        interruptService: doc(
          Param,
          "Time a completion interrupt holds its vector on bare metal (the driver's handler, waking the sleeper); the next interrupt on the vector waits for it (us)",
        ),
        interruptExitCost: doc(
          Param,
          'Extra time a completion interrupt holds its vector in a guest: the VM exits of its delivery and EOI (us)',
        ),
      },
      { additionalProperties: false },
    ),
    compute: Type.Object(
      {
        reducePerByte: doc(Param, 'Time to combine one byte in a reduction (us/B)'),
        bfsPerEdgeCost: Type.Optional(
          doc(
            Param,
            "One core's time per adjacency entry a top-down BFS scans (us): Graph500's compute per edge (absent: the built-in profile's value)",
          ),
        ),
      },
      { additionalProperties: false },
    ),
    fits: Type.Optional(
      Type.Array(JointDraws, {
        description: 'Groups of parameters fitted together, with their joint draws (drawn together)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type Profile = Static<typeof Profile>;

/** The operations the point-to-point model answers for. */
export const P2P_OPS = ['send', 'write', 'read', 'mpi', 'upc-get', 'tcp'] as const;
export type P2pOp = (typeof P2P_OPS)[number];

/** How completions are noticed: busy polling, interrupts, or MVAPICH2's spin-then-wait. */
export const PROGRESS_MODES = ['poll', 'event', 'blocking'] as const;
export type Progress = (typeof PROGRESS_MODES)[number];
