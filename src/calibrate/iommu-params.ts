/**
 * `virtualization.iommuReach` and `iommuMissCost` from verbs `--region` ping-pongs on a VF
 * path (fit/iommu.ts), written into the profile by calibrateProfile through vf-params.ts.
 *
 * - The footprint: rule 3 counts the memory registered on a node. A region run across two
 *   nodes (path `vf`) registers R on each; one within a node (`vf-loopback`, `vf-to-vf`)
 *   registers R on each side, 2R on the node.
 * - The size: each file's smallest message size that all its region sweeps share (its
 *   poll sweeps of pair 0); files are pooled, a region measured twice is two runs of it.
 * - The fit determines reach and dmasPerMessage x iommuMissCost: the cost is that product
 *   over the base's dmasPerMessage, which stays the base's (its source says so), so the
 *   model's product is the measured one.
 * - No rise (no IOMMU, pass-through, or every region within the reach): the cost stays the
 *   base's and the reach becomes at least the largest footprint measured, with a warning.
 * - Region runs on a PF path: rule 3 prices messages through a VF only; not fitted, said.
 *
 * `registeredPerPeer` is not measured by these runs (it is the MPI library's registration
 * per peer: MVAPICH2's RDMA fast-path buffers), and stays the base's.
 */
import type { JointDraws, Param, Profile } from '../profiles/types.js';
import { fitIommu, type FootprintMeasurement } from './fit/iommu.js';
import { keptJointDraws } from './joint-draws.js';
import type { PathData } from './path-data.js';

export interface IommuParamsFit {
  params: { field: 'virtualization.iommuReach' | 'virtualization.iommuMissCost'; param: Param }[];
  joint: JointDraws[];
  warnings: string[];
}

const r4 = (x: number) => Number(x.toPrecision(4));

/** [lo, hi] rounded to 4 digits and widened to hold the rounded value (a percentile interval need not). */
function around(value: number, interval: [number, number] | null): { interval?: [number, number] } {
  if (!interval) return {};
  return { interval: [Math.min(r4(interval[0]), r4(value)), Math.max(r4(interval[1]), r4(value))] };
}

/** The region runs of one path as footprints, each at its file's smallest common size. */
function footprintsOf(data: PathData, sides: number): { runs: FootprintMeasurement[]; sizes: Set<number> } {
  const runs: FootprintMeasurement[] = [];
  const sizes = new Set<number>();
  const byFile = new Map<string, NonNullable<PathData['regionSweeps']>>();
  for (const s of data.regionSweeps ?? []) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  for (const sweeps of byFile.values()) {
    const shared = sweeps[0].points
      .map((p) => p.bytes)
      .filter((b) => sweeps.every((s) => s.points.some((p) => p.bytes === b)));
    if (shared.length === 0) continue;
    const bytes = Math.min(...shared);
    sizes.add(bytes);
    for (const s of sweeps)
      for (const p of s.points.filter((x) => x.bytes === bytes))
        runs.push({ footprint: s.regionBytes * sides, us: p.us, samples_us: p.samples_us });
  }
  return { runs, sizes };
}

export function fitIommuOfPaths(
  paths: readonly PathData[],
  base: Profile,
  settings: { draws: number; seed: number },
): IommuParamsFit {
  const out: IommuParamsFit = { params: [], joint: [], warnings: [] };
  const withRegions = paths.filter((p) => (p.regionSweeps ?? []).length > 0);
  for (const p of withRegions.filter((p) => base.paths[p.path]?.function !== 'vf'))
    out.warnings.push(
      `virtualization.iommuReach: the --region runs of path ${p.path} are not fitted: rule 3 prices messages through a VF only (run them on vf, vf-loopback or vf-to-vf)`,
    );
  const vf = withRegions.filter((p) => base.paths[p.path]?.function === 'vf');
  if (vf.length === 0) return out;
  // Fabric paths register R per node, loopbacks 2R (both sides on one node).
  const runs: FootprintMeasurement[] = [];
  const sizes = new Set<number>();
  const files = new Set<string>();
  for (const p of vf) {
    const got = footprintsOf(p, base.paths[p.path].medium === 'fabric' ? 1 : 2);
    runs.push(...got.runs);
    got.sizes.forEach((s) => sizes.add(s));
    for (const s of p.regionSweeps ?? []) files.add(s.file);
  }
  const where = `${[...files].join(', ')} (${vf.map((p) => p.path).join(', ')}, poll, ${[...sizes].join('/')} B)`;
  const v = base.virtualization;
  let fit;
  try {
    fit = fitIommu(runs, settings);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    out.warnings.push(
      `virtualization.${e.message} in ${where}; iommuReach and iommuMissCost kept from the base profile`,
    );
    return out;
  }
  out.warnings.push(...fit.warnings.map((w) => `virtualization.${w}`));
  const dmas = v.dmasPerMessage.value;
  const largest = fit.footprints[fit.footprints.length - 1];
  if (fit.noRise) {
    const reach = Math.max(v.iommuReach.value, largest);
    out.warnings.push(
      `virtualization.iommuMissCost: the --region runs show no rise up to ${largest} B of footprint ` +
        `(${fit.rise.toFixed(3)} us over base ${fit.base.toFixed(3)} us): no IOMMU, pass-through, or the reach lies beyond; ` +
        `the cost kept from the base profile, iommuReach set to at least ${largest} B`,
    );
    out.params.push({
      field: 'virtualization.iommuReach',
      param: {
        // whole bytes, not rounded: a lower bound rounded to 4 digits could fall below what was measured
        value: reach,
        unit: 'B',
        interval: [largest, Math.max(reach, v.iommuReach.interval?.[1] ?? reach)],
        source: {
          kind: 'fit',
          ref: `fitIommu on ${where}: no rise (${fit.from}); a lower bound: no miss up to ${largest} B of footprint, so the reach is at least that (the base's ${v.iommuReach.value} B where larger); the interval's top from the base profile`,
        },
      },
    });
    return out;
  }
  const how = fit.intervals.why;
  const productNote = `A = dmasPerMessage x iommuMissCost is what the run determines; dmasPerMessage ${dmas} kept from base profile ${base.name}`;
  out.params.push(
    {
      field: 'virtualization.iommuReach',
      param: {
        value: r4(fit.reach),
        unit: 'B',
        ...around(fit.reach, fit.interval.reach),
        source: { kind: 'fit', ref: `fitIommu on ${where}: ${fit.from}; ${how}` },
      },
    },
    {
      field: 'virtualization.iommuMissCost',
      param: {
        value: r4(fit.product / dmas),
        unit: 'us',
        ...around(
          fit.product / dmas,
          fit.interval.product ? [fit.interval.product[0] / dmas, fit.interval.product[1] / dmas] : null,
        ),
        source: {
          kind: 'fit',
          ref: `fitIommu on ${where}: A / dmasPerMessage; ${productNote}; ${fit.from}; ${how}`,
        },
      },
    },
  );
  const group = keptJointDraws(
    ['virtualization.iommuReach', 'virtualization.iommuMissCost'],
    [fit.draws.map((d) => d.reach), fit.draws.map((d) => Math.max(0, d.product) / dmas)],
    `fitIommu's bootstrap draws on ${where}`,
  );
  if (group) out.joint.push(group);
  return out;
}
