// descent tune <data.csv> --target <column> --space space.json: a hyperparameter search over the CLI's MLP,
// stored as a named study (resumable; other processes may join it), with an overall progress bar across trials,
// the leaderboard at the end, the study report, and optionally the best model saved.

import { basename, join, resolve } from 'node:path';
import { setSeed } from '../../tensor/random.js';
import type { Sequential } from '../../models/sequential.js';
import { RandomSearch, GridSearch, BayesianOptimization, Hyperband, TPESearch } from '../../tuner/tuners.js';
import type { Tuner } from '../../tuner/tuner.js';
import { writeReport } from '../../report/html.js';
import { parse, intOption, fractionOption, stringOption, choiceOption, type OptionSpec } from '../args.js';
import { UsageError } from '../errors.js';
import { saveModelDir, checkOutDir } from '../model-dir.js';
import { prepareData, testMetrics, dataFlags, DATA_OPTIONS, DATA_USAGE } from '../prepare.js';
import { readSpace, mlpHypermodel } from '../tune-space.js';
import { TuneProgress } from '../tune-progress.js';
import { formatMetrics } from '../metrics-text.js';
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
${DATA_USAGE}
  --out <dir>              save the best model there (as descent train does)
  --report <file.html>     study report (default <study>-report.html)
  --quiet                  no progress output
  --verbose                stack traces on errors
  -h, --help               this help`;

const OPTIONS: OptionSpec = {
  ...DATA_OPTIONS,
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
  const objective = stringOption(values, 'objective') ?? 'val_loss';
  if (cv !== undefined && values['validation-split'] !== undefined) throw new UsageError('--cv makes its own validation folds; drop --validation-split', cmd);
  const quiet = Boolean(values.quiet);
  const space = readSpace(spacePath);
  const csvPath = positionals[0];
  const outOpt = stringOption(values, 'out');
  if (outOpt) checkOutDir(outOpt, [csvPath, spacePath]);

  if (seed !== undefined) setSeed(seed);
  const p = await prepareData(csvPath, { target, ...dataFlags(cmd, values), testSize, validationSplit: cv === undefined ? validationSplit : undefined, seed, progress: quiet ? undefined : process.stderr });
  const { data, inputs, outputs } = p;
  if (!quiet) for (const note of p.notes) ctx.out(note);

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
  await tuner.search(p.xTrain, p.yTrain, {
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
  if (!quiet) ctx.out(`Study '${studyName}' finished: ${tuner.endReason()}.`);
  ctx.out(`Best: trial ${best.id}, ${objective} ${Number((best.value as number).toPrecision(6))} with ${JSON.stringify(Object.fromEntries(Object.entries(best.hyperparameters).filter(([k]) => !k.startsWith('tuner/'))))}`);

  let metrics: Record<string, number> | undefined;
  const outDir = stringOption(values, 'out');
  if (p.xTest || outDir) {
    const [model] = (await tuner.getBestModels(1)) as unknown as Sequential[];
    metrics = await testMetrics(model, p);
    if (metrics) ctx.out(`Best model on the test set (${p.xTest!.shape[0]} rows): ${formatMetrics(metrics)}`);
    if (outDir) {
      const h = (best.history ?? {}) as Record<string, number[]>;
      const n = Math.max(0, ...Object.values(h).map((v) => v.length));
      await saveModelDir(resolve(outDir), model, p.preprocessing, { history: h, epoch: Array.from({ length: n }, (_, i) => i), testMetrics: metrics });
      ctx.out(`Saved best model to ${resolve(outDir)}`);
    }
  }
  const reportPath = resolve(stringOption(values, 'report') ?? join('.', `${studyName}-report.html`));
  writeReport(reportPath, {
    title: `Tuning study '${studyName}'`,
    study: { trials, direction: tuner.direction, objective, name: studyName },
    summary: `${kind} search on ${csvPath}, target '${data.targetName}' (${data.task}); ${trials.length} trials` + (metrics ? `\nBest model on the test set: ${formatMetrics(metrics)}` : ''),
  });
  ctx.out(`Report: ${reportPath}`);
  return 0;
}
