// Forecast next month's CO2 concentration (Mauna Loa, monthly since 1958; the co2-concentration table that the
// vega-datasets package ships, no download) with an LSTM over the previous 24 monthly changes. The last 10 years
// are held out; the LSTM's mean absolute error there is printed beside the baselines of TensorFlow's time-series
// tutorial: the last value (no change) and a Dense network given the last step. A Dense network given the whole
// 24-month window (a seasonal autoregression, very strong on this regular series) is printed too.
// Run: npm run build && node dist/examples/co2-lstm.js

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Sequential, LSTM, Dense, Flatten, Adam, setSeed, tensor, ops, type Tensor } from 'descent-ml';

setSeed(3);
const csv = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data', 'co2-concentration.csv');
const co2 = readFileSync(csv, 'utf8').trim().split('\n').slice(1).map((line) => Number(line.split(',')[1]));

// Monthly changes are stationary; a forecast is the last level plus the predicted change.
const WINDOW = 24, TEST = 120;
const diffs = co2.slice(1).map((v, i) => v - co2[i]);
const samples = diffs.length - WINDOW; // sample i: changes i..i+WINDOW−1 -> change i+WINDOW
const split = samples - TEST;
const train = diffs.slice(0, split + WINDOW);
const mean = train.reduce((a, b) => a + b, 0) / train.length;
const std = Math.sqrt(train.reduce((a, b) => a + (b - mean) ** 2, 0) / train.length);
const z = diffs.map((d) => (d - mean) / std);
const windows = (from: number, to: number) => tensor(Array.from({ length: to - from }, (_, k) => z.slice(from + k, from + k + WINDOW).map((v) => [v])));
const targets = (from: number, to: number) => tensor(Array.from({ length: to - from }, (_, k) => [z[from + k + WINDOW]]));
const [xTrain, yTrain, xTest] = [windows(0, split), targets(0, split), windows(split, samples)];
const lastStep = (x: Tensor) => ops.reshape(ops.slice(x, [0, WINDOW - 1, 0], [-1, 1, 1]), [-1, 1]);

/** Mean absolute error of level forecasts on the held-out months, from predicted (scaled) changes. */
function mae(predicted: (k: number) => number): number {
  let total = 0;
  for (let k = 0; k < TEST; k++) {
    const i = split + k; // predicts co2[i + WINDOW + 1] from co2[i + WINDOW]
    const forecast = co2[i + WINDOW] + predicted(k) * std + mean;
    total += Math.abs(forecast - co2[i + WINDOW + 1]);
  }
  return total / TEST;
}

async function fitted(model: Sequential, x: Tensor, epochs: number, xt: Tensor): Promise<Tensor> {
  model.compile({ optimizer: new Adam({ learningRate: 0.005 }), loss: 'mse' });
  await model.fit(x, yTrain, { epochs, batchSize: 32, verbose: 0 });
  return model.predict(xt) as Tensor;
}

const lstm = await fitted(new Sequential([new LSTM(32, { inputShape: [WINDOW, 1] }), new Dense(1)]), xTrain, 60, xTest);
const dense = await fitted(new Sequential([new Dense(32, { activation: 'relu', inputShape: [1] }), new Dense(1)]), lastStep(xTrain), 60, lastStep(xTest));
const window = await fitted(new Sequential([new Flatten({ inputShape: [WINDOW, 1] }), new Dense(32, { activation: 'relu' }), new Dense(1)]), xTrain, 60, xTest);
const results = {
  'last value': mae(() => -mean / std), // no change
  'Dense(32), last month': mae((k) => dense.data[k]),
  'LSTM(32), 24 months': mae((k) => lstm.data[k]),
  'Dense(32), 24 months': mae((k) => window.data[k]),
};
console.log(`CO2 forecast, next month, ${TEST} held-out months (${co2.length} in all), mean absolute error in ppm:`);
for (const [name, v] of Object.entries(results)) console.log(`  ${name.padEnd(24)} ${v.toFixed(3)}`);
