// descent report <model dir | history.json | study dir | postgresql://...>: write the HTML report again
// from what a run left behind.

import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeReport } from '../../report/html.js';
import { openStorage } from '../../tuner/storage/index.js';
import type { Direction, TrialRecord } from '../../tuner/trial.js';
import { storedObjective } from '../../tuner/space.js';
import { parse, stringOption, type OptionSpec } from '../args.js';
import { UsageError } from '../errors.js';
import { readHistory, HISTORY_FILE, REPORT_FILE, type SavedHistory } from '../model-dir.js';
import { formatMetrics } from '../metrics-text.js';
import type { CliContext } from '../context.js';

export const REPORT_USAGE = `Usage: descent report <model dir | history.json | study dir | postgresql://...> [options]

Write a self-contained HTML report (charts inlined, opens offline):
  model dir      learning curves from <dir>/history.json      -> <dir>-report.html beside it (the
                 report.html that descent train wrote inside the directory is kept)
  history.json   learning curves from a Keras-style history   -> history.html next to it
  study dir      a tuning study in a directory store: optimisation history, each hyperparameter
                 against the objective, leaderboard           -> <dir>/<study>-report.html
  postgresql://  a tuning study in PostgreSQL (needs --study)  -> ./<study>-report.html

Options:
  --out <file.html>     where to write the report
  --study <name>        which study (required when the store holds more than one)
  --objective <name>    objective name shown in the charts (default: the study's, else 'objective')
  --title <text>        page title
  --verbose             stack traces on errors
  -h, --help            this help`;

const OPTIONS: OptionSpec = { out: { type: 'string' }, study: { type: 'string' }, objective: { type: 'string' }, title: { type: 'string' } };

export async function report(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse('report', argv, OPTIONS, { min: 1, max: 1, names: '<path>' });
  if (values.help) return ctx.out(REPORT_USAGE), 0;
  const target = positionals[0];
  const out = stringOption(values, 'out');
  const title = stringOption(values, 'title');
  const isUrl = /^postgres(ql)?:\/\//i.test(target);
  if (!isUrl && !existsSync(target)) throw new Error(`Not found: ${target} (expected a model directory, a history.json file or a study directory).`);
  let path: string;
  if (!isUrl && statSync(target).isFile()) {
    const h = readHistory(target);
    path = resolve(out ?? target.replace(/\.json$/i, '') + '.html');
    writeReport(path, { title: title ?? `Training history: ${target}`, history: h, summary: historySummary(h) });
  } else if (!isUrl && existsSync(join(target, HISTORY_FILE))) {
    const h = readHistory(join(target, HISTORY_FILE));
    // Beside the directory, not in it: the report train wrote stays, and saving a model replaces the whole directory.
    path = resolve(out ?? `${resolve(target)}-report.html`);
    if (path === resolve(join(target, REPORT_FILE))) throw new Error(`--out ${out} is the report descent train wrote; choose another file.`);
    writeReport(path, { title: title ?? `Model ${target}`, history: h, summary: historySummary(h) });
  } else if (!isUrl && existsSync(join(target, 'model.json'))) {
    throw new Error(`${target} has a model but no ${HISTORY_FILE} to plot (models saved from code have no history; use a ReportCallback in fit).`);
  } else {
    path = await studyReport(target, isUrl, values, out, title);
  }
  ctx.out(`Report: ${path}`);
  return 0;
}

/** The run's summary as train saved it (data, model, units, test metrics), else the test metrics. */
function historySummary(h: SavedHistory): string | undefined {
  return h.summary ?? (h.testMetrics ? `Test metrics: ${formatMetrics(h.testMetrics)}` : undefined);
}

/**
 * For studies stored without their objective's name (before storedObjective existed): a search() trial's value is the best epoch value of the objective
 * metric, so the history key whose best value equals the trial's value names it ('objective' if none or several).
 */
export function inferObjective(trials: readonly TrialRecord[], direction: Direction): string {
  const t = trials.find((r) => r.status === 'complete' && typeof r.value === 'number' && r.history && Object.keys(r.history).length > 0);
  if (!t) return 'objective';
  const matches = Object.entries(t.history!).filter(([, v]) => {
    const finite = v.filter(Number.isFinite);
    if (finite.length === 0) return false;
    const best = direction === 'minimize' ? Math.min(...finite) : Math.max(...finite);
    return Math.abs(best - (t.value as number)) <= 1e-9 * Math.max(1, Math.abs(best));
  });
  return matches.length === 1 ? matches[0][0] : 'objective';
}

async function studyReport(target: string, isUrl: boolean, values: Record<string, unknown>, out: string | undefined, title: string | undefined): Promise<string> {
  const storage = await openStorage(target);
  try {
    const studies = await storage.listStudies();
    if (studies.length === 0) throw new Error(`${target} holds no tuning study (and no ${HISTORY_FILE}); nothing to report.`);
    const wanted = values.study as string | undefined;
    let info = studies[0];
    if (wanted !== undefined) {
      const found = studies.find((s) => s.name === wanted);
      if (!found) throw new Error(`No study '${wanted}' in ${target}. Studies: ${studies.map((s) => s.name).join(', ')}.`);
      info = found;
    } else if (studies.length > 1) {
      throw new UsageError(`${target} holds ${studies.length} studies; pick one with --study <name> (${studies.map((s) => s.name).join(', ')})`, 'report');
    }
    const trials = await storage.getTrials(info.name);
    const objective = (values.objective as string | undefined) ?? storedObjective(info) ?? inferObjective(trials, info.direction as Direction);
    const path = resolve(out ?? (isUrl ? `${info.name}-report.html` : join(target, `${info.name}-report.html`)));
    writeReport(path, { title: title ?? `Tuning study '${info.name}'`, study: { trials, direction: info.direction as Direction, objective, name: info.name } });
    return path;
  } finally {
    await storage.close();
  }
}
