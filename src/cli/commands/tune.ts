// descent tune <data.csv> --target <column> --space space.json: a hyperparameter search over the CLI's MLP,
// stored as a named study (resumable; other processes may join it), with an overall progress bar across trials,
// the leaderboard at the end, the study report, and optionally the best model saved.
//
// space.json maps parameter names to definitions:
//   { "units": { "type": "int", "min": 8, "max": 128, "step": 8 },
//     "learningRate": { "type": "float", "min": 1e-4, "max": 0.1, "sampling": "log" },
//     "optimizer": ["adam", "sgd", "rmsprop"],            an array is a choice
//     "activation": "relu" }                               a plain value is fixed
// Names the model reads: layers, units, units_<i> (hidden layer i, 1-based), activation, dropout, optimizer,
// learningRate (or lr).

import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadCsv, featureCount, type MissingStrategy, type Task } from '../../data/csv.js';
import { trainTestSplit } from '../../data/split.js';
import { StandardScaler } from '../../data/scalers.js';
import { setSeed } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Sequential } from '../../models/sequential.js';
import { Dense } from '../../layers/dense.js';
import { Dropout, InputLayer } from '../../layers/core.js';
import { getOptimizer } from '../../optimizers/index.js';
import { Callback } from '../../callbacks/callback.js';
import { RandomSearch, GridSearch, BayesianOptimization, Hyperband, TPESearch } from '../../tuner/tuners.js';
import type { Tuner } from '../../tuner/tuner.js';
import type { HyperParameters } from '../../tuner/hyperparameters.js';
import type { HyperparameterValue, TrialRecord } from '../../tuner/trial.js';
import { writeReport } from '../../report/html.js';
import { parse, intOption, fractionOption, stringOption, choiceOption, categoricalOption, type OptionSpec } from '../args.js';
import { UsageError } from '../errors.js';
import { TASK_DEFAULTS, defaultHidden } from '../model-builder.js';
import { saveModelDir, checkOutDir, type Preprocessing } from '../model-dir.js';
import { classificationMetrics, regressionMetrics, formatMetrics } from '../metrics-text.js';
import type { CliContext } from '../context.js';

export const TUNE_USAGE = `Usage: descent tune <data.csv> --target <column> --space <space.json> [options]

Search hyperparameters of an MLP on a CSV file (same data handling as descent train). The study is stored
under a name: re-running the command resumes it, and other processes (descent tune with the same --study
and --storage, or descent tune-worker) can join it.

space.json maps names to definitions; the model reads layers, units, units_<i>, activation, dropout,
optimizer and learningRate:
  { "units": { "type": "int", "min": 8, "max": 128, "step": 8 },
    "learningRate": { "type": "float", "min": 0.0001, "max": 0.1, "sampling": "log" },
    "optimizer": ["adam", "sgd"],  "activation": "relu" }
  (an array is a choice, a plain value is fixed; types: int, float, choice, boolean, fixed)

Options:
  --target <column>        target column [required]
  --space <space.json>     search space [required]
  --tuner <name>           random (default), grid, bayesian, hyperband, tpe
  --trials <n>             trials in the study (default 10; grid: the whole grid; hyperband: its schedule)
  --objective <metric>     metric to optimise (default val_loss; e.g. val_accuracy); direction inferred
  --epochs <n>             epochs per trial (hyperband: the most any trial gets) (default 20)
  --batch-size <n>         samples per gradient step (default 32)
  --validation-split <f>   fraction of training rows for the objective's val_ metrics (default 0.2)
  --cv <k>                 k-fold cross-validation per trial instead of a validation split
  --test-size <f>          rows held out to test the best model (default 0.2; 0 = none)
  --study <name>           study name (default: <csv name>-<target>)
  --storage <where>        'memory', a directory, or postgresql://... (default ./descent-studies)
  --seed <n>               same seed, same sequence of trials
  --missing <strategy>     missing cells: error (default), mean, median, most_frequent, drop
  --categorical <a,b>      columns to one-hot encode (default: columns that are mostly text)
  --task <task>            override the inferred task: binary, multiclass, regression
  --out <dir>              save the best model there (as descent train does)
  --report <file.html>     study report (default <study>-report.html)
  --quiet                  no progress output
  --verbose                stack traces on errors
  -h, --help               this help`;

