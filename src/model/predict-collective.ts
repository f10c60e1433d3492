/**
 * A collective predicted on a VM layout, as a pipeline whose steps each have a file in
 * predict/:
 *
 *   query -> layout and its MPI hosts (layout-step) -> path per pair (../network.ts, used
 *   by the engines) -> algorithm selection (algorithm-step) -> schedule input
 *   (input-step) -> engine: simulator or closed form (engine-step) -> OSU's statistic
 *
 * with uncertainty as the same pipeline mapped over profiles drawn from the intervals
 * (draws.ts). The what-if comparison (whatif.ts) is built on it.
 */
import type { Profile } from '../profiles/types.js';
import { detectMpiHosts } from './mpi-host.js';
import { chooseAlgorithm, mpiView } from './predict/algorithm-step.js';
import { drawnProfiles } from './predict/draws.js';
import { closedFormNet, evaluate } from './predict/engine-step.js';
import { layoutOf, layoutSummary } from './predict/layout-step.js';
import {
  DEFAULT_RANGE_DRAWS,
  DEFAULT_SEED,
  DEFAULT_SIM_DRAWS,
  type CollectivePrediction,
  type CollectiveQuery,
  type CollectiveRow,
} from './predict/query.js';
import { range95 } from './uncertainty/draw.js';

export { closedFormNet };
export {
  collectiveSizes,
  DEFAULT_RANGE_DRAWS,
  DEFAULT_SIM_DRAWS,
  ENGINES,
  type CollectivePrediction,
  type CollectiveQuery,
  type CollectiveRow,
  type Engine,
  type LayoutSummary,
  type MpiView,
} from './predict/query.js';

/**
 * One prediction without a range: the average and maximum latency (us) and the
 * algorithm, for sweeps over many layouts and sizes (`--engine analytic` makes each a
 * closed-form evaluation of microseconds); the simulator also says how many wake-ups
 * its receivers paid.
 */
export function predictPoint(
  profile: Profile,
  q: CollectiveQuery,
  bytes: number,
): { latency_us: number; max_us: number; algorithm: string; wakeups?: number } {
  const { layout, domains } = layoutOf(profile, q, []);
  const { entry } = chooseAlgorithm(layout, q, bytes, domains, detectMpiHosts(profile, layout, q.guestCpu));
  const r = evaluate(profile, layout, q, entry, bytes, domains, q.engine);
  return { latency_us: r.avgNs / 1000, max_us: r.maxNs / 1000, algorithm: entry.name, wakeups: r.wakeups };
}

/**
 * Predicts a collective over a VM layout for each size, as OSU's osu_<op> reports it:
 * per rank the time from its start to its finish (all ranks start together), averaged
 * over ranks, with the maximum.
 *
 * The 95% range comes from the profile's intervals: by default cheaply, drawing the
 * profile `rangeDraws` times through the closed forms and scaling the prediction by
 * the spread they show; with `draws` > 0 under the simulator, from that many full
 * simulations with drawn profiles. Under event progress, which has no closed form
 * (`ANALYTIC_EVENT_REFUSAL`), the range is always simulated (`rangeDraws` of them, at most
 * DEFAULT_SIM_DRAWS, unless `draws` says).
 */
export function predictCollective(
  profile: Profile,
  q: CollectiveQuery,
  sizes: readonly number[],
  progress?: SimulationProgress,
): CollectivePrediction {
  return predictCollectiveDraws(profile, q, sizes, progress).prediction;
}

/**
 * Told after each simulation how many of the run's simulations are done, of how many:
 * the CLI draws a progress bar from it. Closed-form evaluations are not counted (they
 * take microseconds).
 */
export type SimulationProgress = (done: number, total: number) => void;

/**
 * How many range draws are simulated per size: event progress has no closed form
 * (ANALYTIC_EVENT_REFUSAL), so its range is simulated with as many draws as asked for
 * either way (none when no range is asked for).
 */
