// The same Sequential model trained by descent and by TensorFlow.js 4.22 (cpu backend), from the same initial
// weights on the same batches (shuffle off): weights must agree to 1e-4 relative after the run, for the losses
// and activations where TF.js follows Keras.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Sequential, Dense, SGD, Adam, setSeed, Rng } from '../../src/index.js';

before(async () => {
  await tf.setBackend('cpu');
});

interface Case {
  name: string;
  hidden: string;
  output: string;
  units: number;
  loss: string;
  tfLoss: string;
  y: (x: number[]) => number[];
  optimizer: 'sgd' | 'adam';
  batchSize: number;
}

const cases: Case[] = [
  { name: 'binary classifier (relu, sigmoid, BCE, Adam, batch 10)', hidden: 'relu', output: 'sigmoid', units: 1, loss: 'binary_crossentropy', tfLoss: 'binaryCrossentropy', y: (r) => [r[0] + r[1] > 0 ? 1 : 0], optimizer: 'adam', batchSize: 10 },
  { name: 'softmax classifier (tanh, CCE, SGD, batch 7)', hidden: 'tanh', output: 'softmax', units: 3, loss: 'categorical_crossentropy', tfLoss: 'categoricalCrossentropy', y: (r) => { const c = r[0] > 0.5 ? 0 : r[0] > -0.5 ? 1 : 2; return [0, 1, 2].map((j) => (j === c ? 1 : 0)); }, optimizer: 'sgd', batchSize: 7 },
  { name: 'regression (elu, linear, MSE, Adam, full batch)', hidden: 'elu', output: 'linear', units: 2, loss: 'mean_squared_error', tfLoss: 'meanSquaredError', y: (r) => [r[0] * 2 - r[1], r[2]], optimizer: 'adam', batchSize: 60 },
  { name: 'regression (sigmoid, linear, MAE, SGD, batch 1)', hidden: 'sigmoid', output: 'linear', units: 1, loss: 'mean_absolute_error', tfLoss: 'meanAbsoluteError', y: (r) => [r[0] - r[3]], optimizer: 'sgd', batchSize: 16 },
];

for (const c of cases) {
  test(`matches TensorFlow.js: ${c.name}`, async () => {
    setSeed(5);
    const rng = new Rng(11);
    const x = Array.from({ length: 60 }, () => Array.from({ length: 4 }, () => rng.uniform(-1, 1)));
    const y = x.map(c.y);
    const ours = new Sequential([new Dense(8, { inputDim: 4, activation: c.hidden }), new Dense(c.units, { activation: c.output })]);
    ours.compile({ loss: c.loss, optimizer: c.optimizer === 'adam' ? new Adam({ learningRate: 0.01, epsilon: 1e-10 }) : new SGD({ learningRate: 0.1 }) });
    const theirs = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [4], activation: c.hidden as 'relu' }), tf.layers.dense({ units: c.units, activation: c.output as 'linear' })] });
    // TF.js's Adam adds epsilon to √v̂ where Keras adds it to √v (different effective epsilon); a tiny epsilon makes that moot.
    theirs.compile({ loss: c.tfLoss, optimizer: c.optimizer === 'adam' ? tf.train.adam(0.01, 0.9, 0.999, 1e-10) : tf.train.sgd(0.1) });
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(Array.from(w.data), [...w.shape])));

    const hOurs = await ours.fit(x, y, { epochs: 5, batchSize: c.batchSize, shuffle: false, verbose: 0 });
    const hTheirs = await theirs.fit(tf.tensor2d(x), tf.tensor2d(y), { epochs: 5, batchSize: c.batchSize, shuffle: false, verbose: 0 });
    const a = ours.getWeights();
    const b = theirs.getWeights().map((t) => t.dataSync());
    a.forEach((w, i) =>
      w.data.forEach((v, j) => {
        const ref = b[i][j];
        assert.ok(Math.abs(v - ref) <= 1e-4 * Math.max(Math.abs(ref), 0.01), `${c.name}: weight ${i}[${j}] ${v} vs TF.js ${ref}`);
      }),
    );
    const theirLoss = hTheirs.history.loss as number[];
    hOurs.history.loss.forEach((l, e) => assert.ok(Math.abs(l - theirLoss[e]) <= 1e-4 * Math.max(1, Math.abs(theirLoss[e])), `epoch ${e} loss ${l} vs ${theirLoss[e]}`));
  });
}
