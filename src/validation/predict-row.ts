import type { CollectiveOp } from '../model/collectives/types.js';
import { predictCollective } from '../model/predict-collective.js';
import { p2pBandwidth, p2pLatency, type P2pQuery } from '../model/p2p/predict.js';
import type { Placement } from '../model/layout/index.js';
import type { Profile } from '../profiles/types.js';
import type { ValidationRow } from './rows.js';

/**
 * What ibvf predicts for one published measurement, or why it cannot. A prediction says
 * how it was made and every liberty taken (a size the source leaves out, a library ibvf
 * does not model): these caveats print beside the error, so a good number with a large
 * caveat is read for what it is.
 */
export type RowPrediction =
  | { status: 'predicted'; value: number; how: string; caveats: string[] }
  | { status: 'not-predictable'; why: string };

const notPredictable = (why: string): RowPrediction => ({ status: 'not-predictable', why });

/** Sizes OSU's point-to-point tests sweep by default (1 B to 4 MB). */
const OSU_P2P_SIZES = Array.from({ length: 23 }, (_, i) => 2 ** i);
/** perftest's `-a` sweep: 2 B to 8 MB. */
const PERFTEST_SIZES = Array.from({ length: 23 }, (_, i) => 2 ** (i + 1));
/** OSU's collective tests: 1 B to 1 MB. */
const OSU_COLLECTIVE_SIZES = Array.from({ length: 21 }, (_, i) => 2 ** i);
/** perftest's latency tests send 2 bytes unless told otherwise (`-s`). */
const PERFTEST_LATENCY_DEFAULT = 2;

/** Why a row's setting has no counterpart in the model, or undefined when it has one. */
function unsupported(row: ValidationRow): string | undefined {
  if (row.virtualization === 'passthrough')
    return 'PCI passthrough (the whole HCA, a PF, inside a VM) has no path in the profile yet';
  if (row.virtualization === 'sr-iov+ivshmem')
    return 'inter-VM shared memory (IVShmem, MVAPICH2-Virt) is not modelled';
  if (/not named/.test(row.operation))
    return 'the source does not name the benchmark, so what was timed is unknown';
  if (row.operation === 'osu_put_latency') return 'MPI one-sided operations (MPI_Put) are not modelled';
  if (row.operation === 'osu_bibw') return 'bidirectional streaming is not modelled';
  if (row.operation === 'osu_mbw_mr')
    return 'several pairs streaming at once (osu_mbw_mr) are not modelled yet';
  return undefined;
}

/** The profile path a point-to-point row ran over, from its nodes, layout and virtualization. */
function p2pPath(row: ValidationRow, caveats: string[]): string | undefined {
  const nodes = row.nodes ?? 2;
  if (row.nodes === undefined) caveats.push('nodes not stated: the two ranks taken to be on two nodes');
  if (nodes >= 2) return row.virtualization === 'native' ? 'native' : 'vf';
  if (row.virtualization === 'native') {
    caveats.push("shared memory not stated: on, the MPI library's default");
    return 'shm';
  }
  return row.layout === 'vm-per-node' ? undefined : 'vf-to-vf';
}

function mpiCaveat(row: ValidationRow, caveats: string[]): void {
  if (!/mvapich/i.test(row.mpi)) caveats.push(`${row.mpi}: its MPI layer modelled as MVAPICH2's`);
}

/** Largest value of f over sizes: a peak the source reports without its size. */
function peak(sizes: readonly number[], f: (bytes: number) => number): { value: number; at: number } {
  let best = { value: 0, at: sizes[0] };
  for (const s of sizes) {
    const v = f(s);
    if (v > best.value) best = { value: v, at: s };
  }
  return best;
}

