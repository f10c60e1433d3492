/**
 * `calibrateProfile`: measurements in, an `ibvf.profile/2` out, with a report (pure: the
 * CLI reads the files, src/cli/commands/calibrate.ts). The inputs are grouped by the path
 * they measured (path-data.ts), each path is fitted (fit-path.ts), every other parameter
 * comes from the base profile and its source says so, the result is checked by the
 * project's validator, and held-out measurements are predicted with it (holdout.ts).
 */
import { InputError } from '../errors.js';
import type { JointDraws, Param, Profile, Source } from '../profiles/types.js';
import { forEachParam, validateProfile } from '../profiles/validate.js';
import { fitPath } from './fit-path.js';
import { fitHcaRateOfPaths } from './hca-rate.js';
import { predictHoldout, summarize } from './holdout.js';
import type {
  Calibration,
  CalibrationInput,
  CalibrationOptions,
  ComputeInput,
  Graph500Input,
  FitQuality,
  NoiseInput,
  PathInput,
  ReportedParam,
} from './input.js';
import { computePartialWarning, fitComputeParams, refuseComputeDouble } from './compute-params.js';
import { fitGraph500Params } from './graph500-params.js';
import { fitNoiseParams } from './noise-params.js';
import { gatherPaths } from './path-data.js';
import { fitNodeParamsOfPaths } from './node-params.js';
import { fitVfParamsOfPaths } from './vf-params.js';
import { fitIommuOfPaths } from './iommu-params.js';
import { fitVerbsMechanisms } from './verbs-mechanisms.js';
import { partialWarning, refuseSpanningOutsideVm, refuseTestDouble } from './probe-inputs.js';

