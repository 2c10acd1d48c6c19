// Interoperability with TensorFlow.js 4.22 (a dev dependency), both directions, through the files:
//  - a model saved by descent loads in TF.js (tf.loadLayersModel over the files, read the way TF.js's own
//    file/http loaders read them: getModelArtifactsForJSON) and predicts the same to 1e-5;
//  - a model saved by TF.js (withSaveHandler, written out as model.json + .bin like tfjs-node does) loads
//    in descent with the same weights, predictions, compile config and Adam state.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Sequential, Dense, Dropout, Activation, Flatten, Input, Adam, Nadam, SGD, setSeed, tensor, type Optimizer } from '../../src/index.js';
import { saveModel } from '../../src/io/save.js';
import { loadModel } from '../../src/io/load.js';

const root = mkdtempSync(join(tmpdir(), 'descent-tfjs-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

before(async () => {
  await tf.setBackend('cpu');
});

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}
const r = lcg(17);
const XS = Array.from({ length: 16 }, () => Array.from({ length: 5 }, () => r()));
const YS = XS.map((x) => {
  const c = x[0] + x[1] > 0.3 ? 0 : x[2] > 0 ? 1 : 2;
  return [0, 1, 2].map((k) => (k === c ? 1 : 0));
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Load a directory in TF.js the way its file/http handlers do: model.json, then the shards of each group concatenated. */
async function tfjsLoad(dir: string): Promise<tf.LayersModel> {
  const modelJSON = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
    const specs = manifest.flatMap((g) => g.weights);
    const parts = manifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
    const all = Buffer.concat(parts);
    return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
  });
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

async function descentModel(optimizer: Optimizer): Promise<Sequential> {
  setSeed(21);
  const m = new Sequential();
  m.add(new Dense(8, { inputShape: [5], activation: 'relu' }));
  m.add(new Dropout(0.3));
  m.add(new Dense(6, { activation: 'tanh', useBias: false }));
  m.add(new Dense(3));
  m.add(new Activation('softmax'));
  m.compile({ loss: 'categorical_crossentropy', optimizer, metrics: ['accuracy'] });
  await m.fit(tensor(XS), tensor(YS), { epochs: 3, batchSize: 4, verbose: 0 });
  return m;
}

for (const [label, make, tfjsCompiles] of [
  ['Adam', () => new Adam({ learningRate: 0.01 }), true],
  ['SGD', () => new SGD({ learningRate: 0.1 }), true],
  ['Nadam (no TF.js counterpart: loads uncompiled)', () => new Nadam(), false],
] as const) {
  test(`descent -> TF.js (${label}): same weights, predictions within 1e-5`, async () => {
    const m = await descentModel(make());
    const dir = join(root, `d2t-${label.split(' ')[0]}`);
    await saveModel(m, dir);
    const tm = await tfjsLoad(dir);
    assert.deepEqual(tm.layers.map((l) => l.getClassName()), ['Dense', 'Dropout', 'Dense', 'Dense', 'Activation']);
    const tw = tm.getWeights();
    const dw = m.getWeights();
    assert.equal(tw.length, dw.length);
    tw.forEach((w, i) => {
      assert.deepEqual(w.shape, [...dw[i].shape]);
      assert.deepEqual(Array.from(w.dataSync()), Array.from(dw[i].data));
    });
    const xt = tf.tensor2d(XS);
    const pt = tm.predict(xt) as tf.Tensor;
    const diff = maxAbsDiff(pt.dataSync(), m.predict(tensor(XS)).data);
    assert.ok(diff < 1e-5, `max |TF.js - descent| = ${diff}`);
    if (tfjsCompiles) {
      assert.ok(tm.optimizer, 'TF.js compiled the model from trainingConfig');
      assert.equal(tm.optimizer.getClassName(), label);
      assert.equal((tm.optimizer as unknown as { iterations: number }).iterations, m.optimizer!.iterations);
      assert.equal(tm.loss, 'categoricalCrossentropy');
    } else {
      assert.equal(tm.optimizer, undefined);
    }
  });
}

test('TF.js -> descent: a Dense/Dropout/Activation model saved by TF.js with its Adam state', async () => {
  const tm = tf.sequential();
  tm.add(tf.layers.dense({ units: 7, inputShape: [5], activation: 'relu' }));
  tm.add(tf.layers.dropout({ rate: 0.25 }));
  tm.add(tf.layers.dense({ units: 4, activation: 'sigmoid', kernelInitializer: 'heNormal' }));
  tm.add(tf.layers.dense({ units: 3, useBias: false }));
  tm.add(tf.layers.activation({ activation: 'softmax' }));
  tm.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await tm.fit(tf.tensor2d(XS), tf.tensor2d(YS), { epochs: 2, batchSize: 4, verbose: 0, shuffle: false });

  let artifacts: tf.io.ModelArtifacts | undefined;
  await tm.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer: true },
  );
  const a = artifacts!;
  // Written as TF.js's file savers do: model.json with a weightsManifest, weights in one .bin file.
  const dir = join(root, 't2d');
  mkdirSync(dir);
  const modelJSON = {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy,
    trainingConfig: a.trainingConfig,
    weightsManifest: [{ paths: ['./model.weights.bin'], weights: a.weightSpecs }],
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJSON));
  writeFileSync(join(dir, 'model.weights.bin'), new Uint8Array(a.weightData as ArrayBuffer));

  const m = await loadModel(dir);
  assert.deepEqual(m.layers.map((l) => l.className), ['Dense', 'Dropout', 'Dense', 'Dense', 'Activation']);
  const tw = tm.getWeights();
  const dw = m.getWeights();
  assert.equal(dw.length, tw.length);
  dw.forEach((w, i) => assert.deepEqual(Array.from(w.data), Array.from(tw[i].dataSync())));
  const diff = maxAbsDiff(m.predict(tensor(XS)).data, (tm.predict(tf.tensor2d(XS)) as tf.Tensor).dataSync());
  assert.ok(diff < 1e-5, `max |descent - TF.js| = ${diff}`);

  // Compile config and optimizer state from TF.js's trainingConfig and 'optimizer' weight group.
  assert.equal(m.loss!.className, 'CategoricalCrossentropy');
  assert.deepEqual(m.metricIdentifiers, ['accuracy']);
  assert.equal(m.optimizer!.className, 'Adam');
  assert.ok(Math.abs(m.optimizer!.learningRate - 0.01) < 1e-9);
  const tOpt = await tm.optimizer.getWeights();
  const state = m.optimizer!.getState();
  assert.equal(state.iterations, (await tOpt[0].tensor.data())[0]);
  assert.equal(state.iterations, 8); // 2 epochs of 16 rows in batches of 4
  const nVars = state.variables.length;
  assert.equal(nVars, 5); // kernel, bias, kernel, bias, kernel
  for (let i = 0; i < nVars; i++) {
    assert.deepEqual(Array.from(state.slots.momentum[i]), Array.from(await tOpt[1 + i].tensor.data()));
    assert.deepEqual(Array.from(state.slots.velocity[i]), Array.from(await tOpt[1 + nVars + i].tensor.data()));
  }
  // And it trains on.
  const h = await m.fit(tensor(XS), tensor(YS), { epochs: 1, batchSize: 4, verbose: 0 });
  assert.ok(Number.isFinite(h.history.loss[0]));
});

test('descent -> TF.js: Input + Flatten and every activation both libraries define the same way', async () => {
  // Not here: hard_sigmoid (TF.js uses 0.2x + 0.5, Keras 3 x/6 + 0.5); exponential, hard_swish, leaky_relu (unknown to TF.js 4.22).
  const x = [[[1, -2, 0.3], [0.5, 0.1, -1]], [[-0.7, 2.5, 0], [3, -0.2, 0.9]]];
  for (const act of ['elu', 'gelu', 'linear', 'log_softmax', 'mish', 'relu', 'relu6', 'selu', 'sigmoid', 'softmax', 'softplus', 'softsign', 'swish', 'tanh']) {
    setSeed(2);
    const m = new Sequential();
    m.add(Input({ shape: [2, 3] }));
    m.add(new Flatten());
    m.add(new Dense(4, { activation: act }));
    m.add(new Activation(act));
    const dir = join(root, `act-${act}`);
    await saveModel(m, dir);
    const tm = await tfjsLoad(dir);
    const diff = maxAbsDiff((tm.predict(tf.tensor3d(x)) as tf.Tensor).dataSync(), m.predict(tensor(x)).data);
    assert.ok(diff < 1e-5, `${act}: max |TF.js - descent| = ${diff}`);
  }
});
