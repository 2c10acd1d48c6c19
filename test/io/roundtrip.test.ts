// saveModel -> loadModel: the loaded model predicts bit-identically and, from the same seed, continues
// training bit-identically to the original (optimizer iterations, slots and extra scalars restored).
// Scalers, CSV encoders and user metadata come back; saving over a model replaces it atomically.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Sequential, Dense, Dropout, Activation, tensor, setSeed, Adam, SGD, RMSprop, Nadam, ExponentialDecay,
  StandardScaler, MinMaxScaler, type Optimizer,
} from '../../src/index.js';
import { saveModel } from '../../src/io/save.js';
import { loadModel } from '../../src/io/load.js';
import { getModelMetadata } from '../../src/io/metadata.js';
import type { CsvEncoders } from '../../src/data/csv.js';

const root = mkdtempSync(join(tmpdir(), 'descent-io-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let k = 0;
const freshDir = () => join(root, `m${k++}`);

// Deterministic data (an LCG, independent of the library's generator).
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}
const r = lcg(3);
const X = tensor(Array.from({ length: 24 }, () => [r(), r(), r(), r()]));
const Y = tensor(Array.from({ length: 24 }, (_, i) => [(i * 7) % 3 === 0 ? 1 : 0]));

function build(optimizer: Optimizer): Sequential {
  const m = new Sequential();
  m.add(new Dense(6, { inputShape: [4], activation: 'relu' }));
  m.add(new Dropout(0.25));
  m.add(new Dense(3, { activation: 'tanh' }));
  m.add(new Dense(1));
  m.add(new Activation('sigmoid'));
  m.compile({ loss: 'binary_crossentropy', optimizer, metrics: ['accuracy'] });
  return m;
}

const bits = (t: { data: Float32Array }) => Array.from(new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length));

const optimizers: [string, () => Optimizer][] = [
  ['adam', () => new Adam({ learningRate: 0.02 })],
  ['sgd momentum nesterov', () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
  ['rmsprop centered', () => new RMSprop({ learningRate: 0.01, centered: true, momentum: 0.5 })],
  ['nadam (extra scalar state)', () => new Nadam({ learningRate: 0.01 })],
  ['adam with a schedule', () => new Adam({ learningRate: new ExponentialDecay({ initialLearningRate: 0.05, decaySteps: 3, decayRate: 0.7 }) })],
];

for (const [label, make] of optimizers) {
  test(`round trip (${label}): same predictions, same config, same continued training`, async () => {
    setSeed(11);
    const original = build(make());
    await original.fit(X, Y, { epochs: 3, batchSize: 8, verbose: 0 });
    const dir = freshDir();
    await saveModel(original, dir);
    const loaded = await loadModel(dir);

    assert.deepEqual(loaded.layers.map((l) => [l.className, l.name]), original.layers.map((l) => [l.className, l.name]));
    assert.deepEqual(loaded.getConfig(), original.getConfig());
    assert.deepEqual(bits(loaded.predict(X)), bits(original.predict(X)));
    original.getWeights().forEach((w, i) => assert.deepEqual(bits(loaded.getWeights()[i]), bits(w)));
    assert.equal(loaded.optimizer!.className, original.optimizer!.className);
    assert.deepEqual(loaded.optimizer!.getConfig(), original.optimizer!.getConfig());
    assert.equal(loaded.loss!.className, 'BinaryCrossentropy');
    assert.deepEqual(loaded.metricIdentifiers, ['accuracy']);
    const a = original.optimizer!.getState();
    const b = loaded.optimizer!.getState();
    assert.equal(b.iterations, a.iterations);
    assert.ok(a.iterations > 0);
    assert.deepEqual(b.extras, a.extras);
    assert.deepEqual(b.variables, a.variables);
    for (const s of Object.keys(a.slots)) a.slots[s].forEach((v, i) => assert.deepEqual(Array.from(b.slots[s][i]), Array.from(v)));

    // Continue both from the same seed (Dropout masks and shuffling): bit-identical weights and history.
    setSeed(99);
    const h1 = await original.fit(X, Y, { epochs: 2, batchSize: 8, verbose: 0 });
    setSeed(99);
    const h2 = await loaded.fit(X, Y, { epochs: 2, batchSize: 8, verbose: 0 });
    assert.deepEqual(h2.history.loss, h1.history.loss);
    original.getWeights().forEach((w, i) => assert.deepEqual(bits(loaded.getWeights()[i]), bits(w)));
  });
}

test('without includeOptimizer: same predictions, optimizer starts fresh', async () => {
  setSeed(5);
  const m = build(new Adam());
  await m.fit(X, Y, { epochs: 1, verbose: 0 });
  const dir = freshDir();
  await saveModel(m, dir, { includeOptimizer: false });
  const l = await loadModel(dir);
  assert.deepEqual(bits(l.predict(X)), bits(m.predict(X)));
  assert.equal(l.optimizer!.iterations, 0);
  const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0].weights;
  assert.ok(manifest.every((w: { group?: string }) => w.group !== 'optimizer'));
  const uncompiled = await loadModel(dir, { compile: false });
  assert.equal(uncompiled.optimizer, null);
});

