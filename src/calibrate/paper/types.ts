/**
 * Data contracts of the paper calibration: the committed rows of a paper's table
 * (`calibration/<profile>/paper-rows.csv`), the committed constants
 * (`calibration/<profile>/constants.json`), and the fitter's report.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { P2pOp, Profile, Progress, Unit } from '../../profiles/types.js';

/** One published number of the paper, as the CSV states it. */
export interface PaperRow {
  id: string;
  /** `fit`: the fitter may use it; `check`: kept out of every fit, predicted only. */
  role: 'fit' | 'check';
  /** Where in the paper: section (V-B) and figure (Fig. 2(a)). */
  section: string;
  figure: string;
  what: string;
  /** The profile path, operation and progress mode the number measures. */
  path: string;
  op: P2pOp;
  progress: Progress;
  /** Message size; for `peak-bandwidth`, the largest size of the sweep. */
  bytes: number;
  /** `latency` in us, or `peak-bandwidth` in MB/s (the largest over the sweep's powers of two). */
  metric: 'latency' | 'peak-bandwidth';
  unit: 'us' | 'MB/s';
  value: number;
  /** Largest relative error the model may make on this row (0.05 = 5%). */
  tolerance: number;
  note: string;
  /** The file and line (1-based) the row is on, for errors. */
  file: string;
  line: number;
}

/** How one fitted parameter is described in constants.json. */
export const FittedSpec = Type.Object(
  {
    unit: Type.Union([Type.Literal('us'), Type.Literal('us/B')]),
    /** Starting value of the optimizer (the fit does not depend on it where the rows pin the parameter). */
    start: Type.Number({ exclusiveMinimum: 0 }),
    /** Lower bound (a cost cannot be negative). */
    min: Type.Number(),
    meaning: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type FittedSpec = Static<typeof FittedSpec>;

export const PAPER_CONSTANTS_SCHEMA = 'ibvf.calibration-constants/1';

/**
 * constants.json: `profile` is a whole `ibvf.profile/2` profile in which each fitted
 * field is the placeholder `{"fitted": NAME}`, NAME a key of `fitted`.
 */
export const PaperConstants = Type.Object(
  {
    schema: Type.Literal(PAPER_CONSTANTS_SCHEMA),
    about: Type.String(),
    /** The rows file and the paper it cites, as fitted sources name it. */
    rows: Type.String({ minLength: 1 }),
    fitted: Type.Record(Type.String(), FittedSpec),
    profile: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);
export type PaperConstants = Static<typeof PaperConstants>;

/** What a row did in the fit. */
export type RowUse =
  | { kind: 'fit' }
  /** The only fit row that shows a parameter: it sets that parameter and so tests nothing. */
  | { kind: 'sets'; parameter: string }
  | { kind: 'check' };

export interface RowReport {
  row: PaperRow;
  use: RowUse;
  /** The fitted profile's value for the row (us or MB/s). */
  model: number;
  /** (model - paper) / paper. */
  error: number;
  /**
   * Leave-one-out: the row's relative error when the fit is redone without it. Undefined
   * for a `sets` row (without it, its parameter has no data) and a `check` row (never
   * fitted: `error` is already out of sample); `looNote` says why.
   */
  looError?: number;
  looNote?: string;
}

export interface ParameterReport {
  name: string;
  value: number;
  unit: Unit;
  interval: [number, number];
  /** `fit`: fitted jointly; `set-by-row`: solved from its single row (an assumption). */
  kind: 'fit' | 'set-by-row';
  /** Rows whose model value depends on the parameter. */
  rows: string[];
}

export interface PaperFitReport {
  method: string;
  intervalMethod: string;
  parameters: ParameterReport[];
  rows: RowReport[];
  /** Largest |error| over the jointly fitted rows (in-sample) and over the check rows. */
  worstFit: number;
  worstCheck: number;
  /** Largest |leave-one-out error| over the jointly fitted rows. */
  worstLeaveOneOut: number;
}

export interface PaperFit {
  profile: Profile;
  report: PaperFitReport;
}