export function calibrateProfile(
  inputs: readonly CalibrationInput[],
  options: CalibrationOptions,
): Calibration {
  const noise = options.noise ?? [];
  if (inputs.length === 0 && noise.length === 0)
    throw new InputError('no inputs: give probe results, benchmark outputs or a folder of them');
  const { base } = options;
  const settings = { draws: options.draws ?? 1000, seed: options.seed ?? 1 };
  const warnings: string[] = [];
  // Compute probe files measured the node, not a path (compute-params.ts).
  const computeInputs = inputs.filter((i): i is ComputeInput => i.kind === 'compute');
  for (const input of computeInputs) {
    refuseComputeDouble(input.result, input.file);
    if (input.result.runs.every((r) => r.sizes.length === 0))
      throw new InputError(
        'a compute probe file with no size measured: nothing to fit (did the run stop before its first size?)',
        input.file,
      );
    const partial = computePartialWarning(input.result, input.file);
    if (partial) warnings.push(partial);
  }
  const graph500Inputs = inputs.filter((i): i is Graph500Input => i.kind === 'graph500');
  const pathInputs = inputs.filter((i): i is PathInput => i.kind !== 'compute' && i.kind !== 'graph500');
  for (const input of pathInputs) {
    if (!(input.path in base.paths)) {
      throw new InputError(
        `path '${input.path}' is not a path of the base profile ${base.name} (paths: ${Object.keys(base.paths).join(', ')})`,
        input.file,
      );
    }
    if (input.kind === 'probe') {
      refuseTestDouble(input.result, input.file);
      refuseSpanningOutsideVm(input.result, input.file);
      const partial = partialWarning(input.result, input.file);
      if (partial) warnings.push(partial);
    }
    if (input.kind === 'matrix') warnings.push(...input.notes);
  }
  const paths = gatherPaths(pathInputs);
  const profile: Profile = structuredClone(base);
  fromBase(profile, base.name);
  const fitted = new Set<string>();
  const quality: FitQuality[] = [];
  const joint: JointDraws[] = [];
  paths.forEach((data, i) => {
    options.progress?.(i / paths.length, `fitting path ${data.path}`);
    const fit = fitOrSay(() => fitPath(profile, data, settings), data.path, data.files);
    profile.paths[data.path] = fit.path;
    for (const field of fit.fitted) fitted.add(`paths.${data.path}.${field}`);
    if (fit.mpi.perMessageOverhead) {
      profile.mpi.perMessageOverhead = fit.mpi.perMessageOverhead;
      profile.mpi.library = `as measured by ${data.files.join(', ')} (the base's other MPI parameters are ${base.mpi.library}'s)`;
      fitted.add('mpi.perMessageOverhead');
    }
    quality.push(...fit.quality);
    warnings.push(...fit.warnings);
    joint.push(...fit.joint);
  });
  const mechanisms = fitOrSay(
    () => fitVerbsMechanisms(profile, paths, settings, fitted),
    'verbs mechanisms',
    paths.flatMap((p) => (p.verbs.length > 0 ? p.files : [])),
  );
  for (const { field, param } of mechanisms.params) {
    const [, pathName, name] = field.split('.');
    const replaced = fitted.has(field);
    const before = (profile.paths[pathName] as unknown as Record<string, Param>)[name];
    (profile.paths[pathName] as unknown as Record<string, Param>)[name] = param;
    fitted.add(field);
    // A value moved to keep its own fit (its source says how) is not a replacement.
    const moved = param.source.ref.startsWith(before.source.ref);
    if (replaced && !moved)
      warnings.push(`${field}: the latency curve's fit replaced by ${param.source.ref.split(':')[0]}`);
    // A group of joint draws that held the replaced value no longer belongs to it.
    const holding = joint.findIndex((g) => g.params.includes(field));
    if (holding >= 0) {
      warnings.push(
        `${field}: left out of the joint draws of ${joint[holding].params.join(', ')} (refitted apart)`,
      );
      const g = joint[holding];
      const i = g.params.indexOf(field);
      const params = g.params.filter((_, j) => j !== i);
      if (params.length < 2) joint.splice(holding, 1);
      else joint[holding] = { ...g, params, draws: g.draws.map((row) => row.filter((_, j) => j !== i)) };
    }
  }
  warnings.push(...mechanisms.warnings);
  const hcaRate = fitOrSay(
    () => fitHcaRateOfPaths(paths, (name) => profile.paths[name].medium),
    'hca.messageRate',
    paths.flatMap((p) => p.files),
  );
  if (hcaRate?.messageRate) {
    profile.hca.messageRate = hcaRate.messageRate;
    fitted.add('hca.messageRate');
  }
  warnings.push(...(hcaRate?.warnings ?? []));
  // Node and HCA parameters: a run that cannot pin one down warns and keeps the base's.
  const node = fitNodeParamsOfPaths(paths, (name) => profile.paths[name].medium, settings, {
    numaRemoteFactor: base.node.numaRemoteFactor,
    baseName: base.name,
  });
  for (const { field, param } of node.params) {
    const [block, name] = field.split('.') as ['node' | 'hca' | 'virtualization', string];
    (profile[block] as Record<string, Param>)[name] = param;
    fitted.add(field);
  }
  warnings.push(...node.warnings);
  const vf = fitVfParamsOfPaths(paths, settings, {
    interruptExitCost: base.virtualization.interruptExitCost,
    baseName: base.name,
  });
  for (const { field, param } of vf.params) {
    profile.virtualization[field.split('.')[1] as keyof Profile['virtualization']] = param;
    fitted.add(field);
  }
  warnings.push(...vf.warnings);
  const compute = fitComputeParams(
    computeInputs,
    { eagerThreshold: base.mpi.eagerThreshold.value },
    settings,
  );
  for (const { field, param } of compute.params) {
    if (field === 'mpi.copyPerByte') profile.mpi.copyPerByte = param;
    else profile.compute.reducePerByte = param;
    fitted.add(field);
  }
  warnings.push(...compute.warnings);
  const bfs = fitGraph500Params(graph500Inputs, settings);
  if (bfs) {
    profile.compute.bfsPerEdgeCost = bfs.param;
    fitted.add('compute.bfsPerEdgeCost');
    warnings.push(...bfs.warnings);
  }
  const host = (() => {
    try {
      return fitNoiseParams(noise, base, settings);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new InputError(
        `cannot fit the host-CPU parameters from ${noise.map((n) => n.file).join(', ')}: ${e.message}`,
      );
    }
  })();
  for (const { field, param } of host.params) {
    profile.virtualization[field.split('.')[1] as keyof Profile['virtualization']] = param;
    fitted.add(field);
  }
  warnings.push(...host.warnings);
  if (host.joint) joint.push(host.joint);
  const iommu = fitIommuOfPaths(paths, base, settings);
  for (const { field, param } of iommu.params) {
    profile.virtualization[field.split('.')[1] as keyof Profile['virtualization']] = param;
    fitted.add(field);
  }
  joint.push(...iommu.joint);
  warnings.push(...iommu.warnings);
  // The base's groups stand while none of their parameters was refitted; a refitted one's
  // old draws no longer belong to its value.
  const kept = (base.fits ?? [])
    .filter((g) => !g.params.some((field) => fitted.has(field)))
    .map((g) => ({ ...g, source: { ...g.source, ref: `from base profile ${base.name}: ${g.source.ref}` } }));
  if (kept.length + joint.length > 0) profile.fits = [...kept, ...joint];
  else delete profile.fits;
  options.progress?.(1, 'done');
  const allFiles = [...new Set([...inputs, ...noise].map((i) => i.file))];
  profile.name = options.name;
  profile.description = `Calibrated by ibvf calibrate from ${allFiles.join(', ')}; parameters not fitted come from ${base.name}`;
  profile.testbed = {
    summary: `the machine the inputs measured (${allFiles.join(', ')})`,
    source: { kind: 'measurement', ref: allFiles.join(', ') },
  };
  const valid = validateProfile(profile, `the calibrated profile ${options.name}`);

  const params: ReportedParam[] = [];
  const calibratedPaths = paths.map((p) => p.path);
  forEachParam(valid, (field, p: Param) => {
    const inPath = calibratedPaths.some((name) => field.startsWith(`paths.${name}.`));
    if (!inPath && !fitted.has(field)) return;
    params.push({
      field,
      value: p.value,
      unit: p.unit,
      interval: p.interval ?? null,
      source: p.source,
      fitted: fitted.has(field),
    });
  });
  const rows = options.holdout ? predictHoldout(valid, heldOutPaths(options.holdout)) : [];
  return {
    profile: valid,
    report: {
      name: options.name,
      base: base.name,
      inputs: [
        ...inputs.map((i) => ({
          file: i.file,
          path: i.kind === 'compute' || i.kind === 'graph500' ? '(node)' : i.path,
          kind: i.kind,
          what: describe(i),
        })),
        ...noise.map((i) => ({ file: i.file, path: '-', kind: i.kind, what: describeNoise(i) })),
      ],
      params,
      quality,
      holdout: { rows, ...summarize(rows) },
      warnings,
    },
  };
}

