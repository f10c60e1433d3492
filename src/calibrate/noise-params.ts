/**
 * The host-CPU parameters of rule 1 (src/model/virtualization.ts) from `ibvf probe noise`
 * files (`ibvf.probe-noise/1`), written into the profile by calibrateProfile. Pure: the
 * CLI reads and validates the files.
 *
 * A run's stretch is its mean quantum over the undisturbed quantum, both per loop of the
 * same work (runs calibrate their loop count apart, so quanta compare per loop). The
 * undisturbed quantum (the reference) is the mean quantum of the native runs with the most
 * workers still <= cores: rule 1 gives natively no stretch while D <= C, such a run holds
 * the host's ordinary background noise, as the model's native CPU costs do, and with all
 * cores busy its clock is the oversubscribed runs' (turbo depends on the busy cores; the
 * minimum, below, is the best case instead). Without such a
 * run it is the shortest native quantum, FWQ's noiseless quantum (the one no interruption
 * lengthened); the stretches then include the background noise too, and a warning says so.
 *
 * - `subscriptionPenalty` from native runs with W > C (fit/subscription-penalty.ts);
 * - `tickOverhead` from the guest run of least demand that the base's host accounting
 *   leaves under the cores (K W + hostCoresReserved + K hostWorkPerVm <= C, the base's
 *   values), against the host run at the guest's worker count when there is one (the same
 *   busy cores), else the reference (fit/tick-overhead.ts);
 * - `hostCoresReserved` and `hostWorkPerVm` from the other guest runs, every VM of the node
 *   running W workers (fit/host-cpu-demand.ts), with this calibration's t and p (or the
 *   base's when these runs do not measure them).
 *
 * A guest run is one with `node.vms_per_node` (`--vms-per-node`); a run in a VM without it
 * counts as a native node of its CPUs (a cloud VM used as a node). Intervals: one seeded
 * bootstrap over every run's quanta (workers resampled, then their quanta; the quanta are
 * treated as independent, which a descheduling longer than a quantum makes them not), each
 * draw carried through the whole chain, so the four parameters' draws keep their
 * correlation (kept as one `fits` group). Values outside a parameter's range are clamped
 * with a warning naming it; a penalty <= 0 (no stretch seen) keeps the base's.
 */
import { InputError } from '../errors.js';
import { range95 } from '../model/uncertainty/draw.js';
import type { JointDraws, Param, Profile } from '../profiles/types.js';
import { demandOf, hostDemandOf, type HostWorkPoint } from './fit/host-cpu-demand.js';
import { drawCells, type CellRun } from './fit/resample.js';
import { subscriptionPenaltyOf } from './fit/subscription-penalty.js';
import { tickOverheadOf } from './fit/tick-overhead.js';
import type { NoiseInput } from './input.js';
import { keptJointDraws } from './joint-draws.js';

export type NoiseField = 'subscriptionPenalty' | 'tickOverhead' | 'hostCoresReserved' | 'hostWorkPerVm';

export interface NoiseParamsFit {
  params: { field: `virtualization.${NoiseField}`; param: Param }[];
  warnings: string[];
  /** The joint draws of the parameters fitted here, when two or more were. */
  joint: JointDraws | null;
}

interface Run {
  file: string;
  workers: number;
  cores: number;
  vms: number | null;
  cpu: string;
  /** Per worker, each quantum's time per loop (us). */
  perLoop: number[][];
}

/** Runs of one configuration, pooled as repeats, and where their value sits among the cells. */
interface Group {
  runs: Run[];
  cell: number;
}

/** Bounds of rule 1's parameters (src/profiles/rules.ts), for clamping. */
const MAX_PENALTY = 100;
const MAX_TICK = 0.99;
const MAX_RESERVED = 65536;

function toRun(input: NoiseInput, warnings: string[]): Run {
  const r = input.result;
  const perLoop = r.workers
    .map((w) => w.samples_us.map((x) => x / r.quantum.loops))
    .filter((w) => w.length > 0);
  if (perLoop.length === 0)
    throw new InputError('the noise run recorded no quanta (stopped at once?): run it again', input.file);
  if (r.partial)
    warnings.push(
      `${input.file}: partial noise run (stopped: ${r.stopped ?? 'not said'}); its quanta used as far as they go`,
    );
  const vms = r.node.vms_per_node;
  if (vms === null && r.host.is_vm)
    warnings.push(
      `${input.file}: ran in a VM (${r.host.vm_evidence}) without --vms-per-node: counted as a native node of ${r.node.host_cores ?? r.host.cpus} cores`,
    );
  return {
    file: input.file,
    workers: perLoop.length,
    cores: vms === null ? (r.node.host_cores ?? r.host.cpus) : r.node.host_cores!,
    vms,
    cpu: r.host.cpu,
    perLoop,
  };
}

