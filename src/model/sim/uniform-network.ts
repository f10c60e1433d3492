import type { LogGOPSParams, NativeNetwork, PairParams } from './contract.js';

export interface UniformNetworkOptions {
  /** Consecutive ranks per node (rank r is on node floor(r / ranksPerNode)); default 1. */
  ranksPerNode?: number;
  /** The node's HCA as a shared resource (omit for an unshared HCA). */
  hca?: { messageGapNs: number; perByteNs: number };
  /** Ranks on one node talk through shared memory (skipping the HCA) with these parameters. */
  shm?: PairParams;
}

/**
 * A native-mode machine where every pair uses one LogGOPS parameter set (o_s = o_r = o),
 * ranks are packed `ranksPerNode` to a node, and optionally the node's HCA is shared and
 * same-node pairs use shared memory. The CLI's `--native` builds this; the rest of ibvf
 * builds its NativeNetwork from a profile and a layout instead.
 */
export function uniformNetwork(
  numRanks: number,
  params: LogGOPSParams,
  options: UniformNetworkOptions = {},
): NativeNetwork {
  const perNode = options.ranksPerNode ?? 1;
  if (!Number.isInteger(perNode) || perNode < 1)
    throw new RangeError(`ranksPerNode must be >= 1, got ${perNode}`);
  const nodeOf = new Int32Array(numRanks);
  for (let r = 0; r < numRanks; r++) nodeOf[r] = Math.floor(r / perNode);
  const pair: PairParams = {
    L: params.L,
    o_s: params.o,
    o_r: params.o,
    g: params.g,
    G: params.G,
    O: params.O,
    S: params.S,
  };
  const shm = options.shm;
  return {
    nodeOf,
    hca: options.hca,
    params: (src, dst) => (shm !== undefined && nodeOf[src] === nodeOf[dst] ? shm : pair),
    usesHca: (src, dst) => shm === undefined || nodeOf[src] !== nodeOf[dst],
  };
}
