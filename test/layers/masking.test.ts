// Masks where Keras 3 consumes and passes them: GlobalAveragePooling1D averages the unmasked steps only (numbers
// from a float64 rule written out here, Keras's own test case among them; TF.js's GlobalAveragePooling1D ignores
// masks, so it is no reference); layers that support masking (Dense, Dropout, LayerNormalization, TimeDistributed,
// merges...) pass it on, checked against TF.js 4.22 where TF.js does the same (Embedding → Dense → LSTM); layers
// that do not (Flatten, Conv1D, GlobalMaxPooling1D...) drop it with one warning, as Keras 3; a captured training
// step recomputes the mask from every batch.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  Tensor, Rng, ops, grad, checkGradients, noGrad, withMask, getMask, setSeed, layerFromConfig, Input, Model, Sequential,
  Embedding, Masking, Dense, Dropout, Activation, LayerNormalization, BatchNormalization, GroupNormalization, LSTM, GRU,
  SimpleRNN, Bidirectional, TimeDistributed, GlobalAveragePooling1D, GlobalMaxPooling1D, Flatten, Reshape, Conv1D,
  MaxPooling1D, SpatialDropout1D, GaussianNoise, GaussianDropout, Add, Concatenate, Layer, type SymbolicTensor,
} from '../../src/index.js';
import { platform } from '../../src/platform/node.js';
import { randomTensor } from '../support/random.js';
import { maxDiff } from '../support/compare.js';

before(async () => {
  await tf.setBackend('cpu');
});
const rng = new Rng(42);
const toTf = (t: Tensor) => tf.tensor(Array.from(t.data), [...t.shape]);
const ids = (rows: number[][]) => new Tensor(Float32Array.from(rows.flat()), [rows.length, rows[0].length]);
/** Float64 rule: mean over the steps (axis 1 of [B, T, F], or axis 2 of [B, F, T]) where the mask is 1. */
function maskedMean(x: Tensor, mask: number[][], channelsFirst = false): number[] {
  const [B, A, C] = x.shape;
  const [T, F] = channelsFirst ? [C, A] : [A, C];
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let f = 0; f < F; f++) {
      let s = 0, n = 0;
      for (let t = 0; t < T; t++) {
        if (!mask[b][t]) continue;
        s += x.data[channelsFirst ? (b * F + f) * T + t : (b * T + t) * F + f];
        n++;
      }
      out.push(s / n);
    }
  }
  return out;
}

