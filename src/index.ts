/**
 * ibvf: the library. Everything the CLI does is available here; the CLI only parses
 * options and prints what these functions return. Times are microseconds (us) unless
 * a name says ns, sizes bytes, bandwidth MB/s = 10^6 bytes/s.
 *
 * Profiles (every parameter with its unit, interval and source):
 *
 *   import { loadProfile, validateProfile } from 'ibvf';
 *   const profile = loadProfile('cx3-fdr-kvm-2013');     // or a profile JSON file
 *
 * Point-to-point, as perftest and OSU measure it:
 *
 *   predictP2p(profile, { path: 'vf', op: 'mpi', progress: 'poll' }, [1, 1024]);
 *
 * Collectives on a VM layout, as osu_<op> reports them (`ibvf predict --op alltoall`):
 *
 *   import { predictCollective, parsePlacement } from 'ibvf';
 *   const { rows, layout } = predictCollective(
 *     profile,
 *     { op: 'alltoall', nodes: 4, procs: 32, placement: parsePlacement('vm-per-core'),
 *       shm: false, progress: 'poll', engine: 'sim' },
 *     [8192],
 *   );   // rows[0].latency_us, latency_lo_us, latency_hi_us, max_us, algorithm
 *
 * Layouts and the path between each pair of ranks:
 *
 *   const l = buildLayout({ nodes: 4, procs: 32, socketsPerNode: 2, coresPerSocket: 8,
 *                           placement: { vmsPerNode: 2 }, shm: true });
 *   pathBetween(l, 0, 1);   // 'shm' (same VM); pathBetween(l, 0, 8): 'vf' (another node)
 *
 * Algorithms (the registry behind `ibvf algorithms` and `--algorithm`) and selection:
 *
 *   algorithmsFor('bcast').map((a) => a.name);
 *   selectName({ op: 'allreduce', bytes: 8192, procs: 32, ranksPerNode: 8, shm: false });
 *
 * What-if comparison of layouts (`ibvf whatif`; defaults: the paper's Figure 5):
 *
 *   const { rows, assumptions } = compareLayouts(profile);   // rows[i].ratio_to_best
 *   compareLayouts(profile, { ops: ['allreduce'], sizes: [64, 8192], progress: 'blocking' });
 *
 * Sensitivity and assumptions (`--sensitivity`):
 *
 *   sensitivity(profile, collectiveQuery, 8192);   // each assumed parameter at lo / value / hi
 *   assumptionsOf(profile);                        // what a layout answer rests on
 *
 * Charts (`ibvf chart`, `ibvf figures`): Vega-Lite specs, rendered headless:
 *
 *   const spec = sizeSweepSpec({ metric: 'latency', predicted, measured, size: { widthIn: 3.5, heightIn: 2.6 } });
 *   await renderChart(spec, 'pdf', { dpi: 300, widthIn: 3.5 });   // or 'svg', 'png', 'vl'
 *   graph500Spec({ metric: 'time', rows, size });   // rows: the graph500 namespace's compareGraph500
 *
 * The LogGOPS simulator (`ibvf sim`), on GOAL files or schedules built in code:
 *
 *   const result = simulate(readGoalFile('bcast.goal'), { mode: 'compat', params: LOGGOPSIM_DEFAULTS });
 *
 * Importers of OSU, perftest, qperf and sockperf output (`ibvf import`), and fitters:
 *
 *   const runs = importBenchmarkFile('osu_latency.txt');   // or importBenchmarkText(text, name)
 *   fitSegmented(points);                                  // piecewise-linear latency fit
 *   fitPaperRows(parsePaperRows(csv, file), constants);    // a profile fitted to a paper's rows
 *
 * The probe (`ibvf probe`) is the `probe` namespace; it needs the native addon, loaded
 * only when a measurement starts:
 *
 *   await probe.probeRun(options, processIo);
 *
 * `runCli(argv, io)` runs the command line itself; `memoryIo()` captures what it prints.
 */
export * from './errors.js';
export { type OutputStreams, processIo, memoryIo } from './io.js';

// Profiles.
export * from './profiles/types.js';
export { loadProfile } from './profiles/load.js';
export { validateProfile, forEachParam } from './profiles/validate.js';
export { BUILTIN_PROFILES, DEFAULT_PROFILE, builtinProfile } from './profiles/builtin.js';

// Point-to-point model.
export {
  predictP2p,
  p2pLatency,
  p2pBandwidth,
  PROGRESS_OF_OP,
  type P2pQuery,
  type P2pRow,
} from './model/p2p/predict.js';
export { verbsLatency, VF_REQUESTS, type VerbsOp } from './model/p2p/verbs.js';
export { mpiLatency, mpiProtocol, type MpiProtocol } from './model/p2p/mpi.js';
export { upcGetLatency } from './model/p2p/pgas.js';
export { tcpLatency } from './model/p2p/tcp.js';

// Collective prediction.
export {
  predictCollective,
  predictPoint,
  closedFormNet,
  collectiveSizes,
  ENGINES,
  type Engine,
  type CollectiveQuery,
  type CollectiveRow,
  type CollectivePrediction,
  type LayoutSummary,
  type SimulationProgress,
} from './model/predict-collective.js';
export {
  COLLECTIVE_PROGRESS,
  buildNetwork,
  nodeCosts,
  type CollectiveProgress,
  type NodeCosts,
} from './model/network.js';

