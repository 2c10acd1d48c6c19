// descent train <data.csv> --target <column>: load, split, standardize, fit with Keras progress, evaluate on the
// held-out rows, save the model directory, write the report.

import { basename, join, resolve } from 'node:path';
import { setSeed } from '../../tensor/random.js';
import { renderReport, writeReport } from '../../report/html.js';
import { textChart } from '../../report/text-chart.js';
import { ProgbarLogger } from '../../callbacks/progbar.js';
import type { Callback } from '../../callbacks/callback.js';
import { parse, intOption, positiveOption, fractionOption, stringOption, type OptionSpec } from '../args.js';
import { UsageError } from '../errors.js';
import { buildModel, readModelSpec, TASK_DEFAULTS, type ModelSpec } from '../model-builder.js';
import { saveModelDir, checkOutDir, REPORT_FILE, type SavedHistory } from '../model-dir.js';
import { prepareData, testMetrics, dataFlags, DATA_OPTIONS, DATA_USAGE } from '../prepare.js';
import { targetUnits, TargetUnitsCallback, convertHistory, unitLabels, describeUnits } from '../target-units.js';
import { formatMetrics } from '../metrics-text.js';
import type { CliContext } from '../context.js';

export const TRAIN_USAGE = `Usage: descent train <data.csv> --target <column> [options]

Train a model on a CSV file. The task is inferred from the target column: two classes -> binary
(sigmoid + binary_crossentropy), more classes -> multiclass (softmax + sparse_categorical_crossentropy),
numbers -> regression (linear + mse; losses are shown in the target's units). Features are standardized;
text columns are one-hot encoded. The training rows are shuffled (seeded with --seed) before fit holds
out the last --validation-split of them, so a sorted file still gets a random validation sample.

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
${DATA_USAGE}
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
  ...DATA_OPTIONS,
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
  const flags = dataFlags(cmd, values);
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
  const p = await prepareData(csvPath, { target, ...flags, testSize, validationSplit, seed, progress: quiet ? undefined : process.stderr });
  const { data, inputs, outputs, describe } = p;
  if (!quiet) {
    ctx.out(`Loaded ${data.rows} rows x ${inputs} features from ${csvPath}; target '${data.targetName}': ${describe}.`);
    for (const note of p.notes) ctx.out(note);
  }

  const model = buildModel({ task: data.task, inputs, outputs }, { spec, specPath, optimizer, learningRate: lr });
  if (!quiet) model.summary({ printFn: (line) => ctx.out(line) });
  // Regression trains on the standardized target; what is shown and saved is in the target's units.
  const lossName = spec?.loss ?? TASK_DEFAULTS[data.task].loss;
  const units = data.task === 'regression' ? targetUnits(data.targetName, p.targetStd!, lossName) : undefined;
  const callbacks: Callback[] = [];
  if (!quiet) {
    const unit = units ? ` (${units.unit('loss')})` : '';
    const bar = new ProgbarLogger({ verbose: 1, onTrainEndSummary: (h) => (h.loss && h.loss.length > 2 ? textChart(h.loss, { label: `loss${unit}`, height: 8 }) : null) });
    callbacks.push(units ? new TargetUnitsCallback(bar, units) : bar);
    if (units) {
      const keys = ['loss', ...(spec?.metrics ?? TASK_DEFAULTS.regression.metrics)];
      ctx.out(describeUnits(keys, lossName, units));
    }
  }
  const fitted = await model.fit(p.xTrain, p.yTrain, { epochs, batchSize, validationSplit: validationSplit > 0 ? validationSplit : undefined, verbose: 0, callbacks });
  const history = units ? convertHistory(fitted.history, units) : fitted.history;

  const metrics = await testMetrics(model, p);
  if (metrics) ctx.out(`Test (${p.xTest!.shape[0]} rows): ${formatMetrics(metrics)}`);
  const summary = [
    `Data: ${csvPath} (${data.rows} rows, ${inputs} features), target '${data.targetName}': ${describe}`,
    ...p.notes,
    `Model: ${model.layers.map((l) => l.className).join(' -> ')}, ${model.countParams()} parameters; ${epochs} epochs, batch ${batchSize}`,
    units ? `Losses in the target's units: ${Object.entries(unitLabels(Object.keys(history), units)).map(([k, u]) => `${k} in ${u}`).join(', ')}` : '',
    metrics ? `Test metrics: ${formatMetrics(metrics)}` : 'No test set (--test-size 0)',
  ].filter(Boolean).join('\n');
  const saved: SavedHistory = { history, epoch: fitted.epoch, params: fitted.params, testMetrics: metrics, summary };
  if (units) saved.units = unitLabels(Object.keys(history), units);
  const report = { title: `descent train: ${data.targetName} from ${basename(csvPath)}`, history: { history, epoch: fitted.epoch, units: saved.units }, summary };
  // The report inside the model directory is written with it, in one atomic step.
  const inside = reportPath === join(outDir, REPORT_FILE);
  await saveModelDir(outDir, model, p.preprocessing, saved, inside ? renderReport(report) : undefined);
  ctx.out(`Saved model to ${outDir}`);
  if (!inside) writeReport(reportPath, report);
  ctx.out(`Report: ${reportPath}`);
  return 0;
}
