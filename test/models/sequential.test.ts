// The Sequential model and its training loop: learning, Keras's epoch/batch arithmetic, validation split,
// determinism, weights, summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, Dense, Dropout, Activation, Input, SGD, Adam, setSeed, Callback, Rng, tensor, type Logs } from '../../src/index.js';

function separable(n: number, seed: number): { x: number[][]; y: number[] } {
  const rng = new Rng(seed);
  const w = [0.8, -1.2, 0.5, 1.5, -0.7, 0.3, 1.1, -0.9];
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = w.map(() => rng.uniform(-1, 1));
    x.push(row);
    y.push(row.reduce((s, v, j) => s + v * w[j], 0) > 0 ? 1 : 0);
  }
  return { x, y };
}

class StepCounter extends Callback {
  batches: number[] = [];
  sizes: number[] = [];
  private current = 0;
  override onEpochBegin(): void {
    this.current = 0;
  }
  override onTrainBatchBegin(_b: number, logs?: Logs): void {
    this.sizes.push(logs?.size ?? -1);
  }
  override onTrainBatchEnd(): void {
    this.current++;
  }
  override onEpochEnd(): void {
    this.batches.push(this.current);
  }
}

test('learns XOR', async () => {
  setSeed(3);
  const model = new Sequential();
  model.add(new Dense(8, { inputDim: 2, activation: 'tanh' }));
  model.add(new Dense(1, { activation: 'sigmoid' }));
  model.compile({ loss: 'binary_crossentropy', optimizer: new Adam({ learningRate: 0.05 }), metrics: ['accuracy'] });
  const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const y = [0, 1, 1, 0];
  await model.fit(x, y, { epochs: 300, batchSize: 4, verbose: 0 });
  const p = model.predict(x).data;
  assert.deepEqual(Array.from(p, (v) => (v > 0.5 ? 1 : 0)), y, `predictions ${Array.from(p)}`);
});

