import { UsageError } from '../../errors.js';

/**
 * How VMs are laid over a node (docs/design.md, "Units and words"):
 * - `native`: no VMs, ranks run on the host;
 * - `vm-per-core`: one single-vCPU VM per rank;
 * - `vm-per-socket`: one VM per socket that holds ranks, with one vCPU per rank on it;
 * - `vm-per-node`: one VM holding all the node's ranks;
 * - `{ vmsPerNode: K }`: K equal VMs per node, each with the same number of ranks and vCPUs.
 */
export type Placement = 'native' | 'vm-per-core' | 'vm-per-socket' | 'vm-per-node' | { vmsPerNode: number };

export interface LayoutSpec {
  nodes: number;
  socketsPerNode: number;
  coresPerSocket: number;
  /** Ranks in total (`--procs`). */
  procs: number;
  placement: Placement;
  /** Whether the MPI library's intra-host shared-memory channel is on (`--shm on|off`). */
  shm: boolean;
}

/** What one node holds. */
export interface NodeLoad {
  ranks: number;
  /** VMs on the node (0 when native). */
  vms: number;
  /** vCPUs of all its VMs together (0 when native). */
  vcpus: number;
  /** Ranks on each socket of the node. */
  ranksPerSocket: number[];
  /** Ranks in each of its VMs, in VM order (empty when native). */
  ranksPerVm: number[];
}

/**
 * Where every rank runs. Ranks go to nodes in blocks, as MPI launchers place them by
 * default (ranks 0..n-1 on the first node, ...), and over a node's sockets as evenly as
 * possible, in blocks (the paper's Fig. 5: 32 ranks on 4 nodes, 8 per node, 4 per socket).
 */
export interface Layout {
  readonly spec: Readonly<LayoutSpec>;
  readonly procs: number;
  readonly nodes: number;
  /** True for every placement except `native`. */
  readonly virtualized: boolean;
  readonly shm: boolean;
  /** Node of each rank. */
  readonly nodeOf: Int32Array;
  /** Socket of each rank within its node. */
  readonly socketOf: Int32Array;
  /** Global VM id of each rank (VMs numbered node by node), -1 when native. */
  readonly vmOf: Int32Array;
  /** Node of each VM. */
  readonly vmNode: Int32Array;
  /** vCPUs of each VM (one per rank it holds: VMs get as many vCPUs as ranks, as in the paper). */
  readonly vmVcpus: Int32Array;
  readonly perNode: readonly NodeLoad[];
}

