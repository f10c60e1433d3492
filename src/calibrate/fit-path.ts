/**
 * Fits one profile path from its measurements (path-data.ts). Which parameters the data
 * determine, and by which fitter:
 *
 * - PRTT runs (the probe's loggp suite): L, o_s = o_r = o, g and G by fitLogGP (Netgauge's
 *   method, fit/loggp-prtt.ts), with joint bootstrap intervals over the raw samples. LogGP
 *   has no per-byte CPU cost apart from G, so O = 0 there (the copy is inside G).
 * - Latency curves: fitSegmented (fit/segmented.ts) gives the small-message intercept t0
 *   and the per-byte slope of the largest sizes, with bootstrap intervals. L is set so that
 *   the model's latency at 0 bytes is t0 (it enters every formula once, so this is exact).
 *   On the shared-memory MPI path the slope is max(2 O, G) (src/model/p2p/mpi.ts), and O is
 *   taken as slope / 2; for the probe's raw messages the slope is G.
 * - Bandwidth curves (osu_bw, the probe's streaming): G is the value for which the model's
 *   bandwidth (p2pBandwidth, or loggpStreamBandwidth for the probe) equals the measured one
 *   at the largest sizes (whole sizes until 3 points; the median of the solutions); g
 *   likewise at the smallest, where the gap, not the bytes, paces the stream. Benchmarks
 *   that print one number per size give no interval for these: said in the source.
 * - On the shared-memory path, an MPI benchmark measures t0 = o_s + L + o_r + m and its
 *   streaming gap bounds the sender's o_s + m; the inputs cannot split these further, so
 *   o_s = o_r = min(g, t0 / 3), m (mpi.perMessageOverhead, the base library's) is folded
 *   into them (set to 0), and L takes the rest. The source of each says so. The probe's
 *   own sweep and streaming (no library) are split the same way.
 * - TCP over IPoIB (tcp.ts) has no L: a TCP latency curve fits the stack cost o_s = o_r,
 *   what t0 leaves after the carrier path's event-mode verbs send.
 *
 * - A verbs probe file's timed calls (`overheads`) give o_s and o_r themselves
 *   (fit/verbs-overheads.ts) before L is solved from its curve.
 *
 * Event-mode latency beside poll-mode latency gives eventExtra (fit/event-extra.ts).
 *
 * Parameters derived from one joint draw of the data (fitLogGP's) are kept as a group of
 * joint draws (`joint`, the profile's `fits`), so predictions draw them together.
 */
import { median } from 'simple-statistics';
import type { JointDraws, MpiParams, Param, PathParams, Profile, Source, Unit } from '../profiles/types.js';
import { keptJointDraws } from './joint-draws.js';
import { fitEventExtra } from './fit/event-extra.js';
import { fitLogGP } from './fit/loggp-prtt.js';
import { measuredOverheads } from './fit/verbs-overheads.js';
import { fitSegmented, type SegmentedFit } from './fit/segmented.js';
import type { FitQuality } from './input.js';
import { loggpOneWay, loggpPrtt, loggpStreamBandwidth } from './loggp-predict.js';
import type { Curve, CurveOp, PathData } from './path-data.js';
import { p2pBandwidth, p2pLatency } from '../model/p2p/predict.js';

export interface PathFit {
  path: PathParams;
  /** Fields of the path that were fitted. */
  fitted: string[];
  /** Fields of the mpi section the fit set. */
  mpi: Partial<Pick<MpiParams, 'perMessageOverhead'>>;
  quality: FitQuality[];
  warnings: string[];
  /** Parameters fitted together with their joint draws, for the profile's `fits`. */
  joint: JointDraws[];
}

export interface FitSettings {
  draws: number;
  seed: number;
}

const param = (value: number, unit: Unit, ref: string, interval?: [number, number] | null): Param => {
  const source: Source = { kind: 'fit', ref };
  if (!interval) return { value, unit, source };
  const lo = Math.max(0, Math.min(interval[0], value));
  const hi = Math.max(interval[1], value);
  return { value, unit, interval: [lo, hi], source };
};