/** Held-out inputs are predicted per path; a compute probe file measured no path to predict. */
function heldOutPaths(holdout: readonly CalibrationInput[]): PathInput[] {
  const compute = holdout.find((i) => i.kind === 'compute' || i.kind === 'graph500');
  if (compute)
    throw new InputError(
      `${compute.kind === 'compute' ? 'a compute probe file' : 'a Graph500 output'} cannot be held out: the held-out files are predicted per path, and it measured the node; give it as an input`,
      compute.file,
    );
  return holdout as PathInput[];
}

/** A fitter's RangeError (too few points, no PRTT(1,0,s), ...) is the inputs' fault: one line naming them. */
function fitOrSay<T>(fit: () => T, path: string, files: string[]): T {
  try {
    return fit();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new InputError(
      `cannot fit path ${path} from ${files.join(', ')}: ${e.message.replace(/^\w+: /, '')}; add the missing measurements`,
    );
  }
}

/** Every parameter's source says it came from the base profile (fitted ones are replaced later). */
function fromBase(profile: Profile, baseName: string): void {
  const from = (source: Source): Source => ({
    kind: source.kind,
    ref: `from base profile ${baseName}: ${source.ref}`,
  });
  forEachParam(profile, (_, p) => (p.source = from(p.source)));
  // The facts the MPI library detects (words, not numbers) come from the base too.
  for (const fact of Object.values(profile.mpiHost ?? {}))
    if (!('unit' in fact)) fact.source = from(fact.source);
}

function describeNoise(input: NoiseInput): string {
  const r = input.result;
  const where =
    r.node.vms_per_node === null
      ? `native, ${r.node.host_cores ?? r.host.cpus} cores`
      : `guest, ${r.node.vms_per_node} VM(s) per node of ${r.node.host_cores} cores`;
  return `ibvf probe noise: ${r.options.workers} workers, ${where}${r.partial ? ', partial' : ''}`;
}

function describe(input: CalibrationInput): string {
  if (input.kind === 'graph500') {
    const r = input.run;
    return `Graph500 reference: SCALE ${r.scale}, ${r.processes} process(es), ${r.roots} roots${r.perRoot.length > 0 ? ' (per-root times kept)' : ''}`;
  }
  if (input.kind === 'compute') {
    const r = input.result;
    const runs = r.runs.map((run) => `${run.op} ${run.cache}`).join(', ');
    return `ibvf probe compute on ${r.host.cpu}, CPU ${r.cpu.requested} (${runs}; ${r.options.sizes.length} sizes)${r.partial ? ', partial' : ''}`;
  }
  if (input.kind === 'probe') {
    const r = input.result;
    const regions = r.region_latency?.length ? `, ${r.region_latency.length} --region ping-pong` : '';
    return `ibvf probe ${r.transport} ${r.options.suite} (${r.latency.length} ping-pong, ${r.streaming.length} streaming, ${r.prtt.length} PRTT run(s)${regions})${r.partial ? ', partial' : ''}`;
  }
  if (input.kind === 'matrix')
    return `ibvf probe --matrix ${input.transport}: pairs ${input.pairs.map((p) => `${p.a}-${p.b}`).join(', ')}`;
  return input.runs.map((r) => `${r.tool} ${r.test}`).join(', ');
}
