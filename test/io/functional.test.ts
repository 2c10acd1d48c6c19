// Functional models in TF.js's layers format (class_name Functional / Model, inbound_nodes, input_layers,
// output_layers), both directions with TensorFlow.js 4.22, and descent's own round trip with optimizer state.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Input, Model, Sequential, Dense, Add, Concatenate, Adam, Rng, setSeed, loadModel, type SymbolicTensor, type Tensor } from '../../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'descent-functional-io-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
before(async () => {
  await tf.setBackend('cpu');
});

const rng = new Rng(31);
const XA = Array.from({ length: 6 }, () => Array.from({ length: 3 }, () => rng.uniform(-1, 1)));
const XB = Array.from({ length: 6 }, () => Array.from({ length: 2 }, () => rng.uniform(-1, 1)));

function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, what: string, tol = 1e-5): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

/** Two inputs, a residual Add, a shared layer, a nested Sequential and two outputs. */
function graph(): Model {
  setSeed(4);
  const a = Input({ shape: [3], name: 'a' });
  const b = Input({ shape: [2], name: 'b' });
  const shared = new Dense(3, { activation: 'tanh', name: 'shared' });
  const h = new Add({ name: 'res' }).apply([shared.apply(a), shared.apply(shared.apply(a))]);
  const inner = new Sequential({ name: 'inner', layers: [new Dense(4, { activation: 'relu', name: 'i1' }), new Dense(2, { name: 'i2' })] });
  const c = new Concatenate({ name: 'cat' }).apply([h, inner.apply(b) as SymbolicTensor]);
  return new Model({ inputs: [a, b], outputs: [new Dense(1, { name: 'y1' }).apply(c), new Dense(2, { activation: 'softmax', name: 'y2' }).apply(c)], name: 'net' });
}

async function tfjsLoad(dir: string): Promise<tf.LayersModel> {
  const modelJSON = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
    const specs = manifest.flatMap((g) => g.weights);
    const all = Buffer.concat(manifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p)))));
    return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
  });
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

test('a functional model saved by descent loads in TF.js and predicts the same', async () => {
  const m = graph();
  const dir = join(root, 'ours');
  await m.save(dir);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const config = json.modelTopology.model_config;
  assert.equal(config.class_name, 'Functional');
  assert.deepEqual(config.config.input_layers, [['a', 0, 0], ['b', 0, 0]]);
  assert.deepEqual(config.config.output_layers, [['y1', 0, 0], ['y2', 0, 0]]);
  const shared = config.config.layers.find((l: { name: string }) => l.name === 'shared');
  assert.deepEqual(shared.inbound_nodes, [[['a', 0, 0, {}]], [['a', 0, 0, {}]], [['shared', 1, 0, {}]]]);
  const theirs = await tfjsLoad(dir);
  const p = theirs.predict([tf.tensor2d(XA), tf.tensor2d(XB)]) as tf.Tensor[];
  const ours = m.predict([XA, XB]) as Tensor[];
  ours.forEach((t, i) => assertClose(t.data, p[i].dataSync(), `output ${i}`));
});

test('a functional model saved by TF.js loads in descent and predicts the same', async () => {
  const ta = tf.input({ shape: [3], name: 'a' });
  const tb = tf.input({ shape: [2], name: 'b' });
  const shared = tf.layers.dense({ units: 3, activation: 'tanh', name: 'shared' });
  const h = tf.layers.add({ name: 'res' }).apply([shared.apply(ta), shared.apply(shared.apply(ta))] as tf.SymbolicTensor[]) as tf.SymbolicTensor;
  const inner = tf.sequential({ name: 'inner', layers: [tf.layers.dense({ units: 4, activation: 'relu', name: 'i1', inputShape: [2] }), tf.layers.dense({ units: 2, name: 'i2' })] });
  const c = tf.layers.concatenate({ name: 'cat' }).apply([h, inner.apply(tb) as tf.SymbolicTensor]) as tf.SymbolicTensor;
  const tm = tf.model({ inputs: [ta, tb], outputs: [tf.layers.dense({ units: 1, name: 'y1' }).apply(c) as tf.SymbolicTensor, tf.layers.dense({ units: 2, activation: 'softmax', name: 'y2' }).apply(c) as tf.SymbolicTensor] });
  let artifacts: tf.io.ModelArtifacts | undefined;
  await tm.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const dir = join(root, 'theirs');
  mkdirSync(dir);
  const a = artifacts!;
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, weightsManifest: [{ paths: ['./w.bin'], weights: a.weightSpecs }] }));
  writeFileSync(join(dir, 'w.bin'), Buffer.from(a.weightData as ArrayBuffer));
  const ours = await loadModel<Model>(dir);
  assert.deepEqual(ours.inputNames, ['a', 'b']);
  assert.deepEqual(ours.outputNames, ['y1', 'y2']);
  const p = tm.predict([tf.tensor2d(XA), tf.tensor2d(XB)]) as tf.Tensor[];
  (ours.predict([XA, XB]) as Tensor[]).forEach((t, i) => assertClose(t.data, p[i].dataSync(), `output ${i}`));
});

test('descent round trip with optimizer state: training continues exactly', async () => {
  const y1 = XA.map((r) => [r[0] - r[1]]);
  const y2 = XA.map((r) => (r[2] > 0 ? [1, 0] : [0, 1]));
  const compile = (m: Model) => m.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: { y1: 'mse', y2: 'categorical_crossentropy' }, lossWeights: { y1: 0.3, y2: 1 }, metrics: { y2: ['accuracy'] } });
  const m = graph();
  compile(m);
  await m.fit([XA, XB], [y1, y2], { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
  const dir = join(root, 'roundtrip');
  await m.save(dir);
  const loaded = await loadModel<Model>(dir);
  assert.equal(loaded.optimizer?.iterations, m.optimizer?.iterations);
  assert.deepEqual(loaded.compiled?.outputs.map((o) => [o.name, o.loss.className, o.lossWeight, o.metrics]), [['y1', 'MeanSquaredError', 0.3, []], ['y2', 'CategoricalCrossentropy', 1, ['accuracy']]]);
  const h1 = await m.fit([XA, XB], [y1, y2], { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
  const h2 = await loaded.fit({ a: XA, b: XB }, { y1, y2 }, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
  assert.deepEqual(h2.history, h1.history);
  const w1 = m.getWeights();
  loaded.getWeights().forEach((w, i) => assert.deepEqual(Array.from(w.data), Array.from(w1[i].data), `weight ${i}`));
});