test("GlobalAveragePooling1D with a mask averages the unmasked steps only (Keras 3's test case, keepdims, channels_first)", () => {
  const x = new Tensor(Float32Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
  const mask = [[1, 1, 0], [0, 1, 0]];
  // By hand: sample 0 is the mean of rows [0..3] and [4..7]; sample 1 is row [16..19].
  const y = new GlobalAveragePooling1D().apply(withMask(x, ids(mask))) as Tensor;
  assert.deepEqual(y.shape, [2, 4]);
  assert.deepEqual(Array.from(y.data), [2, 3, 4, 5, 16, 17, 18, 19]);
  assert.equal(getMask(y), null, 'the steps are pooled away: no mask goes on');
  const k = new GlobalAveragePooling1D({ keepdims: true }).apply(withMask(ops.reshape(x, [2, 3, 4]), ids(mask))) as Tensor;
  assert.deepEqual(k.shape, [2, 1, 4]);
  assert.deepEqual(Array.from(k.data), maskedMean(x, mask));
  // Without a mask (a fresh tensor: withMask attaches the mask to the tensor it is given): the plain mean.
  assert.deepEqual(Array.from((new GlobalAveragePooling1D().apply(ops.mul(x, 1)) as Tensor).data), maskedMean(x, [[1, 1, 1], [1, 1, 1]]));

  // channels_first: [batch, features, steps], the mask is [batch, steps] (here steps = features = 4 would be
  // ambiguous, so a 4x4 input is used as Keras's test does with its [2, 3, 4] input and a [2, 4] mask).
  const xf = randomTensor(rng, [2, 4, 4]);
  const mf = [[1, 1, 0, 0], [0, 1, 0, 1]];
  const yf = new GlobalAveragePooling1D({ dataFormat: 'channels_first' }).apply(withMask(xf, ids(mf))) as Tensor;
  assert.ok(maxDiff(yf.data, maskedMean(xf, mf, true)) < 1e-6);

  // Random sizes against the float64 rule.
  const xr = randomTensor(rng, [3, 7, 5]);
  const mr = [[1, 0, 1, 1, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1], [1, 1, 1, 1, 1, 1, 1]];
  const yr = new GlobalAveragePooling1D().apply(withMask(xr, ids(mr))) as Tensor;
  assert.ok(maxDiff(yr.data, maskedMean(xr, mr)) < 1e-6);

  // As Keras: a row with every step masked is 0/0.
  const allMasked = new GlobalAveragePooling1D().apply(withMask(randomTensor(rng, [1, 2, 3]), ids([[0, 0]]))) as Tensor;
  assert.ok(Array.from(allMasked.data).every(Number.isNaN));
});

test('GlobalAveragePooling1D with a mask: finite-difference gradient check, and masked steps get no gradient', () => {
  const x = randomTensor(rng, [2, 4, 3]);
  const mask = ids([[1, 0, 1, 1], [0, 1, 0, 0]]);
  const layer = new GlobalAveragePooling1D();
  const r = randomTensor(rng, [2, 3], -1, 1);
  const f = (xx: Tensor) => ops.sum(ops.mul(layer.apply(withMask(xx, mask)) as Tensor, r));
  const res = checkGradients(f, [x], { float64: true });
  assert.ok(res.maxRelError < 1e-6, `off by ${res.maxRelError}`);
  const g = grad(f)(x);
  for (let b = 0; b < 2; b++) for (let t = 0; t < 4; t++) for (let c = 0; c < 3; c++) {
    const v = g.data[(b * 4 + t) * 3 + c];
    if (mask.data[b * 4 + t] === 0) assert.ok(v === 0, `masked step ${b},${t} got gradient ${v}`);
    else assert.ok(Math.abs(v - r.data[b * 3 + c] / (b === 0 ? 3 : 1)) < 1e-6);
  }
});

test('GlobalAveragePooling1D refuses a mask that is not [batch, steps], naming the layer and both shapes', () => {
  const layer = new GlobalAveragePooling1D({ name: 'pool' });
  assert.throws(() => layer.apply(withMask(randomTensor(rng, [2, 3, 4]), ops.reshape(ids([[1, 0]]), [2]))), /GlobalAveragePooling1D 'pool': the mask has shape \[2\], expected \[batch, steps\] = \[2, 3\] for an input of shape \[2, 3, 4\]/);
  assert.throws(() => withMask(randomTensor(rng, [2, 3, 4]), ids([[1, 0], [1, 1]])), /A mask of shape \[2, 2\] does not match a sequence of shape \[2, 3, 4\]/);
});

test('Embedding(maskZero) -> GlobalAveragePooling1D -> Dense: the mean of the real tokens only, padding changes nothing', () => {
  setSeed(5);
  const emb = new Embedding({ inputDim: 6, outputDim: 3, maskZero: true });
  const pool = new GlobalAveragePooling1D();
  const dense = new Dense(2);
  const run = (x: Tensor) => noGrad(() => dense.apply(pool.apply(emb.apply(x))) as Tensor);
  const padded = run(ids([[3, 1, 0, 0], [5, 2, 4, 0]]));
  const unpadded = [run(ids([[3, 1]])), run(ids([[5, 2, 4]]))];
  assert.ok(maxDiff(padded.data, [...unpadded[0].data, ...unpadded[1].data]) < 1e-6);
  // Float64 rule from the weights: mean of the rows of the embedding matrix, then x·W + b.
  const [E] = emb.getWeights();
  const [W, bias] = dense.getWeights();
  const expect = [[3, 1], [5, 2, 4]].flatMap((row) => {
    const h = [0, 1, 2].map((j) => row.reduce((s, id) => s + E.data[id * 3 + j], 0) / row.length);
    return [0, 1].map((u) => h.reduce((s, v, j) => s + v * W.data[j * 2 + u], bias.data[u]));
  });
  assert.ok(maxDiff(padded.data, expect) < 1e-5);
});

test('layers that support masking pass the mask on (Keras 3 supports_masking); those that do not drop it with one warning', () => {
  const KERAS: [Layer, boolean][] = [
    [new Dense(2), true], [new Activation('relu'), true], [new Dropout(0.5), true], [new SpatialDropout1D(0.5), true],
    [new GaussianNoise(0.1), true], [new GaussianDropout(0.1), true], [new LayerNormalization(), true],
    [new BatchNormalization(), true], [new GroupNormalization({ groups: 1 }), true], [new Masking(), true],
    [new LSTM(2), true], [new GRU(2), true], [new SimpleRNN(2), true], [new Bidirectional(new LSTM(2)), true],
    [new TimeDistributed(new Dense(2)), true], [new Add(), true], [new Concatenate(), true], [new GlobalAveragePooling1D(), true],
    [new Flatten(), false], [new Reshape({ targetShape: [-1] }), false], [new Conv1D({ filters: 2, kernelSize: 1 }), false],
    [new GlobalMaxPooling1D(), false], [new MaxPooling1D(), false],
  ];
  for (const [layer, supports] of KERAS) assert.equal(layer.supportsMasking, supports, layer.className);

  const x = randomTensor(rng, [2, 4, 3]);
  const m = ids([[1, 1, 0, 0], [1, 0, 1, 1]]);
  for (const layer of [new Dense(2), new Activation('tanh'), new Dropout(0.5), new LayerNormalization(), new TimeDistributed(new Dense(2)), new LSTM(2, { returnSequences: true })]) {
    for (const training of [false, true]) {
      const out = layer.apply(withMask(x, m), training) as Tensor;
      assert.equal(getMask(out), m, `${layer.className} (training ${training})`);
    }
  }
  const [seq, h] = new LSTM(2, { returnSequences: true, returnState: true }).applyList(withMask(x, m));
  assert.equal(getMask(seq), m);
  assert.equal(getMask(h), null, 'returned states carry no mask');
  assert.equal(getMask(new LSTM(2).apply(withMask(x, m)) as Tensor), null, 'no mask without returnSequences');
  const both = new Bidirectional(new LSTM(2, { returnSequences: true }), { mergeMode: 'none' }).applyList(withMask(x, m));
  assert.deepEqual(both.map(getMask), [m, m]);

  const warnings: string[] = [];
  const warn = platform.warn;
  platform.warn = (message) => void warnings.push(message);
  try {
    const flatten = new Flatten({ name: 'flat' });
    for (let i = 0; i < 2; i++) assert.equal(getMask(flatten.apply(withMask(x, m)) as Tensor), null);
    assert.equal(getMask(new GlobalMaxPooling1D().apply(withMask(x, m)) as Tensor), null);
    new Dense(2).apply(x); // no mask: nothing to say
  } finally {
    platform.warn = warn;
  }
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(warnings[0], /Layer 'flat' \(Flatten\) was passed an input with a mask attached to it, but does not support masking: the mask is dropped/);
});

test('merge layers: a step is kept where any input keeps it; Concatenate along time joins the masks', () => {
  const a = randomTensor(rng, [2, 3, 2]), b = randomTensor(rng, [2, 3, 2]);
  const ma = ids([[1, 0, 0], [1, 1, 0]]), mb = ids([[0, 1, 0], [1, 0, 0]]);
  const sum = new Add().apply([withMask(a, ma), withMask(b, mb)]) as Tensor;
  assert.deepEqual(Array.from(getMask(sum)!.data), [1, 1, 0, 1, 1, 0]);
  const c = ops.mul(b, 1); // no mask
  assert.equal(getMask(new Add().apply([withMask(ops.mul(a, 1), ma), c]) as Tensor), null, 'an input without a mask: none (Keras)');
  const features = new Concatenate().apply([withMask(ops.mul(a, 1), ma), c]) as Tensor;
  assert.deepEqual(Array.from(getMask(features)!.data), [1, 1, 1, 1, 1, 1], 'an unmasked input keeps every step');
  const time = new Concatenate({ axis: 1 }).apply([withMask(ops.mul(a, 1), ma), withMask(ops.mul(b, 1), mb)]) as Tensor;
  assert.deepEqual(getMask(time)!.shape, [2, 6]);
  assert.deepEqual(Array.from(getMask(time)!.data), [1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0]);
});

test('Embedding(maskZero) -> Dense -> LayerNormalization -> Dropout -> LSTM equals TF.js 4.22 (the mask passes through, as in TF.js)', () => {
  const x = ids([[3, 1, 0, 0, 0], [2, 0, 4, 4, 1], [1, 2, 3, 0, 0]]);
  const ours = new Sequential([
    new Embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputShape: [5] }), new Dense(4, { activation: 'tanh' }),
    new LayerNormalization(), new Dropout(0.3), new LSTM(3, { returnSequences: true }),
  ]);
  const theirs = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputShape: [5] }), tf.layers.dense({ units: 4, activation: 'tanh' }),
      tf.layers.layerNormalization({ epsilon: 1e-3 }), tf.layers.dropout({ rate: 0.3 }), tf.layers.lstm({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid' }),
    ],
  });
  theirs.setWeights(ours.getWeights().map(toTf));
  const a = (ours.predict(x) as Tensor).data, b = (theirs.predict(toTf(x)) as tf.Tensor).dataSync();
  assert.ok(maxDiff(a, b) < 2e-6, `${maxDiff(a, b)}`);
  // Sample 0 stops at step 1: its later outputs repeat step 1's (the mask reached the LSTM through three layers).
  assert.deepEqual(Array.from(a.slice(6, 9)), Array.from(a.slice(3, 6)));
});

