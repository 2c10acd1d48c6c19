// Reference comparison with TensorFlow.js 4.22 (cpu backend): the same 4-6-1 tanh network, the same initial
// weights and the same batches (no shuffling), 60 steps, trained with our optimizer.minimize and with
// TF.js's optimizer.minimize. Weights must match to 1e-4 relative. Only the optimizers where TF.js
// follows Keras's rule are compared here (see rules.test.ts for Adadelta and centered RMSprop).
// Adam: TF.js adds epsilon to sqrt of the bias-corrected v, Keras to sqrt of the raw v ("epsilon hat"); the two
// differ by epsilon * (1/sqrt(1 - beta2^t) - 1) in the denominator. At epsilon 1e-7 that alone moves these weights by
// ~1e-4 relative in 60 steps, so the comparison uses epsilon 1e-8; rules.test.ts checks Keras's placement itself.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Variable, tensor, ops, SGD, Adam, Adagrad, Adamax, RMSprop, type Tensor, type Optimizer } from '../../src/index.js';

const STEPS = 60;
const BATCH = 8;
const N = 32;

// Deterministic data and initial weights from a small LCG (independent of both libraries' RNGs).
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}
const r = lcg(7);
const X = Array.from({ length: N }, () => Array.from({ length: 4 }, () => r()));
const Y = X.map((x) => [Math.sin(x[0] * 2) + 0.5 * x[1] * x[2] - 0.3 * x[3]]);
const INIT = {
  w1: Array.from({ length: 4 }, () => Array.from({ length: 6 }, () => 0.6 * r())),
  b1: Array.from({ length: 6 }, () => 0.1 * r()),
  w2: Array.from({ length: 6 }, () => [0.6 * r()]),
  b2: [0.05],
};

function batchRows(step: number): [number[][], number[][]] {
  const start = (step * BATCH) % N;
  return [X.slice(start, start + BATCH), Y.slice(start, start + BATCH)];
}

function trainOurs(opt: Optimizer): number[][] {
  const w1 = new Variable(INIT.w1, { name: 'w1' });
  const b1 = new Variable(INIT.b1, { name: 'b1' });
  const w2 = new Variable(INIT.w2, { name: 'w2' });
  const b2 = new Variable(INIT.b2, { name: 'b2' });
  for (let s = 0; s < STEPS; s++) {
    const [xb, yb] = batchRows(s);
    const x = tensor(xb);
    const y = tensor(yb);
    opt.minimize(() => {
      const h = ops.tanh(ops.add(ops.matmul(x, w1), b1));
      const out = ops.add(ops.matmul(h, w2), b2);
      const d = ops.sub(out, y);
      return ops.mean(ops.mul(d, d));
    }, [w1, b1, w2, b2]);
  }
  return [w1, b1, w2, b2].map((v: Tensor) => Array.from(v.data));
}

function trainTf(opt: tf.Optimizer): number[][] {
  const w1 = tf.variable(tf.tensor2d(INIT.w1));
  const b1 = tf.variable(tf.tensor1d(INIT.b1));
  const w2 = tf.variable(tf.tensor2d(INIT.w2));
  const b2 = tf.variable(tf.tensor1d(INIT.b2));
  for (let s = 0; s < STEPS; s++) {
    const [xb, yb] = batchRows(s);
    tf.tidy(() => {
      const x = tf.tensor2d(xb);
      const y = tf.tensor2d(yb);
      opt.minimize(() => {
        const h = tf.tanh(tf.add(tf.matMul(x, w1), b1));
        const out = tf.add(tf.matMul(h, w2), b2);
        return tf.mean(tf.square(tf.sub(out, y))) as tf.Scalar;
      }, false, [w1, b1, w2, b2]);
    });
  }
  const result = [w1, b1, w2, b2].map((v) => Array.from(v.dataSync()));
  [w1, b1, w2, b2].forEach((v) => v.dispose());
  opt.dispose();
  return result;
}

before(async () => {
  await tf.setBackend('cpu');
});

const cases: [string, () => Optimizer, () => tf.Optimizer][] = [
  ['sgd', () => new SGD({ learningRate: 0.1 }), () => tf.train.sgd(0.1)],
  ['momentum', () => new SGD({ learningRate: 0.05, momentum: 0.9 }), () => tf.train.momentum(0.05, 0.9, false)],
  ['momentum nesterov', () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }), () => tf.train.momentum(0.05, 0.9, true)],
  ['adagrad', () => new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.1 }), () => tf.train.adagrad(0.1, 0.1)],
  ['adam', () => new Adam({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }), () => tf.train.adam(0.01, 0.9, 0.999, 1e-8)],
  ['adamax', () => new Adamax({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }), () => tf.train.adamax(0.01, 0.9, 0.999, 1e-7)],
  ['rmsprop', () => new RMSprop({ learningRate: 0.005, rho: 0.9, epsilon: 1e-7 }), () => tf.train.rmsprop(0.005, 0.9, 0, 1e-7, false)],
  ['rmsprop momentum', () => new RMSprop({ learningRate: 0.002, rho: 0.9, momentum: 0.8, epsilon: 1e-7 }), () => tf.train.rmsprop(0.002, 0.9, 0.8, 1e-7, false)],
];

for (const [label, ours, theirs] of cases) {
  test(`${label}: ${STEPS} steps match TensorFlow.js to 1e-4 relative`, (t) => {
    const a = trainOurs(ours());
    const b = trainTf(theirs());
    let worst = 0;
    let moved = 0;
    const init = [INIT.w1.flat(), INIT.b1, INIT.w2.flat(), INIT.b2];
    a.forEach((arr, k) =>
      arr.forEach((x, i) => {
        const y = b[k][i];
        // Relative difference; weights within 0.01 of zero are compared at the scale 0.01.
        const rel = Math.abs(x - y) / Math.max(Math.abs(y), 1e-2);
        worst = Math.max(worst, rel);
        moved = Math.max(moved, Math.abs(y - init[k][i]));
      }),
    );
    assert.ok(moved > 0.05, `${label}: the weights barely moved (${moved}); the comparison would be vacuous`);
    t.diagnostic(`worst relative difference ${worst.toExponential(2)}`);
    assert.ok(worst <= 1e-4, `${label}: worst relative difference ${worst.toExponential(3)}`);
  });
}
