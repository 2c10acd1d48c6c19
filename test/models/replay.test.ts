// Captured and replayed steps (fit, evaluate, predict) must agree with eager steps (model.fastPath = false) to float
// rounding, for every loss, activation, regularizer and layer arrangement: both run the same op rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, Model, Input, Add, Dense, Dropout, Activation, Flatten, SGD, Adam, setSeed, Rng, losses, ops, layerFromConfig, Conv2D, BatchNormalization, MaxPooling2D, GaussianNoise, SpatialDropout2D, type Loss, type Tensor, type SymbolicTensor } from '../../src/index.js';

function data(n: number, classes: number, seed: number): { x: number[][]; yBin: number[]; ySparse: number[]; yOneHot: number[][]; yReg: number[][] } {
  const rng = new Rng(seed);
  const x = Array.from({ length: n }, () => Array.from({ length: 5 }, () => rng.normal()));
  const ySparse = x.map((r) => Math.abs(Math.floor(r[0] * 2 + r[1])) % classes);
  return {
    x,
    yBin: x.map((r) => (r[2] > 0 ? 1 : 0)),
    ySparse,
    yOneHot: ySparse.map((c) => Array.from({ length: classes }, (_, j) => (j === c ? 1 : 0))),
    yReg: x.map((r) => [r[0] - r[3], r[1] * 0.5]),
  };
}

