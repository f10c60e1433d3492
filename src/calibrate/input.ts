/**
 * What `calibrateProfile` reads: each input file already parsed (a probe result or the
 * runs an importer read), with the profile path it measured and how completions were
 * noticed. Telling the path is the caller's job (the CLI reads it from the probe file,
 * --path or a sidecar), so the pipeline stays pure.
 */
import type { ImportedRun } from './import/types.js';
import type { MatrixPair, ProbeMatrix } from '../probe/matrix-result.js';
import type { ProbeComputeResult } from '../probe/compute-result.js';
import type { Graph500Run } from './import/graph500.js';
import type { ProbeNoise } from '../probe/noise-result.js';
import type { ProbeResult } from '../probe/result.js';
import type { Profile, Progress, Source } from '../profiles/types.js';

/** An `ibvf.probe/1` result. */
export interface ProbeInput {
  kind: 'probe';
  file: string;
  /** The profile path it measured (shm for transport shm, an ipoib path for tcp, or --path). */
  path: string;
  result: ProbeResult;
}

/** The runs of one file another tool printed (OSU, perftest, qperf, sockperf). */
export interface ImportedInput {
  kind: 'imported';
  file: string;
  path: string;
  /** How the benchmark noticed completions (poll unless a sidecar or --progress says otherwise). */
  progress: Progress;
  runs: ImportedRun[];
  /** The file line of the row giving `bytes` in the run starting at `runLine` (the caller has the text), for errors. */
  rowLine?: (runLine: number, bytes: number) => number | undefined;
}

/** The pairs of one path from an `ibvf.probe-matrix/1` file (matrix-inputs.ts), outliers left out. */
export interface MatrixInput {
  kind: 'matrix';
  file: string;
  path: string;
  transport: ProbeMatrix['transport'];
  /** The verbs operation the pairs ran (perftest's *_lat for verbs; ignored for shm and tcp). */
  op: ProbeMatrix['op'];
  pairs: MatrixPair[];
  /** What was left out or is missing (outliers, a partial run), for the report's warnings. */
  notes: string[];
}

/**
 * An `ibvf.probe-compute/1` result (`ibvf probe compute`): the node's copy and reduction
 * costs, measured on one CPU with no peer, so it measured no path (compute-params.ts).
 */
export interface ComputeInput {
  kind: 'compute';
  file: string;
  result: ProbeComputeResult;
}

/**
 * The Graph500 reference's output (import/graph500.ts): its BFS time per root on one core,
 * which gives `compute.bfsPerEdgeCost` (fit/bfs-per-edge-cost.ts); it measured no path.
 */
export interface Graph500Input {
  kind: 'graph500';
  file: string;
  run: Graph500Run;
}

/** What measured a path: every input but a compute probe file or a Graph500 output. */
export type PathInput = ProbeInput | ImportedInput | MatrixInput;

export type CalibrationInput = PathInput | ComputeInput | Graph500Input;

/**
 * An `ibvf.probe-noise/1` run (`ibvf probe noise`): it measured no path but the node's
 * CPUs, so it is given apart (`CalibrationOptions.noise`, fitted by noise-params.ts).
 */
export interface NoiseInput {
  kind: 'noise';
  file: string;
  result: ProbeNoise;
}

export interface CalibrationOptions {
  /** The new profile's name. */
  name: string;
  /** Where the parameters the inputs do not determine come from. */
  base: Profile;
  /** Measurements kept out of the fit and predicted with the calibrated profile. */
  holdout?: CalibrationInput[];
  /** Noise probe runs: the host-CPU parameters of rule 1 (noise-params.ts). */
  noise?: readonly NoiseInput[];
  /** Bootstrap draws for the intervals (default 1000) and their seed (default 1). */
  draws?: number;
  seed?: number;
  /** Called between fit steps with the share done (0..1); the CLI draws a bar on a TTY. */
  progress?: (done: number, what: string) => void;
}

/** One parameter of the calibrated profile as the report lists it. */
export interface ReportedParam {
  /** Dotted field path in the profile, e.g. paths.shm.L. */
  field: string;
  value: number;
  unit: string;
  interval: [number, number] | null;
  source: Source;
  fitted: boolean;
}

/** How well a fit reproduces the points it was fitted to (in sample: quality, not accuracy). */
export interface FitQuality {
  path: string;
  what: string;
  files: string[];
  residuals: { label: string; measured: number; fitted: number; relError: number }[];
  worst: { label: string; relError: number } | null;
}

/** One held-out measurement against the calibrated profile's prediction (out of sample). */
export interface HoldoutRow {
  file: string;
  line: number | null;
  path: string;
  what: string;
  label: string;
  unit: string;
  predicted: number;
  measured: number;
  /** (predicted - measured) / measured. */
  relError: number;
}

export interface CalibrationReport {
  name: string;
  base: string;
  /** Every input; a noise run's path is '-' (it measured the node's CPUs, not a path). */
  inputs: { file: string; path: string; kind: CalibrationInput['kind'] | NoiseInput['kind']; what: string }[];
  /** Per calibrated path, every parameter with value, interval and source; then the other sections' fitted ones. */
  params: ReportedParam[];
  quality: FitQuality[];
  holdout: { rows: HoldoutRow[]; medianAbsRelError: number | null; worst: HoldoutRow | null };
  warnings: string[];
}

export interface Calibration {
  profile: Profile;
  report: CalibrationReport;
}
