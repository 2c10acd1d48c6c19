// What a report shows, computed in Node (no DOM): chart specifications for learning curves and a tuning
// study, and the leaderboard rows. html.ts turns this into a page; tests check these numbers directly.

import type { TrialRecord, Direction, HyperparameterValue } from '../tuner/trial.js';

export interface TrainingHistoryInput {
  /** Keras History.history: one value per epoch for each key (loss, accuracy, val_loss, ...). */
  history: Record<string, readonly number[]>;
  /** Keras History.epoch (0-based epoch indices); default 0..n-1. Charts show them 1-based, as the progress bar. */
  epoch?: readonly number[];
  /** Unit of each metric (base name, e.g. { loss: 'price²', mae: 'price' }), shown in the chart titles and axes. */
  units?: Record<string, string>;
}

export interface StudyInput {
  trials: readonly TrialRecord[];
  direction: Direction;
  /** The objective's name, e.g. 'val_loss'. */
  objective: string;
  name?: string;
}

export interface ReportInput {
  title: string;
  history?: TrainingHistoryInput;
  study?: StudyInput;
  /** Free text shown under the title (e.g. test metrics, model summary). */
  summary?: string;
}

export interface SeriesSpec {
  label: string;
  values: (number | null)[];
  style: 'line' | 'points' | 'step';
  color: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  x: number[];
  series: SeriesSpec[];
  /** Vertical marker lines (the best epoch). */
  markers: { x: number; label: string }[];
  /** Log-scaled x axis (log-sampled hyperparameters). */
  xLog?: boolean;
  /** Category names for an x axis of indices 0..k-1 (choice / boolean hyperparameters). */
  xCategories?: string[];
  /** Integer x values (epochs, trial ids): ticks at whole numbers only. */
  xInteger?: boolean;
  /** Pad the x range so edge points are not clipped (scatter plots). */
  padX?: boolean;
  /** Show the legend (off for charts with one series per trial). Default true. */
  legend?: boolean;
  /** Free text under the chart. */
  note?: string;
}

export interface LeaderboardRow {
  rank: number | null; // null for trials that did not complete
  id: number;
  status: string;
  value: number | null;
  spread: number | null; // standard deviation over executions / folds
  hyperparameters: Record<string, HyperparameterValue>;
  durationSec: number | null;
  error?: string;
}

export interface ReportModel {
  title: string;
  summary?: string;
  bestEpoch?: { epoch: number; monitor: string; value: number };
  charts: ChartSpec[];
  leaderboard?: { objective: string; direction: Direction; hyperparameterNames: string[]; rows: LeaderboardRow[] };
}

const TRAIN = '#1f77b4';
const VAL = '#ff7f0e';
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

/** Whether larger is better for a metric name, as Keras's ModelCheckpoint mode 'auto' decides (acc/auc/... maximise). */
export function metricDirection(name: string): Direction {
  const base = name.replace(/^val_/, '');
  return /(acc|accuracy|auc|precision|recall|f1|fbeta|r2|iou)(_|$)/.test(base) ? 'maximize' : 'minimize';
}

/** Index of the best finite value (first one on ties), or -1 if there is none. */
export function bestIndex(values: readonly (number | null)[], direction: Direction): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) continue;
    if (best < 0 || (direction === 'minimize' ? v < (values[best] as number) : v > (values[best] as number))) best = i;
  }
  return best;
}

const finiteOrNull = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

