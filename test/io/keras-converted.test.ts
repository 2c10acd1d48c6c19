// A model.json as the Python tensorflowjs converter writes it from a Keras 2.15 model (InputLayer, 'module' and
// 'registered_name' keys, 'Custom>Adam' with Keras bookkeeping options, a loss dict, nested metric dicts).
// Predictions are checked against a float64 forward pass written here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '../../src/index.js';
import { loadModel } from '../../src/io/load.js';
import { getModelMetadata } from '../../src/io/metadata.js';

const root = mkdtempSync(join(tmpdir(), 'descent-keras-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

const K1 = [[0.5, -0.25, 0.125, 1], [-1, 0.75, 0.5, -0.5], [0.25, 0.25, -0.75, 0.5]]; // [3, 4]
const B1 = [0.1, -0.2, 0, 0.05];
const K2 = [[1, -1], [0.5, 0.25], [-0.5, 0.75], [0.2, -0.3]]; // [4, 2]
const B2 = [0.01, -0.01];

const init = (cls: string) => ({ module: 'keras.initializers', class_name: cls, config: { seed: null }, registered_name: null });
function modelJSON(trainingConfig: unknown) {
  return {
    format: 'layers-model',
    generatedBy: 'keras v2.15.0',
    convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: {
      keras_version: '2.15.0',
      backend: 'tensorflow',
      model_config: {
        class_name: 'Sequential',
        config: {
          name: 'sequential',
          layers: [
            { module: 'keras.layers', class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', sparse: false, ragged: false, name: 'dense_input' }, registered_name: null },
            { module: 'keras.layers', class_name: 'Dense', config: { name: 'dense', trainable: true, dtype: 'float32', batch_input_shape: [null, 3], units: 4, activation: 'relu', use_bias: true, kernel_initializer: init('GlorotUniform'), bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null }, registered_name: null },
            { module: 'keras.layers', class_name: 'Dropout', config: { name: 'dropout', trainable: true, dtype: 'float32', rate: 0.5, noise_shape: null, seed: null }, registered_name: null },
            { module: 'keras.layers', class_name: 'Dense', config: { name: 'dense_1', trainable: true, dtype: 'float32', units: 2, activation: 'softmax', use_bias: true, kernel_initializer: init('GlorotUniform'), bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null }, registered_name: null },
          ],
        },
      },
      training_config: trainingConfig,
    },
    weightsManifest: [{
      paths: ['group1-shard1of1.bin'],
      weights: [
        { name: 'dense/kernel', shape: [3, 4], dtype: 'float32' },
        { name: 'dense/bias', shape: [4], dtype: 'float32' },
        { name: 'dense_1/kernel', shape: [4, 2], dtype: 'float32' },
        { name: 'dense_1/bias', shape: [2], dtype: 'float32' },
      ],
    }],
  };
}

const KERAS_TRAINING = {
  loss: { class_name: 'SparseCategoricalCrossentropy', config: { reduction: 'auto', name: 'sparse_categorical_crossentropy', from_logits: false, ignore_class: null } },
  metrics: [[{ class_name: 'MeanMetricWrapper', config: { name: 'accuracy', dtype: 'float32', fn: 'sparse_categorical_accuracy' } }]],
  weighted_metrics: null,
  loss_weights: null,
  optimizer_config: { class_name: 'Custom>Adam', config: { name: 'Adam', weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: null, use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, jit_compile: false, is_legacy_optimizer: false, learning_rate: 0.0010000000474974513, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false } },
};

function write(dir: string, json: unknown): void {
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  const values = [...K1.flat(), ...B1, ...K2.flat(), ...B2];
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  writeFileSync(join(dir, 'group1-shard1of1.bin'), buf);
}

function reference(x: number[]): number[] {
  const h = B1.map((b, j) => Math.max(0, b + x.reduce((s, xi, i) => s + xi * K1[i][j], 0)));
  const z = B2.map((b, j) => b + h.reduce((s, hi, i) => s + hi * K2[i][j], 0));
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

test('Keras-converted Sequential: architecture, weights, predictions and compile config', async () => {
  const dir = mkdtempSync(join(root, 'k-'));
  write(dir, modelJSON(KERAS_TRAINING));
  const m = await loadModel(dir);
  assert.deepEqual(m.layers.map((l) => `${l.className}:${l.name}`), ['Dense:dense', 'Dropout:dropout', 'Dense:dense_1']);
  assert.equal(m.inputLayer?.name, 'dense_input');
  const xs = [[1, 2, 3], [-1, 0.5, 0.25], [0, 0, 0]];
  const p = m.predict(tensor(xs)).toArray() as number[][];
  xs.forEach((x, i) => reference(x).forEach((v, j) => assert.ok(Math.abs(p[i][j] - v) < 1e-6, `${p[i][j]} vs ${v}`)));
  assert.equal(m.loss!.className, 'SparseCategoricalCrossentropy');
  assert.deepEqual(m.metricIdentifiers, ['accuracy']);
  assert.equal(m.optimizer!.className, 'Adam');
  assert.equal(m.optimizer!.learningRate, Math.fround(0.001));
  assert.deepEqual(getModelMetadata(m)!.warnings, []);
  const h = await m.fit(tensor(xs), tensor([0, 1, 1]), { epochs: 1, verbose: 0 });
  assert.ok(Number.isFinite(h.history.loss[0]));
});

test('a foreign training config descent cannot rebuild: the model loads uncompiled, with a warning', async () => {
  const dir = mkdtempSync(join(root, 'k-'));
  write(dir, modelJSON({ ...KERAS_TRAINING, loss: 'my_custom_loss' }));
  const m = await loadModel(dir);
  assert.equal(m.optimizer, null);
  assert.match(getModelMetadata(m)!.warnings[0], /cannot restore the training configuration: Unknown loss 'myCustomLoss'.*loaded uncompiled/);
  const p = m.predict(tensor([[1, 2, 3]])).data;
  reference([1, 2, 3]).forEach((v, j) => assert.ok(Math.abs(p[j] - v) < 1e-6));
});