test("the chapter's model learns a separable 8-feature problem to high accuracy", async () => {
  setSeed(42);
  const train = separable(400, 1);
  const testSet = separable(200, 2);
  const model = new Sequential();
  model.add(new Dense(32, { inputDim: 8, activation: 'relu' }));
  model.add(new Dense(1, { activation: 'sigmoid' }));
  model.compile({ loss: 'binary_crossentropy', optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
  const history = await model.fit(train.x, train.y, { epochs: 30, batchSize: 10, validationSplit: 0.2, verbose: 0 });
  assert.equal(history.history.val_accuracy.length, 30);
  assert.ok(history.history.loss[29] < history.history.loss[0] / 2, `loss ${history.history.loss[0]} -> ${history.history.loss[29]}`);
  const [loss, acc] = (await model.evaluate(testSet.x, testSet.y, { verbose: 0 })) as number[];
  assert.ok(acc > 0.93, `test accuracy ${acc} (loss ${loss})`);
  assert.deepEqual(Object.keys(history.history).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  assert.deepEqual(history.epoch, Array.from({ length: 30 }, (_, i) => i));
});

test('Keras batch arithmetic: steps per epoch include the partial last batch; batch, stochastic and mini-batch GD', async () => {
  const data = separable(100, 4);
  for (const [batchSize, steps, lastSize] of [[100, 1, 100], [1, 100, 1], [32, 4, 4], [10, 10, 10]] as const) {
    const model = new Sequential([new Dense(1, { inputDim: 8, activation: 'sigmoid' })]);
    const opt = new SGD({ learningRate: 0.1 });
    model.compile({ loss: 'binary_crossentropy', optimizer: opt });
    const counter = new StepCounter();
    await model.fit(data.x, data.y, { epochs: 2, batchSize, verbose: 0, callbacks: [counter] });
    assert.deepEqual(counter.batches, [steps, steps], `batchSize ${batchSize}`);
    assert.equal(opt.iterations, 2 * steps, `optimizer steps for batchSize ${batchSize}`);
    assert.equal(counter.sizes[steps - 1], lastSize);
  }
});

test('epoch loss and metrics are sample-weighted averages over the epoch (checked with a frozen model)', async () => {
  // With learning rate 0 the weights never move, so the epoch's mean loss must equal evaluate over the same data,
  // even though batches have unequal sizes (32, 32, 32, 4).
  setSeed(9);
  const data = separable(100, 5);
  const model = new Sequential([new Dense(4, { inputDim: 8, activation: 'tanh' }), new Dense(1, { activation: 'sigmoid' })]);
  model.compile({ loss: 'binary_crossentropy', optimizer: new SGD({ learningRate: 0 }), metrics: ['accuracy'] });
  const h = await model.fit(data.x, data.y, { epochs: 1, batchSize: 32, verbose: 0 });
  const [loss, acc] = (await model.evaluate(data.x, data.y, { batchSize: 7, verbose: 0 })) as number[];
  assert.ok(Math.abs(h.history.loss[0] - loss) < 1e-5, `${h.history.loss[0]} vs ${loss}`);
  assert.ok(Math.abs(h.history.accuracy[0] - acc) < 1e-6);
});

test('validationSplit holds out the last fraction of the samples, before shuffling', async () => {
  setSeed(1);
  const data = separable(50, 6);
  const model = new Sequential([new Dense(1, { inputDim: 8, activation: 'sigmoid' })]);
  model.compile({ loss: 'binary_crossentropy', optimizer: new SGD({ learningRate: 0 }), metrics: ['accuracy'] });
  const h = await model.fit(data.x, data.y, { epochs: 1, validationSplit: 0.2, verbose: 0 });
  const [valLoss] = (await model.evaluate(data.x.slice(40), data.y.slice(40), { verbose: 0 })) as number[];
  const [trainLoss] = (await model.evaluate(data.x.slice(0, 40), data.y.slice(0, 40), { verbose: 0 })) as number[];
  assert.ok(Math.abs(h.history.val_loss[0] - valLoss) < 1e-5);
  assert.ok(Math.abs(h.history.loss[0] - trainLoss) < 1e-5);
});

test('setSeed makes two runs bit-identical (initializers, dropout, shuffling)', async () => {
  const run = async () => {
    setSeed(123);
    const data = separable(64, 7);
    const model = new Sequential();
    model.add(new Dense(16, { inputDim: 8, activation: 'relu' }));
    model.add(new Dropout(0.3));
    model.add(new Dense(1, { activation: 'sigmoid' }));
    model.compile({ loss: 'binary_crossentropy', optimizer: 'adam' });
    await model.fit(data.x, data.y, { epochs: 3, batchSize: 8, verbose: 0 });
    return model.getWeights().map((w) => Array.from(w.data));
  };
  const a = await run();
  const b = await run();
  assert.deepEqual(a, b);
});

test('different seeds give different initial weights; Dropout is identity at inference and scales by 1/(1-rate) in training', () => {
  setSeed(1);
  const a = new Sequential([new Dense(3, { inputDim: 2 })]).getWeights()[0].data;
  setSeed(2);
  const b = new Sequential([new Dense(3, { inputDim: 2 })]).getWeights()[0].data;
  assert.notDeepEqual(Array.from(a), Array.from(b));
  const drop = new Dropout(0.5, { seed: 1 });
  const x = tensor(new Float32Array(1000).fill(1), [10, 100]);
  assert.deepEqual(Array.from(drop.apply(x, false).data), Array.from(x.data));
  const y = drop.apply(x, true).data;
  const zeros = y.filter((v) => v === 0).length;
  assert.ok(zeros > 400 && zeros < 600, `dropped ${zeros}`);
  assert.ok(y.every((v) => v === 0 || v === 2));
});

test('getWeights/setWeights in Keras order (kernel then bias), Tensor or nested arrays', () => {
  const model = new Sequential([new Dense(3, { inputDim: 2, name: 'd1' }), new Dense(1, { name: 'd2' })]);
  const w = model.getWeights();
  assert.deepEqual(w.map((t) => t.shape), [[2, 3], [3], [3, 1], [1]]);
  const nested = [[[1, 2, 3], [4, 5, 6]], [0.1, 0.2, 0.3], [[1], [0], [-1]], [0.5]];
  model.setWeights(nested);
  assert.deepEqual(model.getWeights()[0].toArray(), [[1, 2, 3], [4, 5, 6]]);
  // relu-free linear model: y = (x·W1 + b1)·W2 + b2
  const p = model.predict([[1, 1]]).data[0];
  const h = [1 + 4 + 0.1, 2 + 5 + 0.2, 3 + 6 + 0.3];
  assert.ok(Math.abs(p - (h[0] - h[2] + 0.5)) < 1e-5);
  model.setWeights(w);
  assert.deepEqual(Array.from(model.getWeights()[1].data), Array.from(w[1].data));
  assert.throws(() => model.setWeights(w.slice(0, 3)), /has 4 weights .*got 3/);
  const before = model.getWeights().map((t) => Array.from(t.data));
  assert.throws(() => model.setWeights([w[0], w[1], w[2], [1, 2]]), /weight 3 \(d2\/bias\) has shape \[1\], got \[2\]/);
  assert.deepEqual(model.getWeights().map((t) => Array.from(t.data)), before, 'no weight changed by a failed setWeights');
});

test('summary shows Keras output shapes and parameter counts', () => {
  const model = new Sequential();
  model.add(Input({ shape: [8] }));
  model.add(new Dense(32, { activation: 'relu' }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  const lines: string[] = [];
  model.summary({ printFn: (s) => lines.push(s) });
  const text = lines.join('\n');
  assert.match(text, /\(None, 32\)\s+288/);
  assert.match(text, /\(None, 1\)\s+33/);
  assert.match(text, /Total params: 321/);
  assert.equal(model.countParams(), 8 * 32 + 32 + 32 + 1);
  // As Keras 3 and TF.js, the Input is not one of model.layers.
  assert.deepEqual(model.layers.map((l) => l.className), ['Dense', 'Dense']);
  assert.deepEqual(model.inputShape, [null, 8]);
});

test('Activation layer, useBias false, regularizers add to the loss', async () => {
  const model = new Sequential([new Dense(2, { inputDim: 2, useBias: false, kernelInitializer: 'ones', kernelRegularizer: 'l2' }), new Activation('linear')]);
  assert.equal(model.getWeights().length, 1);
  model.compile({ loss: 'mse', optimizer: new SGD({ learningRate: 0 }) });
  const [x, y] = [[[1, 0]], [[1, 0]]];
  // prediction [1, 1]; mse = ((1-1)² + (1-0)²)/2 = 0.5; l2 penalty 0.01·Σw² = 0.01·4
  const loss = (await model.evaluate(x, y, { verbose: 0 })) as number;
  assert.ok(Math.abs(loss - (0.5 + 0.04)) < 1e-6, `${loss}`);
});

test('predict is synchronous, batched, and equals the unbatched forward pass', () => {
  setSeed(5);
  const model = new Sequential([new Dense(4, { inputDim: 3, activation: 'relu' }), new Dense(2, { activation: 'softmax' })]);
  const rng = new Rng(1);
  const x = Array.from({ length: 70 }, () => [rng.normal(), rng.normal(), rng.normal()]);
  const all = model.predict(x, { batchSize: 100 });
  const batched = model.predict(x, { batchSize: 16 });
  assert.deepEqual(batched.shape, [70, 2]);
  assert.deepEqual(Array.from(batched.data), Array.from(all.data));
  for (let i = 0; i < 70; i++) assert.ok(Math.abs(all.data[2 * i] + all.data[2 * i + 1] - 1) < 1e-6);
});

test('classWeight and sampleWeight scale the loss per sample', async () => {
  const model = new Sequential([new Dense(1, { inputDim: 1, kernelInitializer: 'zeros', activation: 'sigmoid' })]);
  model.compile({ loss: 'binary_crossentropy', optimizer: new SGD({ learningRate: 0 }) });
  // p = 0.5 everywhere so each sample's loss is ln 2; weights 1 and 3 → mean (1+3)/2·ln2.
  const h = await model.fit([[1], [2]], [0, 1], { epochs: 1, batchSize: 2, verbose: 0, classWeight: { 0: 1, 1: 3 } });
  assert.ok(Math.abs(h.history.loss[0] - 2 * Math.LN2) < 1e-5);
  const h2 = await model.fit([[1], [2]], [0, 1], { epochs: 1, batchSize: 2, verbose: 0, sampleWeight: [0, 1] });
  assert.ok(Math.abs(h2.history.loss[0] - Math.LN2 / 2) < 1e-5);
});

test('multiclass with softmax and sparse labels learns', async () => {
  setSeed(11);
  const rng = new Rng(3);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 150; i++) {
    const c = i % 3;
    x.push([c + rng.normal(0, 0.3), -c + rng.normal(0, 0.3)]);
    y.push(c);
  }
  const model = new Sequential([new Dense(16, { inputDim: 2, activation: 'relu' }), new Dense(3, { activation: 'softmax' })]);
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new Adam({ learningRate: 0.05 }), metrics: ['accuracy'] });
  const h = await model.fit(x, y, { epochs: 30, batchSize: 16, verbose: 0 });
  assert.ok(h.history.accuracy[29] > 0.95, `${h.history.accuracy[29]}`);
});

test('classWeight with one-hot targets weighs each sample by its argmax class', async () => {
  // Zero kernel, bias 0, softmax over 3 classes: every sample's loss is ln 3. Classes of the rows: 0, 2, 1.
  const model = new Sequential([new Dense(3, { inputDim: 1, kernelInitializer: 'zeros', activation: 'softmax' })]);
  model.compile({ loss: 'categorical_crossentropy', optimizer: new SGD({ learningRate: 0 }) });
  const y = [[1, 0, 0], [0, 0, 1], [0, 1, 0]];
  const h = await model.fit([[1], [2], [3]], y, { epochs: 1, batchSize: 3, verbose: 0, classWeight: { 0: 2, 1: 0, 2: 5 } });
  assert.ok(Math.abs(h.history.loss[0] - ((2 + 5 + 0) / 3) * Math.log(3)) < 1e-5, `${h.history.loss[0]}`);
});
