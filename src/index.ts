/**
 * ibvf: the library. Everything the CLI does is available here.
 *
 *   import { loadProfile, predictP2p } from 'ibvf';
 *   const profile = loadProfile('cx3-fdr-kvm-2013');
 *   predictP2p(profile, { path: 'vf', op: 'mpi', progress: 'poll' }, [1, 1024]);
 */
export * from './errors.js';
export * from './profiles/types.js';
export { loadProfile } from './profiles/load.js';
export { validateProfile, forEachParam } from './profiles/validate.js';
export { BUILTIN_PROFILES, DEFAULT_PROFILE, builtinProfile } from './profiles/builtin.js';
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
export * as probe from './probe/index.js';
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
export type { DifferenceOptions, MechanismFit } from './calibrate/fit/curve-difference.js';
export type { FittedValue } from './calibrate/fit/fitted-value.js';
export type { IntervalOptions, IntervalSource, Measured, Statistic } from './calibrate/fit/resample.js';
export * from './model/sim/index.js';
export { main as runCli } from './cli/main.js';
