// The chapter's example, end to end: an 8-input binary classifier (Dense 32 relu, Dense 1 sigmoid), binary
// cross-entropy, Adam 0.01, 150 epochs, batch 10, 20% validation split, then accuracy on a held-out test set.
// Data: a Pima-like synthetic diabetes table (768 rows, 8 clinical-looking features) generated from a fixed seed,
// so the demo needs no download.

import { Sequential, Dense, Adam, setSeed, Rng, tensor } from 'descent-ml';
import { ReportCallback } from '../src/report/index.js';

/** 768 patients, 8 features with realistic scales; the label follows a noisy logistic model of glucose, BMI, age, ... */
export function pimaLikeData(seed = 7): { x: number[][]; y: number[] } {
  const rng = new Rng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 768; i++) {
    const pregnancies = Math.max(0, Math.round(rng.normal(3.8, 3.3)));
    const glucose = Math.max(40, rng.normal(121, 30));
    const pressure = Math.max(30, rng.normal(69, 12));
    const skin = Math.max(0, rng.normal(21, 10));
    const insulin = Math.max(0, rng.normal(80, 60));
    const bmi = Math.max(15, rng.normal(32, 7));
    const pedigree = Math.max(0.05, rng.normal(0.47, 0.33));
    const age = Math.max(21, Math.round(rng.normal(33, 11)));
    const z = -9.2 + 0.12 * pregnancies + 0.035 * glucose - 0.013 * pressure + 0.09 * bmi + 0.95 * pedigree + 0.015 * age + rng.normal(0, 0.5);
    x.push([pregnancies, glucose, pressure, skin, insulin, bmi, pedigree, age]);
    y.push(rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
  }
  return { x, y };
}

/** Standardize columns with the training set's mean and standard deviation. */
function standardize(train: number[][], other: number[][]): [number[][], number[][]] {
  const cols = train[0].length;
  const mean = Array.from({ length: cols }, (_, j) => train.reduce((s, r) => s + r[j], 0) / train.length);
  const std = Array.from({ length: cols }, (_, j) => Math.sqrt(train.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / train.length) || 1);
  const apply = (rows: number[][]) => rows.map((r) => r.map((v, j) => (v - mean[j]) / std[j]));
  return [apply(train), apply(other)];
}

async function main(): Promise<void> {
  setSeed(42);
  const { x, y } = pimaLikeData();
  const nTest = Math.round(x.length * 0.2);
  const [xTrain, xTest] = standardize(x.slice(nTest), x.slice(0, nTest));
  const yTrain = y.slice(nTest);
  const yTest = y.slice(0, nTest);

  const model = new Sequential();
  model.add(new Dense(32, { inputDim: 8, activation: 'relu' }));
  model.add(new Dense(1, { activation: 'sigmoid' }));
  model.compile({ loss: 'binary_crossentropy', optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
  model.summary();

  const reportPath = 'descent-report.html';
  const epochs = Number(process.env.EPOCHS ?? 150);
  await model.fit(xTrain, yTrain, { epochs, batchSize: 10, validationSplit: 0.2, callbacks: [new ReportCallback(reportPath, { title: 'Pima-like diabetes classifier' })] });
  const [loss, accuracy] = (await model.evaluate(tensor(xTest), tensor(yTest), { verbose: 0 })) as number[];
  console.log(`Test loss: ${loss.toFixed(4)} - test accuracy: ${(accuracy * 100).toFixed(2)}% (${yTest.length} held-out samples)`);
  console.log(`Learning curves written to ${reportPath} (open it in a browser).`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
