// Where TensorFlow.js 4.22 departs from Keras, we follow Keras (rules.test.ts checks our Keras rule). These tests pin
// the departures down so the docs' claims stay true: TF.js's Adadelta divides by the PREVIOUS squared-gradient
// average, and its centered RMSprop computes sqrt(v - (mg^2 + epsilon)), NaN once the variance estimate < epsilon.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Variable, Adadelta, RMSprop } from '../../src/index.js';

before(async () => {
  await tf.setBackend('cpu');
});

const G = [[0.5, -0.2, 0.0], [0.4, -0.1, 0.0], [0.3, 0.3, 0.0]];

function runTf(opt: tf.Optimizer): number[] {
  const v = tf.variable(tf.tensor1d([1, 1, 1]));
  for (const g of G) opt.applyGradients([{ name: v.name, tensor: tf.tensor1d(g) }]);
  const out = Array.from(v.dataSync());
  v.dispose();
  return out;
}

test('Adadelta: TF.js uses the previous accumulator (hand rule reproduces it); descent follows Keras and differs', () => {
  const rho = 0.95, eps = 1e-6, lr = 1;
  const tfOut = runTf(tf.train.adadelta(lr, rho, eps));
  // TF.js's variant, by hand in float64.
  const w = [1, 1, 1], eg = [0, 0, 0], ed = [0, 0, 0];
  for (const g of G) {
    for (let i = 0; i < 3; i++) {
      const egNew = rho * eg[i] + (1 - rho) * g[i] ** 2;
      const dx = (Math.sqrt(ed[i] + eps) / Math.sqrt(eg[i] + eps)) * g[i]; // previous eg
      eg[i] = egNew;
      ed[i] = rho * ed[i] + (1 - rho) * dx * dx;
      w[i] -= lr * dx;
    }
  }
  tfOut.forEach((x, i) => assert.ok(Math.abs(x - w[i]) < 1e-5, `TF.js ${x} vs its rule ${w[i]}`));
  const ours = new Variable([1, 1, 1]);
  const opt = new Adadelta({ learningRate: lr, rho, epsilon: eps });
  for (const g of G) opt.applyGradients([[g, ours]]);
  assert.ok(Math.abs(ours.data[0] - tfOut[0]) > 0.1, `expected the Keras rule to differ from TF.js: ${ours.data[0]} vs ${tfOut[0]}`);
});

test('centered RMSprop: TF.js gives NaN where the variance estimate is below epsilon; descent (Keras) stays finite', () => {
  const tfOut = runTf(tf.train.rmsprop(0.01, 0.9, 0, 1e-7, true));
  assert.ok(Number.isNaN(tfOut[2]), `TF.js: ${tfOut}`);
  const ours = new Variable([1, 1, 1]);
  const opt = new RMSprop({ learningRate: 0.01, rho: 0.9, epsilon: 1e-7, centered: true });
  for (const g of G) opt.applyGradients([[g, ours]]);
  assert.ok(Array.from(ours.data).every(Number.isFinite));
  assert.equal(ours.data[2], 1); // zero gradient: no move
});