const files = (list: string[]) => list.join(', ');

/** The model's latency (us) or bandwidth (MB/s) of a curve's operation over a path. */
export function curveModel(
  profile: Profile,
  pathName: string,
  curve: Pick<Curve, 'op' | 'progress' | 'metric' | 'window'>,
  bytes: number,
): number {
  const path = profile.paths[pathName];
  if (curve.op === 'loggp') {
    return curve.metric === 'latency'
      ? loggpOneWay(path, bytes)
      : loggpStreamBandwidth(path, bytes, curve.window ?? 64);
  }
  // The model's TCP is interrupt-driven (tcp.ts): the kernel wakes the receiver whatever the benchmark does.
  const q = {
    path: pathName,
    op: curve.op,
    progress: curve.op === 'tcp' ? ('event' as const) : curve.progress,
  };
  return curve.metric === 'latency' ? p2pLatency(profile, q, bytes) : p2pBandwidth(profile, q, bytes);
}

/** x in [lo, hi] where f(x) = target, f decreasing in x (bandwidth in G or g); null when out of reach. */
function solveDecreasing(f: (x: number) => number, target: number, lo: number, hi: number): number | null {
  if (f(lo) < target || f(hi) > target) return null;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const relError = (fitted: number, measured: number) => (fitted - measured) / measured;

function quality(
  path: string,
  what: string,
  from: string[],
  rows: { label: string; measured: number; fitted: number }[],
): FitQuality {
  const residuals = rows.map((r) => ({ ...r, relError: relError(r.fitted, r.measured) }));
  const worst = residuals.reduce<FitQuality['worst']>(
    (w, r) =>
      w === null || Math.abs(r.relError) > Math.abs(w.relError)
        ? { label: r.label, relError: r.relError }
        : w,
    null,
  );
  return { path, what, files: from, residuals, worst };
}

export function fitPath(profile: Profile, data: PathData, settings: FitSettings): PathFit {
  const out: PathFit = {
    path: structuredClone(profile.paths[data.path]),
    fitted: [],
    mpi: {},
    quality: [],
    warnings: [],
    joint: [],
  };
  const working: Profile = { ...profile, paths: { ...profile.paths, [data.path]: out.path } };
  const set = (field: keyof PathParams, value: Param) => {
    (out.path as unknown as Record<string, Param>)[field] = value;
    if (!out.fitted.includes(field)) out.fitted.push(field);
  };
  const poll = data.curves.filter((c) => c.progress === 'poll');
  const unused = data.curves.filter((c) => c.progress === 'blocking');
  if (unused.length > 0)
    out.warnings.push(
      `${data.path}: blocking-mode runs of ${files([...new Set(unused.map((c) => c.file))])} are not fitted (calibrate fits poll runs, and event beside poll)`,
    );
  const latency = poll.filter((c) => c.metric === 'latency');
  const bandwidth = poll.filter((c) => c.metric === 'bandwidth');

  if (data.prtt.length > 0) {
    fitFromPrtt(data, settings, out, set);
    if (latency.length + bandwidth.length > 0)
      out.warnings.push(
        `${data.path}: L, o, g and G come from the PRTT runs; the latency and bandwidth curves of ${files([...new Set([...latency, ...bandwidth].map((c) => c.file))])} were not used for them`,
      );
  } else if (latency.length > 0) fitFromCurves(working, data, latency, bandwidth, settings, out, set);
  else if (bandwidth.length > 0) {
    out.warnings.push(
      `${data.path}: bandwidth without latency; fitting needs a latency curve or PRTT runs, so the path is kept from the base profile`,
    );
  }
  fitEvent(data, settings, out, set);
  if (out.path.medium === 'ipoib' && out.fitted.includes('L')) {
    out.warnings.push(
      `${data.path}: the TCP model (tcp.ts) adds the carrier path ${out.path.carrier ?? '?'}'s event-mode verbs latency to o_s + o_r and ignores L; ` +
        'these fits hold the whole measured stack, so --op tcp predictions count the carrier twice unless the inputs ran over IPoIB and L is read as 0',
    );
  }
  return out;
}

type Setter = (field: keyof PathParams, value: Param) => void;

function fitFromPrtt(data: PathData, settings: FitSettings, out: PathFit, set: Setter): void {
  const runs = data.prtt.flatMap((p) => p.runs);
  const from = files(data.prtt.map((p) => p.file));
  const fit = fitLogGP(runs, { draws: settings.draws, seed: settings.seed });
  const how =
    fit.intervals.method === 'none'
      ? `no interval (${fit.intervals.why})`
      : `95% interval: ${fit.intervals.method}, ${fit.intervals.draws} draws, seed ${fit.intervals.seed}`;
  const ref = (what: string) => `fitLogGP (Netgauge PRTT method) on ${from}: ${what}; ${how}`;
  set('L', param(fit.L.value, 'us', ref(fit.L.from), fit.L.interval));
  set('o_s', param(fit.o.value, 'us', ref(`LogGP o, ${fit.o.from}`), fit.o.interval));
  set(
    'o_r',
    param(
      fit.o.value,
      'us',
      ref(`LogGP o taken for o_r too (the probe times the sender only), ${fit.o.from}`),
      fit.o.interval,
    ),
  );
  set('g', param(fit.g.value, 'us', ref(fit.g.from), fit.g.interval));
  set('G', param(fit.G.value, 'us/B', ref(fit.G.from), fit.G.interval));
  set(
    'O',
    param(
      0,
      'us/B',
      `fitLogGP on ${from}: LogGP has no per-byte CPU term apart from G, which holds the copy`,
    ),
  );
  out.warnings.push(...fit.warnings.map((w) => `${data.path}: ${w}`));
  // o_s and o_r are both LogGP's o: one column serves both, so every draw keeps them equal.
  const joint = keptJointDraws(
    ['L', 'o_s', 'o_r', 'g', 'G'].map((f) => `paths.${data.path}.${f}`),
    [fit.draws.L, fit.draws.o, fit.draws.o, fit.draws.g, fit.draws.G],
    `fitLogGP on ${from}: L, o (as o_s and o_r), g and G derived again from each ${fit.intervals.method} draw of the PRTT runs (seed ${fit.intervals.seed})`,
  );
  if (joint) out.joint.push(joint);
  out.quality.push(
    quality(
      data.path,
      'PRTT(n,d,s) fitted through LogGP (in sample)',
      data.prtt.map((p) => p.file),
      runs.map((r) => ({
        label: `PRTT(${r.n},${r.d_us},${r.bytes})`,
        measured: r.us,
        fitted: loggpPrtt(out.path, r.n, r.d_us, r.bytes),
      })),
    ),
  );
}

function segmentedOf(curves: Curve[], settings: FitSettings): SegmentedFit {
  const points = curves.flatMap((c) => c.points.map((p) => ({ bytes: p.bytes, us: p.value })));
  return fitSegmented(points, { bootstrap: { draws: Math.max(40, settings.draws), seed: settings.seed } });
}

function fitFromCurves(
  working: Profile,
  data: PathData,
  latency: Curve[],
  bandwidth: Curve[],
  settings: FitSettings,
  out: PathFit,
  set: Setter,
): void {
  const path = out.path;
  const ops = new Set<CurveOp>(latency.map((c) => c.op));
  if (ops.size > 1)
    out.warnings.push(
      `${data.path}: latency curves of several operations (${[...ops].join(', ')}) pooled in one fit`,
    );
  const op = latency[0].op;
  const latFiles = files([...new Set(latency.map((c) => c.file))]);
  const seg = segmentedOf(latency, settings);
  const first = seg.segments[0];
  const last = seg.segments[seg.segments.length - 1];
  const t0 = first.intercept_us;
  const t0ci = first.intercept_ci;
  const segHow = `fitSegmented on ${latFiles} (${seg.segments.length} segment(s), ${seg.intervals.method} intervals)`;
  const shmMpi = path.medium === 'shm' && op === 'mpi';
  // On shared memory the inputs give t0 = o_s + L + o_r (+ m) and the streaming gap only.
  const split = path.medium === 'shm' && (op === 'mpi' || op === 'loggp');

  // Per byte: the slope of the largest sizes.
  if (shmMpi) {
    const O = Math.max(0, last.slope_us_per_byte / 2);
    set(
      'O',
      param(
        O,
        'us/B',
        `${segHow}: half the slope over ${last.fromBytes}..${last.toBytes} B, read as 2 O of max(2 O, G) (mpi.ts shm)`,
        [last.slope_ci[0] / 2, last.slope_ci[1] / 2],
      ),
    );
  } else if (op === 'loggp') {
    set(
      'O',
      param(0, 'us/B', `${segHow}: LogGP has no per-byte CPU term apart from G, which holds the copy`),
    );
    set(
      'G',
      param(
        Math.max(0, last.slope_us_per_byte),
        'us/B',
        `${segHow}: slope over ${last.fromBytes}..${last.toBytes} B`,
        last.slope_ci,
      ),
    );
  }

  const oneWayAtZero = () => curveModel(working, data.path, { op, progress: 'poll', metric: 'latency' }, 0);
  const fitL = (why: string) => {
    if (op === 'tcp') return fitStack();
    const L = path.L.value + (t0 - oneWayAtZero());
    if (L < 0)
      out.warnings.push(
        `${data.path}: L would be ${L.toPrecision(3)} us < 0 (the overheads already exceed t0 = ${t0.toPrecision(3)} us); set to 0`,
      );
    const value = Math.max(0, L);
    set(
      'L',
      param(
        value,
        'us',
        `${segHow}: the model's 0-byte latency set to the first segment's intercept t0 = ${t0.toPrecision(4)} us${why}`,
        [value + t0ci[0] - t0, value + t0ci[1] - t0],
      ),
    );
  };

  // TCP over IPoIB (tcp.ts) has no L of its own: the kernel stack's o_s + o_r is what the
  // 0-byte latency leaves after the carrier's verbs send; the halves are assumed equal.
  const fitStack = () => {
    const each = Math.max(0, path.o_s.value + (t0 - oneWayAtZero()) / 2);
    if (each === 0)
      out.warnings.push(
        `${data.path}: the carrier's latency alone exceeds t0 = ${t0.toPrecision(3)} us; o_s = o_r = 0`,
      );
    const ref = `${segHow}: o_s + o_r set so the model's 0-byte TCP latency (tcp.ts: the stack plus the carrier's event-mode send) is the first segment's intercept t0 = ${t0.toPrecision(4)} us, halves assumed equal`;
    const ci: [number, number] = [each + (t0ci[0] - t0) / 2, each + (t0ci[1] - t0) / 2];
    set('o_s', param(each, 'us', ref, ci));
    set('o_r', param(each, 'us', ref, ci));
  };

  if (split) {
    // Until g is known, the overheads are 0 so that they do not pace the stream.
    set('o_s', { ...path.o_s, value: 0 });
    set('o_r', { ...path.o_r, value: 0 });
  }
  if (shmMpi) {
    const m = working.mpi.perMessageOverhead;
    working.mpi = { ...working.mpi, perMessageOverhead: { ...m, value: 0 } };
    out.mpi.perMessageOverhead = param(
      0,
      'us',
      `folded into paths.${data.path}.o_s, o_r and L, fitted from ${latFiles}: an MPI benchmark measures their sum only; no interval`,
    );
    out.warnings.push(
      `mpi.perMessageOverhead set to 0: folded into the ${data.path} path's fitted overheads; paths kept from the base profile lose the base library's ${m.value} us per message`,
    );
  }
  // A verbs probe file that timed its calls gives o_s and o_r themselves (fit/verbs-overheads.ts),
  // so L is what t0 leaves after measured overheads rather than assumed ones.
  const timed =
    op === 'send' || op === 'write' || op === 'read' ? measuredOverheads(data.overheads ?? []) : null;
  if (timed) {
    const from = timed.files.map((f) => `${f.file} (${f.count} calls at ${f.bytes} B)`).join(', ');
    const why =
      'each includes one read of the probe timer (tens of ns: an upper bound by that much); summaries only, no interval';
    set(
      'o_s',
      param(
        timed.o_s_us,
        'us',
        `measuredOverheads: median CPU time in ibv_post_send per message, ping-pong, poll, of ${from}; ${why}`,
      ),
    );
    if (timed.o_r_us !== null)
      set(
        'o_r',
        param(
          timed.o_r_us,
          'us',
          `measuredOverheads: median CPU time in the ibv_poll_cq that returned the receive plus its ibv_post_recv, ping-pong, poll, of ${from}; ${why}`,
        ),
      );
  }
  fitL('');

  const bwFiles = files([...new Set(bandwidth.map((c) => c.file))]);
  if (bandwidth.length > 0) {
    const points = bandwidth
      .flatMap((c) => c.points.map((p) => ({ curve: c, ...p })))
      .sort((a, b) => a.bytes - b.bytes);
    const solveAt = (field: 'G' | 'g', chosen: typeof points, hi: number) =>
      chosen.flatMap((p) => {
        const x = solveDecreasing(
          (v) => {
            (path as unknown as Record<string, Param>)[field] = { ...path[field], value: v };
            return curveModel(working, data.path, p.curve, p.bytes);
          },
          p.value,
          0,
          hi,
        );
        return x === null ? [] : [x];
      });
    // Whole sizes (every window of a probe size) from the top until 3 points, from the bottom until 3.
    const sizes = [...new Set(points.map((p) => p.bytes))];
    const take = (order: number[]) => {
      const chosen: typeof points = [];
      for (const size of order) {
        if (chosen.length >= 3) break;
        chosen.push(...points.filter((p) => p.bytes === size));
      }
      return chosen;
    };
    /** G or g solved at `chosen` (median of the solutions), or the base value kept with `warning`. */
    const fitByBandwidth = (
      field: 'G' | 'g',
      unit: Unit,
      chosen: typeof points,
      hi: number,
      warning: string,
    ) => {
      const keep = path[field];
      const xs = solveAt(field, chosen, hi);
      if (xs.length === 0) {
        path[field] = keep;
        out.warnings.push(`${data.path}: ${warning}; ${field} kept from the base profile`);
        return;
      }
      set(
        field,
        param(
          median(xs),
          unit,
          `the model's streaming bandwidth matched to ${bwFiles} at ${[...new Set(chosen.map((p) => p.bytes))].join(', ')} B (median of the ${xs.length} solutions); no interval: one number per size, no samples`,
        ),
      );
    };
    const large = take([...sizes].reverse());
    const largeSizes = new Set(large.map((p) => p.bytes));
    fitByBandwidth(
      'G',
      'us/B',
      large,
      1,
      'the model cannot reach the measured bandwidth at the largest sizes by G alone (the overheads pace it)',
    );
    fitByBandwidth(
      'g',
      'us',
      take(sizes.filter((x) => !largeSizes.has(x))),
      1000,
      'the small-message bandwidth is paced by the overheads, not g',
    );
  }
  if (split) {
    const o = Math.min(path.g.value, t0 / 3);
    const why = `min(g, t0 / 3) with t0 = ${t0.toPrecision(4)} us from ${latFiles}: the streaming gap bounds the sender's overhead; the split of t0 = o_s + L + o_r is assumed, the inputs measure only the sum; no interval (an assumed split has none)`;
    set('o_s', param(o, 'us', why));
    set('o_r', param(o, 'us', why));
    fitL(`, less o_s + o_r`);
  }

  const joint = segmentedJoint(seg, data.path, path, op, shmMpi, segHow);
  if (joint) out.joint.push(joint);

  const rows = latency.flatMap((c) =>
    c.points.map((p) => ({ label: `${p.bytes} B`, measured: p.value, fitted: segmentValue(seg, p.bytes) })),
  );
  out.quality.push(
    quality(
      data.path,
      'one-way latency, segmented fit (in sample)',
      [...new Set(latency.map((c) => c.file))],
      rows,
    ),
  );
  const model = latency.flatMap((c) =>
    c.points.map((p) => ({
      label: `${p.bytes} B`,
      measured: p.value,
      fitted: curveModel(working, data.path, c, p.bytes),
    })),
  );
  out.quality.push(
    quality(
      data.path,
      'one-way latency through the calibrated profile (in sample)',
      [...new Set(latency.map((c) => c.file))],
      model,
    ),
  );
  if (bandwidth.length > 0) {
    const bw = bandwidth.flatMap((c) =>
      c.points.map((p) => ({
        label: `${p.bytes} B${c.window ? ` w${c.window}` : ''}`,
        measured: p.value,
        fitted: curveModel(working, data.path, c, p.bytes),
      })),
    );
    out.quality.push(
      quality(
        data.path,
        'bandwidth through the calibrated profile (in sample)',
        [...new Set(bandwidth.map((c) => c.file))],
        bw,
      ),
    );
  }
}

/**
 * The parameters a latency curve's segmented fit sets from one bootstrap resample, kept as
 * joint draws: L (or, on TCP, o_s = o_r) moves with the first segment's intercept t0 as it
 * does at the point estimate (L enters the 0-byte latency once, each TCP overhead half);
 * G (a probe sweep) or O (shared-memory MPI, half the slope) with the last segment's slope.
 * Parameters set from bandwidth or by an assumed split have no draws and stay out.
 */
function segmentedJoint(
  seg: SegmentedFit,
  pathName: string,
  path: PathParams,
  op: CurveOp,
  shmMpi: boolean,
  segHow: string,
): JointDraws | null {
  if (!seg.draws) return null;
  const t0 = seg.segments[0].intercept_us;
  const t0s = seg.draws.intercept[0];
  const slopes = seg.draws.slope[seg.segments.length - 1];
  const fromSeg = (field: 'L' | 'o_s' | 'o_r' | 'G' | 'O') => path[field].source.ref.startsWith(segHow);
  const columns: [string, number[]][] = [];
  if (op === 'tcp') {
    for (const f of ['o_s', 'o_r'] as const)
      if (fromSeg(f)) columns.push([f, t0s.map((t) => Math.max(0, path[f].value + (t - t0) / 2))]);
  } else if (fromSeg('L')) columns.push(['L', t0s.map((t) => Math.max(0, path.L.value + t - t0))]);
  if (shmMpi && fromSeg('O')) columns.push(['O', slopes.map((x) => Math.max(0, x / 2))]);
  else if (fromSeg('G')) columns.push(['G', slopes.map((x) => Math.max(0, x))]);
  if (columns.length < 2) return null;
  return keptJointDraws(
    columns.map(([f]) => `paths.${pathName}.${f}`),
    columns.map(([, c]) => c),
    `${segHow}: ${columns.map(([f]) => f).join(', ')} derived again from each bootstrap resample of the segmented fit`,
  );
}

/** The segmented fit's line at a size. */
function segmentValue(seg: SegmentedFit, bytes: number): number {
  const s = seg.segments.find((x) => bytes <= x.toBytes) ?? seg.segments[seg.segments.length - 1];
  return s.intercept_us + s.slope_us_per_byte * bytes;
}

function fitEvent(data: PathData, settings: FitSettings, out: PathFit, set: Setter): void {
  const of = (mode: 'poll' | 'event') =>
    data.curves
      .filter((c) => c.metric === 'latency' && c.progress === mode)
      .flatMap((c) => c.points.map((p) => ({ bytes: p.bytes, us: p.value, samples_us: p.samples_us })));
  const event = of('event');
  const poll = of('poll');
  if (event.length === 0 || poll.length === 0) return;
  const fit = fitEventExtra(event, poll, {
    draws: settings.draws,
    seed: settings.seed,
    measurement: files(data.files),
  });
  set('eventExtra', param(fit.value.value, 'us', `fitEventExtra: ${fit.value.from}`, fit.value.interval));
  out.warnings.push(...fit.warnings.map((w) => `${data.path}: ${w}`));
}