const filesOf = (runs: readonly Run[]) => [...new Set(runs.map((r) => r.file))].join(', ');
const r4 = (x: number) => Number(x.toPrecision(4));

function groupBy(runs: readonly Run[], key: (r: Run) => string): Run[][] {
  const out = new Map<string, Run[]>();
  for (const r of runs) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return [...out.values()];
}

export function fitNoiseParams(
  inputs: readonly NoiseInput[],
  base: Profile,
  settings: { draws: number; seed: number },
): NoiseParamsFit {
  const out: NoiseParamsFit = { params: [], warnings: [], joint: null };
  if (inputs.length === 0) return out;
  const runs = inputs.map((i) => toRun(i, out.warnings));
  const native = runs.filter((r) => r.vms === null);
  const guests = runs.filter((r) => r.vms !== null);
  const cores = new Set(runs.map((r) => r.cores));
  if (cores.size > 1) {
    const say = runs.map((r) => `${r.file}: ${r.cores}`).join(', ');
    throw new InputError(
      `noise runs of nodes with different cores (${say}): calibrate one kind of node at a time (a guest run's cores are its --host-cores)`,
    );
  }
  const C = [...cores][0];
  const cpus = new Set(runs.map((r) => r.cpu));
  if (cpus.size > 1)
    out.warnings.push(
      `noise runs report different CPU models (${[...cpus].join('; ')}): a guest's CPU model may be the hypervisor's; quanta compare only on the same physical CPU`,
    );

  const v = base.virtualization;
  const cells: CellRun[][] = [];
  const cellOf = (group: Run[]): Group => {
    cells.push(group.flatMap((r) => r.perLoop.map((s) => ({ us: Number.NaN, samples_us: s }))));
    return { runs: group, cell: cells.length - 1 };
  };
  // The reference: the native runs with the most workers still <= C (all cores busy, as in
  // the oversubscribed runs: a CPU's turbo clock depends on how many of its cores are busy).
  const under = native.filter((r) => r.workers <= r.cores);
  const refWorkers = Math.max(...under.map((r) => r.workers));
  const refRuns = under.filter((r) => r.workers === refWorkers);
  const ref = refRuns.length > 0 ? cellOf(refRuns) : null;
  let refMin = Infinity; // a loop: a spread of a million quanta would overflow the call stack
  for (const r of native) for (const s of r.perLoop) for (const x of s) if (x < refMin) refMin = x;
  if (!ref && native.length === 0) {
    out.warnings.push(
      `virtualization.tickOverhead, hostCoresReserved, hostWorkPerVm: the guest noise runs (${filesOf(guests)}) need a run on the host with workers <= cores to compare with; kept from the base profile`,
    );
    return out;
  }
  const refWords = ref
    ? `reference: the mean quantum per loop of the native run(s) with the most workers <= cores (${filesOf(ref.runs)}, ${refWorkers} workers), the state rule 1 calls unstretched`
    : `reference: the shortest native quantum per loop (FWQ's noiseless quantum: no native run with workers <= cores), so the stretches include the host's background noise`;
  if (!ref)
    out.warnings.push(
      'noise runs: no native run with workers <= cores; stretches taken over the shortest quantum (FWQ), which counts background noise as oversubscription: add such a run',
    );

  const over = groupBy(
    native.filter((r) => r.workers > r.cores),
    (r) => String(r.workers),
  ).map(cellOf);

  if (over.length === 0 && guests.length === 0)
    out.warnings.push(
      `virtualization.subscriptionPenalty: the noise runs (${filesOf(native)}) have none with more workers than cores; kept from the base profile (add one: --workers ${2 * C})`,
    );

  let tick: Group | null = null;
  let hostAtTick: Group | null = null;
  const demand: Group[] = [];
  if (guests.length > 0 && !ref)
    out.warnings.push(
      `virtualization.tickOverhead, hostCoresReserved, hostWorkPerVm: the guest runs (${filesOf(guests)}) need a host run with workers <= cores; kept from the base profile`,
    );
  else if (guests.length > 0) {
    const groups = groupBy(guests, (r) => `${r.vms} ${r.workers}`);
    const baseDemand = (g: Run[]) =>
      g[0].vms! * g[0].workers + v.hostCoresReserved.value + g[0].vms! * v.hostWorkPerVm.value;
    const calm = groups.filter((g) => baseDemand(g) <= C).sort((a, b) => baseDemand(a) - baseDemand(b));
    if (calm.length > 0) {
      tick = cellOf(calm[0]);
      // The host at the guest's worker count, when it was run: the same busy cores, the same clock.
      const same = under.filter((r) => r.workers === calm[0][0].workers);
      hostAtTick = same.length > 0 && calm[0][0].workers !== refWorkers ? cellOf(same) : ref;
    }
    for (const g of groups.filter((g) => baseDemand(g) > C)) demand.push(cellOf(g));
    if (calm.length === 0)
      out.warnings.push(
        `virtualization.tickOverhead: every guest run oversubscribes the node by the base's accounting (K W + ${v.hostCoresReserved.value} + K x ${v.hostWorkPerVm.value} > ${C}); run one VM with fewer workers; kept from the base profile`,
      );
  }

  // The chain from the cells' values (per-loop mean quanta) to the parameters.
  const solve = (values: number[], say: ((w: string) => void) | null) => {
    const reference = ref ? values[ref.cell] : refMin;
    const stretch = (g: Group) => values[g.cell] / reference;
    let p: number | undefined;
    if (over.length > 0) {
      const raw = subscriptionPenaltyOf(
        over.map((g) => ({ workers: g.runs[0].workers, cores: C, stretch: stretch(g) })),
      );
      if (!(raw > 0))
        say?.(
          `virtualization.subscriptionPenalty: the oversubscribed runs were no slower than the reference (p = ${r4(raw)}); kept from the base profile`,
        );
      else if (raw > MAX_PENALTY) {
        say?.(
          `virtualization.subscriptionPenalty: ${r4(raw)} is above ${MAX_PENALTY}; set to ${MAX_PENALTY}`,
        );
        p = MAX_PENALTY;
      } else p = raw;
    }
    let t: number | undefined;
    if (tick) {
      const raw = tickOverheadOf(stretch(tick), stretch(hostAtTick!));
      t = Math.min(MAX_TICK, Math.max(0, raw));
      if (raw !== t)
        say?.(
          `virtualization.tickOverhead: ${r4(raw)} is outside [0, ${MAX_TICK}] (the guest ran ${raw < 0 ? 'faster than' : 'far slower than'} the host); set to ${t}`,
        );
    }
    const tUse = t ?? v.tickOverhead.value;
    const pUse = p ?? v.subscriptionPenalty.value;
    const points: HostWorkPoint[] = [];
    for (const g of demand) {
      const s = stretch(g);
      const k = g.runs[0].vms!;
      if (s / (1 + tUse) <= 1) {
        say?.(
          `virtualization.hostCoresReserved, hostWorkPerVm: ${filesOf(g.runs)} (K = ${k}, ${g.runs[0].workers} workers) showed no oversubscription (stretch ${r4(s)} <= 1 + t): it bounds the host's work by ${C - k * g.runs[0].workers} cores but does not measure it; left out`,
        );
        continue;
      }
      points.push({ vms: k, extra: demandOf(s, C, tUse, pUse) - k * g.runs[0].workers });
    }
    let reserved: number | undefined;
    let hostWork: number | undefined;
    let separated = false;
    if (points.length > 0) {
      const fit = hostDemandOf(points, v.hostCoresReserved.value);
      separated = fit.separated;
      if (fit.separated) {
        reserved = Math.min(MAX_RESERVED, fit.reserved);
        if (fit.rawReserved !== null && fit.rawReserved < -0.5)
          say?.(
            `virtualization.hostCoresReserved: the line's intercept is ${r4(fit.rawReserved)} < 0; set to 0`,
          );
      }
      hostWork = Math.max(0, fit.hostWork);
      if (fit.hostWork < 0)
        say?.(
          `virtualization.hostWorkPerVm: ${r4(fit.hostWork)} < 0 (the host's work fell as VMs were added); set to 0`,
        );
    }
    return { p, t, reserved, hostWork, separated, points: points.length };
  };

  const drawn = drawCells(cells, { draws: settings.draws, seed: settings.seed, statistic: 'mean' });
  const point = solve(drawn.values, (w) => out.warnings.push(w));
  const draws = drawn.draws.map((d) => solve(d, null));
  const column = (key: 'p' | 't' | 'reserved' | 'hostWork') =>
    draws.map((d) => d[key]).filter((x): x is number => x !== undefined);
  const interval = (key: 'p' | 't' | 'reserved' | 'hostWork', whole = false): [number, number] | null => {
    const c = column(key);
    if (c.length < 40) return null;
    const [lo, hi] = range95(c);
    return whole ? [Math.floor(lo), Math.ceil(hi)] : [lo, hi];
  };
  const how =
    drawn.source.method === 'bootstrap'
      ? `95% interval: seeded bootstrap (${drawn.source.draws} draws, seed ${drawn.source.seed}): each configuration's workers resampled, then each worker's quanta, the mean per loop taken again and carried through the whole chain (quanta treated as independent)`
      : `no interval: ${drawn.source.why}`;
  const param = (
    value: number,
    unit: 'ratio' | 'count',
    iv: [number, number] | null,
    ref: string,
  ): Param => ({
    value: unit === 'count' && Number.isInteger(value) ? value : r4(value),
    unit,
    ...(iv ? { interval: (unit === 'count' ? iv : [r4(iv[0]), r4(iv[1])]) as [number, number] } : {}),
    source: { kind: 'fit', ref: `${ref}; ${how}` },
  });
  const kept: { field: string; key: 'p' | 't' | 'reserved' | 'hostWork' }[] = [];
  const add = (field: NoiseField, p: Param, key: 'p' | 't' | 'reserved' | 'hostWork') => {
    out.params.push({ field: `virtualization.${field}`, param: p });
    kept.push({ field: `virtualization.${field}`, key });
  };

  const allOver = over.flatMap((g) => g.runs);
  if (point.p !== undefined)
    add(
      'subscriptionPenalty',
      param(
        point.p,
        'ratio',
        interval('p'),
        `fitSubscriptionPenalty on ${filesOf(allOver)}: native runs at ${over.map((g) => `W = ${g.runs[0].workers}`).join(', ')} on C = ${C} cores, stretch s = mean quantum / reference, s - 1 = p (W/C - 1) by least squares (rule 1); ${refWords}`,
      ),
      'p',
    );
  const tWords =
    point.p !== undefined ? 'this calibration' : `base profile ${base.name} (${v.subscriptionPenalty.value})`;
  if (tick && point.t !== undefined)
    add(
      'tickOverhead',
      param(
        point.t,
        'ratio',
        interval('t'),
        `fitTickOverhead on ${filesOf(tick.runs)} (guest, K = ${tick.runs[0].vms}, ${tick.runs[0].workers} workers, not oversubscribed by the base's host accounting) against the host at ${hostAtTick!.runs[0].workers} workers (${filesOf(hostAtTick!.runs)}${hostAtTick!.runs[0].workers === tick.runs[0].workers ? '' : ": no host run at the guest's worker count, whose busy cores would set the same clock"}): 1 + t = s_guest / s_host (rule 1); ${refWords}`,
      ),
      't',
    );
  if (point.hostWork !== undefined) {
    const runsUsed = demand.flatMap((g) => g.runs);
    const ks = [...new Set(demand.map((g) => g.runs[0].vms))].join(', ');
    const chain = `D = C (1 + (s / (1 + t) - 1) / p) with C = ${C}, t from ${tick ? 'this calibration' : `base profile ${base.name} (${v.tickOverhead.value})`}, p from ${tWords}; D - K W = hostCoresReserved + K x hostWorkPerVm (rule 1)`;
    if (point.separated && point.reserved !== undefined)
      add(
        'hostCoresReserved',
        param(
          point.reserved,
          'count',
          interval('reserved', true),
          `fitHostCpuDemand on ${filesOf(runsUsed)} (guest runs at K = ${ks}): the line's intercept, rounded to whole cores; ${chain}; ${refWords}`,
        ),
        'reserved',
      );
    add(
      'hostWorkPerVm',
      param(
        point.hostWork,
        'count',
        interval('hostWork'),
        point.separated
          ? `fitHostCpuDemand on ${filesOf(runsUsed)} (guest runs at K = ${ks}): the line's slope through the rounded intercept; ${chain}; ${refWords}`
          : `fitHostCpuDemand on ${filesOf(runsUsed)} (guest runs at one VM count, K = ${ks}: they measure hostCoresReserved + K x hostWorkPerVm only, so hostCoresReserved stays ${v.hostCoresReserved.value} from base profile ${base.name} and hostWorkPerVm takes the rest); ${chain}; ${refWords}`,
      ),
      'hostWork',
    );
    if (!point.separated)
      out.warnings.push(
        `virtualization.hostCoresReserved: the guest runs have one VM count (K = ${ks}), which cannot separate it from hostWorkPerVm; kept from the base profile (run the probe at a second VM count)`,
      );
  }
  // The joint draws: the draws in which every parameter fitted here came out (a draw can
  // lose one, e.g. a penalty <= 0), so each row stays one draw of the data.
  const whole = draws.filter((d) => kept.every((k) => d[k.key] !== undefined));
  if (kept.length >= 2)
    out.joint = keptJointDraws(
      kept.map((k) => k.field),
      kept.map((k) => whole.map((d) => d[k.key]!)),
      `fitNoiseParams on ${filesOf(runs)}: joint bootstrap draws of the host-CPU parameters`,
    );
  return out;
}