function positiveInt(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${what} must be a whole number of at least 1, got ${value}`);
  }
}

export function placementName(p: Placement): string {
  return typeof p === 'string' ? p : `vms-per-node=${p.vmsPerNode}`;
}

/**
 * Ranks per node. VM placements need every node to carry the same ranks (a VM shape is
 * the same on every node, as in the paper), so `procs` must divide by `nodes`; natively,
 * the first `procs mod nodes` nodes take one rank more, still in blocks.
 */
function ranksPerNode(spec: LayoutSpec): number[] {
  const { nodes, procs } = spec;
  if (procs < nodes) {
    throw new UsageError(
      `--procs ${procs} is fewer than --nodes ${nodes}: every node needs at least one rank`,
    );
  }
  if (spec.placement !== 'native' && procs % nodes !== 0) {
    throw new UsageError(
      `--procs ${procs} does not divide by --nodes ${nodes}: placement ${placementName(spec.placement)} puts the same VMs and ranks on every node`,
    );
  }
  const base = Math.floor(procs / nodes);
  const extra = procs % nodes;
  return Array.from({ length: nodes }, (_, n) => base + (n < extra ? 1 : 0));
}

/**
 * Builds a layout, or throws `UsageError` when it cannot exist: zero nodes or ranks,
 * more ranks on a node than it has cores (or its VMs vCPUs), ranks not dividing where the
 * placement needs it, K VMs per node not dividing the node's ranks.
 */
export function buildLayout(spec: LayoutSpec): Layout {
  positiveInt(spec.nodes, '--nodes');
  positiveInt(spec.procs, '--procs');
  positiveInt(spec.socketsPerNode, 'sockets per node');
  positiveInt(spec.coresPerSocket, 'cores per socket');
  const { nodes, procs, socketsPerNode: sockets, coresPerSocket } = spec;
  const cores = sockets * coresPerSocket;
  const counts = ranksPerNode(spec);
  const maxRanks = counts[0];
  if (maxRanks > cores) {
    throw new UsageError(
      `${maxRanks} ranks per node (--procs ${procs} over --nodes ${nodes}) exceed the node's ${cores} cores (${sockets} sockets x ${coresPerSocket}); use more nodes or fewer ranks`,
    );
  }
  const placement = spec.placement;
  if (typeof placement === 'object') {
    positiveInt(placement.vmsPerNode, 'vms-per-node');
    if (placement.vmsPerNode > cores) {
      throw new UsageError(`vms-per-node=${placement.vmsPerNode} exceeds the node's ${cores} cores`);
    }
    if (maxRanks % placement.vmsPerNode !== 0) {
      throw new UsageError(
        `vms-per-node=${placement.vmsPerNode} does not divide the ${maxRanks} ranks per node: every VM must hold the same number of ranks`,
      );
    }
  }

  const nodeOf = new Int32Array(procs);
  const socketOf = new Int32Array(procs);
  const vmOf = new Int32Array(procs).fill(-1);
  const vmNode: number[] = [];
  const vmVcpus: number[] = [];
  const perNode: NodeLoad[] = [];
  let rank = 0;
  for (let node = 0; node < nodes; node++) {
    const n = counts[node];
    const ranksPerSocket = new Array<number>(sockets).fill(0);
    const firstVm = vmNode.length;
    const ranksPerVm: number[] = [];
    // Ranks of one VM are consecutive; a new VM starts where vmStart says.
    const vmIndexOf = (local: number, socket: number): number => {
      if (placement === 'native') return -1;
      if (placement === 'vm-per-core') return local;
      if (placement === 'vm-per-node') return 0;
      if (placement === 'vm-per-socket') return socket;
      return Math.floor(local / (n / placement.vmsPerNode));
    };
    const localVms = new Map<number, number>();
    for (let local = 0; local < n; local++, rank++) {
      // Even spread in blocks: local rank i of n goes to socket floor(i * sockets / n),
      // so no socket gets more than ceil(n / sockets) <= coresPerSocket ranks.
      const socket = Math.floor((local * sockets) / n);
      nodeOf[rank] = node;
      socketOf[rank] = socket;
      ranksPerSocket[socket]++;
      const v = vmIndexOf(local, socket);
      if (v >= 0) {
        let id = localVms.get(v);
        if (id === undefined) {
          id = vmNode.length;
          localVms.set(v, id);
          vmNode.push(node);
          vmVcpus.push(0);
          ranksPerVm.push(0);
        }
        vmOf[rank] = id;
        vmVcpus[id]++;
        ranksPerVm[id - firstVm]++;
      }
    }
    perNode.push({
      ranks: n,
      vms: ranksPerVm.length,
      vcpus: ranksPerVm.reduce((a, b) => a + b, 0),
      ranksPerSocket,
      ranksPerVm,
    });
  }
  return {
    spec: { ...spec },
    procs,
    nodes,
    virtualized: placement !== 'native',
    shm: spec.shm,
    nodeOf,
    socketOf,
    vmOf,
    vmNode: Int32Array.from(vmNode),
    vmVcpus: Int32Array.from(vmVcpus),
    perNode,
  };
}

const PLACEMENT_WORDS = ['native', 'vm-per-core', 'vm-per-socket', 'vm-per-node'] as const;

/** `native|vm-per-core|vm-per-socket|vm-per-node|vms-per-node=K` as `--placement` takes it. */
export function parsePlacement(text: string): Placement {
  const t = text.trim();
  if ((PLACEMENT_WORDS as readonly string[]).includes(t)) return t as Placement;
  const m = /^vms-per-node=(\d+)$/.exec(t);
  if (m && Number(m[1]) >= 1) return { vmsPerNode: Number(m[1]) };
  throw new UsageError(
    `--placement: '${text}' is not one of ${PLACEMENT_WORDS.join(', ')}, vms-per-node=K (K >= 1)`,
  );
}
