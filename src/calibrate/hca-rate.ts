/**
 * `hca.messageRate` from the inputs' `--pairs N` streaming runs (fit/hca-message-rate.ts),
 * when a path through an HCA (medium fabric or hca-loopback) has probe streaming runs at two
 * or more pair counts for one size, window and mode. Shared-memory and IPoIB paths are not
 * paced by the HCA's engine, so their pair runs say nothing about it. Where several sizes
 * or windows qualify, the smallest size with the deepest window is used: the HCA's message
 * rate shows where the bytes cost least and the most messages are in flight. Runs through
 * one node's HCA from several VMs are left to the perVfCost fit.
 */
import type { Param } from '../profiles/types.js';
import { fitHcaMessageRate } from './fit/hca-message-rate.js';
import type { PathData } from './path-data.js';

export interface HcaRateFit {
  /** Null when no run saturated: the data bound the rate from below only, and the base's value stays. */
  messageRate: Param | null;
  warnings: string[];
}

export function fitHcaRateOfPaths(
  paths: readonly PathData[],
  mediumOf: (path: string) => string,
): HcaRateFit | null {
  const streams = paths
    .filter((p) => ['fabric', 'hca-loopback'].includes(mediumOf(p.path)))
    .flatMap((p) =>
      p.pairStreams
        // Ranks of several VMs (hosts) through one node's HCA hold its engine longer by
        // perVfCost per other VF (rule 4): those runs measure perVfCost (vf-params.ts).
        .filter((s) => !(mediumOf(p.path) === 'hca-loopback' && s.hosts > 1))
        .map((s) => ({ ...s, path: p.path })),
    );
  const groups = new Map<string, typeof streams>();
  for (const s of streams) {
    const key = JSON.stringify([s.bytes, s.window, s.mode]);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const usable = [...groups.values()]
    .filter((g) => new Set(g.map((s) => s.pairs)).size >= 2)
    .sort((a, b) => a[0].bytes - b[0].bytes || b[0].window - a[0].window);
  if (usable.length === 0) return null;
  const chosen = usable[0];
  const fit = fitHcaMessageRate(chosen.map((s) => ({ pairs: s.pairs, msgRate: s.msgRate })));
  const files = [...new Set(chosen.map((s) => s.file))].join(', ');
  const where = `${chosen[0].bytes} B, window ${chosen[0].window}, ${chosen[0].mode} (paths ${[...new Set(chosen.map((s) => s.path))].join(', ')})`;
  if (fit.saturated.length === 0)
    return { messageRate: null, warnings: fit.warnings.map((w) => `${w}; kept from the base profile`) };
  const how = fit.interval
    ? '95% interval: Student t over the saturated runs'
    : 'no interval: one saturated run';
  return {
    messageRate: {
      value: Number(fit.value.toPrecision(4)),
      unit: 'Mmsg/s',
      ...(fit.interval
        ? { interval: [Number(fit.interval[0].toPrecision(3)), Number(fit.interval[1].toPrecision(3))] }
        : {}),
      source: {
        kind: 'fit',
        ref: `fitHcaMessageRate on ${files} at ${where}: ${fit.from}; ${how}`,
      },
    },
    warnings: fit.warnings,
  };
}
