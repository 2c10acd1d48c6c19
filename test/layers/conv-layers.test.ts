// Convolution, pooling, normalization, reshaping and noise layers: a table with one row per layer (shape inference
// against the real output, gradient check through the layer, config round trip), Keras's own test numbers
// (keras/src/layers/pooling/*_test.py shape tables, normalization/batch_normalization_test.py), BatchNormalization's
// moving statistics, save/load with TF.js 4.22 in both directions, and bad input.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  Tensor, Rng, ops, checkGradients, variableGrads, layerFromConfig, Sequential, Dense, Flatten, setSeed, tensor, noGrad,
  Conv1D, Conv2D, Conv3D, Conv1DTranspose, Conv2DTranspose, Conv3DTranspose, DepthwiseConv1D, DepthwiseConv2D, SeparableConv1D, SeparableConv2D,
  MaxPooling1D, MaxPooling2D, MaxPooling3D, AveragePooling1D, AveragePooling2D, AveragePooling3D,
  GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D,
  BatchNormalization, LayerNormalization, GroupNormalization, Reshape, Permute, RepeatVector,
  ZeroPadding1D, ZeroPadding2D, ZeroPadding3D, Cropping1D, Cropping2D, Cropping3D, UpSampling1D, UpSampling2D, UpSampling3D,
  SpatialDropout1D, SpatialDropout2D, SpatialDropout3D, GaussianNoise, GaussianDropout, type Layer,
} from '../../src/index.js';
import { saveModel } from '../../src/io/save.js';
import { loadModel } from '../../src/io/load.js';
import { randomTensor } from '../support/random.js';
import { maxDiff } from '../support/compare.js';