test('a captured training step recomputes the mask from every batch (replay equals eager, BatchNormalization moving statistics included)', async () => {
  const x = ids([[3, 1, 0, 0], [2, 2, 4, 0], [1, 0, 0, 0], [4, 3, 2, 1], [5, 5, 0, 0], [2, 0, 0, 0]]);
  const y = new Tensor(Float32Array.from([1, 0, 1, 0, 1, 0]), [6, 1]);
  const build = (): Model => {
    const input = Input({ shape: [4] });
    const e = new Embedding({ inputDim: 6, outputDim: 4, maskZero: true }).apply(input) as SymbolicTensor;
    const h = new BatchNormalization({ momentum: 0.5 }).apply(new Dense(4, { activation: 'tanh' }).apply(e) as SymbolicTensor) as SymbolicTensor;
    const out = new Dense(1, { activation: 'sigmoid' }).apply(new GlobalAveragePooling1D().apply(h) as SymbolicTensor) as SymbolicTensor;
    return new Model({ inputs: input, outputs: out });
  };
  const weights: Float32Array[][] = [];
  for (const fastPath of [true, false]) {
    setSeed(9);
    const model = build();
    model.fastPath = fastPath;
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    await model.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
    weights.push(model.getWeights().map((w) => w.data));
  }
  weights[0].forEach((w, i) => assert.ok(maxDiff(w, weights[1][i]) < 1e-6, `weight ${i}`));
  // The layers round-trip through their configs unchanged (no mask state is saved).
  assert.equal(layerFromConfig('GlobalAveragePooling1D', new GlobalAveragePooling1D().getConfig()).supportsMasking, true);
});

