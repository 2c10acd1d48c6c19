// Activations and losses, values and gradients, against TensorFlow.js 4.22 (cpu backend) on inputs that include
// saturating and boundary values. Where TF.js follows another formula than Keras 3, the reference is Keras 3's
// formula written with tf ops (hard_sigmoid = relu6(x+3)/6, leaky_relu slope 0.2, exact erf gelu, softsign, swish, mish).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ops, tensor, grad, getLoss, losses, Rng, type Tensor } from '../../src/index.js';

before(async () => {
  await tf.setBackend('cpu');
});

const xs = [-50, -20, -10, -5, -3.5, -2.5, -1, -0.5, -1e-3, 0.25, 1e-3, 0.5, 1, 2.5, 3.5, 5, 10, 20, 50];

/** max |a − b| / max(1, |b|) */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < b.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return e;
}

test('every activation and its gradient agree with TensorFlow.js', () => {
  const pairs: [string, (x: Tensor) => Tensor, (x: tf.Tensor) => tf.Tensor][] = [
    ['relu', ops.relu, tf.relu],
    ['relu6', ops.relu6, tf.relu6],
    ['sigmoid', ops.sigmoid, tf.sigmoid],
    ['tanh', ops.tanh, tf.tanh],
    ['softplus', ops.softplus, tf.softplus],
    ['elu', (x) => ops.elu(x), tf.elu],
    ['selu', ops.selu, tf.selu],
    ['leaky_relu (Keras 3 slope 0.2)', (x) => ops.leakyRelu(x), (x) => tf.leakyRelu(x, 0.2)],
    ['exponential', ops.exp, (x) => tf.exp(tf.minimum(x, 80))],
    ['softsign', ops.softsign, (x) => tf.div(x, tf.add(1, tf.abs(x)))],
    ['swish', ops.swish, (x) => tf.mul(x, tf.sigmoid(x))],
    ['gelu tanh approximation', (x) => ops.gelu(x, true), (x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))))],
    ['gelu exact (erf)', (x) => ops.gelu(x), (x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))))],
    ['hard_sigmoid (Keras 3)', ops.hardSigmoid, (x) => tf.div(tf.relu6(tf.add(x, 3)), 6)],
    ['mish', ops.mish, (x) => tf.mul(x, tf.tanh(tf.softplus(x)))],
  ];
  for (const [name, ours, ref] of pairs) {
    const x = name === 'exponential' ? xs.filter((v) => v < 80) : xs;
    const value = ours(tensor(x)).data;
    const refValue = ref(tf.tensor(x)).dataSync();
    // TF.js's erf is Abramowitz-Stegun 7.1.26 (error 1.5e-7 absolute); ours is tighter.
    const tol = name.startsWith('gelu exact') ? 3e-7 : 2e-7;
    assert.ok(relErr(value, refValue) < tol, `${name} value: ${relErr(value, refValue)}`);
    const g = grad((t) => ops.sum(ours(t)))(tensor(x)).data;
    const refG = tf.grad((t) => tf.sum(ref(t)))(tf.tensor(x)).dataSync();
    assert.ok(relErr(g, refG) < 1e-6, `${name} gradient: ${relErr(g, refG)}`);
  }
});

test('losses per sample and their gradients agree with TensorFlow.js where it follows Keras', () => {
  const rng = new Rng(3);
  const n = 6;
  const k = 4;
  const probs = Array.from({ length: n }, () => {
    const r = Array.from({ length: k }, () => rng.next() + 0.01);
    const s = r.reduce((a, b) => a + b);
    return r.map((v) => v / s);
  });
  probs[0] = [1, 0, 0, 0]; // saturated rows: clipped at 1e-7 as Keras and TF.js do
  probs[1] = [0, 0, 0, 1];
  const onehot = Array.from({ length: n }, (_, i) => Array.from({ length: k }, (_, j) => (j === (i * 7) % k ? 1 : 0)));
  const labels = onehot.map((r) => r.indexOf(1));
  const bin = Array.from({ length: n }, () => Array.from({ length: k }, () => (rng.next() < 0.5 ? 1 : 0)));
  const reg = Array.from({ length: n }, () => Array.from({ length: k }, () => rng.normal()));
  const target = Array.from({ length: n }, () => Array.from({ length: k }, () => rng.normal()));
  const none = tf.Reduction.NONE;
  const cases: [string, ReturnType<typeof getLoss>, unknown, number[][], (y: tf.Tensor, p: tf.Tensor) => tf.Tensor, unknown?][] = [
    ['binary_crossentropy', getLoss('binary_crossentropy'), bin, probs, (y, p) => tf.metrics.binaryCrossentropy(y, p)],
    ['binary_crossentropy smoothing 0.2', new losses.BinaryCrossentropy({ labelSmoothing: 0.2 }), bin, probs, (y, p) => tf.metrics.binaryCrossentropy(tf.add(tf.mul(y, 0.8), 0.1), p)],
    ['binary_crossentropy from logits', new losses.BinaryCrossentropy({ fromLogits: true }), bin, reg, (y, z) => tf.mean(tf.losses.sigmoidCrossEntropy(y, z, undefined, 0, none), -1)],
    ['categorical_crossentropy', getLoss('categorical_crossentropy'), onehot, probs, (y, p) => tf.metrics.categoricalCrossentropy(y, p)],
    ['categorical_crossentropy from logits', new losses.CategoricalCrossentropy({ fromLogits: true }), onehot, reg, (y, z) => tf.losses.softmaxCrossEntropy(y, z, undefined, 0, none)],
    ['sparse_categorical_crossentropy', getLoss('sparse_categorical_crossentropy'), labels, probs, (y, p) => tf.metrics.categoricalCrossentropy(y, p), onehot],
    ['mean_squared_error', getLoss('mse'), target, reg, (y, p) => tf.metrics.meanSquaredError(y, p)],
    ['mean_absolute_error', getLoss('mae'), target, reg, (y, p) => tf.metrics.meanAbsoluteError(y, p)],
    ['mean_absolute_percentage_error', getLoss('mape'), target, reg, (y, p) => tf.metrics.meanAbsolutePercentageError(y, p)],
    ['huber', getLoss('huber'), target, reg, (y, p) => tf.mean(tf.losses.huberLoss(y, p, undefined, 1, none), -1)],
    ['cosine_similarity', getLoss('cosine_similarity'), target, reg, (y, p) => tf.neg(tf.sum(tf.mul(tf.div(y, tf.norm(y, 2, -1, true)), tf.div(p, tf.norm(p, 2, -1, true))), -1))],
  ];
  for (const [name, loss, y, p, ref, tfY] of cases) {
    const yt = tensor(y as number[][]);
    const values = loss.perSampleLoss(yt, tensor(p)).data;
    const refValues = ref(tf.tensor((tfY ?? y) as number[][]), tf.tensor(p)).dataSync();
    assert.ok(relErr(values, refValues) < 5e-7, `${name} values: ${Array.from(values)} vs ${Array.from(refValues)}`);
    const g = grad((t) => loss.call(yt, t))(tensor(p)).data;
    const refG = tf.grad((t) => tf.mean(ref(tf.tensor((tfY ?? y) as number[][]), t)))(tf.tensor(p)).dataSync();
    assert.ok(relErr(g, refG) < 1e-6, `${name} gradient: ${relErr(g, refG)}`);
  }
});