const OPTIONS: OptionSpec = {
  target: { type: 'string' },
  space: { type: 'string' },
  tuner: { type: 'string' },
  trials: { type: 'string' },
  objective: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  'validation-split': { type: 'string' },
  cv: { type: 'string' },
  'test-size': { type: 'string' },
  study: { type: 'string' },
  storage: { type: 'string' },
  seed: { type: 'string' },
  missing: { type: 'string' },
  categorical: { type: 'string' },
  task: { type: 'string' },
  out: { type: 'string' },
  report: { type: 'string' },
  quiet: { type: 'boolean' },
};

const TUNERS = ['random', 'grid', 'bayesian', 'hyperband', 'tpe'] as const;
const KNOWN = ['layers', 'units', 'activation', 'dropout', 'optimizer', 'learningRate', 'lr'];

type Definition =
  | HyperparameterValue
  | HyperparameterValue[]
  | { type: 'int' | 'float'; min: number; max: number; step?: number; sampling?: 'linear' | 'log' | 'reverse_log'; default?: number }
  | { type: 'choice'; values: HyperparameterValue[]; default?: HyperparameterValue }
  | { type: 'boolean'; default?: boolean }
  | { type: 'fixed'; value: HyperparameterValue };

/** Read space.json; errors name the file and the parameter. */
export function readSpace(path: string): Record<string, Definition> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`Search space file not found: ${path}`);
  }
  let space: unknown;
  try {
    space = JSON.parse(text);
  } catch (e) {
    throw new Error(`Search space ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (!space || typeof space !== 'object' || Array.isArray(space)) throw new Error(`Search space ${path} must be a JSON object mapping names to definitions.`);
  const s = space as Record<string, Definition>;
  if (Object.keys(s).length === 0) throw new Error(`Search space ${path} is empty.`);
  for (const [name, def] of Object.entries(s)) {
    if (!KNOWN.includes(name) && !/^units_[1-9]\d*$/.test(name)) {
      throw new Error(`Search space ${path}: the CLI's model has no hyperparameter '${name}'. Known: ${KNOWN.join(', ')}, units_<i>.`);
    }
    if (def !== null && typeof def === 'object' && !Array.isArray(def)) {
      const t = (def as { type?: unknown }).type;
      if (!['int', 'float', 'choice', 'boolean', 'fixed'].includes(t as string)) {
        throw new Error(`Search space ${path}: '${name}' needs "type": int, float, choice, boolean or fixed (got ${JSON.stringify(t)}).`);
      }
      if ((t === 'int' || t === 'float') && (typeof (def as { min?: unknown }).min !== 'number' || typeof (def as { max?: unknown }).max !== 'number')) {
        throw new Error(`Search space ${path}: '${name}' (${t}) needs numeric "min" and "max".`);
      }
      if (t === 'choice' && !Array.isArray((def as { values?: unknown }).values)) throw new Error(`Search space ${path}: '${name}' (choice) needs "values": [...].`);
    } else if (def === null) throw new Error(`Search space ${path}: '${name}' is null.`);
  }
  return s;
}

function declare(hp: HyperParameters, name: string, def: Definition): HyperparameterValue {
  if (Array.isArray(def)) return hp.choice(name, def);
  if (typeof def !== 'object') return hp.fixed(name, def);
  switch (def.type) {
    case 'int': return hp.int(name, def.min, def.max, { step: def.step, sampling: def.sampling, default: def.default });
    case 'float': return hp.float(name, def.min, def.max, { step: def.step, sampling: def.sampling, default: def.default });
    case 'choice': return hp.choice(name, def.values, { default: def.default });
    case 'boolean': return hp.boolean(name, { default: def.default });
    case 'fixed': return hp.fixed(name, def.value);
  }
}

