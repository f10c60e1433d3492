/**
 * `compute.bfsPerEdgeCost` from Graph500 reference outputs (import/graph500.ts), written
 * into the profile by calibrateProfile: fit/bfs-per-edge-cost.ts on every run given, one
 * parameter with its source naming the files. A run the fit refuses (several processes)
 * is the input's fault: one line naming the files.
 */
import { InputError } from '../errors.js';
import type { Param } from '../profiles/types.js';
import { fitBfsPerEdgeCost } from './fit/bfs-per-edge-cost.js';
import type { Graph500Input } from './input.js';

export function fitGraph500Params(
  inputs: readonly Graph500Input[],
  settings: { draws: number; seed: number },
): { param: Param; warnings: string[] } | undefined {
  if (inputs.length === 0) return undefined;
  const files = inputs.map((i) => i.file).join(', ');
  try {
    const bfs = fitBfsPerEdgeCost(
      inputs.map((i) => i.run),
      settings,
    );
    return {
      param: {
        value: bfs.value,
        unit: 'us',
        ...(bfs.interval ? { interval: bfs.interval } : {}),
        source: { kind: 'fit', ref: `fitBfsPerEdgeCost on ${files}: ${bfs.from}; ${bfs.how}` },
      },
      warnings: bfs.warnings.map((w) => `compute.${w}`),
    };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new InputError(
      `cannot fit compute.bfsPerEdgeCost from ${files}: ${e.message.replace(/^\w+: /, '')}`,
    );
  }
}
