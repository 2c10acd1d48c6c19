// SimpleRNN, LSTM, GRU, Bidirectional and Embedding against TF.js 4.22 with the same weights: outputs, returned
// states, masks from Embedding(maskZero) and Masking, and one SGD training step (weights after the step). TF.js has
// no GRU resetAfter: true (Keras 3's default), so that variant is checked against a float64 rule written out here.
// Save/load in the TF.js layers format both ways.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Tensor, Rng, SimpleRNN, LSTM, GRU, Bidirectional, Embedding, Masking, Dense, Sequential, Input, Model, noGrad, type Layer } from '../../src/index.js';
import { saveModel } from '../../src/io/save.js';
import { loadModel } from '../../src/io/load.js';
import { randomTensor } from '../support/random.js';
import { maxDiff } from '../support/compare.js';

before(async () => {
  await tf.setBackend('cpu');
});
const root = mkdtempSync(join(tmpdir(), 'descent-rnn-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
const rng = new Rng(15);

const toTf = (t: Tensor) => tf.tensor(Array.from(t.data), [...t.shape]);

/** Same options both sides; TF.js's gate default is hardSigmoid, so it is given. */
const CASES: { name: string; make: () => Layer; tfMake: () => tf.layers.Layer }[] = [];
for (const returnSequences of [false, true]) {
  for (const goBackwards of [false, true]) {
    const o = { returnSequences, goBackwards, returnState: true };
    CASES.push(
      { name: `SimpleRNN ${JSON.stringify(o)}`, make: () => new SimpleRNN(5, o), tfMake: () => tf.layers.simpleRNN({ units: 5, ...o }) },
      { name: `LSTM ${JSON.stringify(o)}`, make: () => new LSTM(5, o), tfMake: () => tf.layers.lstm({ units: 5, recurrentActivation: 'sigmoid', ...o }) },
      // A non-default activation: the fused step with softsign's unary formula and derivative.
      { name: `LSTM softsign ${JSON.stringify(o)}`, make: () => new LSTM(5, { activation: 'softsign', ...o }), tfMake: () => tf.layers.lstm({ units: 5, activation: 'softsign', recurrentActivation: 'sigmoid', ...o }) },
      { name: `GRU resetAfter false ${JSON.stringify(o)}`, make: () => new GRU(5, { resetAfter: false, ...o }), tfMake: () => tf.layers.gru({ units: 5, recurrentActivation: 'sigmoid', ...o }) },
    );
  }
}

test('SimpleRNN, LSTM, GRU: outputs and returned states equal TF.js 4.22 with the same weights', () => {
  const x = randomTensor(rng, [3, 6, 4]);
  for (const c of CASES) {
    const layer = c.make();
    const ours = noGrad(() => layer.applyList(x));
    const tl = c.tfMake();
    const theirs = tl.apply(toTf(x)) as tf.Tensor[];
    tl.setWeights(layer.getWeights().map(toTf));
    const again = tl.apply(toTf(x)) as tf.Tensor[];
    assert.equal(ours.length, again.length, c.name);
    ours.forEach((o, i) => {
      assert.deepEqual(o.shape, again[i].shape, `${c.name} output ${i}`);
      assert.ok(maxDiff(o.data, again[i].dataSync()) < 2e-6, `${c.name} output ${i}: ${maxDiff(o.data, again[i].dataSync())}`);
    });
    void theirs;
  }
});

test('masks: Embedding(maskZero) -> LSTM and Masking -> GRU equal TF.js (masked steps keep the state)', () => {
  const ids = new Tensor(Float32Array.from([3, 1, 0, 0, 2, 0, 4, 4, 0, 1, 2, 3]), [3, 4]);
  const ours = new Sequential([new Embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputShape: [4] }), new LSTM(4, { returnSequences: true })]);
  const theirs = tf.sequential({ layers: [tf.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputShape: [4] }), tf.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' })] });
  theirs.setWeights(ours.getWeights().map(toTf));
  const d = maxDiff((ours.predict(ids) as Tensor).data, (theirs.predict(toTf(ids)) as tf.Tensor).dataSync());
  assert.ok(d < 2e-6, `Embedding+LSTM: ${d}`);

  const seq = randomTensor(rng, [3, 5, 2]);
  seq.data.fill(0, 2, 4); // sample 0, step 1 is all zeros: masked
  seq.data.fill(0, 10 + 6, 10 + 10); // sample 1, steps 3–4
  const m2 = new Sequential([new Masking({ inputShape: [5, 2] }), new GRU(3, { resetAfter: false })]);
  const t2 = tf.sequential({ layers: [tf.layers.masking({ inputShape: [5, 2] }), tf.layers.gru({ units: 3, recurrentActivation: 'sigmoid' })] });
  t2.setWeights(m2.getWeights().map(toTf));
  const d2 = maxDiff((m2.predict(seq) as Tensor).data, (t2.predict(toTf(seq)) as tf.Tensor).dataSync());
  assert.ok(d2 < 2e-6, `Masking+GRU: ${d2}`);
});

test('Bidirectional(LSTM) concat/sum/mul/ave equals TF.js', () => {
  const x = randomTensor(rng, [2, 5, 3]);
  for (const mergeMode of ['concat', 'sum', 'mul', 'ave'] as const) {
    for (const returnSequences of [false, true]) {
      const layer = new Bidirectional(new LSTM(4, { returnSequences }), { mergeMode });
      const ours = noGrad(() => layer.apply(x) as Tensor);
      const tl = tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 4, returnSequences, recurrentActivation: 'sigmoid' }) as tf.RNN, mergeMode });
      tl.apply(toTf(x));
      tl.setWeights(layer.getWeights().map(toTf));
      const theirs = tl.apply(toTf(x)) as tf.Tensor;
      assert.ok(maxDiff(ours.data, theirs.dataSync()) < 2e-6, `${mergeMode} ${returnSequences}`);
    }
  }
});