/** The hypermodel: the CLI's MLP with the space's values (defaults as descent train's). */
export function mlpHypermodel(space: Record<string, Definition>, task: Task, inputs: number, outputs: number) {
  const defaults = TASK_DEFAULTS[task];
  const [h1] = defaultHidden(inputs);
  return (hp: HyperParameters): Sequential => {
    const get = (name: string, fallback: HyperparameterValue) => (name in space ? declare(hp, name, space[name]) : fallback);
    const layers = Number(get('layers', 2));
    const units = Number(get('units', h1));
    const activation = String(get('activation', 'relu'));
    const dropout = Number(get('dropout', 0));
    const optimizer = String(get('optimizer', 'adam'));
    const lr = 'learningRate' in space ? get('learningRate', 0) : get('lr', 0);
    const model = new Sequential();
    model.add(new InputLayer({ inputShape: [inputs] }));
    for (let i = 1; i <= layers; i++) {
      model.add(new Dense(Number(get(`units_${i}`, units)), { activation: activation as 'relu' }));
      if (dropout > 0) model.add(new Dropout(dropout));
    }
    model.add(new Dense(outputs, { activation: defaults.activation as 'sigmoid' }));
    const config: Record<string, unknown> = {};
    if (Number(lr) > 0) config.learningRate = Number(lr);
    model.compile({ loss: defaults.loss, optimizer: getOptimizer({ className: optimizer, config }), metrics: defaults.metrics });
    return model;
  };
}

/**
 * An overall progress bar across trials, driven by the fit callbacks of each trial:
 *   Trials 3/20 [=========>....................] - best val_loss 0.4123 (trial 2) - trial 4: epoch 5/20
 * On a TTY it redraws in place and prints a line per finished trial above it; otherwise it prints only the lines.
 */
export class TuneProgress extends Callback {
  private readonly shown = new Set<number>();
  private first = true;
  private lastDraw = 0;

  constructor(
    private readonly tuner: Tuner,
    private readonly objective: string,
    private readonly stream: { write(s: string): unknown; isTTY?: boolean } = process.stdout,
  ) {
    super();
  }

  private get total(): number | null {
    return this.tuner.maxTrials;
  }

  private bar(fraction: number, current: string): string {
    const done = this.tuner.trials.filter((t) => t.status !== 'running');
    const total = this.total;
    const best = this.tuner.getBestTrials(1)[0];
    const bestText = best ? ` - best ${this.objective} ${Number((best.value as number).toPrecision(5))} (trial ${best.id})` : '';
    if (total === null) return `Trials ${done.length}${bestText}${current}`;
    const width = 30;
    const f = Math.min(1, (done.length + fraction) / total);
    const filled = Math.floor(f * width);
    const bar = '='.repeat(filled) + (filled < width ? '>' : '') + '.'.repeat(Math.max(0, width - filled - 1));
    return `Trials ${done.length}/${total} [${bar}]${bestText}${current}`;
  }

  /** Print lines for trials that finished since the last call (trials already done when we started: one line). */
  private flush(): void {
    const finished = this.tuner.trials.filter((t) => t.status !== 'running' && !this.shown.has(t.id));
    if (this.first) {
      this.first = false;
      if (finished.length > 0) {
        this.clear();
        this.stream.write(`Resuming study '${this.tuner.studyName}': ${finished.length} trials already finished.\n`);
        for (const t of finished) this.shown.add(t.id);
        return;
      }
    }
    for (const t of finished.sort((a, b) => a.id - b.id)) {
      this.shown.add(t.id);
      this.clear();
      this.stream.write(trialLine(t, this.shown.size, this.total, this.objective) + '\n');
    }
  }

  private clear(): void {
    if (this.stream.isTTY) this.stream.write('\r\x1b[K');
  }

