// The data path shared by `descent train` and `descent tune`: load the CSV (choosing columns, with progress on a
// terminal), hold out a stratified test set, shuffle the training rows (seeded) so that the validation rows Keras
// takes from the end are a random sample even in a sorted file, standardize features with statistics of the
// training rows only (and a regression target, so that one default learning rate suits any target scale), and
// score a model on the held-out rows in the target's own units. Every message names the command's flags.

import { basename } from 'node:path';
import { loadCsv, featureCount, type CsvData, type MissingStrategy, type Task } from '../data/csv.js';
import { trainTestSplit, takeRows } from '../data/split.js';
import { StandardScaler } from '../data/scalers.js';
import { Rng, getRng } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Sequential } from '../models/sequential.js';
import type { Preprocessing } from './model-dir.js';
import { classificationMetrics, regressionMetrics } from './metrics-text.js';
import { intOption, choiceOption, listOption, type OptionSpec, type Parsed } from './args.js';

/** The data flags train and tune share (their help text is DATA_USAGE). */
export const DATA_OPTIONS: OptionSpec = {
  task: { type: 'string' },
  missing: { type: 'string' },
  categorical: { type: 'string' },
  features: { type: 'string' },
  drop: { type: 'string' },
  'max-categories': { type: 'string' },
};

export const DATA_USAGE = `  --task <task>             override the inferred task: binary, multiclass, regression
  --missing <strategy>      missing cells: error (default), mean, median, most_frequent, drop; rows whose
                            target is missing are dropped (and counted) unless the strategy is error
  --categorical <a,b>       columns to one-hot encode (default: columns that are mostly text)
  --features <a,b,c>        the input columns (default: every column but the target)
  --drop <a,b>              columns to leave out (an id, a name, a date, ...)
  --max-categories <n>      most distinct values of a text column to one-hot encode (default 100); text
                            columns above it and date columns are refused unless dropped or allowed`;

export interface DataFlags {
  task?: Task;
  missing?: MissingStrategy;
  categorical?: string[];
  features?: string[];
  drop?: string[];
  maxCategories?: number;
}

/** Read the data flags of DATA_OPTIONS. */
export function dataFlags(cmd: string, values: Parsed['values']): DataFlags {
  return {
    task: choiceOption<Task>(cmd, values, 'task', ['binary', 'multiclass', 'regression']),
    missing: choiceOption<MissingStrategy>(cmd, values, 'missing', ['error', 'mean', 'median', 'most_frequent', 'drop']),
    categorical: listOption(values, 'categorical'),
    features: listOption(values, 'features'),
    drop: listOption(values, 'drop'),
    maxCategories: intOption(cmd, values, 'max-categories'),
  };
}

export interface PrepareOptions extends DataFlags {
  /** Column name, or a 0-based index written as digits. */
  target: string;
  /** Fraction of rows held out for testing; 0 = none. */
  testSize: number;
  /** Fraction of the training rows fit holds out (last rows, as Keras) for val_ metrics; 0 = none. */
  validationSplit?: number;
  seed?: number;
  /** Where to draw loading progress (drawn only on a TTY, for files over 1 MB). */
  progress?: ProgressStream;
}

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

export interface Prepared {
  data: CsvData;
  inputs: number;
  /** Output units: the class count for multiclass, else 1. */
  outputs: number;
  /** 'binary classification (classes: no, yes)' / 'regression'. */
  describe: string;
  /** What was done to the data, to print: the index column, dropped rows, how rows were split. */
  notes: string[];
  xTrain: Tensor; // shuffled
  yTrain: Tensor; // standardized for regression
  xTest: Tensor | null;
  yTest: Tensor | null; // in the file's units
  /** Regression: the standard deviation of the training targets (one standardized unit in target units). */
  targetStd?: number;
  preprocessing: Preprocessing;
}