/** One chart per base metric (loss first), each with the train series and its val_ series when present. */
export function learningCurveCharts(input: TrainingHistoryInput): { charts: ChartSpec[]; bestEpoch?: ReportModel['bestEpoch'] } {
  const keys = Object.keys(input.history);
  const n = Math.max(0, ...keys.map((k) => input.history[k].length));
  const epochs = input.epoch && input.epoch.length === n ? input.epoch.map((e) => e + 1) : Array.from({ length: n }, (_, i) => i + 1);
  const bases: string[] = [];
  for (const k of keys) {
    const b = k.startsWith('val_') ? k.slice(4) : k;
    if (!bases.includes(b)) bases.push(b);
  }
  bases.sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
  const charts: ChartSpec[] = [];
  for (const b of bases) {
    const series: SeriesSpec[] = [];
    const pad = (k: string) => Array.from({ length: n }, (_, i) => finiteOrNull(input.history[k][i]));
    if (input.history[b]) series.push({ label: b, values: pad(b), style: 'line', color: TRAIN });
    if (input.history[`val_${b}`]) series.push({ label: `val_${b}`, values: pad(`val_${b}`), style: 'line', color: VAL });
    const monitor = series[series.length - 1];
    const dir = metricDirection(b);
    const bi = bestIndex(monitor.values, dir);
    // A learning-rate schedule has no "best" epoch.
    const markers = bi >= 0 && !/^(lr|learning_rate)$/.test(b) ? [{ x: epochs[bi], label: `best epoch ${epochs[bi]} (${monitor.label} ${fmt(monitor.values[bi] as number)})` }] : [];
    const unit = input.units?.[b] ? ` (${input.units[b]})` : '';
    charts.push({ id: `curve-${b}`, title: (b === 'loss' ? 'Loss' : b) + unit, xLabel: 'epoch', yLabel: b + unit, x: epochs, series, markers, xInteger: true });
  }
  // The run's best epoch: by val_loss if there is one, else loss (what EarlyStopping monitors by default).
  const monitorKey = input.history.val_loss ? 'val_loss' : input.history.loss ? 'loss' : undefined;
  let bestEpoch: ReportModel['bestEpoch'];
  if (monitorKey) {
    const bi = bestIndex(input.history[monitorKey].map(finiteOrNull), 'minimize');
    if (bi >= 0) bestEpoch = { epoch: epochs[bi], monitor: monitorKey, value: input.history[monitorKey][bi] };
  }
  return { charts, bestEpoch };
}

/** Optimisation history (objective by trial + best so far) and one scatter per hyperparameter. */
export function studyCharts(study: StudyInput): ChartSpec[] {
  const trials = [...study.trials].sort((a, b) => a.id - b.id);
  const done = trials.filter((t) => t.status === 'complete' && finiteOrNull(t.value) !== null);
  const charts: ChartSpec[] = [];
  const x = done.map((t) => t.id);
  const obj = done.map((t) => t.value as number);
  const bestSoFar: number[] = [];
  for (const v of obj) {
    const prev = bestSoFar.length ? bestSoFar[bestSoFar.length - 1] : v;
    bestSoFar.push(study.direction === 'minimize' ? Math.min(prev, v) : Math.max(prev, v));
  }
  const bi = bestIndex(obj, study.direction);
  charts.push({
    id: 'study-history',
    title: `Optimisation history (${study.objective}, ${study.direction})`,
    xLabel: 'trial',
    yLabel: study.objective,
    x,
    series: [
      { label: study.objective, values: obj, style: 'points', color: PALETTE[0] },
      { label: 'best so far', values: bestSoFar, style: 'step', color: PALETTE[3] },
    ],
    markers: bi >= 0 ? [{ x: x[bi], label: `best trial ${x[bi]}` }] : [],
    padX: true,
    xInteger: true,
    note: `${done.length} complete of ${trials.length} trials`,
  });
  const curves = intermediateChart(trials, study.objective);
  if (curves) charts.push(curves);
  for (const name of hyperparameterNames(done)) {
    const pts = done.filter((t) => name in t.hyperparameters).map((t) => ({ h: t.hyperparameters[name], v: t.value as number }));
    const numeric = pts.every((p) => typeof p.h === 'number');
    let xs: number[];
    let xCategories: string[] | undefined;
    let xLog = false;
    if (numeric) {
      xs = pts.map((p) => p.h as number);
      const lo = Math.min(...xs), hi = Math.max(...xs);
      xLog = lo > 0 && hi / lo >= 100; // log-sampled ranges (learning rates) spread over decades
    } else {
      xCategories = [...new Set(pts.map((p) => String(p.h)))].sort();
      xs = pts.map((p) => xCategories!.indexOf(String(p.h)));
    }
    // uPlot wants ascending x; the scatter does not care about order.
    const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
    charts.push({
      id: `hp-${name}`,
      title: `${name} vs ${study.objective}`,
      xLabel: name,
      yLabel: study.objective,
      x: order.map((i) => xs[i]),
      series: [{ label: study.objective, values: order.map((i) => pts[i].v), style: 'points', color: PALETTE[2] }],
      markers: [],
      xLog,
      xCategories,
      padX: true,
    });
  }
  return charts;
}

