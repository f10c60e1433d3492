/**
 * The virtualization parameters a probe run measures across runs of the VF paths, written
 * into the profile by calibrateProfile:
 *
 * - `virtualization.perVfCost` from `--pairs N` streaming inside one VM (path
 *   `vf-loopback`) against the same across VMs of the node (`vf-to-vf`), at the smallest
 *   size both share with the deepest window (fit/per-vf-cost.ts).
 *
 * Inputs without those runs leave the base's values and say nothing; runs that cannot pin a
 * parameter down keep the base's value with a warning naming it.
 */
import type { Param } from '../profiles/types.js';
import { fitPerVfCost } from './fit/per-vf-cost.js';
import type { PairStream, PathData } from './path-data.js';

export interface VfParamsFit {
  params: { field: 'virtualization.perVfCost'; param: Param }[];
  warnings: string[];
}

export function fitVfParamsOfPaths(
  paths: readonly PathData[],
  settings: { draws: number; seed: number },
): VfParamsFit {
  const out: VfParamsFit = { params: [], warnings: [] };
  const streamsOf = (name: string) => paths.find((p) => p.path === name)?.pairStreams ?? [];
  const key = (s: PairStream) => JSON.stringify([s.bytes, s.window, s.mode]);
  const oneVm = streamsOf('vf-loopback').filter((s) => s.hosts === 1);
  const acrossVms = streamsOf('vf-to-vf').filter((s) => s.hosts >= 2);
  const counts = (streams: PairStream[], k: string) =>
    new Set(streams.filter((s) => key(s) === k).map((s) => s.pairs)).size;
  // Settings both sides ran at two or more pair counts: smallest size, deepest window.
  const shared = [...new Set(oneVm.map(key))]
    .filter((k) => counts(oneVm, k) >= 2 && counts(acrossVms, k) >= 2)
    .map((k) => oneVm.find((s) => key(s) === k)!)
    .sort((a, b) => a.bytes - b.bytes || b.window - a.window);
  if (shared.length === 0) return out;
  const k = key(shared[0]);
  const one = oneVm.filter((s) => key(s) === k);
  const across = acrossVms.filter((s) => key(s) === k);
  try {
    const fit = fitPerVfCost(
      one.map((s) => ({ pairs: s.pairs, vms: s.hosts, msgRate: s.msgRate })),
      across.map((s) => ({ pairs: s.pairs, vms: s.hosts, msgRate: s.msgRate })),
      settings,
    );
    const r = (x: number) => Number(x.toPrecision(4));
    const files = [...new Set([...one, ...across].map((s) => s.file))].join(', ');
    const s = shared[0];
    out.params.push({
      field: 'virtualization.perVfCost',
      param: {
        value: r(fit.value),
        unit: 'us',
        ...(fit.interval ? { interval: [r(fit.interval[0]), r(fit.interval[1])] as [number, number] } : {}),
        source: {
          kind: 'fit',
          ref: `fitPerVfCost on ${files} at ${s.bytes} B, window ${s.window}, ${s.mode} (vf-loopback against vf-to-vf): ${fit.from}; ${fit.intervalWhy}`,
        },
      },
    });
    out.warnings.push(...fit.warnings.map((w) => `virtualization.${w}`));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    out.warnings.push(`virtualization.${e.message}; kept from the base profile`);
  }
  return out;
}