async function train(fast: boolean, hidden: string, outAct: string, outUnits: number, loss: string | Loss, y: unknown, opts: { dropout?: boolean; sampleWeight?: number[] } = {}): Promise<{ weights: number[][]; history: Record<string, number[]> }> {
  setSeed(77);
  const d = data(37, 3, 1);
  const model = new Sequential();
  model.fastPath = fast;
  model.add(new Dense(6, { inputDim: 5, activation: hidden }));
  if (opts.dropout) model.add(new Dropout(0.25));
  model.add(new Dense(4));
  model.add(new Activation(hidden));
  model.add(new Dense(outUnits, { activation: outAct }));
  model.compile({ loss, optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
  const h = await model.fit(d.x, y as number[], { epochs: 3, batchSize: 8, verbose: 0, sampleWeight: opts.sampleWeight });
  return { weights: model.getWeights().map((w) => Array.from(w.data)), history: h.history };
}

function assertClose(a: number[][], b: number[][], tol: number, what: string): void {
  a.forEach((w, i) =>
    w.forEach((v, j) => {
      const ok = Math.abs(v - b[i][j]) <= tol * Math.max(1, Math.abs(b[i][j]));
      assert.ok(ok, `${what}: weight ${i}[${j}] ${v} vs ${b[i][j]}`);
    }),
  );
}

const d = data(37, 3, 1);
const cases: [string, string, string, number, string | Loss, unknown][] = [
  ['bce sigmoid relu', 'relu', 'sigmoid', 1, 'binary_crossentropy', d.yBin],
  ['bce logits tanh', 'tanh', 'linear', 1, new losses.BinaryCrossentropy({ fromLogits: true }), d.yBin],
  ['cce softmax sigmoid', 'sigmoid', 'softmax', 3, 'categorical_crossentropy', d.yOneHot],
  ['cce logits elu', 'elu', 'linear', 3, new losses.CategoricalCrossentropy({ fromLogits: true }), d.yOneHot],
  ['scce softmax leaky', 'leaky_relu', 'softmax', 3, 'sparse_categorical_crossentropy', d.ySparse],
  ['scce logits softplus', 'softplus', 'linear', 3, new losses.SparseCategoricalCrossentropy({ fromLogits: true }), d.ySparse],
  ['mse swish', 'swish', 'linear', 2, 'mse', d.yReg],
  ['mae relu', 'relu', 'linear', 2, 'mae', d.yReg],
];

for (const [name, hidden, outAct, units, loss, y] of cases) {
  test(`replayed steps equal eager steps: ${name}`, async () => {
    const a = await train(true, hidden, outAct, units, loss, y);
    const b = await train(false, hidden, outAct, units, loss, y);
    assertClose(a.weights, b.weights, 1e-5, name);
    a.history.loss.forEach((v, i) => assert.ok(Math.abs(v - b.history.loss[i]) < 1e-5, `${name} loss epoch ${i}: ${v} vs ${b.history.loss[i]}`));
  });
}

test('replayed steps equal eager steps with Dropout (same random stream) and sample weights', async () => {
  const w = Array.from({ length: 37 }, (_, i) => (i % 3) + 0.5);
  const a = await train(true, 'relu', 'sigmoid', 1, 'binary_crossentropy', d.yBin, { dropout: true, sampleWeight: w });
  const b = await train(false, 'relu', 'sigmoid', 1, 'binary_crossentropy', d.yBin, { dropout: true, sampleWeight: w });
  assertClose(a.weights, b.weights, 1e-5, 'dropout');
});

for (const [name, layer, loss] of [
  ['an L2 kernel regularizer', new Dense(1, { inputDim: 2, kernelRegularizer: 'l2', activityRegularizer: 'l1' }), 'mse'],
  ['label smoothing', new Dense(1, { inputDim: 2, activation: 'sigmoid' }), new losses.BinaryCrossentropy({ labelSmoothing: 0.1 })],
  ['huber', new Dense(1, { inputDim: 2 }), 'huber'],
  ['a custom loss written with ops', new Dense(1, { inputDim: 2 }), (t: Tensor, p: Tensor) => ops.mean(ops.abs(ops.sub(ops.square(p), t)), -1)],
] as const) {
  test(`replayed steps equal eager steps: ${name}`, async () => {
    const x = [[1, 2], [0.5, -1], [-2, 0.3], [0.1, 0.1], [1, -1]];
    const y = [1, 0, 1, 0, 1];
    const run = async (fast: boolean) => {
      setSeed(3);
      const m = new Sequential([layerFromConfig(layer.className, layer.getConfig())]);
      m.fastPath = fast;
      m.compile({ loss: loss as string, optimizer: new Adam({ learningRate: 0.05 }) });
      const h = await m.fit(x, y, { epochs: 4, batchSize: 2, verbose: 0, validationData: [x, y] });
      return { h: h.history, w: m.getWeights().map((t) => Array.from(t.data)) };
    };
    const a = await run(true), b = await run(false);
    assertClose(a.w, b.w, 1e-5, name);
    for (const key of ['loss', 'val_loss']) a.h[key].forEach((v, i) => assert.ok(Math.abs(v - b.h[key][i]) < 1e-5, `${name} ${key} ${i}: ${v} vs ${b.h[key][i]}`));
  });
}

test('samples of rank > 1 (Flatten, or a Dense over the last axis) agree between replay and eager (fit, evaluate, predict)', async () => {
  const rng = new Rng(4);
  const x = Array.from({ length: 23 }, () => Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => rng.normal())));
  const y = x.map((s) => (s[0][0] + s[2][3] > 0 ? 1 : 0));
  const run = async (fast: boolean, denseFirst = false) => {
    setSeed(5);
    const model = new Sequential(
      denseFirst
        ? [new Dense(2, { inputShape: [3, 4] }), new Flatten(), new Dense(1, { activation: 'sigmoid' })]
        : [new Flatten({ inputShape: [3, 4] }), new Dense(5, { activation: 'relu' }), new Dense(1, { activation: 'sigmoid' })],
    );
    model.fastPath = fast;
    model.compile({ loss: 'binary_crossentropy', optimizer: new Adam({ learningRate: 0.05 }), metrics: ['accuracy'] });
    const h = await model.fit(x, y, { epochs: 3, batchSize: 6, verbose: 0 });
    return { h: h.history, w: model.getWeights().map((t) => Array.from(t.data)), p: Array.from(model.predict(x).data), e: (await model.evaluate(x, y, { verbose: 0 })) as number[] };
  };
  const a = await run(true);
  const b = await run(false);
  assertClose(a.w, b.w, 1e-5, 'flatten weights');
  a.p.forEach((v, i) => assert.ok(Math.abs(v - b.p[i]) < 1e-5, `predict ${i}`));
  assert.ok(Math.abs(a.e[0] - b.e[0]) < 1e-5);
  const c = await run(true, true);
  const e = await run(false, true);
  assertClose(c.w, e.w, 1e-5, 'dense over rank 3');
});

