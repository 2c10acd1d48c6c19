// descent train <data.csv> --target <column>: load, split, standardize, fit with Keras progress, evaluate on the
// held-out rows, save the model directory, write the report.

import { basename, join, resolve } from 'node:path';
import type { MissingStrategy, Task } from '../../data/csv.js';
import { setSeed } from '../../tensor/random.js';
import { writeReport } from '../../report/html.js';
import { parse, intOption, positiveOption, fractionOption, stringOption, choiceOption, categoricalOption, type OptionSpec } from '../args.js';
import { UsageError } from '../errors.js';
import { buildModel, readModelSpec, type ModelSpec } from '../model-builder.js';
import { saveModelDir, checkOutDir, REPORT_FILE } from '../model-dir.js';
import { prepareData, testMetrics } from '../prepare.js';
import { formatMetrics } from '../metrics-text.js';
import type { CliContext } from '../context.js';

export const TRAIN_USAGE = `Usage: descent train <data.csv> --target <column> [options]

Train a model on a CSV file. The task is inferred from the target column: two classes -> binary
(sigmoid + binary_crossentropy), more classes -> multiclass (softmax + sparse_categorical_crossentropy),
numbers -> regression (linear + mse). Features are standardized; text columns are one-hot encoded.

Options:
  --target <column>         target column name (or 0-based index) [required]
  --model <spec.json>       model spec (hidden layers or full layer list, loss, optimizer, metrics);
                            default: an MLP with two hidden relu layers sized from the data
  --input-shape <a,b,c>     shape of one sample, e.g. 28,28,1 for rows of 784 pixels fed to Conv2D layers
  --epochs <n>              passes over the training data (default 50)
  --batch-size <n>          samples per gradient step (default 32)
  --optimizer <name>        adam, sgd, rmsprop, adagrad, adamw, nadam, ... (default adam)
  --lr <rate>               learning rate (default: the optimizer's Keras default)
  --validation-split <f>    fraction of the training rows held out for val_ metrics (default 0.2; 0 = none)
  --test-size <f>           fraction of rows held out for the final test metrics (default 0.2; 0 = none)
  --task <task>             override the inferred task: binary, multiclass, regression
  --missing <strategy>      missing cells: error (default), mean, median, most_frequent, drop
  --categorical <a,b>       columns to one-hot encode (default: columns that are mostly text)
  --seed <n>                seed for the split, initial weights and shuffling (reproducible runs)
  --out <dir>               model directory to write (default ./model)
  --report <file.html>      report to write (default <out>/report.html)
  --quiet                   no progress output
  --verbose                 stack traces on errors
  -h, --help                this help

Example:
  descent train diabetes.csv --target Outcome --epochs 150 --batch-size 10 --lr 0.01 --out diabetes-model`;

const OPTIONS: OptionSpec = {
  target: { type: 'string' },
  model: { type: 'string' },
  'input-shape': { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  'validation-split': { type: 'string' },
  'test-size': { type: 'string' },
  task: { type: 'string' },
  missing: { type: 'string' },
  categorical: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  report: { type: 'string' },
  quiet: { type: 'boolean' },
};

export async function train(argv: string[], ctx: CliContext): Promise<number> {
  const cmd = 'train';
  const { values, positionals } = parse(cmd, argv, OPTIONS, { min: 1, max: 1, names: '<data.csv>' });
  if (values.help) return ctx.out(TRAIN_USAGE), 0;
  const target = stringOption(values, 'target');
  if (target === undefined) throw new UsageError('missing --target <column> (the column to predict)', cmd);
  const epochsOpt = intOption(cmd, values, 'epochs');
  const batchOpt = intOption(cmd, values, 'batch-size');
  const lr = positiveOption(cmd, values, 'lr');
  const validationSplit = fractionOption(cmd, values, 'validation-split', true) ?? 0.2;
  const testSize = fractionOption(cmd, values, 'test-size', true) ?? 0.2;
  const seed = intOption(cmd, values, 'seed', 0);
  const task = choiceOption<Task>(cmd, values, 'task', ['binary', 'multiclass', 'regression']);
  const missing = choiceOption<MissingStrategy>(cmd, values, 'missing', ['error', 'mean', 'median', 'most_frequent', 'drop']);
  const outDir = resolve(stringOption(values, 'out') ?? 'model');
  const reportPath = resolve(stringOption(values, 'report') ?? join(outDir, REPORT_FILE));
  const quiet = Boolean(values.quiet);
  const specPath = stringOption(values, 'model');
  let spec: ModelSpec | undefined = specPath ? readModelSpec(specPath) : undefined;
  const inputShape = stringOption(values, 'input-shape');
  if (inputShape !== undefined) {
    const dims = inputShape.split(',').map((d) => Number(d.trim()));
    if (!dims.every((d) => Number.isInteger(d) && d > 0)) throw new UsageError(`--input-shape must be positive integers separated by commas, e.g. 28,28,1; got '${inputShape}'`, cmd);
    spec = { ...spec, inputShape: dims };
  }
  const epochs = epochsOpt ?? spec?.epochs ?? 50;
  const batchSize = batchOpt ?? spec?.batchSize ?? 32;
  const optimizer = stringOption(values, 'optimizer');

  const csvPath = positionals[0];
  checkOutDir(stringOption(values, 'out') ?? 'model', [csvPath, ...(specPath ? [specPath] : [])]);
  if (seed !== undefined) setSeed(seed);
  const p = await prepareData(csvPath, { target, task, missing, categorical: categoricalOption(values), testSize, seed });
  const { data, inputs, outputs, describe } = p;
  if (!quiet) ctx.out(`Loaded ${data.rows} rows x ${inputs} features from ${csvPath}; target '${data.targetName}': ${describe}.`);

  const model = buildModel({ task: data.task, inputs, outputs }, { spec, specPath, optimizer, learningRate: lr });
  if (!quiet) model.summary({ printFn: (line) => ctx.out(line) });
  const history = await model.fit(p.xTrain, p.yTrain, { epochs, batchSize, validationSplit: validationSplit > 0 ? validationSplit : undefined, verbose: quiet ? 0 : 1 });

  const metrics = await testMetrics(model, p);
  if (metrics) ctx.out(`Test (${p.xTest!.shape[0]} rows): ${formatMetrics(metrics)}`);
  await saveModelDir(outDir, model, p.preprocessing, { history: history.history, epoch: history.epoch, params: history.params, testMetrics: metrics });
  ctx.out(`Saved model to ${outDir}`);
  const summary = [
    `Data: ${csvPath} (${data.rows} rows, ${inputs} features), target '${data.targetName}': ${describe}`,
    `Model: ${model.layers.map((l) => l.className).join(' -> ')}, ${model.countParams()} parameters; ${epochs} epochs, batch ${batchSize}`,
    metrics ? `Test metrics: ${formatMetrics(metrics)}` : 'No test set (--test-size 0)',
  ].join('\n');
  writeReport(reportPath, { title: `descent train: ${data.targetName} from ${basename(csvPath)}`, history: { history: history.history, epoch: history.epoch }, summary });
  ctx.out(`Report: ${reportPath}`);
  return 0;
}
