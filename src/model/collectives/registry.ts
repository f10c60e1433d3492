import { UsageError } from '../../errors.js';
import type { ScheduleBuilder } from '../sim/contract.js';
import { allgatherBruck, allgatherBruckClosed } from './allgather/bruck.js';
import {
  allgatherRecursiveDoubling,
  allgatherRecursiveDoublingClosed,
} from './allgather/recursive-doubling.js';
import { allgatherRing, allgatherRingClosed } from './allgather/ring.js';
import { allreduceRabenseifner, allreduceRabenseifnerClosed } from './allreduce/rabenseifner.js';
import {
  allreduceRecursiveDoubling,
  allreduceRecursiveDoublingClosed,
} from './allreduce/recursive-doubling.js';
import { allreduceRing, allreduceRingClosed } from './allreduce/ring.js';
import {
  allreduceP2pShmem,
  allreduceP2pShmemClosed,
  allreduceShmem,
  allreduceShmemClosed,
  equalHostsPow2,
} from './allreduce/shmem.js';
import { allreduceTwoLevel, allreduceTwoLevelClosed } from './allreduce/two-level.js';
import { alltoallBruck, alltoallBruckClosed } from './alltoall/bruck.js';
import { alltoallPairwise, alltoallPairwiseClosed } from './alltoall/pairwise.js';
import { alltoallScattered, alltoallScatteredClosed } from './alltoall/scattered.js';
import { barrierDissemination, barrierDisseminationClosed } from './barrier/dissemination.js';
import { bcastBinomial, bcastBinomialClosed } from './bcast/binomial.js';
import { bcastKnomial, bcastKnomialClosed } from './bcast/knomial.js';
import { bcastScatterRdAllgather, bcastScatterRdAllgatherClosed } from './bcast/scatter-rd-allgather.js';
import {
  bcastScatterRingAllgather,
  bcastScatterRingAllgatherClosed,
} from './bcast/scatter-ring-allgather.js';
import {
  bcastShmemBinomial,
  bcastShmemBinomialClosed,
  bcastShmemKnomial,
  bcastShmemKnomialClosed,
  bcastShmemPipelined,
  bcastShmemPipelinedClosed,
} from './bcast/shmem.js';
import { bcastTwoLevel, bcastTwoLevelClosed } from './bcast/two-level.js';
import { gatherBinomial, gatherBinomialClosed } from './gather/binomial.js';
import {
  allreduceReleaseGather,
  allreduceReleaseGatherClosed,
  bcastReleaseGather,
  bcastReleaseGatherClosed,
} from './release-gather.js';
import { reduceBinomial, reduceBinomialClosed } from './reduce/binomial.js';
import { reduceShmem, reduceShmemClosed } from './reduce/shmem.js';
import { reduceTwoLevel, reduceTwoLevelClosed, twoLevelExact } from './reduce/two-level.js';
import { scatterBinomial, scatterBinomialClosed } from './scatter/binomial.js';
import {
  COLLECTIVE_OPS,
  isPowerOfTwo,
  type ClosedForm,
  type CollectiveGenerator,
  type CollectiveInput,
  type CollectiveOp,
} from './types.js';

/** One algorithm: what drives selection, `--help`, `ibvf algorithms` and the tests. */
export interface AlgorithmEntry {
  op: CollectiveOp;
  /** Short lower-case name, unique within its op (`--algorithm NAME`). */
  name: string;
  /** One line for `ibvf algorithms` and `--help`. */
  description: string;
  /** Where the algorithm and its order of operations come from. */
  source: string;
  generate: CollectiveGenerator;
  closedForm: ClosedForm;
  /**
   * Two-level algorithms need the host structure (`ranksPerNode`: ranks per MPI host, a
   * VM in a guest). The point-to-point ones run over whatever path joins a host's ranks
   * (shared memory, or the HCA's loopback with it off).
   */
  twoLevel: boolean;
  /**
   * MVAPICH2's shared-memory collective designs (collectives/shmem.ts): copies through a
   * buffer the host's ranks map, and flags. They need shared memory on.
   */
  shmem: boolean;
}

const always = () => true;
const pow2 = (i: CollectiveInput) => isPowerOfTwo(i.procs);
const EXACT = 0;