before(async () => {
  await tf.setBackend('cpu');
});
const root = mkdtempSync(join(tmpdir(), 'descent-conv-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
const rng = new Rng(77);

/** One row per layer: how to make it and a sample input shape (batch first). grad: false for non-smooth checks. */
const ROWS: { make: () => Layer; input: number[]; grad?: boolean }[] = [
  { make: () => new Conv1D(3, 3, { padding: 'causal', dilationRate: 2, activation: 'tanh' }), input: [2, 7, 2] },
  { make: () => new Conv2D(4, [3, 2], { strides: 2, padding: 'same' }), input: [2, 5, 6, 2] },
  { make: () => new Conv2D({ filters: 4, kernelSize: 3, groups: 2, dataFormat: 'channels_first' }), input: [1, 4, 5, 5] },
  { make: () => new Conv3D(2, 2, { padding: 'same' }), input: [1, 3, 3, 4, 2] },
  { make: () => new Conv1DTranspose(2, 3, { strides: 2 }), input: [2, 4, 3] },
  { make: () => new Conv2DTranspose(3, 3, { strides: 2, padding: 'same' }), input: [2, 3, 3, 2] },
  { make: () => new Conv3DTranspose(2, 2, { strides: 2 }), input: [1, 2, 2, 2, 2] },
  { make: () => new DepthwiseConv1D({ kernelSize: 3, depthMultiplier: 2 }), input: [2, 6, 3] },
  { make: () => new DepthwiseConv2D({ kernelSize: 3, padding: 'same' }), input: [2, 4, 4, 3] },
  { make: () => new SeparableConv1D(4, 3), input: [2, 6, 3] },
  { make: () => new SeparableConv2D(4, 3, { depthMultiplier: 2, activation: 'sigmoid' }), input: [1, 5, 5, 2] },
  { make: () => new MaxPooling1D({ poolSize: 2, padding: 'same' }), input: [2, 5, 3], grad: false },
  { make: () => new MaxPooling2D(2), input: [2, 4, 5, 3], grad: false },
  { make: () => new MaxPooling3D({ poolSize: 2, dataFormat: 'channels_first' }), input: [1, 2, 4, 4, 4], grad: false },
  { make: () => new AveragePooling1D({ poolSize: 3, strides: 1 }), input: [2, 5, 3] },
  { make: () => new AveragePooling2D({ poolSize: [2, 3], padding: 'same' }), input: [2, 5, 5, 2] },
  { make: () => new AveragePooling3D(2), input: [1, 4, 4, 4, 2] },
  { make: () => new GlobalMaxPooling1D(), input: [2, 5, 3], grad: false },
  { make: () => new GlobalMaxPooling2D({ keepdims: true }), input: [2, 3, 4, 3], grad: false },
  { make: () => new GlobalMaxPooling3D(), input: [1, 2, 3, 2, 2], grad: false },
  { make: () => new GlobalAveragePooling1D({ dataFormat: 'channels_first' }), input: [2, 3, 5] },
  { make: () => new GlobalAveragePooling2D(), input: [2, 3, 4, 3] },
  { make: () => new GlobalAveragePooling3D({ keepdims: true }), input: [1, 2, 3, 2, 2] },
  { make: () => new BatchNormalization(), input: [4, 3, 3, 2] },
  { make: () => new BatchNormalization({ axis: 1, center: false }), input: [4, 3, 5] },
  { make: () => new LayerNormalization(), input: [3, 4, 5] },
  { make: () => new LayerNormalization({ axis: [1, 2] }), input: [3, 4, 5] },
  { make: () => new GroupNormalization({ groups: 2 }), input: [2, 3, 4] },
  { make: () => new GroupNormalization({ groups: 2, axis: 1 }), input: [2, 4, 3] },
  { make: () => new Reshape({ targetShape: [-1, 2] }), input: [2, 3, 4] },
  { make: () => new Permute({ dims: [2, 1] }), input: [2, 3, 4] },
  { make: () => new RepeatVector(3), input: [2, 4] },
  { make: () => new ZeroPadding1D({ padding: [1, 2] }), input: [2, 3, 2] },
  { make: () => new ZeroPadding2D({ padding: [[1, 0], [2, 1]] }), input: [2, 3, 3, 2] },
  { make: () => new ZeroPadding3D({ padding: 1 }), input: [1, 2, 2, 2, 1] },
  { make: () => new Cropping1D({ cropping: [1, 2] }), input: [2, 6, 2] },
  { make: () => new Cropping2D({ cropping: [[1, 0], [0, 2]], dataFormat: 'channels_first' }), input: [2, 2, 4, 5] },
  { make: () => new Cropping3D({ cropping: 1 }), input: [1, 3, 4, 3, 1] },
  { make: () => new UpSampling1D({ size: 3 }), input: [2, 3, 2] },
  { make: () => new UpSampling2D({ size: [2, 3] }), input: [2, 2, 2, 2] },
  { make: () => new UpSampling3D(), input: [1, 2, 1, 2, 1] },
  { make: () => new SpatialDropout1D(0.5), input: [2, 4, 3] },
  { make: () => new SpatialDropout2D({ rate: 0.3 }), input: [2, 3, 3, 2] },
  { make: () => new SpatialDropout3D(0.3), input: [1, 2, 2, 2, 2] },
  { make: () => new GaussianNoise(0.1), input: [2, 5] },
  { make: () => new GaussianDropout(0.2), input: [2, 5] },
];

test('every new layer: output shape as inferred, config round trip, gradient through it', () => {
  for (const row of ROWS) {
    const layer = row.make();
    const x = randomTensor(rng, row.input);
    const y = noGrad(() => layer.apply(x, false));
    const inferred = layer.computeOutputShape([null, ...row.input.slice(1)]);
    assert.deepEqual([...y.shape], [row.input[0], ...inferred.slice(1)], `${layer.className}: shape inference`);
    // Config round trip: same class, same config, same output with the same weights.
    const copy = layerFromConfig(layer.className, JSON.parse(JSON.stringify(layer.getConfig())));
    assert.deepEqual(copy.getConfig(), layer.getConfig(), `${layer.className}: config round trip`);
    copy.apply(x, false);
    copy.setWeights(layer.getWeights());
    assert.ok(maxDiff(noGrad(() => copy.apply(x, false)).data, y.data) < 1e-6, `${layer.className}: same output after round trip`);
    if (row.grad === false || /Dropout|Noise/.test(layer.className)) continue;
    const probe = randomTensor(new Rng(3), [...y.shape], 0.5, 1.5);
    const r = checkGradients((input) => ops.sum(ops.mul(layer.apply(input, true), probe)), [x], 1e-2);
    assert.ok(r.maxRelError < 3e-2, `${layer.className}: input gradient check error ${r.maxRelError.toExponential(2)} at ${JSON.stringify(r.worst)}`);
    // Weights: autodiff against central differences on the variables themselves.
    const weights = layer.trainableWeights;
    const loss = () => ops.sum(ops.mul(layer.apply(x, true), probe));
    const { grads } = variableGrads(loss, weights);
    weights.forEach((w, k) => {
      for (let i = 0; i < w.size; i++) {
        const v = w.data[i];
        w.data[i] = v + 1e-2;
        const up = noGrad(loss).item();
        w.data[i] = v - 1e-2;
        const down = noGrad(loss).item();
        w.data[i] = v;
        const numeric = (up - down) / 2e-2, analytic = grads[k].data[i];
        const rel = Math.abs(numeric - analytic) / Math.max(1, Math.abs(numeric), Math.abs(analytic));
        assert.ok(rel < 3e-2, `${layer.className}: gradient of ${w.name}[${i}]: ${analytic} vs ${numeric}`);
      }
    });
  }
});

test("Keras's pooling shape tables (keras/src/layers/pooling/average_pooling_test.py, max_pooling_test.py)", () => {
  const cases: [number, unknown, unknown, string, string, number[], number[]][] = [
    [1, 2, 1, 'valid', 'channels_last', [3, 5, 4], [3, 4, 4]],
    [1, 2, 1, 'same', 'channels_first', [3, 5, 4], [3, 5, 4]],
    [1, [2], [2], 'valid', 'channels_last', [3, 5, 4], [3, 2, 4]],
    [2, 2, 1, 'valid', 'channels_last', [3, 5, 5, 4], [3, 4, 4, 4]],
    [2, 2, 1, 'same', 'channels_last', [3, 5, 5, 4], [3, 5, 5, 4]],
    [2, 2, 1, 'valid', 'channels_first', [3, 5, 5, 4], [3, 5, 4, 3]],
    [2, 2, 1, 'same', 'channels_first', [3, 5, 5, 4], [3, 5, 5, 4]],
    [2, [2, 3], [2, 2], 'valid', 'channels_last', [3, 5, 5, 4], [3, 2, 2, 4]],
    [2, [2, 3], [2, 2], 'same', 'channels_last', [3, 5, 5, 4], [3, 3, 3, 4]],
    [3, 2, 1, 'valid', 'channels_last', [3, 5, 5, 5, 4], [3, 4, 4, 4, 4]],
    [3, 2, 1, 'same', 'channels_first', [3, 5, 5, 5, 4], [3, 5, 5, 5, 4]],
    [3, [2, 3, 2], [2, 2, 1], 'valid', 'channels_last', [3, 5, 5, 5, 4], [3, 2, 2, 4, 4]],
  ];
  const classes = { max: [MaxPooling1D, MaxPooling2D, MaxPooling3D], avg: [AveragePooling1D, AveragePooling2D, AveragePooling3D] };
  for (const [rank, poolSize, strides, padding, dataFormat, input, output] of cases) {
    for (const kind of ['max', 'avg'] as const) {
      const layer = new classes[kind][rank - 1]({ poolSize, strides, padding, dataFormat } as never);
      const x = randomTensor(rng, input);
      assert.deepEqual([...layer.apply(x).shape], output, `${layer.className} ${JSON.stringify([poolSize, strides, padding, dataFormat, input])}`);
    }
  }
  // average_pooling_test.py's correctness inputs, np.arange(16) as [1, 4, 4, 1], pool 2 stride 1 'valid': window means.
  const y = new AveragePooling2D({ poolSize: 2, strides: 1 }).apply(new Tensor(Float32Array.from({ length: 16 }, (_, i) => i), [1, 4, 4, 1]));
  assert.deepEqual(Array.from(y.data), [2.5, 3.5, 4.5, 6.5, 7.5, 8.5, 10.5, 11.5, 12.5]);
});

/** Random normal data (Box-Muller on our Rng), centred on 5 with standard deviation 10, as Keras's tests use. */
function normalData(shape: number[], seed: number): Tensor {
  const r = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(Float32Array.from({ length: n }, () => r.normal(5, 10)), shape);
}

test("GroupNormalization on any axis: Keras's correctness numbers (keras/src/layers/normalization/group_normalization_test.py)", () => {
  const gn = (groups: number, axis: number, x: Tensor) => new GroupNormalization({ groups, axis, scale: false, center: false }).apply(x) as Tensor;
  const near = (got: Tensor, want: number[]) => assert.ok(maxDiff(got.data, want) < 1e-3, `${Array.from(got.data)} vs ${want}`);
  // test_correctness_instance_norm: 4 groups of one channel each.
  near(gn(4, -1, tensor([[[-1, 1, 0, 2], [1, 3, -4, -2]]])), [-1, -1, 1, 1, 1, 1, -1, -1]);
  // test_correctness_1d: one group over all 8 features; two groups on axis 1.
  const x1 = tensor([[-1, -1, 1, 1, 2, 2, 0, -2]]);
  near(gn(1, -1, x1), [-0.898, -0.898, 0.539, 0.539, 1.257, 1.257, -0.18, -1.616]);
  near(gn(2, 1, x1), [-1, -1, 1, 1, 0.904, 0.904, -0.301, -1.507]);
  // test_correctness_2d: axis 2 of [1, 2, 4].
  const x2 = tensor([[[-1, -1, 2, 2], [1, 1, 0, -2]]]);
  near(gn(1, -1, x2), [-0.898, -0.898, 1.257, 1.257, 0.539, 0.539, -0.18, -1.616]);
  near(gn(2, 2, x2), [-1, -1, 0.904, 0.904, 1, 1, -0.301, -1.507]);
  // test_broadcasting_2d_channels_first: [1, 4, 2, 2], channels on axis 1, 2 groups.
  const x3 = new Tensor(Float32Array.from({ length: 16 }, (_, i) => i), [1, 4, 2, 2]);
  const half = [-1.5274, -1.091, -0.6546, -0.2182, 0.2182, 0.6546, 1.091, 1.5274];
  near(gn(2, 1, x3), [...half, ...half]);
  // γ and β broadcast along the channel axis: axis 1 on [n, c, w] equals axis −1 on the transposed input.
  const x = randomTensor(rng, [2, 4, 5]);
  const a = new GroupNormalization({ groups: 2, axis: 1, gammaInitializer: 'randomNormal', betaInitializer: 'randomNormal' });
  const ya = a.apply(x) as Tensor;
  const b = new GroupNormalization({ groups: 2 });
  b.apply(ops.transpose(x, [0, 2, 1]));
  b.setWeights(a.getWeights());
  assert.ok(maxDiff(ya.data, ops.transpose(b.apply(ops.transpose(x, [0, 2, 1])) as Tensor, [0, 2, 1]).data) < 1e-5);
  assert.throws(() => new GroupNormalization({ axis: [1, 2] }), /GroupNormalization: axis must be one axis/);
});

test("BatchNormalization: Keras's correctness test (momentum 0, three training calls), train and inference differ", () => {
  for (const axis of [-1, 1]) {
    for (const shape of [[5, 2, 3], [5, 3, 3, 2]]) {
      for (const mmInit of ['zeros', 'ones']) {
        const layer = new BatchNormalization({ axis, momentum: 0, movingMeanInitializer: mmInit, movingVarianceInitializer: mmInit });
        const x = normalData(shape, 11);
        let out = x;
        for (let i = 0; i < 3; i++) out = noGrad(() => layer.apply(out, true));
        const ax = axis < 0 ? shape.length + axis : axis;
        const reduce = shape.map((_, i) => i).filter((i) => i !== ax);
        const mean = ops.mean(out, reduce), std = ops.sqrt(ops.mean(ops.square(ops.sub(out, ops.mean(out, reduce, true))), reduce));
        mean.data.forEach((v) => assert.ok(Math.abs(v) < 1e-3, `mean ${v}`));
        std.data.forEach((v) => assert.ok(Math.abs(v - 1) < 1e-3, `std ${v}`));
        // The third call saw already normalized data: moving statistics ≈ (0, 1).
        layer.movingMean!.data.forEach((v) => assert.ok(Math.abs(v) < 1e-3));
        layer.movingVariance!.data.forEach((v) => assert.ok(Math.abs(v - 1) < 1e-2, `moving variance ${v}`));
        const inference = noGrad(() => layer.apply(x, false)), training = noGrad(() => layer.apply(x, true));
        assert.ok(maxDiff(inference.data, training.data) > 0.1, 'inference before this training call must differ');
        const training2 = noGrad(() => layer.apply(x, true)), inference2 = noGrad(() => layer.apply(x, false));
        assert.ok(maxDiff(training2.data, inference2.data) < 1e-3, 'momentum 0: inference after training matches');
      }
    }
  }
});

test("BatchNormalization: Keras's trainable test (frozen: moving statistics, identity at init), weight counts", () => {
  const layer = new BatchNormalization({ axis: -1, momentum: 0.8, epsilon: 1e-7 });
  layer.build([1, 4, 4, 3]);
  layer.trainable = false;
  assert.equal(layer.weights.length, 4);
  assert.equal(layer.trainableWeights.length, 0);
  assert.equal(layer.nonTrainableWeights.length, 4);
  const x = normalData([200, 4, 4, 3], 5);
  assert.ok(maxDiff(noGrad(() => layer.apply(x, true)).data, x.data) < 1e-3, 'frozen: (x − 0)/√(1 + ε) = x');
  assert.deepEqual(Array.from(layer.movingMean!.data), [0, 0, 0], 'frozen: moving mean unchanged');
  layer.trainable = true;
  assert.equal(layer.trainableWeights.length, 2);
  assert.equal(layer.nonTrainableWeights.length, 2);
  const plain = new BatchNormalization({ center: false, scale: false });
  plain.build([null, 3]);
  assert.equal(plain.trainableWeights.length, 0);
  assert.equal(plain.nonTrainableWeights.length, 2);
});

test('BatchNormalization in fit: moving statistics after N steps follow moving = moving·m + batch·(1 − m); summary lists them as non-trainable', async () => {
  setSeed(3);
  const model = new Sequential([new BatchNormalization({ inputShape: [3], momentum: 0.9 }), new Dense(1)]);
  model.compile({ loss: 'mse', optimizer: 'sgd' });
  const x = normalData([24, 3], 8), y = randomTensor(rng, [24, 1]);
  await model.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
  // Six batches of 8 rows, in order, twice... (2 epochs × 3 batches): batch statistics in float64, biased variance.
  const mm = [0, 0, 0], mv = [1, 1, 1];
  for (let step = 0; step < 6; step++) {
    const b = (step % 3) * 8;
    for (let c = 0; c < 3; c++) {
      let s = 0, q = 0;
      for (let i = 0; i < 8; i++) s += x.data[(b + i) * 3 + c];
      const mean = s / 8;
      for (let i = 0; i < 8; i++) q += (x.data[(b + i) * 3 + c] - mean) ** 2;
      mm[c] = mm[c] * 0.9 + mean * 0.1;
      mv[c] = mv[c] * 0.9 + (q / 8) * 0.1;
    }
  }
  const bn = model.layers[0] as BatchNormalization;
  assert.ok(maxDiff(bn.movingMean!.data, mm) < 1e-4, `moving mean ${Array.from(bn.movingMean!.data)} vs ${mm}`);
  assert.ok(maxDiff(bn.movingVariance!.data, mv) < 1e-3, `moving variance ${Array.from(bn.movingVariance!.data)} vs ${mv}`);
  // evaluate and predict do not move them.
  const before = bn.movingMean!.data.slice();
  await model.evaluate(x, y, { verbose: 0 });
  model.predict(x);
  assert.deepEqual(Array.from(bn.movingMean!.data), Array.from(before));
  const lines: string[] = [];
  model.summary({ printFn: (l) => lines.push(l) });
  assert.ok(lines.includes('Non-trainable params: 6'), lines.join('\n'));
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

function convModel(): Sequential {
  setSeed(9);
  return new Sequential([
    new Conv2D(4, 3, { activation: 'relu', padding: 'same', inputShape: [8, 8, 2] }),
    new BatchNormalization(),
    new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2 }),
    new MaxPooling2D(2),
    new SeparableConv2D(3, 2, { padding: 'same' }),
    new ZeroPadding2D({ padding: 1 }),
    new Cropping2D({ cropping: [[1, 0], [0, 1]] }),
    new UpSampling2D({ size: 2 }),
    new Conv2DTranspose(2, 3, { strides: 2, padding: 'same' }),
    new AveragePooling2D({ poolSize: 2 }),
    new LayerNormalization(),
    new GlobalAveragePooling2D(),
    new Dense(3, { activation: 'softmax' }),
  ]);
}

test('save in TF.js layers format: TF.js 4.22 loads the convnet and predicts the same', async () => {
  const m = convModel();
  m.compile({ loss: 'categorical_crossentropy', optimizer: 'adam' });
  const x = randomTensor(rng, [5, 8, 8, 2]);
  const y = new Tensor(Float32Array.from({ length: 15 }, (_, i) => (i % 3 === 0 ? 1 : 0)), [5, 3]);
  await m.fit(x, y, { epochs: 2, batchSize: 5, verbose: 0 });
  const dir = join(root, 'd2t');
  await saveModel(m, dir);
  const tm = await tfjsLoad(dir);
  assert.deepEqual(tm.layers.map((l) => l.getClassName()), m.layers.map((l) => l.className));
  const diff = maxDiff(m.predict(x).data, (tm.predict(tf.tensor(x.data, [5, 8, 8, 2])) as tf.Tensor).dataSync());
  assert.ok(diff < 1e-4, `max |descent − TF.js| = ${diff}`);
  // And back: our own round trip keeps the moving statistics.
  const back = await loadModel(dir);
  assert.ok(maxDiff(back.predict(x).data, m.predict(x).data) < 1e-6);
});

test('load a TF.js 4.22 convnet (Conv1D/2D, pooling, batch norm, reshaping): same weights and predictions', async () => {
  const tm = tf.sequential();
  tm.add(tf.layers.reshape({ targetShape: [6, 6, 1], inputShape: [36] }));
  tm.add(tf.layers.conv2d({ filters: 3, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' }));
  tm.add(tf.layers.batchNormalization({ momentum: 0.9 }));
  tm.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  tm.add(tf.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2 }));
  tm.add(tf.layers.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2 }));
  tm.add(tf.layers.reshape({ targetShape: [16, 2] }));
  tm.add(tf.layers.conv1d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }));
  tm.add(tf.layers.averagePooling1d({ poolSize: 2 }));
  tm.add(tf.layers.globalMaxPooling1d());
  tm.add(tf.layers.dense({ units: 2 }));
  tm.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const xs = tf.randomNormal([6, 36], 0, 1, 'float32', 4);
  await tm.fit(xs, tf.randomNormal([6, 2], 0, 1, 'float32', 5), { epochs: 2, verbose: 0 });
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
  m.layers.forEach((layer, k) => {
    const tw = tm.layers[k].getWeights(), dw = layer.getWeights();
    assert.equal(dw.length, tw.length, layer.className);
    dw.forEach((w, i) => assert.deepEqual(Array.from(w.data), Array.from(tw[i].dataSync()), `${layer.className} weight ${i}`));
  });
  const x = tensor(Array.from(xs.dataSync()), [6, 36]);
  const diff = maxDiff(m.predict(x).data, (tm.predict(xs) as tf.Tensor).dataSync());
  assert.ok(diff < 1e-4, `max |descent − TF.js| = ${diff}`);
});

