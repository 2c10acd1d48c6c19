// The data path shared by `descent train` and `descent tune`: load the CSV, hold out a stratified test set,
// standardize features with statistics of the training rows only (and a regression target, so that one default
// learning rate suits any target scale), and score a model on the held-out rows in the target's own units.

import { loadCsv, featureCount, type CsvData, type MissingStrategy, type Task } from '../data/csv.js';
import { trainTestSplit } from '../data/split.js';
import { StandardScaler } from '../data/scalers.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Sequential } from '../models/sequential.js';
import type { Preprocessing } from './model-dir.js';
import { classificationMetrics, regressionMetrics } from './metrics-text.js';

export interface PrepareOptions {
  /** Column name, or a 0-based index written as digits. */
  target: string;
  task?: Task;
  missing?: MissingStrategy;
  categorical?: string[];
  /** Fraction of rows held out for testing; 0 = none. */
  testSize: number;
  seed?: number;
}

export interface Prepared {
  data: CsvData;
  inputs: number;
  /** Output units: the class count for multiclass, else 1. */
  outputs: number;
  /** 'binary classification (classes: no, yes)' / 'regression'. */
  describe: string;
  xTrain: Tensor;
  yTrain: Tensor; // standardized for regression
  xTest: Tensor | null;
  yTest: Tensor | null; // in the file's units
  preprocessing: Preprocessing;
}

export async function prepareData(csvPath: string, o: PrepareOptions): Promise<Prepared> {
  const byIndex = /^\d+$/.test(o.target) ? Number(o.target) : null;
  const load = (target: string | number) => loadCsv(csvPath, { target, task: o.task, missing: o.missing, categorical: o.categorical });
  let data: CsvData;
  try {
    data = await load(byIndex ?? o.target);
  } catch (e) {
    // A number-looking target that is out of range as an index may be a header name: retry by name.
    if (byIndex === null || !/out of range/.test((e as Error).message)) throw e;
    data = await load(o.target);
  }
  const inputs = featureCount(data.encoders);
  const outputs = data.task === 'multiclass' ? data.classes!.length : 1;
  const describe = data.task === 'regression' ? 'regression' : `${data.task} classification (classes: ${data.classes!.join(', ')})`;

  let xTrain: Tensor, yTrain: Tensor, xTest: Tensor | null = null, yTest: Tensor | null = null;
  if (o.testSize > 0) {
    const labels = data.task === 'regression' ? false : Array.from(data.y.data);
    [xTrain, xTest, yTrain, yTest] = trainTestSplit(data.x, data.y, { testSize: o.testSize, seed: o.seed, stratify: labels });
  } else {
    [xTrain, yTrain] = [data.x, data.y];
  }
  const x = new StandardScaler().fit(xTrain);
  xTrain = x.transform(xTrain);
  if (xTest) xTest = x.transform(xTest);
  let y: StandardScaler | undefined;
  if (data.task === 'regression') {
    y = new StandardScaler().fit(yTrain);
    yTrain = y.transform(yTrain);
  }
  const preprocessing: Preprocessing = { task: data.task, target: data.targetName, classes: data.classes, encoders: data.encoders, x, y };
  return { data, inputs, outputs, describe, xTrain, yTrain, xTest, yTest, preprocessing };
}

/** Metrics on the held-out rows: Keras's evaluate for classifiers, mse/rmse/mae/r2 in the target's units for regression. */
export async function testMetrics(model: Sequential, p: Prepared): Promise<Record<string, number> | undefined> {
  if (!p.xTest || !p.yTest) return undefined;
  if (p.data.task === 'regression') return regressionMetrics(p.preprocessing.y!.inverseTransform(model.predict(p.xTest)), p.yTest);
  return classificationMetrics(model, p.xTest, p.yTest);
}