export async function prepareData(csvPath: string, o: PrepareOptions): Promise<Prepared> {
  const byIndex = /^\d+$/.test(o.target) ? Number(o.target) : null;
  const onProgress = loadingProgress(csvPath, o.progress);
  const load = (target: string | number) =>
    loadCsv(csvPath, { target, task: o.task, missing: o.missing, categorical: o.categorical, features: o.features, drop: o.drop, maxCategories: o.maxCategories, optionNames: 'cli', onProgress });
  let data: CsvData;
  try {
    data = await load(byIndex ?? o.target);
  } catch (e) {
    // A number-looking target that is out of range as an index may be a header name: retry by name.
    if (byIndex === null || !/out of range/.test((e as Error).message)) throw e;
    data = await load(o.target);
  } finally {
    onProgress?.done();
  }
  const inputs = featureCount(data.encoders);
  const outputs = data.task === 'multiclass' ? data.classes!.length : 1;
  const describe = data.task === 'regression' ? 'regression' : `${data.task} classification (classes: ${data.classes!.join(', ')})`;
  const notes = [...data.notes];
  const rng = o.seed === undefined ? getRng() : new Rng(o.seed);

  let xTrain: Tensor, yTrain: Tensor, xTest: Tensor | null = null, yTest: Tensor | null = null;
  if (o.testSize > 0) {
    const labels = data.task === 'regression' ? false : Array.from(data.y.data);
    checkTestSize(data, o.testSize, labels);
    // trainTestSplit returns both parts in shuffled order.
    [xTrain, xTest, yTrain, yTest] = trainTestSplit(data.x, data.y, { testSize: o.testSize, seed: o.seed, stratify: labels });
  } else {
    const order = Array.from({ length: data.rows }, (_, i) => i);
    rng.shuffle(order);
    [xTrain, yTrain] = [takeRows(data.x, order), takeRows(data.y, order)];
  }
  const n = xTrain.shape[0];
  const split = o.validationSplit ?? 0;
  if (split > 0) {
    const splitAt = Math.floor(n * (1 - split)); // as fit's validationSplit
    if (splitAt === 0 || splitAt === n) throw new Error(`--validation-split ${split} of the ${n} training rows leaves ${splitAt === 0 ? 'no training' : 'no validation'} rows; ${splitAt === 0 ? 'lower it' : 'raise it'}, or pass --validation-split 0.`);
  }
  const seedText = o.seed === undefined ? 'unseeded; --seed makes it repeatable' : `seed ${o.seed}`;
  const testText = xTest ? `${xTest.shape[0]} test rows held out (--test-size ${o.testSize}${labelsText(data)}), ` : 'no test rows (--test-size 0), ';
  notes.push(`Split: ${testText}${n} training rows shuffled (${seedText})` + (split > 0 ? `; the last ${n - Math.floor(n * (1 - split))} of them are the validation rows (--validation-split ${split}).` : '.'));

  const x = new StandardScaler().fit(xTrain);
  xTrain = x.transform(xTrain);
  if (xTest) xTest = x.transform(xTest);
  let y: StandardScaler | undefined;
  if (data.task === 'regression') {
    y = new StandardScaler().fit(yTrain);
    yTrain = y.transform(yTrain);
  }
  const preprocessing: Preprocessing = { task: data.task, target: data.targetName, classes: data.classes, encoders: data.encoders, x, y };
  return { data, inputs, outputs, describe, notes, xTrain, yTrain, xTest, yTest, targetStd: y?.std?.[0], preprocessing };
}

const labelsText = (data: CsvData) => (data.task === 'regression' ? '' : ', stratified by class');

/** trainTestSplit's conditions, checked first so that the message names the CLI's flags and the class labels. */
function checkTestSize(data: CsvData, testSize: number, labels: number[] | false): void {
  const n = data.rows;
  const nTest = Math.ceil(testSize * n);
  if (nTest >= n) throw new Error(`--test-size ${testSize} of ${n} rows leaves no training rows; lower it.`);
  if (!labels) return;
  const counts = new Map<number, number>();
  for (const c of labels) counts.set(c, (counts.get(c) ?? 0) + 1);
  if (counts.size > nTest) throw new Error(`--test-size ${testSize} gives ${nTest} test rows, too few to hold all ${counts.size} classes (the test split is stratified); raise it, or pass --test-size 0.`);
  const single = [...counts].filter(([, c]) => c < 2).map(([k]) => `'${data.classes![k]}'`);
  if (single.length) throw new Error(`class ${single.slice(0, 5).join(', ')} of '${data.targetName}' has a single row, and a stratified test split needs at least 2 per class; pass --test-size 0, or remove the row.`);
}

/** Loading progress on a terminal: one line redrawn in place, at most every 100 ms, for files over 1 MB. */
export function loadingProgress(csvPath: string, stream?: ProgressStream): (((p: { pass: 1 | 2; bytes: number; totalBytes: number }) => void) & { done(): void }) | undefined {
  if (!stream?.isTTY) return undefined;
  let last = 0;
  let drawn = false;
  const mb = (b: number) => (b / 1e6).toFixed(1);
  const fn = (p: { pass: 1 | 2; bytes: number; totalBytes: number }) => {
    if (p.totalBytes < 1e6) return;
    const now = Date.now();
    if (now - last < 100 && p.bytes < p.totalBytes) return;
    last = now;
    drawn = true;
    const pct = Math.floor((100 * p.bytes) / Math.max(p.totalBytes, 1));
    stream.write(`\rReading ${basename(csvPath)}: pass ${p.pass} of 2 (${p.pass === 1 ? 'columns' : 'encoding'}) ${String(pct).padStart(3)}% (${mb(p.bytes)} of ${mb(p.totalBytes)} MB)\x1b[K`);
  };
  return Object.assign(fn, {
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  });
}

/** Metrics on the held-out rows: Keras's evaluate for classifiers, mse/rmse/mae/r2 in the target's units for regression. */
export async function testMetrics(model: Sequential, p: Prepared): Promise<Record<string, number> | undefined> {
  if (!p.xTest || !p.yTest) return undefined;
  if (p.data.task === 'regression') return regressionMetrics(p.preprocessing.y!.inverseTransform(model.predict(p.xTest)), p.yTest);
  return classificationMetrics(model, p.xTest, p.yTest);
}
