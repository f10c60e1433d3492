import type { AlgorithmEntry, CollectiveInput } from './collectives/index.js';
import type { NativeNetwork } from './sim/contract.js';
import { tallyBuilder } from './sim/tally-builder.js';
import { maxOf } from './max-of.js';

/**
 * What the closed forms leave out: the node's HCA, shared by all its ranks and functions
 * (docs/virtualization.md, section 2). The closed forms time one rank's critical path
 * with every message free to go; the HCA's send side (and receive side) on a node
 * does messageGap + bytes x perByte of work per message, however it shares itself among
 * them (the simulator: processor sharing). So no collective can end before its busiest
 * HCA side has served its messages:
 *
 *   T >= max over nodes and sides of  sum over its messages (messageGap + bytes perByte)
 *
 * (a throughput bound, as a roofline bounds a kernel by its memory traffic). The traffic
 * is counted from the algorithm's own schedule, generated into a builder that keeps
 * nothing (`tallyBuilder`); `--engine analytic` takes the larger of the closed form and this bound.
 * Where it differs from the simulator: processor sharing releases a burst of messages
 * together at its end, so the receivers' work follows the HCA's instead of overlapping it
 * and the simulator can end above the bound (alltoall, 32 ranks on 4 nodes, a VM per
 * core: 16% above it at 8 KB, 2% at 64 KB; test/model/hca-bound.test.ts).
 */
export function hcaBoundNs(entry: AlgorithmEntry, input: CollectiveInput, network: NativeNetwork): number {
  const hca = network.hca;
  if (!hca) return 0;
  const nodes = maxOf(network.nodeOf) + 1;
  const send = new Float64Array(nodes);
  const recv = new Float64Array(nodes);
  const tally = tallyBuilder(input.procs, {
    onSend(rank, peer, bytes) {
      if (!network.usesHca(rank, peer)) return;
      const busy = hca.messageGapNs + bytes * hca.perByteNs;
      send[network.nodeOf[rank]] += busy;
      recv[network.nodeOf[peer]] += busy;
    },
  });
  entry.generate(tally, input);
  return maxOf(send, recv);
}

/**
 * A closed form's answer with the HCA bound applied: when the busiest HCA side needs
 * longer than the closed form's slowest rank, the collective is throughput-bound and
 * every rank's time stretches by that ratio (all ranks of such a collective wait on the
 * same queues; the ratio keeps the closed form's spread between average and maximum).
 */
export function withHcaBound(
  closed: { avgNs: number; maxNs: number },
  boundNs: number,
): { avgNs: number; maxNs: number; hcaBound: boolean } {
  if (boundNs <= closed.maxNs) return { ...closed, hcaBound: false };
  const stretch = boundNs / closed.maxNs;
  return { avgNs: closed.avgNs * stretch, maxNs: boundNs, hcaBound: true };
}
