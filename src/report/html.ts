// One self-contained HTML report: uPlot's JS and CSS are read from node_modules and inlined, the data is
// embedded as JSON, so the file opens offline in any browser and can be mailed or archived as is.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildReportModel, fmt, type ReportInput, type ReportModel } from './report-model.js';
import { writeFileAtomic } from '../io/atomic-file.js';

export type { ReportInput } from './report-model.js';

let uplotAssets: { js: string; css: string } | null = null;

/** uPlot's minified browser build and stylesheet, resolved from wherever node_modules puts them. */
function loadUplot(): { js: string; css: string } {
  if (uplotAssets) return uplotAssets;
  const require = createRequire(import.meta.url);
  let jsPath: string, cssPath: string;
  try {
    jsPath = require.resolve('uplot/dist/uPlot.iife.min.js');
    cssPath = require.resolve('uplot/dist/uPlot.min.css');
  } catch {
    throw new Error("Cannot find the 'uplot' package that reports inline; run: npm install uplot");
  }
  uplotAssets = { js: readFileSync(jsPath, 'utf8'), css: readFileSync(cssPath, 'utf8') };
  return uplotAssets;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Text inside <script> must not contain '</script' or '<!--'; escaping every '<' in JSON strings is safe. */
const scriptSafe = (s: string) => s.replace(/</g, '\\u003c');

function leaderboardHtml(lb: NonNullable<ReportModel['leaderboard']>): string {
  const hasSpread = lb.rows.some((r) => r.spread !== null);
  const head = ['#', 'trial', lb.objective, ...(hasSpread ? ['± std'] : []), ...lb.hyperparameterNames, 'status', 'time (s)'];
  const rows = lb.rows.map((r) => {
    const cells = [
      r.rank === null ? '' : String(r.rank),
      String(r.id),
      fmt(r.value),
      ...(hasSpread ? [fmt(r.spread)] : []),
      ...lb.hyperparameterNames.map((n) => (n in r.hyperparameters ? fmtHp(r.hyperparameters[n]) : '')),
    ].map((c) => `<td>${escapeHtml(c)}</td>`);
    const status = `<td><span class="status ${r.status}"${r.error ? ` title="${escapeHtml(r.error)}"` : ''}>${escapeHtml(r.status)}</span>${r.error ? ` <span class="err">${escapeHtml(r.error.slice(0, 200))}</span>` : ''}</td>`;
    const time = `<td>${r.durationSec === null ? '' : r.durationSec.toFixed(2)}</td>`;
    return `<tr class="${r.rank === 1 ? 'best' : ''}">${cells.join('')}${status}${time}</tr>`;
  });
  return `<table class="leaderboard"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function fmtHp(v: unknown): string {
  return typeof v === 'number' ? fmt(v) : String(v);
}

const PAGE_CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;background:#f6f7f9;color:#222}
header{background:#24292f;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:22px;font-weight:600}
header .meta{opacity:.75;font-size:13px;margin-top:4px}
main{padding:12px 28px 40px;max-width:1400px}
h2{font-size:17px;margin:26px 0 10px;color:#333}
pre.summary{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px;white-space:pre-wrap;font-size:13px}
.chip{display:inline-block;background:#e8f5e9;border:1px solid #a5d6a7;border-radius:12px;padding:3px 10px;font-size:13px;margin:6px 0}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:16px}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 12px;min-width:0}
.card .note{font-size:12px;color:#666;margin-top:2px}
.chart{width:100%}
table.leaderboard{border-collapse:collapse;background:#fff;font-size:13px;border:1px solid #ddd}
table.leaderboard th,table.leaderboard td{padding:5px 10px;border-bottom:1px solid #eee;text-align:right}
table.leaderboard th{background:#f0f2f4;position:sticky;top:0}
table.leaderboard tr.best td{background:#fff8e1;font-weight:600}
.status{border-radius:8px;padding:1px 7px;font-size:12px}
.status.complete{background:#e8f5e9}.status.pruned{background:#fff3e0}.status.failed{background:#ffebee}.status.running{background:#e3f2fd}
.err{color:#b71c1c;font-size:12px}
`;

// Runs in the browser: one uPlot per chart spec; a draw hook paints the best-epoch markers.
const CLIENT_JS = `
(function () {
  var model = JSON.parse(document.getElementById('descent-data').textContent);
  var out = { charts: [] };
  window.__descentReport = out;
  var plots = [];
  function seriesOpts(s, i, all) {
    var many = all.length > 8;
    var known = s.values.filter(function (v) { return v != null; }).length;
    // A lone value has no line to draw: show it as a point.
    var o = { label: s.label, stroke: s.color, width: many ? 1.25 : 2, spanGaps: true, points: { show: s.style === 'points' || known <= 1 || undefined, size: 7, fill: s.color, stroke: s.color } };
    if (s.style === 'points') { o.paths = function () { return null; }; o.width = 0; }
    if (s.style === 'step') o.paths = uPlot.paths.stepped({ align: 1 });
    return o;
  }
  function markerHook(markers) {
    return function (u) {
      var ctx = u.ctx, dpr = window.devicePixelRatio || 1;
      markers.forEach(function (m) {
        var cx = u.valToPos(m.x, 'x', true);
        if (!isFinite(cx)) return;
        ctx.save();
        ctx.strokeStyle = '#2e7d32'; ctx.fillStyle = '#2e7d32';
        ctx.lineWidth = 1.5 * dpr; ctx.setLineDash([6 * dpr, 4 * dpr]);
        ctx.beginPath(); ctx.moveTo(cx, u.bbox.top); ctx.lineTo(cx, u.bbox.top + u.bbox.height); ctx.stroke();
        ctx.font = (12 * dpr) + 'px system-ui, sans-serif';
        var right = cx > u.bbox.left + u.bbox.width / 2;
        ctx.textAlign = right ? 'right' : 'left';
        ctx.fillText(m.label, cx + (right ? -5 : 5) * dpr, u.bbox.top + 14 * dpr);
        ctx.restore();
      });
    };
  }
  model.charts.forEach(function (c) {
    var el = document.getElementById('chart-' + c.id);
    var cats = c.xCategories;
    var xScale = { time: false };
    if (c.xLog) { xScale.distr = 3; xScale.log = 10; }
    if (cats) { xScale.range = function () { return [-0.5, cats.length - 0.5]; }; }
    else if (c.padX && c.x.length) {
      var lo = Math.min.apply(null, c.x), hi = Math.max.apply(null, c.x);
      if (c.xLog) { var f = hi > lo ? Math.pow(hi / lo, 0.05) : 2; xScale.range = function () { return [lo / f, hi * f]; }; }
      else { var p = (hi - lo) * 0.05 || 0.5; xScale.range = function () { return [lo - p, hi + p]; }; }
    }
    var xAxis = { label: c.xLabel };
    if (c.xInteger) xAxis.incrs = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 100000];
    if (c.xLog) {
      // Label the decades only; uPlot puts a grid line at each 1..9 multiple.
      xAxis.values = function (u, splits) { return splits.map(function (v) { var l = Math.log10(v); return Math.abs(l - Math.round(l)) < 1e-6 ? (Math.abs(l) >= 3 ? '1e' + Math.round(l) : String(Math.pow(10, Math.round(l)))) : ''; }); };
    }
    if (cats) {
      xAxis.splits = function () { return cats.map(function (_, i) { return i; }); };
      xAxis.values = function (u, splits) { return splits.map(function (i) { return cats[i] !== undefined ? cats[i] : ''; }); };
    }
    var opts = {
      width: Math.max(300, el.clientWidth), height: 300,
      title: c.title,
      scales: { x: xScale },
      axes: [xAxis, { label: c.yLabel, size: 60 }],
      series: [{ label: c.xLabel, value: cats ? function (u, v) { return v == null ? '' : cats[v]; } : undefined }].concat(c.series.map(seriesOpts)),
      hooks: { draw: [markerHook(c.markers)] },
      legend: { show: c.legend !== false, live: true }
    };
    var data = [c.x].concat(c.series.map(function (s) { return s.values; }));
    var u = new uPlot(opts, data, el);
    plots.push({ u: u, el: el });
    out.charts.push({ id: c.id, series: u.series.length - 1, colors: c.series.map(function (s) { return s.color; }), points: c.x.length, markers: c.markers.length });
  });
  window.addEventListener('resize', function () {
    plots.forEach(function (p) { p.u.setSize({ width: Math.max(300, p.el.clientWidth), height: 300 }); });
  });
  document.body.setAttribute('data-rendered', String(out.charts.length));
})();
`;

/** The report page as a string (see writeReport). */
export function renderReport(input: ReportInput): string {
  const model = buildReportModel(input);
  const { js, css } = loadUplot();
  const card = (c: ReportModel['charts'][number]) =>
    `<div class="card"><div class="chart" id="chart-${escapeHtml(c.id)}"></div>${c.note ? `<div class="note">${escapeHtml(c.note)}</div>` : ''}</div>`;
  const curves = model.charts.filter((c) => c.id.startsWith('curve-'));
  const studyPlots = model.charts.filter((c) => !c.id.startsWith('curve-'));
  const parts: string[] = [];
  if (model.summary) parts.push(`<pre class="summary">${escapeHtml(model.summary)}</pre>`);
  if (curves.length) {
    parts.push('<h2>Learning curves</h2>');
    if (model.bestEpoch) parts.push(`<div class="chip">best epoch ${model.bestEpoch.epoch} by ${escapeHtml(model.bestEpoch.monitor)} = ${fmt(model.bestEpoch.value)}</div>`);
    parts.push(`<div class="grid">${curves.map(card).join('\n')}</div>`);
  }
  if (studyPlots.length) {
    parts.push('<h2>Tuning study</h2>');
    parts.push(`<div class="grid">${studyPlots.map(card).join('\n')}</div>`);
  }
  if (model.leaderboard) parts.push('<h2>Leaderboard</h2>', leaderboardHtml(model.leaderboard));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(model.title)}</title>
<style>${css}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(model.title)}</h1><div class="meta">descent report · ${escapeHtml(new Date().toISOString().replace('T', ' ').slice(0, 19))} UTC</div></header>
<main>
${parts.join('\n')}
</main>
<script id="descent-data" type="application/json">${scriptSafe(JSON.stringify(model))}</script>
<script>${js}</script>
<script>${CLIENT_JS}</script>
</body>
</html>
`;
}

/**
 * Write one self-contained HTML report (atomically) with learning curves and/or a tuning study.
 * @example writeReport('report.html', { title: 'Pima MLP', history: { history: h.history, epoch: h.epoch } })
 */
export function writeReport(path: string, input: ReportInput): string {
  writeFileAtomic(path, renderReport(input));
  return path;
}
