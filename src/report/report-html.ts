/**
 * The report as one self-contained HTML page: vega, vega-lite and vega-embed are inlined
 * (no network when it is viewed), the data are in the page, and nothing is computed in
 * it but drawing. Pure: the caller reads the libraries' files and writes the page.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ProfileFits, ReportData } from './report-data.js';

export interface EmbeddedLibraries {
  vega: string;
  vegaLite: string;
  vegaEmbed: string;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Script text safe inside <script>: no closing tag can end it early. */
const inlineScript = (code: string) => code.replace(/<\/(script)/gi, '<\\/$1');

const num = (v: number | null) => (v === null ? '' : Number(v.toPrecision(4)).toString());

const pct = (v: number | null) => (v === null ? '' : `${(v * 100).toFixed(1)}%`);

/**
 * A profile other than the built-in one: what it records of its fits. It keeps no
 * residuals, and the page says so rather than showing none as if the fit were perfect.
 */
function profileFitsSection(fits: ProfileFits | undefined): string {
  const none =
    '<p>Residuals: none in this profile (an <code>ibvf.profile/2</code> file keeps its parameters, intervals, sources ' +
    'and joint draws, not the points they were fitted to). <code>ibvf calibrate</code> prints the residuals (in ' +
    'sample) and the held-out errors (out of sample) when it fits a profile: keep its <code>--json</code> report ' +
    'beside the profile.</p>';
  if (!fits || fits.fitted.length === 0) return `${none}\n<p>No parameter of this profile is fitted.</p>`;
  const fitted = fits.fitted
    .map(
      (f) =>
        `<tr><td>${escapeHtml(f.name)}</td><td>${num(f.value)} ${escapeHtml(f.unit)}</td><td>${escapeHtml(f.ref)}</td></tr>`,
    )
    .join('\n');
  const groups = fits.groups
    .map(
      (g) =>
        `<tr><td>${g.params.map((p) => `${escapeHtml(p.name)}: ${num(p.value)} (${num(p.lo)} to ${num(p.hi)}) ${escapeHtml(p.unit)}`).join('<br>')}</td>` +
        `<td>${g.draws}</td><td>${g.strongest ? `${escapeHtml(g.strongest.a)} with ${escapeHtml(g.strongest.b)}: ${g.strongest.r.toFixed(2)}` : 'none varies with another'}</td>` +
        `<td>${escapeHtml(g.source)}</td></tr>`,
    )
    .join('\n');
  return `${none}
<p>${fits.fitted.length} fitted parameter${fits.fitted.length === 1 ? '' : 's'}, with what each was fitted to:</p>
<table><thead><tr><th>parameter</th><th>value</th><th>fitted to</th></tr></thead>
<tbody>
${fitted}
</tbody></table>
${
  fits.groups.length === 0
    ? '<p>No joint draws: its fitted parameters are drawn independently from their intervals.</p>'
    : `<p>Fitted together (joint draws, drawn together in the ranges): each parameter's value and the 95% range of its draws,
and the strongest correlation between two of them.</p>
<table><thead><tr><th>parameters</th><th>draws</th><th>strongest correlation</th><th>source</th></tr></thead>
<tbody>
${groups}
</tbody></table>`
}`;
}

function fitSection(data: ReportData): string {
  if (!data.fit) return profileFitsSection(data.profileFits);
  const rows = data.fit.rows
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.id)}</td><td>${escapeHtml(r.what)}</td><td>${escapeHtml(r.use)}</td>` +
        `<td>${num(r.stated)} ${escapeHtml(r.unit)}</td><td>${num(r.model)}</td><td>${pct(r.error)}</td>` +
        `<td>${pct(r.looError)}</td><td>${pct(r.tolerance)}</td></tr>`,
    )
    .join('\n');
  return `<p>${escapeHtml(data.fit.source)}. Error = model / stated - 1; leave-one-out: the row's error when the
fit is redone without it (empty for a row that alone sets a parameter, and for check rows, never fitted).</p>
<table><thead><tr><th>row</th><th>what</th><th>use</th><th>stated</th><th>model</th><th>error</th>
<th>leave-one-out</th><th>tolerance</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

export function reportHtml(
  data: ReportData,
  charts: { whatif: TopLevelSpec; assumptions: TopLevelSpec },
  libs: EmbeddedLibraries,
): string {
  const rows = data.parameters
    .map(
      (p) =>
        `<tr><td>${escapeHtml(p.name)}</td><td>${num(p.value)}</td><td>${escapeHtml(p.unit)}</td>` +
        `<td>${p.lo === null ? '' : `${num(p.lo)} to ${num(p.hi)}`}</td><td>${p.source}</td><td>${escapeHtml(p.ref)}</td></tr>`,
    )
    .join('\n');
  const counts = ['fit', 'measurement', 'citation', 'assumption']
    .map((k) => `${data.parameters.filter((p) => p.source === k).length} ${k}`)
    .join(', ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ibvf report: ${escapeHtml(data.profile)}</title>
<style>
body { font-family: 'DejaVu Sans', sans-serif; margin: 2em; max-width: 72em; }
table { border-collapse: collapse; font-size: 0.85em; }
td, th { border-bottom: 1px solid #ddd; padding: 0.2em 0.6em; text-align: left; vertical-align: top; }
</style>
<script>${inlineScript(libs.vega)}</script>
<script>${inlineScript(libs.vegaLite)}</script>
<script>${inlineScript(libs.vegaEmbed)}</script>
</head>
<body>
<h1>ibvf report: profile ${escapeHtml(data.profile)}</h1>
<h2>What if: collectives per layout</h2>
<p>${escapeHtml(data.setting)}. Predicted when this page was written (lines; band: 95% range from the
profile's intervals). Choose the collective below the chart; click a layout in the legend to pick it out
(shift-click for more).</p>
<div id="whatif"></div>
<h2>What the assumptions do</h2>
<p>Each assumed parameter of the profile (the ones no measurement sets) at the low end of its
interval, its value and the high end, all others at their values, for every layout at
${escapeHtml(data.assumptionSetting)}. Choose the collective and the assumption below the chart.</p>
<div id="assumptions"></div>
<h2>Fit quality</h2>
${fitSection(data)}
<h2>Parameters</h2>
<p>${data.parameters.length} parameters: ${counts}.</p>
<table><thead><tr><th>parameter</th><th>value</th><th>unit</th><th>95% interval</th><th>source</th><th>reference</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<script>
Promise.all([
  vegaEmbed('#whatif', ${inlineScript(JSON.stringify(charts.whatif))}, { actions: false, renderer: 'svg' }),
  vegaEmbed('#assumptions', ${inlineScript(JSON.stringify(charts.assumptions))}, { actions: false, renderer: 'svg' }),
])
  .then(() => document.body.setAttribute('data-rendered', 'yes'))
  .catch((e) => console.error(e));
</script>
</body>
</html>
`;
}
