// Functional models against TensorFlow.js 4.22 (cpu backend): the same graph with the same weights must give the
// same predictions, the same loss and the same weights after one training step (SGD, full batch). TF.js ignores
// compile's lossWeights, so the two-output case folds the weights into custom per-sample losses on the TF.js side.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Input, Model, Sequential, Dense, Add, Concatenate, SGD, Rng, setSeed, type SymbolicTensor, type Tensor } from '../../src/index.js';

before(async () => {
  await tf.setBackend('cpu');
});

type TfSym = tf.SymbolicTensor;
const rows = (rng: Rng, n: number, d: number) => Array.from({ length: n }, () => Array.from({ length: d }, () => rng.uniform(-1, 1)));

function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, what: string, tol = 1e-5): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs TF.js ${b[i]}`);
}

/** Copy our weights into TF.js layer by layer (same layer names), run both, compare. */
async function compare(name: string, ours: Model, theirs: tf.LayersModel, xs: number[][][], ys: number[][][], lossTfjs: tf.ModelCompileArgs['loss']): Promise<void> {
  for (const layer of ours.layers) {
    const w = layer.getWeights();
    if (w.length) theirs.getLayer(layer.name).setWeights(w.map((t) => tf.tensor(Array.from(t.data), [...t.shape])));
  }
  const tx = xs.map((x) => tf.tensor2d(x));
  const ty = ys.map((y) => tf.tensor2d(y));
  const pOurs = ours.predict(xs.length === 1 ? xs[0] : xs);
  const pTheirs = theirs.predict(tx.length === 1 ? tx[0] : tx);
  const listOurs = (Array.isArray(pOurs) ? pOurs : [pOurs]) as Tensor[];
  const listTheirs = Array.isArray(pTheirs) ? pTheirs : [pTheirs];
  listOurs.forEach((p, i) => assertClose(p.data, listTheirs[i].dataSync(), `${name}: prediction ${i}`));

  theirs.compile({ optimizer: tf.train.sgd(0.1), loss: lossTfjs });
  const n = xs[0].length;
  const hOurs = await ours.fit(xs.length === 1 ? xs[0] : xs, ys.length === 1 ? ys[0] : ys, { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
  const hTheirs = await theirs.fit(tx.length === 1 ? tx[0] : tx, ty.length === 1 ? ty[0] : ty, { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
  assertClose([hOurs.history.loss[0]], [hTheirs.history.loss[0] as number], `${name}: loss`);
  for (const layer of ours.layers) {
    const mine = layer.getWeights();
    const ref = theirs.getLayer(layer.name).getWeights();
    mine.forEach((w, i) => assertClose(w.data, ref[i].dataSync(), `${name}: ${layer.name} weight ${i} after one step`));
  }
}

test('matches TensorFlow.js: residual MLP (Add)', async () => {
  setSeed(1);
  const rng = new Rng(2);
  const x = Input({ shape: [4], name: 'x' });
  const h = new Dense(4, { activation: 'relu', name: 'h1' }).apply(x);
  const r = new Add({ name: 'skip' }).apply([new Dense(4, { name: 'h2' }).apply(h), x]);
  const ours = new Model({ inputs: x, outputs: new Dense(1, { name: 'out' }).apply(r) });
  ours.compile({ loss: 'mse', optimizer: new SGD({ learningRate: 0.1 }) });

  const tx = tf.input({ shape: [4], name: 'x' });
  const th = tf.layers.dense({ units: 4, activation: 'relu', name: 'h1' }).apply(tx) as TfSym;
  const tr = tf.layers.add({ name: 'skip' }).apply([tf.layers.dense({ units: 4, name: 'h2' }).apply(th) as TfSym, tx]) as TfSym;
  const theirs = tf.model({ inputs: tx, outputs: tf.layers.dense({ units: 1, name: 'out' }).apply(tr) as TfSym });
  const xs = rows(rng, 16, 4);
  await compare('residual', ours, theirs, [xs], [xs.map((v) => [v[0] - 2 * v[1] + v[3]])], 'meanSquaredError');
});

test('matches TensorFlow.js: two inputs (Concatenate)', async () => {
  setSeed(3);
  const rng = new Rng(4);
  const a = Input({ shape: [3], name: 'a' });
  const b = Input({ shape: [2], name: 'b' });
  const c = new Concatenate({ name: 'cat' }).apply([new Dense(4, { activation: 'tanh', name: 'da' }).apply(a), b]);
  const ours = new Model({ inputs: [a, b], outputs: new Dense(1, { activation: 'sigmoid', name: 'out' }).apply(c) });
  ours.compile({ loss: 'binary_crossentropy', optimizer: new SGD({ learningRate: 0.1 }) });

  const ta = tf.input({ shape: [3], name: 'a' });
  const tb = tf.input({ shape: [2], name: 'b' });
  const tc = tf.layers.concatenate({ name: 'cat' }).apply([tf.layers.dense({ units: 4, activation: 'tanh', name: 'da' }).apply(ta) as TfSym, tb]) as TfSym;
  const theirs = tf.model({ inputs: [ta, tb], outputs: tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'out' }).apply(tc) as TfSym });
  const xa = rows(rng, 12, 3);
  const xb = rows(rng, 12, 2);
  await compare('two inputs', ours, theirs, [xa, xb], [xa.map((v, i) => [v[0] + xb[i][1] > 0 ? 1 : 0])], 'binaryCrossentropy');
});

test('matches TensorFlow.js: two outputs with per-output losses and lossWeights', async () => {
  setSeed(5);
  const rng = new Rng(6);
  const x = Input({ shape: [3], name: 'x' });
  const h = new Dense(5, { activation: 'elu', name: 'trunk' }).apply(x);
  const reg = new Dense(2, { name: 'reg' }).apply(h);
  const cls = new Dense(1, { activation: 'sigmoid', name: 'cls' }).apply(h);
  const ours = new Model({ inputs: x, outputs: [reg, cls] });
  ours.compile({ loss: { reg: 'mse', cls: 'binary_crossentropy' }, lossWeights: { reg: 0.5, cls: 2 }, optimizer: new SGD({ learningRate: 0.1 }) });

  const tx = tf.input({ shape: [3], name: 'x' });
  const th = tf.layers.dense({ units: 5, activation: 'elu', name: 'trunk' }).apply(tx) as TfSym;
  const theirs = tf.model({ inputs: tx, outputs: [tf.layers.dense({ units: 2, name: 'reg' }).apply(th) as TfSym, tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'cls' }).apply(th) as TfSym] });
  const xs = rows(rng, 10, 3);
  const weighted = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, w: number) => (yt: tf.Tensor, yp: tf.Tensor) => f(yt, yp).mul(w);
  await compare('two outputs', ours, theirs, [xs], [xs.map((v) => [v[0] * v[1], v[2]]), xs.map((v) => [v[2] > 0 ? 1 : 0])], [weighted(tf.metrics.meanSquaredError, 0.5), weighted(tf.metrics.binaryCrossentropy, 2)]);
});

test('matches TensorFlow.js: a shared layer', async () => {
  setSeed(7);
  const rng = new Rng(8);
  const shared = new Dense(3, { activation: 'tanh', name: 'shared' });
  const a = Input({ shape: [3], name: 'a' });
  const b = Input({ shape: [3], name: 'b' });
  const ours = new Model({ inputs: [a, b], outputs: new Dense(1, { name: 'out' }).apply(new Add({ name: 'sum' }).apply([shared.apply(a), shared.apply(b)])) });
  ours.compile({ loss: 'mse', optimizer: new SGD({ learningRate: 0.1 }) });

  const tshared = tf.layers.dense({ units: 3, activation: 'tanh', name: 'shared' });
  const ta = tf.input({ shape: [3], name: 'a' });
  const tb = tf.input({ shape: [3], name: 'b' });
  const tsum = tf.layers.add({ name: 'sum' }).apply([tshared.apply(ta) as TfSym, tshared.apply(tb) as TfSym]) as TfSym;
  const theirs = tf.model({ inputs: [ta, tb], outputs: tf.layers.dense({ units: 1, name: 'out' }).apply(tsum) as TfSym });
  const xa = rows(rng, 9, 3);
  const xb = rows(rng, 9, 3);
  await compare('shared layer', ours, theirs, [xa, xb], [xa.map((v, i) => [v[0] - xb[i][2]])], 'meanSquaredError');
});

test('matches TensorFlow.js: a Sequential nested in a Model', async () => {
  setSeed(9);
  const rng = new Rng(10);
  const x = Input({ shape: [4], name: 'x' });
  const inner = new Sequential({ name: 'inner', layers: [new Dense(6, { activation: 'relu', name: 'i1' }), new Dense(3, { name: 'i2' })] });
  const ours = new Model({ inputs: x, outputs: new Dense(2, { activation: 'softmax', name: 'out' }).apply(inner.apply(x) as SymbolicTensor) });
  ours.compile({ loss: 'categorical_crossentropy', optimizer: new SGD({ learningRate: 0.1 }) });

  const tx = tf.input({ shape: [4], name: 'x' });
  const tinner = tf.sequential({ name: 'inner', layers: [tf.layers.dense({ units: 6, activation: 'relu', name: 'i1', inputShape: [4] }), tf.layers.dense({ units: 3, name: 'i2' })] });
  const theirs = tf.model({ inputs: tx, outputs: tf.layers.dense({ units: 2, activation: 'softmax', name: 'out' }).apply(tinner.apply(tx) as TfSym) as TfSym });
  const xs = rows(rng, 8, 4);
  await compare('nested Sequential', ours, theirs, [xs], [xs.map((v) => (v[0] > 0 ? [1, 0] : [0, 1]))], 'categoricalCrossentropy');
});
