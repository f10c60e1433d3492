import type { TopLevelSpec } from 'vega-lite';
import { SIZE_LABEL_EXPR, sizeTicks } from '../chart/axes.js';
import { baseConfig, seriesScales } from '../chart/style.js';
import type { AssumptionGridPoint, ReportGridPoint } from './report-data.js';

/**
 * The report's what-if chart: latency against size for every layout, one collective at
 * a time (a drop-down, a Vega parameter), and a click on a legend entry highlights that
 * layout (a point selection bound to the legend). All data is the precomputed grid.
 */
export function whatifInteractiveSpec(grid: readonly ReportGridPoint[]): TopLevelSpec {
  const ops = [...new Set(grid.map((g) => g.op))];
  const layouts = [...new Set(grid.map((g) => g.layout))];
  const sizes = grid.map((g) => g.bytes).filter((b) => b > 0);
  const scales = seriesScales(layouts);
  const x = {
    field: 'bytes',
    type: 'quantitative',
    title: 'Message size (bytes)',
    scale: { type: 'log', base: 2, nice: false },
    axis: { values: sizeTicks(Math.min(...sizes), Math.max(...sizes)), labelExpr: SIZE_LABEL_EXPR },
  };
  const y = {
    field: 'latency_us',
    type: 'quantitative',
    title: 'Latency (us)',
    scale: { type: 'log', nice: false },
  };
  const highlight = { param: 'pick', empty: true };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 640,
    height: 360,
    config: baseConfig(),
    data: { values: grid.filter((g) => g.bytes > 0) },
    params: [{ name: 'op', value: ops[0], bind: { input: 'select', options: ops, name: 'Collective ' } }],
    transform: [{ filter: 'datum.op === op' }],
    layer: [
      // One band per layout in its constant colour: a fill legend set to null would also
      // hide the line's legend, which the layout selection is bound to.
      ...layouts.map((layout, i) => ({
        transform: [{ filter: { field: 'layout', equal: layout } }],
        mark: { type: 'area', opacity: 0.12, color: scales.color.range[i] },
        encoding: { x, y: { ...y, field: 'lo_us' }, y2: { field: 'hi_us' } },
      })),
      {
        params: [{ name: 'pick', select: { type: 'point', fields: ['layout'] }, bind: 'legend' }],
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y,
          color: { field: 'layout', type: 'nominal', title: 'Layout', scale: scales.color },
          strokeDash: { field: 'layout', type: 'nominal', title: 'Layout', scale: scales.strokeDash },
          opacity: { condition: { ...highlight, value: 1 }, value: 0.15 },
          tooltip: [
            { field: 'layout', type: 'nominal' },
            { field: 'bytes', type: 'quantitative' },
            { field: 'latency_us', type: 'quantitative', format: '.2f' },
            { field: 'lo_us', type: 'quantitative', format: '.2f', title: '95% low' },
            { field: 'hi_us', type: 'quantitative', format: '.2f', title: '95% high' },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}

/**
 * The report's assumption chart: for one collective and one assumed parameter (two
 * drop-downs), each layout's latency with the parameter at the low end of its interval,
 * its value and the high end, as grouped bars in three grey levels.
 */
export function assumptionInteractiveSpec(grid: readonly AssumptionGridPoint[]): TopLevelSpec {
  const ops = [...new Set(grid.map((g) => g.op))];
  const fields = [...new Set(grid.map((g) => g.field))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 640,
    height: 300,
    config: baseConfig(),
    data: { values: [...grid] },
    params: [
      { name: 'aop', value: ops[0], bind: { input: 'select', options: ops, name: 'Collective ' } },
      { name: 'afield', value: fields[0], bind: { input: 'select', options: fields, name: 'Assumption ' } },
    ],
    transform: [{ filter: 'datum.op === aop && datum.field === afield' }],
    mark: { type: 'bar', stroke: '#000000', strokeWidth: 0.5 },
    encoding: {
      x: { field: 'layout', type: 'nominal', title: null, axis: { labelAngle: 0, labelLimit: 120 } },
      xOffset: { field: 'setting', type: 'nominal', sort: ['low', 'value', 'high'] },
      y: { field: 'latency_us', type: 'quantitative', title: 'Latency (us)' },
      color: {
        field: 'setting',
        type: 'nominal',
        title: 'Parameter at',
        sort: ['low', 'value', 'high'],
        scale: { domain: ['low', 'value', 'high'], range: ['#d9d9d9', '#808080', '#252525'] },
      },
      tooltip: [
        { field: 'layout', type: 'nominal' },
        { field: 'field', type: 'nominal', title: 'parameter' },
        { field: 'parameter', type: 'quantitative', title: 'value' },
        { field: 'unit', type: 'nominal' },
        { field: 'latency_us', type: 'quantitative', format: '.2f' },
      ],
    },
  } as TopLevelSpec;
}