test('saturated probabilities: replayed steps clip at the same float32 bounds as autograd and Keras', async () => {
  // sigmoid(±50) is exactly 1 or 0 in float32: BCE clips to [fround(1e-7), fround(1 − 1e-7)].
  const run = async (fast: boolean, loss: string, units: number, activation: string, y: unknown) => {
    const m = new Sequential([new Dense(units, { inputDim: 1, activation, kernelInitializer: 'ones', useBias: false })]);
    m.fastPath = fast;
    m.layers[0].setWeights([[Array.from({ length: units }, (_, j) => (j === 0 ? 50 : -50))]]);
    m.compile({ loss, optimizer: new SGD({ learningRate: 0 }) });
    const h = await m.fit([[1], [-1], [1]], y as number[], { epochs: 1, batchSize: 3, verbose: 0 });
    return h.history.loss[0];
  };
  const bceExpected = (-Math.log(1 - Math.fround(1 - 1e-7)) - Math.log(Math.fround(1e-7))) / 3;
  for (const fast of [true, false]) {
    const v = await run(fast, 'binary_crossentropy', 1, 'sigmoid', [0, 1, 1]);
    assert.ok(Math.abs(v - bceExpected) < 1e-5, `${fast ? 'replayed' : 'eager'} bce ${v} vs ${bceExpected}`);
  }
  const a = await run(true, 'sparse_categorical_crossentropy', 2, 'softmax', [1, 1, 0]);
  const b = await run(false, 'sparse_categorical_crossentropy', 2, 'softmax', [1, 1, 0]);
  assert.ok(Math.abs(a - b) < 1e-5 * Math.max(1, Math.abs(b)), `scce ${a} vs ${b}`);
});

test('replayed steps equal eager steps for a convnet with BatchNormalization (moving statistics), pooling and noise layers', async () => {
  const rng = new Rng(9);
  const x = Array.from({ length: 10 }, () => Array.from({ length: 6 }, () => Array.from({ length: 6 }, () => [rng.normal(), rng.normal()])));
  const y = x.map((s) => (s[1][2][0] + s[4][3][1] > 0 ? 1 : 0));
  const run = async (fast: boolean) => {
    setSeed(21);
    const model = new Sequential([
      new Conv2D({ filters: 3, kernelSize: 3, padding: 'same', inputShape: [6, 6, 2], activation: 'relu' }),
      new BatchNormalization(),
      new MaxPooling2D({ poolSize: 2 }),
      new GaussianNoise(0.1),
      new SpatialDropout2D(0.3),
      new Flatten(),
      new Dense(1, { activation: 'sigmoid' }),
    ]);
    model.fastPath = fast;
    model.compile({ loss: 'binary_crossentropy', optimizer: new Adam({ learningRate: 0.02 }) });
    const h = await model.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
    return { h: h.history, w: model.getWeights().map((t) => Array.from(t.data)) };
  };
  const a = await run(true), b = await run(false);
  assertClose(a.w, b.w, 1e-4, 'convnet'); // includes the moving mean and variance
  a.h.loss.forEach((v, i) => assert.ok(Math.abs(v - b.h.loss[i]) < 1e-4, `loss ${i}: ${v} vs ${b.h.loss[i]}`));
});