test('bad input: flat images into Conv2D, a kernel larger than the input, pool size 0, channels not matching loaded weights', async () => {
  assert.throws(() => new Sequential([new Conv2D(8, 3, { inputShape: [784] })]), /Conv2D 'conv2d(_\d+)?' expects inputs of rank 4 \(\[batch, height, width, channels\]\), got shape \[null, 784\]\. .*reshape it to \[28, 28, 1\]/);
  const m = new Sequential([new Conv2D(8, 3, { inputShape: [28, 28, 1] }), new Flatten(), new Dense(2)]);
  m.compile({ loss: 'mse', optimizer: 'sgd' });
  const before = m.getWeights().map((w) => w.data.slice());
  await assert.rejects(() => m.fit(randomTensor(rng, [4, 784]), randomTensor(rng, [4, 2]), { verbose: 0 }), /x has shape \[4, 784\] but .* expects inputs of shape \[\*, 28, 28, 1\].*reshape the data to \[4, 28, 28, 1\]/);
  await assert.rejects(() => m.fit(randomTensor(rng, [4, 28, 28, 3]), randomTensor(rng, [4, 2]), { verbose: 0 }), (e: Error) => /expects inputs of shape \[\*, 28, 28, 1\]/.test(e.message) && !/reshape/.test(e.message));
  m.getWeights().forEach((w, i) => assert.deepEqual(w.data, before[i]));
  assert.throws(() => new Sequential([new Conv2D(2, 5, { inputShape: [3, 3, 1] })]), /kernel 5×5 is larger than the input 3×3 with padding 'valid'/);
  assert.throws(() => new MaxPooling2D({ poolSize: 0 }), /MaxPooling2D: poolSize must be a positive integer/);
  assert.throws(() => new Sequential([new MaxPooling2D({ poolSize: 4, inputShape: [3, 3, 1] })]), /pool 4×4 is larger than the input 3×3/);
  // A saved model whose kernel does not match the channels its config declares.
  const good = new Sequential([new Conv2D(2, 3, { inputShape: [5, 5, 3] }), new Flatten(), new Dense(1)]);
  const dir = join(root, 'bad-channels');
  await saveModel(good, dir);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const layers = json.modelTopology.model_config.config.layers;
  const conv = layers.find((l: { class_name: string }) => l.class_name === 'Conv2D');
  conv.config.batch_input_shape = [null, 5, 5, 2];
  delete json.userDefinedMetadata; // an edited file: no checksums
  delete json.generatedBy;
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  await assert.rejects(() => loadModel(dir), /weight '.*kernel' has shape \[3, 3, 3, 2\] in the manifest but the model expects \[3, 3, 2, 2\]/);
});