/** One SGD step of Sequential [layer, Dense(2)] on MSE, both sides from the same weights. */
async function oneStep(ours: Layer, theirs: tf.layers.Layer, x: Tensor, masked = false): Promise<void> {
  const y = randomTensor(rng, [x.shape[0], 2]);
  const first = masked ? [new Masking({ inputShape: x.shape.slice(1) }), ours] : [ours];
  const m = new Sequential([...(masked ? [] : [new Masking({ inputShape: x.shape.slice(1), maskValue: -99 })]), ...first, new Dense(2)]);
  const tm = tf.sequential({ layers: [tf.layers.masking({ inputShape: x.shape.slice(1), maskValue: masked ? 0 : -99 }), theirs, tf.layers.dense({ units: 2 })] });
  tm.setWeights(m.getWeights().map(toTf));
  m.compile({ optimizer: { className: 'SGD', config: { learningRate: 0.1 } } as never, loss: 'mse' });
  tm.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  await m.fit(x, y, { epochs: 1, batchSize: x.shape[0], shuffle: false, verbose: 0 });
  await tm.fit(toTf(x), toTf(y), { epochs: 1, batchSize: x.shape[0], shuffle: false, verbose: 0 });
  const after = tm.getWeights();
  m.getWeights().forEach((w, i) => {
    const d = maxDiff(w.data, after[i].dataSync());
    assert.ok(d < 2e-6, `${ours.className} weight ${i} after one step: ${d}`);
  });
}

test('one training step (backpropagation through time) equals TF.js: SimpleRNN, LSTM, GRU, with and without a mask', async () => {
  const x = randomTensor(rng, [4, 6, 3]);
  x.data.fill(0, 3 * 4, 3 * 6); // sample 0: steps 4–5 padded
  x.data.fill(0, 18 + 0, 18 + 6); // sample 1: steps 0–1 padded
  for (const masked of [false, true]) {
    await oneStep(new SimpleRNN(4), tf.layers.simpleRNN({ units: 4 }), x, masked);
    await oneStep(new LSTM(4, { returnSequences: false }), tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' }), x, masked);
    await oneStep(new GRU(4, { resetAfter: false }), tf.layers.gru({ units: 4, recurrentActivation: 'sigmoid' }), x, masked);
  }
});

/** GRU with resetAfter (Keras 3's default; TF.js lacks it), step by step in float64. */
function gruResetAfter64(x: Tensor, k: Float32Array, rk: Float32Array, b: Float32Array, U: number): number[] {
  const [B, T, D] = x.shape;
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const out: number[] = [];
  for (let n = 0; n < B; n++) {
    let h = new Array(U).fill(0);
    for (let t = 0; t < T; t++) {
      const xw = Array.from({ length: 3 * U }, (_, j) => b[j] + Array.from({ length: D }, (_, d) => x.data[(n * T + t) * D + d] * k[d * 3 * U + j]).reduce((p, q) => p + q, 0));
      const hu = Array.from({ length: 3 * U }, (_, j) => b[3 * U + j] + h.reduce((p, hv, i) => p + hv * rk[i * 3 * U + j], 0));
      h = h.map((hv, u) => {
        const z = sig(xw[u] + hu[u]), r = sig(xw[U + u] + hu[U + u]);
        const hh = Math.tanh(xw[2 * U + u] + r * hu[2 * U + u]);
        return z * hv + (1 - z) * hh;
      });
    }
    out.push(...h);
  }
  return out;
}

test('GRU resetAfter: true (TF.js has no such option) follows the float64 rule', () => {
  const x = randomTensor(rng, [2, 5, 3]);
  const layer = new GRU(4, { biasInitializer: 'glorotUniform' });
  const y = noGrad(() => layer.apply(x) as Tensor);
  const [k, rk, b] = layer.getWeights().map((w) => w.data);
  assert.deepEqual(layer.getWeights()[2].shape, [2, 12]);
  assert.ok(maxDiff(y.data, gruResetAfter64(x, k, rk, b, 4)) < 1e-5);
});

/** Load a saved directory in TF.js the way its file loaders do. */
async function tfjsLoad(dir: string): Promise<tf.LayersModel> {
  const modelJSON = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
    const specs = manifest.flatMap((g) => g.weights);
    const all = Buffer.concat(manifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p)))));
    return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
  });
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

