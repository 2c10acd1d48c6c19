// descent evaluate <model dir> <data.csv>: the model's loss and metrics on a labelled CSV file.

import { transformCsv } from '../../data/csv.js';
import { parse, type OptionSpec } from '../args.js';
import { loadModelDir, preprocessingOf } from '../model-dir.js';
import { classificationMetrics, regressionMetrics, formatMetrics } from '../metrics-text.js';
import type { CliContext } from '../context.js';

export const EVALUATE_USAGE = `Usage: descent evaluate <model dir> <data.csv> [--json]

Evaluate a model directory written by descent train on a CSV file that has the target column
(rows whose target is missing are left out, and counted on stderr).
Classifiers report the loss and the compiled metrics (Keras's evaluate); regression models report
mse, rmse, mae and r2 in the target's own units.

Options:
  --json        print the metrics as one JSON object
  --verbose     stack traces on errors
  -h, --help    this help`;

const OPTIONS: OptionSpec = { json: { type: 'boolean' } };

export async function evaluate(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse('evaluate', argv, OPTIONS, { min: 2, max: 2, names: '<model-dir> <data.csv>' });
  if (values.help) return ctx.out(EVALUATE_USAGE), 0;
  const [dir, csvPath] = positionals;
  const model = await loadModelDir(dir);
  const pre = preprocessingOf(model, dir);
  const { x: xScaler, y: yScaler } = pre;
  const { x, y, missingTargetRows } = await transformCsv(csvPath, pre.encoders, { dropMissingTarget: true, optionNames: 'cli' });
  if (missingTargetRows > 0) ctx.err(`Left out ${missingTargetRows} row${missingTargetRows === 1 ? '' : 's'} of ${csvPath} whose target '${pre.target}' is missing.`);
  if (!y) throw new Error(`${csvPath} has no target column '${pre.target}'; evaluate needs the true values (use descent predict for unlabelled data).`);
  const xs = xScaler ? xScaler.transform(x) : x;
  const metrics = pre.task === 'regression'
    ? regressionMetrics(yScaler ? yScaler.inverseTransform(model.predict(xs)) : model.predict(xs), y)
    : await classificationMetrics(model, xs, y);
  if (values.json) ctx.out(JSON.stringify(metrics));
  else ctx.out(`Evaluated on ${x.shape[0]} rows of ${csvPath}: ${formatMetrics(metrics)}`);
  return 0;
}
