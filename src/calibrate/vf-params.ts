/**
 * The virtualization parameters a probe run measures across runs of the VF paths, written
 * into the profile by calibrateProfile:
 *
 * - `virtualization.perVfCost` from `--pairs N` streaming inside one VM (path
 *   `vf-loopback`) against the same across VMs of the node (`vf-to-vf`), at the smallest
 *   size both share with the deepest window (fit/per-vf-cost.ts);
 * - `virtualization.interruptService` (and `interruptExitCost`) from `--progress event
 *   --pairs N` ping-pong on one host: on `native-loopback` (the PF: the service alone) and
 *   in one VM on `vf-loopback` (the VF: service plus exits), at the smallest size every
 *   pair's sweep has (fit/interrupt-service.ts). With both, the exit cost is their
 *   difference; with the VM's runs alone, the service is theirs less the base's exit cost.
 *
 * Inputs without those runs leave the base's values and say nothing; runs that cannot pin a
 * parameter down keep the base's value with a warning naming it.
 */
import type { Param } from '../profiles/types.js';
import { fitVectorService, type VectorServiceFit } from './fit/interrupt-service.js';
import { fitPerVfCost } from './fit/per-vf-cost.js';
import type { EventPairsSweeps, PairStream, PathData } from './path-data.js';

type VfField = 'perVfCost' | 'interruptService' | 'interruptExitCost';

export interface VfParamsFit {
  params: { field: `virtualization.${VfField}`; param: Param }[];
  warnings: string[];
}

export function fitVfParamsOfPaths(
  paths: readonly PathData[],
  settings: { draws: number; seed: number },
  base: { interruptExitCost: Param; baseName: string },
): VfParamsFit {
  const out: VfParamsFit = { params: [], warnings: [] };
  fitInterrupts(paths, settings, base, out);
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
  fitPerVf(oneVm, acrossVms, shared, key, settings, out);
  return out;
}

function fitPerVf(
  oneVm: PairStream[],
  acrossVms: PairStream[],
  shared: PairStream[],
  key: (s: PairStream) => string,
  settings: { draws: number; seed: number },
  out: VfParamsFit,
): void {
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
}

const r4 = (x: number) => Number(x.toPrecision(4));

function param(value: number, interval: [number, number] | null, ref: string): Param {
  return {
    value: r4(value),
    unit: 'us',
    ...(interval ? { interval: [r4(interval[0]), r4(interval[1])] as [number, number] } : {}),
    source: { kind: 'fit', ref },
  };
}

/** The event-mode pair runs of one host (or VM) on `name`, each at the smallest size every sweep has. */
function eventRunsOf(paths: readonly PathData[], name: string) {
  const runs: EventPairsSweeps[] =
    paths.find((p) => p.path === name)?.eventPairs.filter((r) => r.hosts === 1) ?? [];
  if (!runs.some((r) => r.pairs === 1) || new Set(runs.map((r) => r.pairs)).size < 2) return null;
  const sweeps = runs.flatMap((r) => r.perPair);
  const bytes = Math.min(
    ...sweeps[0].map((p) => p.bytes).filter((b) => sweeps.every((sw) => sw.some((p) => p.bytes === b))),
  );
  if (!Number.isFinite(bytes)) return null;
  return {
    bytes,
    files: [...new Set(runs.map((r) => r.file))].join(', '),
    runs: runs.map((r) => ({
      pairs: r.pairs,
      perPair: r.perPair.flatMap((sw) => sw.filter((p) => p.bytes === bytes)),
    })),
  };
}

function fitInterrupts(
  paths: readonly PathData[],
  settings: { draws: number; seed: number },
  base: { interruptExitCost: Param; baseName: string },
  out: VfParamsFit,
): void {
  const attempt = (name: string, seed: number) => {
    const data = eventRunsOf(paths, name);
    if (!data) return null;
    try {
      const fit = fitVectorService(data.runs, { ...settings, seed });
      return {
        ...data,
        fit,
        ref: `fitVectorService on ${data.files} (${name}, event mode, ${data.bytes} B): ${fit.from}; ${fit.intervals.why}`,
      };
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      out.warnings.push(`virtualization.${e.message} (${name}); kept from the base profile`);
      return null;
    }
  };
  const pf = attempt('native-loopback', settings.seed);
  const vf = attempt('vf-loopback', settings.seed + 1);
  const zero = (name: string, raw: number, what: string) => {
    if (raw >= 0) return raw;
    out.warnings.push(
      `virtualization.${name}: ${what} is ${r4(raw)} us < 0; set to 0, the data cannot tell ${name} from 0`,
    );
    return 0;
  };
  const diffInterval = (a: VectorServiceFit, b: VectorServiceFit): [number, number] | null =>
    a.interval && b.interval
      ? [Math.max(0, a.interval[0] - b.interval[1]), Math.max(0, a.interval[1] - b.interval[0])]
      : null;
  if (pf)
    out.params.push({
      field: 'virtualization.interruptService',
      param: param(pf.fit.value, pf.fit.interval, pf.ref),
    });
  if (vf && pf) {
    const exit = zero(
      'interruptExitCost',
      vf.fit.value - pf.fit.value,
      'the VF vector service less the PF one',
    );
    out.params.push({
      field: 'virtualization.interruptExitCost',
      param: param(
        exit,
        diffInterval(vf.fit, pf.fit),
        `the VF vector service (${vf.ref}) less the PF one (${pf.ref}); 95% interval: the VF's interval less the PF's (conservative: their ends subtracted)`,
      ),
    });
  } else if (vf) {
    const exitCost = base.interruptExitCost.value;
    const service = zero(
      'interruptService',
      vf.fit.value - exitCost,
      `the VF vector service less the base's interruptExitCost (${exitCost} us)`,
    );
    out.params.push({
      field: 'virtualization.interruptService',
      param: param(
        service,
        vf.fit.interval
          ? [Math.max(0, vf.fit.interval[0] - exitCost), Math.max(0, vf.fit.interval[1] - exitCost)]
          : null,
        `${vf.ref}; less interruptExitCost ${exitCost} us from base profile ${base.baseName} (no native-loopback event runs to measure it; its uncertainty not included)`,
      ),
    });
  }
}