test('a layer whose computed mask does not fit its output is refused, naming the layer and both shapes', () => {
  class Bad extends Layer {
    readonly className = 'Bad';
    override readonly supportsMasking = true;
    call(input: Tensor): Tensor {
      return ops.reshape(input, [input.shape[0], -1]);
    }
    override computeMask(_x: Tensor | Tensor[], mask: Tensor | null | (Tensor | null)[]) {
      return mask as Tensor;
    }
  }
  const x = randomTensor(rng, [2, 3, 2]);
  assert.throws(() => new Bad({ name: 'bad' }).apply(withMask(x, ids([[1, 0, 1], [1, 1, 0]]))), /Layer 'bad' \(Bad\) computed a mask of shape \[2, 3\] for an output of shape \[2, 6\]/);
});

test("BatchNormalization in training counts the unmasked steps only (Keras 3's masked moments): output, moving statistics, gradients", () => {
  const x = randomTensor(rng, [2, 4, 3]);
  const mask = [[1, 1, 0, 0], [1, 0, 1, 1]];
  const bn = new BatchNormalization({ momentum: 0.9, epsilon: 1e-3 });
  bn.build([null, 4, 3]);
  bn.setWeights([[1.5, 0.5, 2], [0.1, -0.2, 0.3], [0, 1, 2], [1, 2, 3]]); // gamma, beta, moving mean, moving variance
  const y = bn.apply(withMask(x, ids(mask)), true) as Tensor;
  assert.equal(getMask(y), getMask(x), 'the mask passes on');
  // Float64 rule: per channel, mean and biased variance over the unmasked (sample, step) pairs.
  const gamma = [1.5, 0.5, 2], beta = [0.1, -0.2, 0.3];
  const expect: number[] = new Array(24);
  for (let c = 0; c < 3; c++) {
    const vals: number[] = [];
    for (let b = 0; b < 2; b++) for (let t = 0; t < 4; t++) if (mask[b][t]) vals.push(x.data[(b * 4 + t) * 3 + c]);
    const mu = vals.reduce((a, v) => a + v, 0) / vals.length;
    const v = vals.reduce((a, u) => a + (u - mu) ** 2, 0) / vals.length;
    for (let i = c; i < 24; i += 3) expect[i] = ((x.data[i] - mu) / Math.sqrt(v + 1e-3)) * gamma[c] + beta[c];
    assert.ok(Math.abs(bn.movingMean!.data[c] - (c * 0.9 + mu * 0.1)) < 1e-5, `moving mean ${c}`);
    assert.ok(Math.abs(bn.movingVariance!.data[c] - ((c + 1) * 0.9 + v * 0.1)) < 1e-5, `moving variance ${c}`);
  }
  assert.ok(maxDiff(y.data, expect) < 1e-4, `${maxDiff(y.data, expect)}`);
  // Inference uses the moving statistics, mask or not.
  const inf = bn.apply(withMask(ops.mul(x, 1), ids(mask)), false) as Tensor;
  assert.ok(maxDiff(inf.data, (bn.apply(ops.mul(x, 1), false) as Tensor).data) === 0);

  const r = randomTensor(rng, [2, 4, 3], -1, 1);
  const m = ids(mask);
  const f = (xx: Tensor) => ops.sum(ops.mul(bn.apply(withMask(xx, m), true) as Tensor, r));
  const res = checkGradients(f, [x], { float64: true });
  assert.ok(res.maxRelError < 1e-5, `off by ${res.maxRelError}`);
  assert.throws(() => bn.apply(withMask(ops.mul(x, 1), ops.reshape(ids([[1, 0]]), [2])), true), /BatchNormalization '.*': the mask has shape \[2\], expected the input's leading dimensions \[2, 4\]/);
});
