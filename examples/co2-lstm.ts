// Forecast next month's CO2 concentration (Mauna Loa, monthly since 1958; the co2-concentration table that the
// vega-datasets package ships, no download) with an LSTM over the previous 24 months. The last 10 years are held
// out; the mean absolute error there is printed beside the baselines of TensorFlow's time-series tutorial: the last
// value (no change), a Dense network given the last month, and a Dense network given the same 24 months.
//
// Every network gets the same data and the same training recipe:
// - inputs per month: the monthly change (standardized on the training years) and the month of the year as
//   sin/cos (the "time of year" signal of TensorFlow's tutorial); the target is next month's change, and a forecast
//   is the last level plus the predicted change;
// - Adam (learning rate 0.005), batch 32, early stopping on the last 20% of the training windows (patience 20,
//   best weights restored): the held-out decade is never looked at until the end;
// - three seeds; the printed MAE is the mean over them (the range in brackets).
// The LSTM also learns from every step of its window: with returnSequences it predicts the next change after each
// of the 24 months (TensorFlow's tutorial trains its LSTM this way), and its forecast is the last step's.
// Run: npm run build && node dist/examples/co2-lstm.js

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Sequential, LSTM, Dense, Flatten, Adam, EarlyStopping, setSeed, tensor, type Layer, type Tensor } from 'descent-ml';

const csv = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data', 'co2-concentration.csv');
const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
const co2 = rows.map((r) => Number(r[1]));
const month = rows.map((r) => Number(r[0].split('-')[1]) - 1); // 0..11, from the date (a few early months are missing)

const WINDOW = 24, TEST = 120, SEEDS = [1, 2, 3];
// Time t (an index into co2) forecasts co2[t + 1] from the changes co2[s] − co2[s − 1] for s in t−WINDOW+1..t.
const times = Array.from({ length: co2.length - 1 - WINDOW }, (_, k) => k + WINDOW);
const test = times.slice(-TEST), trainAll = times.slice(0, -TEST);
const valCount = Math.round(trainAll.length * 0.2);
const train = trainAll.slice(0, -valCount), val = trainAll.slice(-valCount);

const change = co2.map((v, t) => (t > 0 ? v - co2[t - 1] : 0));
const seen = change.slice(1, trainAll[trainAll.length - 1] + 2); // every change a training window or target uses
const mean = seen.reduce((a, b) => a + b, 0) / seen.length;
const std = Math.sqrt(seen.reduce((a, b) => a + (b - mean) ** 2, 0) / seen.length);
const z = change.map((d) => (d - mean) / std);
const features = (s: number) => [z[s], Math.sin((2 * Math.PI * month[s]) / 12), Math.cos((2 * Math.PI * month[s]) / 12)];

const windows = (ts: number[], steps = WINDOW) => tensor(ts.map((t) => Array.from({ length: steps }, (_, i) => features(t - steps + 1 + i))));
const nextChange = (ts: number[]) => tensor(ts.map((t) => [z[t + 1]]));
const nextChangeEachStep = (ts: number[]) => tensor(ts.map((t) => Array.from({ length: WINDOW }, (_, i) => [z[t - WINDOW + 2 + i]])));

/** Mean absolute error (ppm) of the level forecasts on the held-out months, from predicted standardized changes. */
const mae = (predicted: ArrayLike<number>) => test.reduce((a, t, k) => a + Math.abs(co2[t] + predicted[k] * std + mean - co2[t + 1]), 0) / TEST;

interface Recipe {
  layers: () => Layer[];
  steps: number;
  /** The LSTM trains on the next change after every step and forecasts from the last step. */
  everyStep?: boolean;
}

async function evaluate({ layers, steps, everyStep = false }: Recipe): Promise<number[]> {
  const y = everyStep ? nextChangeEachStep : nextChange;
  const scores: number[] = [];
  for (const seed of SEEDS) {
    setSeed(seed);
    const model = new Sequential(layers());
    model.compile({ optimizer: new Adam({ learningRate: 0.005 }), loss: 'mse' });
    await model.fit(windows(train, steps), y(train), {
      epochs: 200, batchSize: 32, verbose: 0, validationData: [windows(val, steps), y(val)],
      callbacks: [new EarlyStopping({ patience: 20, restoreBestWeights: true })],
    });
    const out = (model.predict(windows(test, steps)) as Tensor).data;
    scores.push(mae(everyStep ? test.map((_, k) => out[k * WINDOW + WINDOW - 1]) : out));
  }
  return scores;
}

const results: Record<string, number[]> = {
  'last value': [mae(test.map(() => -mean / std))], // no change
  'Dense(32), last month': await evaluate({ steps: 1, layers: () => [new Flatten({ inputShape: [1, 3] }), new Dense(32, { activation: 'relu' }), new Dense(1)] }),
  'Dense(32), 24 months': await evaluate({ steps: WINDOW, layers: () => [new Flatten({ inputShape: [WINDOW, 3] }), new Dense(32, { activation: 'relu' }), new Dense(1)] }),
  'LSTM(32), 24 months': await evaluate({ steps: WINDOW, everyStep: true, layers: () => [new LSTM(32, { returnSequences: true, inputShape: [WINDOW, 3] }), new Dense(1)] }),
};
console.log(`CO2 forecast, next month, ${TEST} held-out months (${co2.length} in all), mean absolute error in ppm (mean over ${SEEDS.length} seeds):`);
for (const [name, v] of Object.entries(results)) {
  const avg = v.reduce((a, b) => a + b, 0) / v.length;
  console.log(`  ${name.padEnd(24)} ${avg.toFixed(3)}${v.length > 1 ? `  [${Math.min(...v).toFixed(3)}–${Math.max(...v).toFixed(3)}]` : ''}`);
}
