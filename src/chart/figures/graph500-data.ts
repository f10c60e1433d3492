/**
 * The data of the paper's Fig. 6 (Graph500 BFS time per VMs or ranks per node), from the
 * rows `compareGraph500` predicts. Pure: the caller generates or reads the level profiles
 * and runs the prediction. The paper withholds the figure's numbers, so every line is
 * predicted and the subtitle says so (with the scale, when it is not the paper's, and the
 * scale extrapolated from, if any). It is kept short: a one-column figure clips a long one.
 */
import type { TopLevelSpec } from 'vega-lite';
import { placementName } from '../../model/layout/index.js';
import type { FigureSize } from '../size.js';
import { graph500Spec, type Graph500ChartRow } from '../specs/graph500.js';
import type { Graph500Figure } from './paper-figures.js';

export interface Graph500FigureRun {
  profileName: string;
  /** The scale the rows answer for, and the scale they were extrapolated from, if so. */
  scale: number;
  extrapolatedFrom?: number;
  draws: number;
}

export function graph500FigureSpec(
  fig: Graph500Figure,
  rows: readonly Graph500ChartRow[],
  run: Graph500FigureRun,
  size: FigureSize,
): TopLevelSpec {
  const labels = new Map(fig.layouts.map((l) => [placementName(l.placement), l.label]));
  const scale = run.scale === fig.scale ? `scale ${run.scale}` : `scale ${run.scale} (paper: ${fig.scale})`;
  const extrapolated =
    run.extrapolatedFrom === undefined ? '' : `, extrapolated from ${run.extrapolatedFrom}`;
  return graph500Spec({
    metric: 'time',
    rows,
    seriesOf: (p) => labels.get(p) ?? p,
    size,
    title: `${fig.cite} Graph500 BFS, ${fig.nodes} nodes`,
    subtitle: `${run.profileName}, ${scale}${extrapolated}: predicted` + (run.draws > 0 ? ', band 95%' : ''),
  });
}