function simulatedDraws(q: CollectiveQuery): number {
  if (q.engine !== 'sim') return 0;
  return q.progress === 'event' && !q.draws
    ? Math.min(q.rangeDraws ?? DEFAULT_SIM_DRAWS, DEFAULT_SIM_DRAWS)
    : (q.draws ?? 0);
}

/** How many simulations predicting `q` at `points` sizes runs: the nominal one and the range draws per size. */
export function simulationCount(q: CollectiveQuery, points: number): number {
  return q.engine === 'sim' ? points * (1 + simulatedDraws(q)) : 0;
}

/**
 * `predictCollective` with, per size, the average latency (us) under each drawn profile
 * the range is taken from, in draw order. The draws depend only on the profile and the
 * seed (`drawnProfiles`), so draw i of two layouts is the same parameters: the
 * difference of two layouts' samples, draw by draw, is their paired difference
 * (`compareLayouts`). Closed-form draws are scaled as the range is, by the simulator's
 * nominal answer over the closed form's (the ratio `predictCollective` scales its range by). Empty without draws.
 */
export function predictCollectiveDraws(
  profile: Profile,
  q: CollectiveQuery,
  sizes: readonly number[],
  progress?: SimulationProgress,
): { prediction: CollectivePrediction; samplesUs: number[][] } {
  const notes: string[] = [];
  const { layout, domains } = layoutOf(profile, q, notes);
  const simDraws = simulatedDraws(q);
  const simulations = simulationCount(q, sizes.length);
  let simulated = 0;
  const tick = progress && simulations > 0 ? () => progress(++simulated, simulations) : () => {};
  const rangeProfiles = drawnProfiles(
    profile,
    q.seed ?? DEFAULT_SEED,
    simDraws > 0 ? simDraws : (q.rangeDraws ?? DEFAULT_RANGE_DRAWS),
  );
  const detected = detectMpiHosts(profile, layout, q.guestCpu);
  if (!detected) {
    notes.push(
      `profile ${profile.name} does not say what MVAPICH2 detects on a host (no mpiHost section): default tuning tables`,
    );
  }
  let table = '';
  const samplesUs: number[][] = [];
  const rows = sizes.map((bytes): CollectiveRow => {
    const chosen = chooseAlgorithm(layout, q, bytes, domains, detected);
    const entry = chosen.entry;
    table = chosen.table;
    const nominal = evaluate(profile, layout, q, entry, bytes, domains, q.engine);
    if (q.engine === 'sim') tick();
    let sample: number[];
    if (rangeProfiles.length === 0) {
      sample = [];
    } else if (simDraws > 0) {
      sample = rangeProfiles.map((p) => {
        const ns = evaluate(p, layout, q, entry, bytes, domains, 'sim').avgNs;
        tick();
        return ns;
      });
    } else {
      // The closed forms' spread, scaled to the engine's nominal answer: a linear map,
      // so the range of the scaled sample is the scaled range of the closed forms'.
      const base =
        q.engine === 'analytic'
          ? nominal.avgNs
          : evaluate(profile, layout, q, entry, bytes, domains, 'analytic').avgNs;
      sample = rangeProfiles.map(
        (p) => (nominal.avgNs * evaluate(p, layout, q, entry, bytes, domains, 'analytic').avgNs) / base,
      );
    }
    const [lo, hi] = sample.length === 0 ? [nominal.avgNs, nominal.avgNs] : range95(sample);
    samplesUs.push(sample.map((ns) => ns / 1000));
    return {
      bytes,
      latency_us: nominal.avgNs / 1000,
      latency_lo_us: Math.min(lo, nominal.avgNs) / 1000,
      latency_hi_us: Math.max(hi, nominal.avgNs) / 1000,
      max_us: nominal.maxNs / 1000,
      algorithm: entry.name,
    };
  });
  const prediction: CollectivePrediction = {
    layout: layoutSummary(layout, q),
    engine: q.engine,
    rows,
    notes,
    mpi: mpiView(detected, table),
  };
  return { prediction, samplesUs };
}