  private draw(fraction: number, current: string, force = false): void {
    if (!this.stream.isTTY) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.stream.write(`\r\x1b[K${this.bar(fraction, current)}`);
  }

  override onTrainBegin(): void {
    this.flush();
    this.draw(0, '', true);
  }

  override onEpochEnd(epoch: number): void {
    const epochs = this.params?.epochs ?? 1;
    this.draw(Math.min(1, (epoch + 1) / epochs), ` - current trial: epoch ${epoch + 1}/${epochs}`);
  }

  /** After the search: the remaining trial lines and the final bar. */
  end(): void {
    this.flush();
    if (this.stream.isTTY) this.stream.write(`\r\x1b[K${this.bar(0, '')}\n`);
  }
}

function trialLine(t: TrialRecord, done: number, total: number | null, objective: string): string {
  const hp = Object.entries(t.hyperparameters).filter(([k]) => !k.startsWith('tuner/'))
    .map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(4)) : v}`).join(' ');
  const value = t.value === null ? '' : ` ${objective}=${Number(t.value.toPrecision(5))}`;
  const time = t.finishedAt !== undefined ? ` in ${((t.finishedAt - t.startedAt) / 1000).toFixed(1)}s` : '';
  const err = t.status === 'failed' && t.error ? ` (${t.error.split('\n')[0].slice(0, 100)})` : '';
  return `[${done}${total !== null ? `/${total}` : ''}] trial ${t.id} ${t.status}${value}${time} - ${hp}${err}`;
}

export async function tune(argv: string[], ctx: CliContext): Promise<number> {
  const cmd = 'tune';
  const { values, positionals } = parse(cmd, argv, OPTIONS, { min: 1, max: 1, names: '<data.csv>' });
  if (values.help) return ctx.out(TUNE_USAGE), 0;
  const target = stringOption(values, 'target');
  if (target === undefined) throw new UsageError('missing --target <column> (the column to predict)', cmd);
  const spacePath = stringOption(values, 'space');
  if (spacePath === undefined) throw new UsageError('missing --space <space.json> (the search space)', cmd);
  const kind = choiceOption(cmd, values, 'tuner', TUNERS) ?? 'random';
  const maxTrials = intOption(cmd, values, 'trials');
  const epochs = intOption(cmd, values, 'epochs') ?? 20;
  const batchSize = intOption(cmd, values, 'batch-size') ?? 32;
  const cv = intOption(cmd, values, 'cv', 2);
  const validationSplit = fractionOption(cmd, values, 'validation-split') ?? 0.2;
  const testSize = fractionOption(cmd, values, 'test-size', true) ?? 0.2;
  const seed = intOption(cmd, values, 'seed', 0);
  const missing = choiceOption<MissingStrategy>(cmd, values, 'missing', ['error', 'mean', 'median', 'most_frequent', 'drop']);
  const taskOpt = choiceOption<Task>(cmd, values, 'task', ['binary', 'multiclass', 'regression']);
  const objective = stringOption(values, 'objective') ?? 'val_loss';
  if (cv !== undefined && values['validation-split'] !== undefined) throw new UsageError('--cv makes its own validation folds; drop --validation-split', cmd);
  const quiet = Boolean(values.quiet);
  const space = readSpace(spacePath);
  const csvPath = positionals[0];
  const outOpt = stringOption(values, 'out');
  if (outOpt) checkOutDir(outOpt, [csvPath, spacePath]);

  if (seed !== undefined) setSeed(seed);
  const data = await loadCsv(csvPath, { target, task: taskOpt, missing, categorical: categoricalOption(values) });
  const inputs = featureCount(data.encoders);
  const outputs = data.task === 'multiclass' ? data.classes!.length : 1;
  const labels = data.task === 'regression' ? undefined : Array.from(data.y.data);
  let xTrain: Tensor, xTest: Tensor | null = null, yTrain: Tensor, yTest: Tensor | null = null;
  if (testSize > 0) [xTrain, xTest, yTrain, yTest] = trainTestSplit(data.x, data.y, { testSize, seed, stratify: labels ?? false });
  else [xTrain, yTrain] = [data.x, data.y];
  const scaler = new StandardScaler().fit(xTrain);
  xTrain = scaler.transform(xTrain);
  if (xTest) xTest = scaler.transform(xTest);
  let targetScaler: StandardScaler | undefined;
  if (data.task === 'regression') {
    targetScaler = new StandardScaler().fit(yTrain);
    yTrain = targetScaler.transform(yTrain);
  }

  const studyName = stringOption(values, 'study') ?? `${basename(csvPath).replace(/\.[^.]*$/, '')}-${data.targetName}`;
  const common = {
    hypermodel: mlpHypermodel(space, data.task, inputs, outputs),
    objective,
    maxTrials,
    seed,
    crossValidation: cv,
    studyName,
    storage: stringOption(values, 'storage'),
    verbose: 0,
    keepModels: 1,
  };
  const tuner: Tuner =
    kind === 'grid' ? new GridSearch(common)
      : kind === 'bayesian' ? new BayesianOptimization(common)
        : kind === 'hyperband' ? new Hyperband({ ...common, maxEpochs: epochs })
          : kind === 'tpe' ? new TPESearch(common)
            : new RandomSearch(common);
  if (!quiet) ctx.out(`Tuning ${data.task} model for '${data.targetName}' on ${data.rows} rows: ${kind} search, study '${studyName}', objective ${objective} (${tuner.direction}).`);
  const progress = new TuneProgress(tuner, objective, quiet ? { write: () => true } : process.stdout);
  await tuner.search(xTrain, yTrain, {
    epochs,
    batchSize,
    validationSplit: cv === undefined ? validationSplit : undefined,
    callbacks: [progress],
  });
  progress.end();
  const trials = await tuner.getTrials();
  ctx.out(tuner.resultsSummary(10, false));
  const best = tuner.getBestTrials(1)[0];
  if (!best) throw new Error(`No trial of study '${studyName}' completed; see the errors above.`);
  ctx.out(`Best: trial ${best.id}, ${objective} ${Number((best.value as number).toPrecision(6))} with ${JSON.stringify(Object.fromEntries(Object.entries(best.hyperparameters).filter(([k]) => !k.startsWith('tuner/'))))}`);

  let testMetrics: Record<string, number> | undefined;
  const outDir = stringOption(values, 'out');
  if (xTest && yTest || outDir) {
    const [model] = (await tuner.getBestModels(1)) as unknown as Sequential[];
    if (xTest && yTest) {
      testMetrics = data.task === 'regression'
        ? regressionMetrics(targetScaler!.inverseTransform(model.predict(xTest)), yTest)
        : await classificationMetrics(model, xTest, yTest);
      ctx.out(`Best model on the test set (${xTest.shape[0]} rows): ${formatMetrics(testMetrics)}`);
    }
    if (outDir) {
      const pre: Preprocessing = { task: data.task, target: data.targetName, classes: data.classes, encoders: data.encoders, x: scaler, y: targetScaler };
      const h = (best.history ?? {}) as Record<string, number[]>;
      const n = Math.max(0, ...Object.values(h).map((v) => v.length));
      await saveModelDir(resolve(outDir), model, pre, { history: h, epoch: Array.from({ length: n }, (_, i) => i), testMetrics });
      ctx.out(`Saved best model to ${resolve(outDir)}`);
    }
  }
  const reportPath = resolve(stringOption(values, 'report') ?? join('.', `${studyName}-report.html`));
  writeReport(reportPath, {
    title: `Tuning study '${studyName}'`,
    study: { trials, direction: tuner.direction, objective, name: studyName },
    summary: `${kind} search on ${csvPath}, target '${data.targetName}' (${data.task}); ${trials.length} trials` + (testMetrics ? `\nBest model on the test set: ${formatMetrics(testMetrics)}` : ''),
  });
  ctx.out(`Report: ${reportPath}`);
  return 0;
}
