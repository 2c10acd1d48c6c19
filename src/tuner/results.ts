// The results table of a study: best trials first, then pruned, failed and running ones.

import type { Direction, TrialRecord } from './trial.js';
import { paramValues } from './space.js';
import { score } from './oracle.js';

export function durationOf(t: TrialRecord): number | null {
  return t.finishedAt !== undefined ? (t.finishedAt - t.startedAt) / 1000 : null;
}

export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  return { mean, std };
}

/** Trials ordered for display: complete by score, then pruned by score, then failed and running by id. */
export function rankTrials(trials: readonly TrialRecord[], direction: Direction): TrialRecord[] {
  const rank = (t: TrialRecord) => ({ complete: 0, pruned: 1, failed: 2, running: 3 })[t.status];
  const key = (t: TrialRecord) => (typeof t.value === 'number' && Number.isFinite(t.value) ? score(t.value, direction) : Infinity);
  return [...trials].sort((a, b) => rank(a) - rank(b) || (rank(a) < 2 ? key(a) - key(b) : 0) || a.id - b.id);
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : Number(v.toPrecision(5)).toString();
}

function fmtValue(v: unknown): string {
  return typeof v === 'number' ? fmt(v) : String(v);
}

/** A plain-text table of the first `limit` ranked trials with a header line of counts. */
export function formatSummary(study: string, objective: string, direction: Direction, trials: readonly TrialRecord[], limit = 10): string {
  const counts = (s: string) => trials.filter((t) => t.status === s).length;
  const lines = [
    `Results summary: study '${study}', objective ${objective} (${direction})`,
    `${trials.length} trials: ${counts('complete')} complete, ${counts('pruned')} pruned, ${counts('failed')} failed, ${counts('running')} running`,
  ];
  const rows = rankTrials(trials, direction).slice(0, limit).map((t) => {
    const hp = Object.entries(paramValues(t.hyperparameters)).map(([k, v]) => `${k}=${fmtValue(v)}`).join(' ');
    const budget = typeof t.hyperparameters['tuner/epochs'] === 'number' ? ` [${t.hyperparameters['tuner/epochs']} epochs]` : '';
    let value = t.value === null ? '-' : fmt(t.value);
    if (t.values && t.values.length > 1) value += ` ± ${fmt(meanStd(t.values).std)}`;
    const d = durationOf(t);
    const status = t.status === 'failed' && t.error ? `failed: ${t.error.split('\n')[0].slice(0, 60)}` : t.status;
    return [String(t.id), value, d === null ? '-' : `${d.toFixed(2)}s`, hp + budget, status];
  });
  const header = ['trial', 'value', 'time', 'hyperparameters', 'status'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  lines.push(line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line));
  return lines.join('\n');
}
