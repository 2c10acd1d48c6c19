// Keras's MNIST convnet (examples/mnist-cnn.ts) checked piece by piece against what Keras does, so that its accuracy
// on the `mnist` package's digits reflects the recipe, not a slip: the 8,000/2,000 split, pixels in [0, 1], Keras's
// initializers (glorot_uniform kernels, zero biases), one Adam step with the defaults 'adam' resolves to (lr 1e-3,
// epsilon 1e-7) against TensorFlow.js 4.22 from the same weights on real digits, and inverted dropout that is off at
// inference.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Sequential, Conv2D, MaxPooling2D, Flatten, Dropout, Dense, loadMnist, ops, setSeed, Tensor } from '../../src/index.js';

before(async () => {
  await tf.setBackend('cpu');
});

const convnet = (rate: number) =>
  new Sequential([
    new Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] }),
    new MaxPooling2D({ poolSize: 2 }),
    new Conv2D(64, 3, { activation: 'relu' }),
    new MaxPooling2D({ poolSize: 2 }),
    new Flatten(),
    new Dropout(rate),
    new Dense(10, { activation: 'softmax' }),
  ]);

const tfConvnet = (rate: number) =>
  tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dropout({ rate }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * Math.max(Math.abs(want[i]), 1e-3))) assert.fail(`${what}: entry ${i} is ${got[i]}, TF.js ${want[i]}`);
  }
}

test('the MNIST split is 8,000 training and exactly 2,000 held-out digits, pixels in [0, 1], every digit present', () => {
  const d = loadMnist({ trainSize: 8000, testSize: 2000, oneHot: true });
  assert.deepEqual(d.xTrain.shape, [8000, 784]);
  assert.deepEqual(d.xTest.shape, [2000, 784]);
  assert.deepEqual(d.yTest.shape, [2000, 10]);
  let lo = Infinity, hi = -Infinity;
  for (const v of d.xTrain.data) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  assert.equal(lo, 0);
  assert.equal(hi, 1);
  const perClass = new Array(10).fill(0);
  for (let i = 0; i < 2000; i++) perClass[d.yTest.data.subarray(i * 10, i * 10 + 10).indexOf(1)]++;
  assert.ok(perClass.every((n) => n > 120), `held-out digits per class: ${perClass}`);
});

test("Keras's initializers: glorot_uniform kernels with the receptive field in the fans, zero biases", () => {
  setSeed(3);
  const m = convnet(0.5);
  const [k1, b1, k2, b2, k3, b3] = m.getWeights();
  // limit = √(6 / (fan_in + fan_out)), fan = channels × kernel height × kernel width for convolutions.
  for (const [k, limit] of [[k1, Math.sqrt(6 / (9 + 9 * 32))], [k2, Math.sqrt(6 / (9 * 32 + 9 * 64))], [k3, Math.sqrt(6 / (1600 + 10))]] as const) {
    const a = Math.max(...Array.from(k.data, Math.abs));
    assert.ok(a <= limit && a > 0.95 * limit, `kernel ${k.shape}: max |w| ${a}, limit ${limit}`);
  }
  for (const b of [b1, b2, b3]) assert.ok(b.data.every((v) => v === 0));
});

test("one Adam step of Keras's MNIST convnet on 8 real digits equals TF.js 4.22's from the same weights", async () => {
  setSeed(4);
  const { xTrain, yTrain } = loadMnist({ trainSize: 8, testSize: 0, oneHot: true, seed: 9 });
  const x = ops.reshape(xTrain, [-1, 28, 28, 1]);
  // Dropout's masks come from each library's own generator, so the step is compared with rate 0 (the layer is then
  // the identity in both); inverted dropout itself is checked in the next test.
  const ours = convnet(0);
  ours.compile({ loss: 'categorical_crossentropy', optimizer: 'adam' });
  const theirs = tfConvnet(0);
  // Keras's Adam adds epsilon to √v, TF.js's to √v̂: on the first step v̂ = v / (1 − β2), so TF.js with
  // epsilon / √(1 − β2) takes exactly Keras's step with epsilon 1e-7.
  theirs.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.adam(1e-3, 0.9, 0.999, 1e-7 / Math.sqrt(1 - 0.999)) });
  theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
  const tx = tf.tensor4d(x.data, [8, 28, 28, 1]), ty = tf.tensor2d(yTrain.data, [8, 10]);

  assertClose(ours.predict(x).data, (theirs.predict(tx) as tf.Tensor).dataSync(), 1e-4, 'predictions before the step');
  const start = ours.getWeights().map((w) => Float32Array.from(w.data));
  const hOurs = await ours.fit(x, yTrain, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
  const hTheirs = await theirs.fit(tx, ty, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
  assertClose([hOurs.history.loss[0]], [hTheirs.history.loss[0] as number], 1e-5, 'loss');
  const after = theirs.getWeights().map((t) => t.dataSync());
  // The first step moves every weight by about lr·sign(g) = ±1e-3: compare the moves to 1% of that.
  ours.getWeights().forEach((w, i) => {
    for (let j = 0; j < w.size; j++) {
      const d = w.data[j] - start[i][j], dRef = after[i][j] - start[i][j];
      if (!(Math.abs(d - dRef) <= 1e-5)) assert.fail(`weight ${i}[${j}] moved by ${d}, in TF.js by ${dRef}`);
    }
  });
  assertClose(ours.predict(x).data, (theirs.predict(tx) as tf.Tensor).dataSync(), 1e-3, 'predictions after the step');
});

test('Dropout(0.5) is inverted dropout in training (kept values doubled) and the identity at inference', () => {
  setSeed(5);
  const drop = new Dropout(0.5);
  const x = new Tensor(new Float32Array(4000).fill(3), [40, 100]);
  const y = drop.apply(x, true) as Tensor;
  const kept = Array.from(y.data).filter((v) => v !== 0);
  assert.ok(kept.every((v) => v === 6));
  assert.ok(Math.abs(kept.length / 4000 - 0.5) < 0.05, `kept ${kept.length} of 4000`);
  assert.deepEqual((drop.apply(x, false) as Tensor).data, x.data);
});
