/**
 * Figure sizes. Vega lays out in CSS pixels, 96 per inch; PDF measures in points, 72 per
 * inch. Column widths are the common templates' text columns: IEEEtran (3.5 in one
 * column, 7.16 in two: IEEE's "Preparation of Papers for IEEE Transactions" template)
 * and ACM's acmart sigconf (3.33 in one column, 7 in two: the acmart class).
 */
export const PX_PER_INCH = 96;
export const PT_PER_INCH = 72;

export const COLUMN_WIDTHS_IN = {
  'ieee-1col': 3.5,
  'ieee-2col': 7.16,
  'acm-1col': 3.33,
  'acm-2col': 7,
} as const;

export type ColumnTemplate = keyof typeof COLUMN_WIDTHS_IN;

export const COLUMN_TEMPLATES = Object.keys(COLUMN_WIDTHS_IN) as ColumnTemplate[];

export interface FigureSize {
  /** Total width of the figure, axes and legend included, in inches. */
  widthIn: number;
  /** Total height in inches. */
  heightIn: number;
}

/** Default figure height: a 4:3-ish plot for one column. */
export const DEFAULT_SIZE: FigureSize = { widthIn: 3.5, heightIn: 2.6 };
