/**
 * The figures of the seed paper (Jose et al., "SR-IOV Support for Virtualization on
 * InfiniBand Clusters: Early Experience", CCGrid 2013), as ibvf redraws them: what each
 * figure plots (from the paper's Section V), which paths, operations and progress modes
 * its curves are, and over which sizes. The curves are the model's predictions; the only
 * marks are the numbers the paper's text states (calibration/cx3-fdr-kvm-2013/paper-rows.csv).
 */
import type { CollectiveOp } from '../../model/collectives/types.js';
import type { P2pOp, Progress } from '../../profiles/types.js';

export interface P2pCurve {
  label: string;
  path: string;
  op: P2pOp;
  progress: Progress;
}

export interface P2pFigure {
  kind: 'p2p';
  id: string;
  /** The figure's label as paper-rows.csv cites it, e.g. "Fig. 2(a)". */
  cite: string;
  title: string;
  metric: 'latency' | 'bandwidth';
  sizes: [number, number];
  curves: P2pCurve[];
  yLog?: boolean;
}

export interface CollectiveFigure {
  kind: 'collective';
  id: string;
  cite: string;
  title: string;
  op: CollectiveOp;
  sizes: [number, number];
}

/**
 * Fig. 6: the paper's Graph500 BFS experiment, 4 nodes at scale 22, natively and with one
 * single-vCPU VM per rank, 1 to 16 per node. The paper withholds its numbers: predicted.
 */
export interface Graph500Figure {
  kind: 'graph500';
  id: string;
  cite: string;
  title: string;
  scale: number;
  nodes: number;
  perNode: number[];
  /** Placements and the paper's name for each. */
  layouts: { placement: 'native' | 'vm-per-core'; label: string }[];
}

export type PaperFigure = P2pFigure | CollectiveFigure | Graph500Figure;

const NATIVE_VF = (op: P2pOp, progress: Progress = 'poll'): P2pCurve[] => [
  { label: 'Native', path: 'native', op, progress },
  { label: 'SR-IOV', path: 'vf', op, progress },
];

const WITH_INLINE0 = (op: P2pOp): P2pCurve[] => [
  ...NATIVE_VF(op),
  { label: 'Native (Max Inline=0)', path: 'native-inline0', op, progress: 'poll' },
];

const MODES = (op: P2pOp, other: Progress, otherLabel: string): P2pCurve[] => [
  { label: 'Native polling', path: 'native', op, progress: 'poll' },
  { label: `Native ${otherLabel}`, path: 'native', op, progress: other },
  { label: 'SR-IOV polling', path: 'vf', op, progress: 'poll' },
  { label: `SR-IOV ${otherLabel}`, path: 'vf', op, progress: other },
];

/** Latency sizes: the paper's latency plots reach a few KB beyond the 4 KB it quotes. */
const LAT: [number, number] = [1, 16384];
/** osu_bw's sweep, 1 B to 4 MB (the paper's peak bandwidths are over it). */
const BW: [number, number] = [1, 4194304];
/** Collective sizes as osu_alltoall, osu_allreduce and osu_bcast sweep them by default. */
const COLL: [number, number] = [1, 1048576];

export const PAPER_FIGURES: readonly PaperFigure[] = [
  {
    kind: 'p2p',
    id: '2a',
    cite: 'Fig. 2(a)',
    title: 'Verbs send/recv latency',
    metric: 'latency',
    sizes: LAT,
    curves: WITH_INLINE0('send'),
  },
  {
    kind: 'p2p',
    id: '2b',
    cite: 'Fig. 2(b)',
    title: 'Verbs RDMA write latency',
    metric: 'latency',
    sizes: LAT,
    curves: WITH_INLINE0('write'),
  },
  {
    kind: 'p2p',
    id: '2c',
    cite: 'Fig. 2(c)',
    title: 'IPoIB TCP latency (netperf)',
    metric: 'latency',
    sizes: LAT,
    curves: [
      { label: 'Native', path: 'ipoib-native', op: 'tcp', progress: 'event' },
      { label: 'SR-IOV', path: 'ipoib-vf', op: 'tcp', progress: 'event' },
    ],
  },
  {
    kind: 'p2p',
    id: '3a',
    cite: 'Fig. 3(a)',
    title: 'MPI latency (osu_latency)',
    metric: 'latency',
    sizes: LAT,
    curves: NATIVE_VF('mpi'),
  },
  {
    kind: 'p2p',
    id: '3b',
    cite: 'Fig. 3(b)',
    title: 'MPI bandwidth (osu_bw)',
    metric: 'bandwidth',
    sizes: BW,
    curves: NATIVE_VF('mpi'),
  },
  {
    kind: 'p2p',
    id: '3c',
    cite: 'Fig. 3(c)',
    title: 'UPC upc_memget latency',
    metric: 'latency',
    sizes: LAT,
    curves: NATIVE_VF('upc-get'),
  },
  {
    kind: 'p2p',
    id: '4a',
    cite: 'Fig. 4(a)',
    title: 'Verbs latency, polling vs event',
    metric: 'latency',
    sizes: LAT,
    curves: MODES('send', 'event', 'event'),
    yLog: true,
  },
  {
    kind: 'p2p',
    id: '4b',
    cite: 'Fig. 4(b)',
    title: 'MPI latency, polling vs blocking',
    metric: 'latency',
    sizes: LAT,
    curves: MODES('mpi', 'blocking', 'blocking'),
  },
  {
    kind: 'p2p',
    id: '4c',
    cite: 'Fig. 4(c)',
    title: 'MPI bandwidth, polling vs blocking',
    metric: 'bandwidth',
    sizes: BW,
    curves: MODES('mpi', 'blocking', 'blocking'),
  },
  {
    kind: 'collective',
    id: '5a',
    cite: 'Fig. 5(a)',
    title: 'MPI_Alltoall, 32 ranks on 4 nodes',
    op: 'alltoall',
    sizes: COLL,
  },
  {
    kind: 'collective',
    id: '5b',
    cite: 'Fig. 5(b)',
    title: 'MPI_Allreduce, 32 ranks on 4 nodes',
    op: 'allreduce',
    sizes: COLL,
  },
  {
    kind: 'collective',
    id: '5c',
    cite: 'Fig. 5(c)',
    title: 'MPI_Bcast, 32 ranks on 4 nodes',
    op: 'bcast',
    sizes: COLL,
  },
  {
    kind: 'graph500',
    id: '6',
    cite: 'Fig. 6',
    title: 'Graph500 BFS, scale 22, 4 nodes',
    scale: 22,
    nodes: 4,
    perNode: [1, 2, 4, 8, 16],
    layouts: [
      { placement: 'native', label: 'Native' },
      { placement: 'vm-per-core', label: 'SR-IOV (VM per rank)' },
    ],
  },
];

export const PAPER_FIGURE_IDS = PAPER_FIGURES.map((f) => f.id);

/**
 * The paper's Fig. 5 order of collectives (Section V-E names alltoall, allreduce, bcast
 * in that order) is an assumption about which panel is which: the paper's figure
 * captions are not in its text.
 */
export function paperFigure(id: string): PaperFigure | undefined {
  return PAPER_FIGURES.find((f) => f.id === id.replace(/^fig\.?\s*/i, '').toLowerCase());
}
