// descent predict <model dir> <data.csv>: encode the file as at training time, predict, write CSV.

import { resolve } from 'node:path';
import { transformCsv } from '../../data/csv.js';
import { writeFileAtomic } from '../../io/atomic-file.js';
import { parse, stringOption, type OptionSpec } from '../args.js';
import { loadModelDir, preprocessingOf } from '../model-dir.js';
import type { CliContext } from '../context.js';

export const PREDICT_USAGE = `Usage: descent predict <model dir> <data.csv> [--out predictions.csv]

Predict with a model directory written by descent train. The CSV needs the training feature columns;
a target column, if present, is not read (missing values in it are fine). Output is CSV, one row per
input row (empty cells for rows a model trained with --missing drop cannot predict):
  binary       prediction,p_<class>        (probability of the second class in sorted order, e.g. p_yes)
  multiclass   prediction,p_<class>,...    (one probability per class)
  regression   prediction

Options:
  --out <file.csv>   write here (atomically) instead of stdout
  --verbose          stack traces on errors
  -h, --help         this help`;

const OPTIONS: OptionSpec = { out: { type: 'string' } };

const num = (v: number) => String(Number(v.toPrecision(6)));
const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export async function predict(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse('predict', argv, OPTIONS, { min: 2, max: 2, names: '<model-dir> <data.csv>' });
  if (values.help) return ctx.out(PREDICT_USAGE), 0;
  const [dir, csvPath] = positionals;
  const model = await loadModelDir(dir);
  const pre = preprocessingOf(model, dir);
  const { x: xScaler, y: yScaler } = pre;
  const { x, dropped } = await transformCsv(csvPath, pre.encoders, { ignoreTarget: true, optionNames: 'cli' });
  const p = model.predict(xScaler ? xScaler.transform(x) : x);
  const rows: string[] = [];
  const n = x.shape[0];
  let header: string;
  if (pre.task === 'regression') {
    const y = yScaler ? yScaler.inverseTransform(p) : p;
    header = 'prediction';
    for (let i = 0; i < n; i++) rows.push(num(y.data[i]));
  } else if (pre.task === 'binary') {
    // The sigmoid output is the probability of the second class in sorted order: the column says which.
    const classes = pre.classes!;
    header = `prediction,${csvCell(`p_${classes[1]}`)}`;
    for (let i = 0; i < n; i++) rows.push(`${csvCell(classes[p.data[i] >= 0.5 ? 1 : 0])},${num(p.data[i])}`);
  } else {
    const classes = pre.classes!;
    const k = classes.length;
    header = ['prediction', ...classes.map((c) => csvCell(`p_${c}`))].join(',');
    for (let i = 0; i < n; i++) {
      const row = Array.from(p.data.subarray(i * k, (i + 1) * k));
      let best = 0;
      for (let j = 1; j < k; j++) if (row[j] > row[best]) best = j;
      rows.push([csvCell(classes[best]), ...row.map(num)].join(','));
    }
  }
  // Rows skipped for missing cells (a model trained with --missing drop) keep their place, with empty cells.
  const lines = [header];
  const empty = header.split(',').map(() => '').join(',');
  for (let i = 0, d = 0, r = 0; i < n + dropped.length; i++) lines.push(d < dropped.length && dropped[d] === i ? (d++, empty) : rows[r++]);
  if (dropped.length) ctx.err(`${dropped.length} row${dropped.length === 1 ? '' : 's'} of ${csvPath} have missing values and no prediction (the model was trained with --missing drop); their cells are empty.`);
  const out = stringOption(values, 'out');
  if (out) {
    writeFileAtomic(resolve(out), lines.join('\n') + '\n');
    ctx.err(`Wrote ${n} predictions to ${out}`);
  } else {
    for (const l of lines) ctx.out(l);
  }
  return 0;
}