/**
 * Every algorithm ibvf models, in the order `ibvf algorithms` lists them. Tolerances of
 * approximate closed forms bound the relative error of the average finish against the
 * simulator on contention-free cases (uniform parameters, no shared HCA); they are the
 * worst errors measured over 2-32 ranks, 1 B-64 KB, eager and rendezvous, plus a margin.
 * The approximation comes from one place: a rank that receives a message before its
 * program waits for it takes it early in the simulator, and the closed forms take it in
 * program order (non-power-of-two folds, skewed starts after a scatter, truncated trees).
 */
export const ALGORITHMS: readonly AlgorithmEntry[] = [
  {
    op: 'alltoall',
    name: 'bruck',
    description: "Bruck's log2 P steps moving the blocks whose index has bit k set (small messages)",
    source: 'Bruck et al., IEEE TPDS 1997; MPICH MPIR_Alltoall_intra_brucks',
    generate: alltoallBruck,
    closedForm: { evaluate: alltoallBruckClosed, exact: always, exactWhen: 'always', tolerance: EXACT },
    twoLevel: false,
    shmem: false,
  },
  {
    op: 'alltoall',
    name: 'scattered',
    description: 'isend/irecv to every peer in windows of 4 (MVAPICH2 throttle), medium messages',
    source: 'MVAPICH2 MPIR_Alltoall_Scatter_dest_MV2; MPICH MPIR_Alltoall_intra_scattered',
    generate: (b: ScheduleBuilder, i: CollectiveInput) => alltoallScattered(b, i),
    closedForm: {
      evaluate: (n, i) => alltoallScatteredClosed(n, i),
      exact: () => false,
      exactWhen: 'never (approximate)',
      tolerance: 0.12,
    },
    twoLevel: false,
    shmem: false,
  },
  {
    op: 'alltoall',
    name: 'pairwise',
    description: 'P-1 pairwise exchanges (XOR partner for powers of two), large messages',
    source: 'Thakur, Rabenseifner, Gropp, IJHPCA 2005; MPICH MPIR_Alltoall_intra_pairwise',
    generate: alltoallPairwise,
    closedForm: { evaluate: alltoallPairwiseClosed, exact: always, exactWhen: 'always', tolerance: EXACT },
    twoLevel: false,
    shmem: false,
  },
  {
    op: 'bcast',
    name: 'binomial',
    description: 'binomial tree, farthest child first (short messages)',
    source: 'Thakur, Rabenseifner, Gropp, IJHPCA 2005; MPICH MPIR_Bcast_intra_binomial',
    generate: bcastBinomial,
    closedForm: { evaluate: bcastBinomialClosed, exact: always, exactWhen: 'always', tolerance: EXACT },
    twoLevel: false,
    shmem: false,
  },
  {
    op: 'bcast',
    name: 'knomial',
    description: 'k-nomial tree (k = 4) with nonblocking sends to the children',
    source: 'MVAPICH2 MPIR_Knomial_Bcast_intra_MV2 (bcast_osu.c)',
    generate: (b: ScheduleBuilder, i: CollectiveInput) => bcastKnomial(b, i),
    closedForm: {
      evaluate: (n, i) => bcastKnomialClosed(n, i),
      exact: always,
      exactWhen: 'always',
      tolerance: EXACT,
    },
    twoLevel: false,
    shmem: false,
  },
  {
    op: 'bcast',
    name: 'scatter-rd-allgather',
    description: 'binomial scatter, then recursive-doubling allgather (medium messages, P a power of two)',
    source:
      'Thakur, Rabenseifner, Gropp, IJHPCA 2005; MPICH MPIR_Bcast_intra_scatter_recursive_doubling_allgather',
    generate: bcastScatterRdAllgather,
    closedForm: {
      evaluate: bcastScatterRdAllgatherClosed,
      exact: () => false,
      exactWhen: 'never (approximate)',
      tolerance: 0.22,
    },
    twoLevel: false,
    shmem: false,
  },
  {
    op: 'bcast',
    name: 'scatter-ring-allgather',
    description: 'binomial scatter, then ring allgather (long messages)',
    source: 'Thakur, Rabenseifner, Gropp, IJHPCA 2005; MPICH MPIR_Bcast_intra_scatter_ring_allgather',
    generate: bcastScatterRingAllgather,
    closedForm: {
      evaluate: bcastScatterRingAllgatherClosed,
      exact: () => false,
      exactWhen: 'never (approximate)',
      tolerance: 0.27,
    },
    twoLevel: false,
    shmem: false,
  },
  {
    op: 'bcast',
    name: 'two-level',
    description: 'binomial among host leaders, then binomial inside each host, point to point',
    source:
      "MPICH MPIR_SMP_Bcast short messages (bcast.c; MVAPICH2 1.9a2's bcast with shmem collectives off)",
    generate: bcastTwoLevel,
    closedForm: { evaluate: bcastTwoLevelClosed, exact: always, exactWhen: 'always', tolerance: EXACT },
    twoLevel: true,
    shmem: false,
  },
  {
    op: 'bcast',
    name: 'shmem-binomial',
    description: 'binomial among host leaders, then a shared-memory copy and flag to the host (8 KB slots)',
    source: 'MVAPICH2 1.9a2 MPIR_Bcast_binomial_MV2 on the leader comm + MPIR_Shmem_Bcast_MV2 (bcast_osu.c)',
    generate: bcastShmemBinomial,
    closedForm: { evaluate: bcastShmemBinomialClosed, exact: always, exactWhen: 'always', tolerance: EXACT },
    twoLevel: true,
    shmem: true,
  },
  {
    op: 'bcast',
    name: 'shmem-knomial',
    description: 'k-nomial (k = 4) among host leaders, each writing the shared slot before it forwards',
    source: 'MVAPICH2 1.9a2 MPIR_Knomial_Bcast_inter_node_MV2 + MPIR_Shmem_Bcast_MV2 (bcast_osu.c)',
    generate: bcastShmemKnomial,
    closedForm: { evaluate: bcastShmemKnomialClosed, exact: always, exactWhen: 'always', tolerance: EXACT },
    twoLevel: true,
    shmem: true,
  },
  {
    op: 'bcast',
    name: 'shmem-pipelined',
    description: '8 KB segments, each a k-nomial (k = 2) among leaders with its shared-memory copy',
    source: 'MVAPICH2 1.9a2 MPIR_Pipelined_Bcast_MV2 (bcast_osu.c)',
    generate: bcastShmemPipelined,
    closedForm: {
      evaluate: bcastShmemPipelinedClosed,
      exact: (i) => i.bytes <= 8192,
      exactWhen: 'one segment (n <= 8 KB)',
      tolerance: 0.08,
    },
    twoLevel: true,
    shmem: true,
  },
  {
    op: 'bcast',
    name: 'release-gather',
    description:
      "one host's shared-memory cells (8064 B chunks, 4 cells): release down a 64-ary tree, gather up",
    source:
      'MPICH 4.0.2 MPIDI_POSIX_mpi_bcast_release_gather (src/mpid/ch4/shm/posix/posix_coll_release_gather.h)',
    generate: bcastReleaseGather,
    closedForm: { evaluate: bcastReleaseGatherClosed, exact: always, exactWhen: 'always', tolerance: EXACT },
    twoLevel: false,
    shmem: true,
  },
  {
    op: 'allreduce',
    name: 'recursive-doubling',
    description: 'log2 P exchanges of the whole vector (short and medium messages)',
    source: 'Thakur, Rabenseifner, Gropp, IJHPCA 2005; MPICH MPIR_Allreduce_intra_recursive_doubling',
    generate: allreduceRecursiveDoubling,
    closedForm: {
      evaluate: allreduceRecursiveDoublingClosed,
      exact: pow2,
      exactWhen: 'P a power of two',
      tolerance: 0.27,
    },
    twoLevel: false,
    shmem: false,
  },
  {
    op: 'allreduce',
    name: 'rabenseifner',
    description: 'reduce-scatter by recursive halving, then recursive-doubling allgather (long messages)',
    source: 'Rabenseifner, ICCS 2004; MPICH MPIR_Allreduce_intra_reduce_scatter_allgather',
    generate: allreduceRabenseifner,
    closedForm: {
      evaluate: allreduceRabenseifnerClosed,
      exact: (i) => pow2(i) && i.bytes % i.procs === 0,
      exactWhen: 'P a power of two dividing n',
      tolerance: 0.3,
    },
    twoLevel: false,
    shmem: false,
  },
  {
    op: 'allreduce',
    name: 'ring',
    description: 'ring reduce-scatter then ring allgather, 2(P-1) steps of n/P bytes',
    source: 'Patarasuk and Yuan, JPDC 2009; MPICH MPIR_Allreduce_intra_ring',
    generate: allreduceRing,
    closedForm: { evaluate: allreduceRingClosed, exact: always, exactWhen: 'always', tolerance: EXACT },
    twoLevel: false,
    shmem: false,
  },
  {
    op: 'allreduce',
    name: 'two-level',
    description:
      'binomial reduce to host leaders, recursive doubling among leaders, binomial bcast, point to point',
    source:
      'MPICH MPIR_Allreduce_intra SMP path (allreduce.c: reduce in node, allreduce among node roots, bcast in node)',
    generate: allreduceTwoLevel,
    closedForm: {
      evaluate: allreduceTwoLevelClosed,
      exact: twoLevelExact,
      exactWhen: 'equal power-of-two nodes, a power-of-two node count',
      tolerance: 0.25,
    },
    twoLevel: true,
    shmem: false,
  },
  {
    op: 'allreduce',
    name: 'two-level-shmem',
    description:
      'shared-memory reduce to host leaders, recursive doubling among leaders, shared-memory bcast',
    source:
      'MVAPICH2 1.9a2 MPIR_Allreduce_two_level_MV2 with MPIR_Allreduce_reduce_shmem_MV2 and MPIR_Shmem_Bcast_MV2',
    generate: allreduceShmem,
    closedForm: {
      evaluate: allreduceShmemClosed,
      exact: equalHostsPow2,
      exactWhen: 'equal hosts, a power-of-two host count',
      tolerance: 0.25,
    },
    twoLevel: true,
    shmem: true,
  },
  {
    op: 'allreduce',
    name: 'two-level-p2p',
    description: 'binomial reduce to host leaders, recursive doubling among leaders, shared-memory bcast',
    source:
      'MVAPICH2 1.9a2 MPIR_Allreduce_two_level_MV2 with MPIR_Allreduce_reduce_p2p_MV2 (as binomial) and MPIR_Shmem_Bcast_MV2',
    generate: allreduceP2pShmem,
    closedForm: {
      evaluate: allreduceP2pShmemClosed,
      exact: twoLevelExact,
      exactWhen: 'equal power-of-two hosts, a power-of-two host count',
      tolerance: 0.2,
    },
    twoLevel: true,
    shmem: true,
  },
  {
    op: 'allreduce',
    name: 'release-gather',
    description:
      "one host's shared-memory cells (8 KB chunks): gather-reduce up a 4-ary tree, release down, all copy out",
    source:
      'MPICH 4.0.2 MPIDI_POSIX_mpi_allreduce_release_gather (src/mpid/ch4/shm/posix/posix_coll_release_gather.h)',
    generate: allreduceReleaseGather,
    closedForm: {
      evaluate: allreduceReleaseGatherClosed,
      exact: always,
      exactWhen: 'always',
      tolerance: EXACT,
    },
    twoLevel: false,
    shmem: true,
  },
  {
    op: 'allgather',
    name: 'recursive-doubling',
    description: 'log2 P exchanges doubling the data held (P a power of two; others fold in)',
    source: 'Thakur, Rabenseifner, Gropp, IJHPCA 2005; MPICH MPIR_Allgather_intra_recursive_doubling',
    generate: allgatherRecursiveDoubling,
    closedForm: {
      evaluate: allgatherRecursiveDoublingClosed,
      exact: pow2,
      exactWhen: 'P a power of two',
      tolerance: 0.22,
    },
    twoLevel: false,
    shmem: false,
  },
  {
    op: 'allgather',
    name: 'bruck',
    description: "Bruck's ceil(log2 P) steps (short messages, any P)",
    source: 'Bruck et al., IEEE TPDS 1997; MPICH MPIR_Allgather_intra_brucks',
    generate: allgatherBruck,
    closedForm: { evaluate: allgatherBruckClosed, exact: always, exactWhen: 'always', tolerance: EXACT },
    twoLevel: false,
    shmem: false,
  },
  {
    op: 'allgather',
    name: 'ring',
    description: 'P-1 ring steps of one block (long messages)',
    source: 'Thakur, Rabenseifner, Gropp, IJHPCA 2005; MPICH MPIR_Allgather_intra_ring',
    generate: allgatherRing,
    closedForm: { evaluate: allgatherRingClosed, exact: always, exactWhen: 'always', tolerance: EXACT },
    twoLevel: false,
    shmem: false,
  },
  {
    op: 'reduce',
    name: 'binomial',
    description: 'binomial tree towards the root, reducing at every level',
    source: 'Thakur, Rabenseifner, Gropp, IJHPCA 2005; MPICH MPIR_Reduce_intra_binomial',
    generate: reduceBinomial,
    closedForm: {
      evaluate: reduceBinomialClosed,
      exact: pow2,
      exactWhen: 'P a power of two',
      tolerance: 0.2,
    },
    twoLevel: false,
    shmem: false,
  },
  {
    op: 'reduce',
    name: 'two-level',
    description: 'binomial reduce inside each host, then binomial reduce among host leaders, point to point',
    source:
      'MPICH MPIR_Reduce_intra SMP path (reduce.c); MVAPICH2 MPIR_Reduce_two_level_helper_MV2 above 4 KB',
    generate: reduceTwoLevel,
    closedForm: {
      evaluate: reduceTwoLevelClosed,
      exact: twoLevelExact,
      exactWhen: 'equal power-of-two nodes, a power-of-two node count',
      tolerance: 0.2,
    },
    twoLevel: true,
    shmem: false,
  },
  {
    op: 'reduce',
    name: 'two-level-shmem',
    description: 'shared-memory reduce to host leaders, then binomial reduce among leaders',
    source: 'MVAPICH2 1.9a2 MPIR_Reduce_two_level_helper_MV2 with MPIR_Reduce_shmem_MV2 (reduce_osu.c)',
    generate: reduceShmem,
    closedForm: {
      evaluate: reduceShmemClosed,
      exact: equalHostsPow2,
      exactWhen: 'equal hosts, a power-of-two host count',
      tolerance: 0.12,
    },
    twoLevel: true,
    shmem: true,
  },
  {
    op: 'gather',
    name: 'binomial',
    description: 'binomial tree towards the root, each rank forwarding its subtree',
    source: 'Thakur, Rabenseifner, Gropp, IJHPCA 2005; MPICH MPIR_Gather_intra_binomial',
    generate: gatherBinomial,
    closedForm: {
      evaluate: gatherBinomialClosed,
      exact: pow2,
      exactWhen: 'P a power of two',
      tolerance: 0.2,
    },
    twoLevel: false,
    shmem: false,
  },
  {
    op: 'scatter',
    name: 'binomial',
    description: "binomial tree from the root, each rank passing on its children's subtrees",
    source: 'Thakur, Rabenseifner, Gropp, IJHPCA 2005; MPICH MPIR_Scatter_intra_binomial',
    generate: scatterBinomial,
    closedForm: { evaluate: scatterBinomialClosed, exact: always, exactWhen: 'always', tolerance: EXACT },
    twoLevel: false,
    shmem: false,
  },
  {
    op: 'barrier',
    name: 'dissemination',
    description: 'ceil(log2 P) rounds, rank r signalling r + 2^k',
    source: 'Hensgen, Finkel, Manber, IJPP 1988; MPICH MPIR_Barrier_intra_dissemination',
    generate: barrierDissemination,
    closedForm: {
      evaluate: barrierDisseminationClosed,
      exact: always,
      exactWhen: 'always',
      tolerance: EXACT,
    },
    twoLevel: false,
    shmem: false,
  },
];

/** The algorithms of one operation, in registry order. */
export function algorithmsFor(op: CollectiveOp): AlgorithmEntry[] {
  return ALGORITHMS.filter((a) => a.op === op);
}

/** The named algorithm of `op`, or a `UsageError` listing the valid ones. */
export function findAlgorithm(op: string, name: string): AlgorithmEntry {
  if (!(COLLECTIVE_OPS as readonly string[]).includes(op)) {
    throw new UsageError(`--op: '${op}' is not one of ${COLLECTIVE_OPS.join(', ')}`);
  }
  const found = ALGORITHMS.find((a) => a.op === op && a.name === name);
  if (found) return found;
  const valid = algorithmsFor(op as CollectiveOp).map((a) => a.name);
  throw new UsageError(`--algorithm: '${name}' is not an algorithm for ${op}; valid: ${valid.join(', ')}`);
}