test('replayed steps equal eager steps for functional models: a residual block and two outputs with lossWeights', async () => {
  const rng = new Rng(12);
  const x = Array.from({ length: 19 }, () => Array.from({ length: 4 }, () => rng.normal()));
  const yReg = x.map((r) => [r[0] + r[1]]);
  const yCls = x.map((r) => (r[2] > 0 ? 1 : 0));
  const run = async (fast: boolean) => {
    setSeed(8);
    const inp = Input({ shape: [4] });
    const h = new Dense(4, { activation: 'relu' }).apply(inp) as SymbolicTensor;
    const res = new Add().apply([h, inp]) as SymbolicTensor;
    const reg = new Dense(1, { name: 'reg' }).apply(res) as SymbolicTensor;
    const cls = new Dense(1, { activation: 'sigmoid', name: 'cls' }).apply(new Dropout(0.2).apply(res) as SymbolicTensor) as SymbolicTensor;
    const model = new Model({ inputs: inp, outputs: [reg, cls] });
    model.fastPath = fast;
    model.compile({ loss: ['mse', 'binary_crossentropy'], lossWeights: [0.5, 2], optimizer: new Adam({ learningRate: 0.03 }), metrics: [[], ['accuracy']] });
    const h2 = await model.fit(x, [yReg, yCls], { epochs: 3, batchSize: 5, verbose: 0, validationData: [x, [yReg, yCls]] });
    return { h: h2.history, w: model.getWeights().map((t) => Array.from(t.data)), p: (model.predict(x) as Tensor[]).map((t) => Array.from(t.data)) };
  };
  const a = await run(true), b = await run(false);
  assertClose(a.w, b.w, 1e-5, 'functional');
  assertClose(a.p, b.p, 1e-5, 'functional predict');
  for (const key of Object.keys(b.h)) a.h[key].forEach((v, i) => assert.ok(Math.abs(v - b.h[key][i]) < 1e-5, `${key} ${i}: ${v} vs ${b.h[key][i]}`));
});

test('losses whose masks or branches depend on the labels recompute them on every replayed batch', async () => {
  // Each batch differs in which targets are ignored (ignoreClass), whether hinge targets are 0/1 or ±1, and the
  // weights' sum (mean_with_sample_weight): a replay that baked the first batch's values in would drift from eager.
  const x = [[1, 2], [0.5, -1], [-2, 0.3], [0.1, 0.1], [1, -1], [0.3, 0.7]];
  const cases: [string, Loss, number, number[], number[] | undefined][] = [
    ['sparse CE ignoreClass', new losses.SparseCategoricalCrossentropy({ ignoreClass: 2 }), 3, [2, 0, 1, 2, 2, 1], undefined],
    ['hinge with 0/1 then ±1 targets', new losses.Hinge(), 1, [0, 1, 1, -1, 1, 0], undefined],
    ['mean_with_sample_weight', new losses.MeanSquaredError({ reduction: 'mean_with_sample_weight' }), 1, [1, 0, 1, 0, 1, 0], [1, 3, 0, 0, 2, 0.5]],
  ];
  for (const [name, loss, units, y, sw] of cases) {
    const run = async (fast: boolean) => {
      setSeed(3);
      const m = new Sequential([new Dense(units, { inputDim: 2, activation: units > 1 ? 'softmax' : 'linear' })]);
      m.fastPath = fast;
      m.compile({ loss, optimizer: new SGD({ learningRate: 0.1 }) });
      const h = await m.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0, sampleWeight: sw });
      return { h: h.history.loss, w: m.getWeights().map((t) => Array.from(t.data)) };
    };
    const a = await run(true), b = await run(false);
    assertClose(a.w, b.w, 1e-5, name);
    a.h.forEach((v, i) => assert.ok(Math.abs(v - b.h[i]) < 1e-5, `${name} loss ${i}: ${v} vs ${b.h[i]}`));
  }
});