const STATUS_COLOR: Record<string, string> = { complete: '#1f77b4', pruned: '#ff7f0e', failed: '#d62728', running: '#7f7f7f' };

/** The per-epoch objective each trial reported (what pruners read), one line per trial coloured by status. */
function intermediateChart(trials: readonly TrialRecord[], objective: string): ChartSpec | null {
  const reporting = trials.filter((t) => t.intermediate.filter((p) => Number.isFinite(p.value)).length >= 2);
  if (reporting.length === 0) return null;
  const steps = [...new Set(reporting.flatMap((t) => t.intermediate.map((p) => p.step)))].sort((a, b) => a - b);
  const series: SeriesSpec[] = reporting.map((t) => {
    const at = new Map(t.intermediate.map((p) => [p.step, finiteOrNull(p.value)]));
    return { label: `trial ${t.id} (${t.status})`, values: steps.map((s) => at.get(s) ?? null), style: 'line', color: STATUS_COLOR[t.status] };
  });
  const count = (st: string) => reporting.filter((t) => t.status === st).length;
  return {
    id: 'study-intermediate',
    title: `Per-epoch ${objective} of each trial`,
    xLabel: 'step',
    yLabel: objective,
    x: steps,
    series,
    markers: [],
    xInteger: true,
    legend: series.length <= 8,
    note: `${reporting.length} trials: ${count('complete')} complete (blue), ${count('pruned')} pruned (orange), ${count('failed')} failed (red)`,
  };
}

/** Names of the tuned parameters (the tuner's own bookkeeping keys, 'tuner/...', left out). */
function hyperparameterNames(trials: readonly TrialRecord[]): string[] {
  const names: string[] = [];
  for (const t of trials) for (const k of Object.keys(t.hyperparameters)) if (!k.startsWith('tuner/') && !names.includes(k)) names.push(k);
  return names;
}

/** Complete trials ranked best first, then pruned, failed and running ones (by id). */
export function leaderboard(study: StudyInput): NonNullable<ReportModel['leaderboard']> {
  const sign = study.direction === 'minimize' ? 1 : -1;
  const complete = study.trials.filter((t) => t.status === 'complete' && finiteOrNull(t.value) !== null)
    .sort((a, b) => sign * ((a.value as number) - (b.value as number)) || a.id - b.id);
  const rest = study.trials.filter((t) => !complete.includes(t)).sort((a, b) => a.id - b.id);
  const row = (t: TrialRecord, rank: number | null): LeaderboardRow => ({
    rank,
    id: t.id,
    status: t.status,
    value: finiteOrNull(t.value),
    spread: t.values && t.values.length > 1 ? std(t.values) : null,
    hyperparameters: { ...t.hyperparameters },
    durationSec: t.finishedAt !== undefined ? (t.finishedAt - t.startedAt) / 1000 : null,
    error: t.error,
  });
  return {
    objective: study.objective,
    direction: study.direction,
    hyperparameterNames: hyperparameterNames(study.trials),
    rows: [...complete.map((t, i) => row(t, i + 1)), ...rest.map((t) => row(t, null))],
  };
}

function std(v: readonly number[]): number {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
}

export function fmt(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}

export function buildReportModel(input: ReportInput): ReportModel {
  if (!input.history && !input.study) throw new Error('writeReport needs a history or a study to plot.');
  const model: ReportModel = { title: input.title, summary: input.summary, charts: [] };
  if (input.history) {
    const bad = Object.entries(input.history.history).find(([, v]) => !Array.isArray(v) && !(v instanceof Float32Array));
    if (bad) throw new Error(`Report history key '${bad[0]}' is not an array of numbers.`);
    const { charts, bestEpoch } = learningCurveCharts(input.history);
    model.charts.push(...charts);
    model.bestEpoch = bestEpoch;
  }
  if (input.study) {
    model.charts.push(...studyCharts(input.study));
    model.leaderboard = leaderboard(input.study);
  }
  return model;
}