function predictPointToPoint(profile: Profile, row: ValidationRow): RowPrediction {
  const caveats: string[] = [];
  const path = p2pPath(row, caveats);
  if (!path)
    return notPredictable('two ranks in one VM: the path depends on shared memory, which is not stated');
  const verbs = /^ib_send/.test(row.operation);
  const q: P2pQuery = { path, op: verbs ? 'send' : 'mpi', progress: 'poll' };
  if (!verbs) mpiCaveat(row, caveats);
  if (row.metric === 'latency_us') {
    let bytes = row.size_bytes;
    if (bytes === undefined) {
      if (!verbs) return notPredictable('latency without its message size');
      bytes = PERFTEST_LATENCY_DEFAULT;
      caveats.push(`size not stated: perftest's default of ${bytes} B`);
    }
    return {
      status: 'predicted',
      value: p2pLatency(profile, q, bytes),
      how: `${q.op} latency over '${path}' at ${bytes} B`,
      caveats,
    };
  }
  if (row.metric !== 'bandwidth_MBps') return notPredictable(`metric ${row.metric} for ${row.operation}`);
  if (row.size_bytes !== undefined)
    return {
      status: 'predicted',
      value: p2pBandwidth(profile, q, row.size_bytes),
      how: `${q.op} streaming bandwidth over '${path}' at ${row.size_bytes} B`,
      caveats,
    };
  if (row.operation === 'imb_pingpong') {
    // IMB PingPong reports bytes over half the round trip, not a streaming rate.
    const best = peak(OSU_P2P_SIZES, (b) => b / p2pLatency(profile, q, b));
    caveats.push("IMB's MB/s base (2^20 or 10^6 bytes) is not confirmed; read as printed");
    return {
      status: 'predicted',
      value: best.value,
      how: `peak of bytes / one-way latency over '${path}', 1 B to 4 MB (at ${best.at} B)`,
      caveats,
    };
  }
  const sizes = verbs ? PERFTEST_SIZES : OSU_P2P_SIZES;
  const best = peak(sizes, (b) => p2pBandwidth(profile, q, b));
  caveats.push('size not stated: the peak of the sweep');
  return {
    status: 'predicted',
    value: best.value,
    how: `peak ${q.op} streaming bandwidth over '${path}' (at ${best.at} B)`,
    caveats,
  };
}

const COLLECTIVES: Record<string, CollectiveOp> = {
  osu_bcast: 'bcast',
  osu_allreduce: 'allreduce',
  osu_alltoall: 'alltoall',
};

/** The layout of a collective row, with the assumption taken where the source is silent. */
function collectiveLayout(
  row: ValidationRow,
  caveats: string[],
): { nodes: number; placement: Placement } | undefined {
  if (row.procs === undefined) return undefined;
  if (row.layout === 'vm-per-node' && row.nodes !== undefined)
    return { nodes: row.nodes, placement: 'vm-per-node' };
  // zh15-07: "16 processes across four VMs" of 4 vCPUs; the text implies one node.
  const vms = /four VMs|4 VMs/.exec(row.note);
  if (row.layout === 'unknown' && vms && row.nodes === undefined) {
    caveats.push("nodes not stated: the four VMs taken to share one node, as the source's argument implies");
    return { nodes: 1, placement: { vmsPerNode: 4 } };
  }
  return undefined;
}

function predictCollectiveRow(profile: Profile, row: ValidationRow): RowPrediction {
  const op = COLLECTIVES[row.operation];
  if (!op) return notPredictable(`${row.operation}: not an OSU collective ibvf predicts`);
  const caveats: string[] = [];
  mpiCaveat(row, caveats);
  const layout = collectiveLayout(row, caveats);
  if (!layout) return notPredictable('the layout (nodes, VMs, ranks per VM) cannot be read from the source');
  caveats.push("shared memory not stated: on within a VM or host, the MPI library's default");
  const query = (placement: Placement) => ({
    op,
    nodes: layout.nodes,
    procs: row.procs!,
    placement,
    shm: true,
    progress: 'poll' as const,
    engine: 'sim' as const,
    rangeDraws: 0,
  });
  const latencies = (placement: Placement, sizes: readonly number[]) =>
    predictCollective(profile, query(placement), sizes).rows.map((r) => r.latency_us);
  if (row.metric === 'latency_us') {
    if (row.size_bytes === undefined) return notPredictable('collective latency without its message size');
    return {
      status: 'predicted',
      value: latencies(layout.placement, [row.size_bytes])[0],
      how: `${op} of ${row.size_bytes} B, ${row.procs} ranks on ${layout.nodes} node(s)`,
      caveats,
    };
  }
  if (row.metric === 'min_ratio_native_over_vm_time') {
    const native = latencies('native', OSU_COLLECTIVE_SIZES);
    const vm = latencies(layout.placement, OSU_COLLECTIVE_SIZES);
    const ratios = native.map((t, i) => t / vm[i]);
    const worst = Math.min(...ratios);
    const at = OSU_COLLECTIVE_SIZES[ratios.indexOf(worst)];
    return {
      status: 'predicted',
      value: worst,
      how: `smallest native/VM ${op} time over 1 B to 1 MB (at ${at} B), ${row.procs} ranks on ${layout.nodes} nodes`,
      caveats,
    };
  }
  return notPredictable(`metric ${row.metric}`);
}

/** The prediction for one row under its testbed's profile. */
export function predictRow(profile: Profile, row: ValidationRow): RowPrediction {
  const why = unsupported(row);
  if (why) return notPredictable(why);
  if (row.operation in COLLECTIVES) return predictCollectiveRow(profile, row);
  if (/^imb_(?!pingpong)/.test(row.operation))
    return notPredictable(`${row.operation}: IMB collectives are not mapped`);
  return predictPointToPoint(profile, row);
}