test('scalers, CSV encoders and user metadata are saved with the model and kept on re-save', async () => {
  setSeed(6);
  const m = build(new SGD());
  const xs = new StandardScaler().fit(X);
  const mm = new MinMaxScaler({ featureRange: [-1, 1] }).fit(X);
  const encoders: CsvEncoders = {
    header: true, delimiter: ',', columns: ['a', 'b', 'c', 'd', 'y'], missing: 'error', missingValues: [''],
    features: [{ name: 'a', kind: 'numeric' }, { name: 'b', kind: 'categorical', categories: ['p', 'q', 'r'] }],
    target: { name: 'y', task: 'binary', classes: ['no', 'yes'] },
  };
  const dir = freshDir();
  await saveModel(m, dir, { scalers: { x: xs, range: mm }, encoders, metadata: { note: 'hello', runs: [1, 2] } });
  const l = await loadModel(dir);
  const meta = getModelMetadata(l)!;
  assert.deepEqual(meta.encoders, encoders);
  assert.deepEqual(meta.user, { note: 'hello', runs: [1, 2] });
  assert.deepEqual(meta.scalers.x.transform(X).data, xs.transform(X).data);
  assert.deepEqual(meta.scalers.range.transform(X).data, mm.transform(X).data);
  // Saving the loaded model again keeps them.
  const dir2 = freshDir();
  await saveModel(l, dir2);
  const again = getModelMetadata(await loadModel(dir2))!;
  assert.deepEqual(again.encoders, encoders);
  assert.deepEqual(again.scalers.x.transform(X).data, xs.transform(X).data);
});

test('several shards; replacing an existing model dir leaves no temp files; a failed save leaves the old model intact', async () => {
  setSeed(8);
  const m = build(new Adam());
  await m.fit(X, Y, { epochs: 1, verbose: 0 });
  const dir = freshDir();
  await saveModel(m, dir, { shardBytes: 64 });
  const files = readdirSync(dir).sort();
  const shards = files.filter((f) => f.endsWith('.bin'));
  assert.ok(shards.length > 3, `expected several shards, got ${files.join(', ')}`);
  assert.deepEqual(shards, shards.map((_, i) => `group1-shard${i + 1}of${shards.length}.bin`).sort());
  assert.deepEqual(bits((await loadModel(dir)).predict(X)), bits(m.predict(X)));

  // Replace with a retrained model: the directory now holds exactly the new save.
  await m.fit(X, Y, { epochs: 1, verbose: 0 });
  await saveModel(m, dir);
  assert.deepEqual(readdirSync(dir).sort(), ['group1-shard1of1.bin', 'model.json']);
  assert.deepEqual(bits((await loadModel(dir)).predict(X)), bits(m.predict(X)));
  assert.deepEqual(readdirSync(root).filter((f) => f.startsWith('.')), []);

  // A save that fails (NaN weight) raises before touching the existing directory.
  const before = readFileSync(join(dir, 'model.json'), 'utf8');
  const w = m.layers[0].weights[0];
  const saved = w.data[0];
  w.data[0] = NaN;
  await assert.rejects(saveModel(m, dir), /weight 'dense(_\d+)?\/kernel' holds NaN at index 0.*nothing was written/);
  w.data[0] = saved;
  assert.equal(readFileSync(join(dir, 'model.json'), 'utf8'), before);
  assert.ok(existsSync(join(dir, 'group1-shard1of1.bin')));
});

test('an unbuilt model cannot be saved', async () => {
  const m = new Sequential();
  m.add(new Dense(2));
  await assert.rejects(saveModel(m, freshDir()), /not built yet/);
});