test('save in TF.js layers format: TF.js 4.22 loads Embedding, Bidirectional(LSTM), GRU, SimpleRNN and predicts the same', async () => {
  const m = new Sequential([
    new Embedding({ inputDim: 12, outputDim: 4, maskZero: true, inputShape: [7] }),
    new Bidirectional(new LSTM(5, { returnSequences: true })),
    new GRU(4, { resetAfter: false, returnSequences: true }),
    new SimpleRNN(3),
    new Dense(2, { activation: 'softmax' }),
  ]);
  m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
  const ids = new Tensor(Float32Array.from({ length: 35 }, (_, i) => (i * 7) % 12), [5, 7]);
  const dir = join(root, 'd2t');
  await saveModel(m, dir);
  const config = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).modelTopology.model_config.config.layers;
  const lstmCfg = config[1].config.layer.config;
  for (const key of ['units', 'activation', 'recurrent_activation', 'use_bias', 'kernel_initializer', 'recurrent_initializer', 'unit_forget_bias', 'dropout', 'recurrent_dropout', 'return_sequences', 'return_state', 'go_backwards', 'stateful']) assert.ok(key in lstmCfg, `LSTM config has ${key}`);
  assert.equal(config[2].config.reset_after, false);
  const tm = await tfjsLoad(dir);
  assert.deepEqual(tm.layers.map((l) => l.getClassName()), m.layers.map((l) => l.className));
  const d = maxDiff((m.predict(ids) as Tensor).data, (tm.predict(toTf(ids)) as tf.Tensor).dataSync());
  assert.ok(d < 1e-5, `max |descent − TF.js| = ${d}`);
  const back = await loadModel(dir);
  assert.ok(maxDiff((back.predict(ids) as Tensor).data, (m.predict(ids) as Tensor).data) < 1e-7);
});

test('load a TF.js 4.22 model (Embedding, LSTM, Bidirectional(SimpleRNN), GRU, TimeDistributed(Dense)): same predictions', async () => {
  // TF.js's gate default is its hardSigmoid (0.2·x + 0.5), which is not Keras 3's hard_sigmoid (x/6 + 0.5, what
  // descent computes): the gates are given as sigmoid here.
  const tm = tf.sequential();
  tm.add(tf.layers.embedding({ inputDim: 10, outputDim: 3, inputLength: 6, maskZero: true }));
  tm.add(tf.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' }));
  tm.add(tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 3, returnSequences: true }) as tf.RNN, mergeMode: 'sum' }));
  tm.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: 'tanh' }) }));
  tm.add(tf.layers.gru({ units: 2, goBackwards: true, recurrentActivation: 'sigmoid' }));
  tm.add(tf.layers.dense({ units: 1 }));
  tm.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const ids = tf.tensor2d([[1, 2, 3, 0, 0, 0], [4, 5, 6, 7, 8, 9], [9, 9, 1, 1, 0, 0]]);
  await tm.fit(ids, tf.tensor2d([[0.1], [0.5], [-0.2]]), { epochs: 2, verbose: 0 });
  let artifacts: tf.io.ModelArtifacts | undefined;
  await tm.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const a = artifacts!;
  const dir = join(root, 't2d');
  mkdirSync(dir);
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, weightsManifest: [{ paths: ['./w.bin'], weights: a.weightSpecs }] }));
  writeFileSync(join(dir, 'w.bin'), new Uint8Array(a.weightData as ArrayBuffer));
  const m = await loadModel(dir, { compile: false });
  assert.deepEqual(m.layers.map((l) => l.className), tm.layers.map((l) => l.getClassName()));
  const x = new Tensor(Float32Array.from(ids.dataSync()), [3, 6]);
  const d = maxDiff((m.predict(x) as Tensor).data, (tm.predict(ids) as tf.Tensor).dataSync());
  assert.ok(d < 1e-5, `max |descent − TF.js| = ${d}`);
});

test('a functional model with returnState and initial states saves and loads (our round trip)', async () => {
  const x = Input({ shape: [5, 3] });
  const [seq, h, c] = new LSTM(4, { returnSequences: true, returnState: true }).applyList(x);
  const y = new GRU(4, { resetAfter: false }).apply([seq, h]);
  const model = new Model({ inputs: x, outputs: [y, c] });
  const data = randomTensor(rng, [2, 5, 3]);
  const before = model.predict(data) as unknown as Tensor[];
  const dir = join(root, 'fn');
  await saveModel(model, dir);
  const back = await loadModel(dir);
  const after = back.predict(data) as unknown as Tensor[];
  before.forEach((t, i) => assert.ok(maxDiff(t.data, after[i].data) < 1e-7));
});