// Layouts and paths per pair.
export {
  buildLayout,
  parsePlacement,
  placementName,
  LAYOUT_PATHS,
  pathBetween,
  pathUsesHca,
  closedFormPaths,
  ranksPerHost,
  type Layout,
  type LayoutSpec,
  type LayoutPath,
  type NodeLoad,
  type Placement,
} from './model/layout/index.js';

// Collective algorithms: the registry and selection.
export {
  COLLECTIVE_OPS,
  isCollectiveOp,
  ALGORITHMS,
  algorithmsFor,
  findAlgorithm,
  selectAlgorithm,
  selectName,
  MPICH_THRESHOLDS,
  type CollectiveOp,
  type CollectiveInput,
  type CollectiveGenerator,
  type CollectiveCost,
  type ClosedForm,
  type ClosedFormFn,
  type ClosedFormNet,
  type AlgorithmEntry,
  type SelectionInput,
} from './model/collectives/index.js';

// Sensitivity and assumptions.
export {
  sensitivity,
  SWEPT_PARAMS,
  assumptionsOf,
  LAYOUT_ASSUMPTIONS,
  type SweptParam,
  type SensitivityRow,
  type Assumption,
} from './model/sensitivity.js';

// What-if comparison of layouts.
export {
  compareLayouts,
  whatifCases,
  FIGURE5_QUERY,
  type WhatifQuery,
  type WhatifCase,
  type WhatifRow,
  type WhatifResult,
} from './model/whatif.js';

// Where the gaps between layouts come from: the mechanisms and their ablation.
export { MECHANISMS, findMechanism, type Mechanism } from './model/mechanisms.js';
export {
  explainLayouts,
  NEGLIGIBLE_GAP,
  type Explanation,
  type GapExplanation,
  type GapShare,
} from './model/explain.js';

// Graph500 on VM layouts (`ibvf graph500`).
export * as graph500 from './model/graph500/index.js';

// The LogGOPS simulator.
export * from './model/sim/index.js';

// Importers and fitters.
export * from './calibrate/import/index.js';
export {
  fitSegmented,
  studentT975,
  type Segment,
  type SegmentBreak,
  type SplitTest,
  type SegmentedFit,
  type SegmentedFitOptions,
  type SizePoint,
} from './calibrate/fit/segmented.js';
export { fitLogGP, type LogGPFit, type PrttMeasurement } from './calibrate/fit/loggp-prtt.js';
export {
  latencyFromImported,
  latencyFromProbe,
  latencyRunsFromProbe,
  prttFromProbe,
  type ProbeSelection,
  type SizedMeasurement,
} from './calibrate/fit/from-probe.js';
export { fitInline, type InlineFit } from './calibrate/fit/inline.js';
export { fitEventExtra } from './calibrate/fit/event-extra.js';
export { fitVfRequestCost, type VfRequestCostOptions } from './calibrate/fit/vf-request-cost.js';
export { fitReadExtra, type ReadExtraOptions } from './calibrate/fit/read-extra.js';
export { fitCopyPerByte, COPY_MIN_BYTES, type CopyPerByteOptions } from './calibrate/fit/copy-per-byte.js';
export {
  fitReducePerByte,
  REDUCE_MIN_BYTES,
  type ReducePerByteOptions,
} from './calibrate/fit/reduce-per-byte.js';
export { fitPerByteSlope, type PerByteFit, type PerByteWindow } from './calibrate/fit/per-byte-slope.js';
export type { DifferenceOptions, MechanismFit } from './calibrate/fit/curve-difference.js';
export type { FittedValue } from './calibrate/fit/fitted-value.js';
export type { IntervalOptions, IntervalSource, Measured, Statistic } from './calibrate/fit/resample.js';
export * from './calibrate/paper/index.js';

// Calibration: measurements in, a profile and its report out (ibvf calibrate).
export { calibrateProfile } from './calibrate/calibrate.js';
export type {
  Calibration,
  CalibrationInput,
  CalibrationOptions,
  CalibrationReport,
  ComputeInput,
  FitQuality,
  HoldoutRow,
  ImportedInput,
  MatrixInput,
  NoiseInput,
  PathInput,
  ProbeInput,
  ReportedParam,
} from './calibrate/input.js';
export { fitComputeParams, type ComputeParamsFit } from './calibrate/compute-params.js';
export { fitNoiseParams, type NoiseParamsFit, type NoiseField } from './calibrate/noise-params.js';
export { subscriptionPenaltyOf, type OversubscribedRun } from './calibrate/fit/subscription-penalty.js';
export { tickOverheadOf } from './calibrate/fit/tick-overhead.js';
export {
  demandOf,
  hostDemandOf,
  type HostDemandFit,
  type HostWorkPoint,
} from './calibrate/fit/host-cpu-demand.js';
export { pathOfProbe } from './calibrate/probe-inputs.js';
export { matrixInputs, pathOfPair } from './calibrate/matrix-inputs.js';
export { loggpOneWay, loggpPrtt, loggpStreamBandwidth } from './calibrate/loggp-predict.js';

// The public validation set: published results of other testbeds, predicted row by row.
export * from './validation/index.js';

// Charts (`ibvf chart`, `ibvf figures`).
export * from './chart/index.js';
export { predictP2pRange, type P2pRangeRow, type P2pRangeOptions } from './model/uncertainty/p2p-range.js';

// The probe.
export * as probe from './probe/index.js';

// The command line.
export { main as runCli } from './cli/main.js';
export { startProgressBar, progressReporter, type ProgressBar } from './progress-bar.js';
