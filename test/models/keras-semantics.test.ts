// Keras semantics of the training loop that an acceptance audit checked against Keras 3's trainer code:
// weighted vs plain metrics, class weights, sparse target shapes, callback logs, option names, validation frequency.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, Dense, SGD, Callback, setSeed, ops, getLoss, type Logs, type Tensor } from '../../src/index.js';

/** A frozen one-weight model whose prediction for x is sigmoid(x): numbers can be computed by hand. */
function frozen(metrics: string[] = ['accuracy'], weightedMetrics?: string[]): Sequential {
  const model = new Sequential([new Dense(1, { inputDim: 1, activation: 'sigmoid', kernelInitializer: 'ones', useBias: false })]);
  model.compile({ loss: 'binary_crossentropy', optimizer: new SGD({ learningRate: 0 }), metrics, weightedMetrics });
  return model;
}
const sig = (v: number) => 1 / (1 + Math.exp(-v));
const bce = (y: number, p: number) => -(y * Math.log(p) + (1 - y) * Math.log(1 - p));

test('metrics ignore sample and class weights (as Keras); weightedMetrics and the loss use them', async () => {
  const x = [[2], [-2], [1], [-1]];
  const y = [1, 1, 0, 0]; // predictions 0.88, 0.12, 0.73, 0.27: rows 0 and 3 correct
  const w = [3, 1, 1, 1];
  const model = frozen(['accuracy'], ['accuracy']);
  const h = await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, sampleWeight: w });
  assert.deepEqual(Object.keys(h.history), ['loss', 'accuracy', 'weighted_accuracy']);
  assert.ok(Math.abs(h.history.accuracy[0] - 0.5) < 1e-7, `plain accuracy ${h.history.accuracy[0]}`);
  assert.ok(Math.abs(h.history.weighted_accuracy[0] - (3 + 1) / 6) < 1e-7, `weighted accuracy ${h.history.weighted_accuracy[0]}`);
  // Keras's sum_over_batch_size: Σ w·loss / n (not / Σ w).
  const expected = x.reduce((s, r, i) => s + w[i] * bce(y[i], sig(r[0])), 0) / 4;
  assert.ok(Math.abs(h.history.loss[0] - expected) < 1e-5, `${h.history.loss[0]} vs ${expected}`);
  // classWeight: plain accuracy unchanged as well.
  const h2 = await frozen().fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, classWeight: { 0: 1, 1: 10 } });
  assert.ok(Math.abs(h2.history.accuracy[0] - 0.5) < 1e-7);
  // validationData with sample weights: val_loss weighted, val_accuracy not.
  const h3 = await frozen().fit(x, y, { epochs: 1, verbose: 0, validationData: [x, y, w] });
  assert.ok(Math.abs(h3.history.val_loss[0] - expected) < 1e-5);
  assert.ok(Math.abs(h3.history.val_accuracy[0] - 0.5) < 1e-7);
  // evaluate with sampleWeight: same split.
  const [loss, acc] = (await frozen().evaluate(x, y, { verbose: 0, sampleWeight: w })) as number[];
  assert.ok(Math.abs(loss - expected) < 1e-5);
  assert.ok(Math.abs(acc - 0.5) < 1e-7);
});

test('classWeight: a class left out weighs 1 (Keras 3); bad weights are rejected before training', async () => {
  const x = [[2], [-2], [1], [-1]];
  const y = [1, 1, 0, 0];
  const h = await frozen().fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, classWeight: { 1: 5 } });
  const expected = (5 * bce(1, sig(2)) + 5 * bce(1, sig(-2)) + bce(0, sig(1)) + bce(0, sig(-1))) / 4;
  assert.ok(Math.abs(h.history.loss[0] - expected) < 1e-5, `${h.history.loss[0]} vs ${expected}`);
  const model = frozen();
  const before = model.getWeights().map((t) => Array.from(t.data));
  await assert.rejects(model.fit(x, y, { verbose: 0, classWeight: { 0: 1, 1: Number.NaN } }), /classWeight for class 1 must be a finite number >= 0/);
  await assert.rejects(model.fit(x, y, { verbose: 0, classWeight: { 0: -1 } }), /classWeight for class 0/);
  await assert.rejects(model.fit(x, y, { verbose: 0, sampleWeight: [1, -1, 1, 1] }), /negative weight \(-1\) at row 1/);
  assert.deepEqual(model.getWeights().map((t) => Array.from(t.data)), before);
});

test('sparse categorical targets must be one class index per sample; one-hot targets are refused with a hint', async () => {
  setSeed(1);
  const model = new Sequential([new Dense(3, { inputDim: 2, activation: 'softmax' })]);
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
  const x = [[1, 2], [3, 4]];
  const before = model.getWeights().map((t) => Array.from(t.data));
  await assert.rejects(model.fit(x, [[0, 1, 0], [1, 0, 0]], { verbose: 0 }), /shape \[2, 3\] .*one integer class index per sample.*categorical_crossentropy/);
  await assert.rejects(model.evaluate(x, [[0, 0], [1, 1]], { verbose: 0 }), /one integer class index/);
  assert.deepEqual(model.getWeights().map((t) => Array.from(t.data)), before);
  // [n] and [n, 1] both work and agree.
  const a = (await model.evaluate(x, [2, 0], { verbose: 0 })) as number[];
  const b = (await model.evaluate(x, [[2], [0]], { verbose: 0 })) as number[];
  assert.deepEqual(a, b);
});

test('callbacks: onTrainEnd gets the last epoch logs; stopTraining mid-epoch still validates that epoch', async () => {
  const seen: [string, number, Logs | undefined][] = [];
  class Spy extends Callback {
    override onTrainBatchEnd(batch: number, logs?: Logs) {
      seen.push(['batch', batch, logs]);
      if (batch === 1) this.model!.stopTraining = true;
    }
    override onEpochEnd(epoch: number, logs?: Logs) {
      seen.push(['epoch', epoch, logs]);
    }
    override onTrainEnd(logs?: Logs) {
      seen.push(['end', -1, logs]);
    }
  }
  const x = Array.from({ length: 20 }, (_, i) => [i / 10 - 1]);
  const y = x.map((r) => (r[0] > 0 ? 1 : 0));
  const h = await frozen().fit(x, y, { epochs: 5, batchSize: 4, verbose: 0, validationSplit: 0.2, callbacks: [new Spy()] });
  assert.deepEqual(seen.map((s) => s.slice(0, 2)), [['batch', 0], ['batch', 1], ['epoch', 0], ['end', -1]]);
  assert.deepEqual(Object.keys(seen[1][2]!), ['loss', 'accuracy']);
  assert.deepEqual(seen[3][2], seen[2][2]);
  assert.deepEqual(Object.keys(seen[3][2]!), ['loss', 'accuracy', 'val_loss', 'val_accuracy']);
  assert.equal(h.history.loss.length, 1);
});

test('validationFreq validates every k-th epoch only; history keeps Keras keys', async () => {
  const x = Array.from({ length: 10 }, (_, i) => [i / 5 - 1]);
  const y = x.map((r) => (r[0] > 0 ? 1 : 0));
  const logs: string[][] = [];
  class Keys extends Callback {
    override onEpochEnd(_e: number, l?: Logs) {
      logs.push(Object.keys(l ?? {}));
    }
  }
  const h = await frozen().fit(x, y, { epochs: 4, verbose: 0, validationSplit: 0.2, validationFreq: 2, callbacks: [new Keys()] });
  assert.deepEqual(logs.map((k) => k.includes('val_loss')), [false, true, false, true]);
  assert.equal(h.history.val_loss.length, 2);
  assert.deepEqual(h.epoch, [0, 1, 2, 3]);
});

test('misspelt options are errors naming the option and listing valid ones (Keras raises for unknown arguments)', async () => {
  const model = frozen();
  const x = [[1], [2]];
  const y = [0, 1];
  await assert.rejects(model.fit(x, y, { epoch: 3 } as never), /fit: unknown option 'epoch'. Valid options: epochs, batchSize/);
  await assert.rejects(model.fit(x, y, { batch_size: 3 } as never), /unknown option 'batch_size'/);
  await assert.rejects(model.evaluate(x, y, { batch_size: 1 } as never), /evaluate: unknown option 'batch_size'/);
  assert.throws(() => model.predict(x, { batch_size: 1 } as never), /predict: unknown option 'batch_size'/);
  assert.throws(() => model.compile({ loss: 'mse', metric: ['mae'] } as never), /compile: unknown option 'metric'/);
  assert.throws(() => model.compile({ loss: 'mse', metrics: 'mae' } as never), /metrics must be an array/);
  // TF.js's yieldEvery is accepted (and ignored); Keras's verbose 'auto' means 1; other verbose values are errors.
  await model.fit(x, y, { epochs: 1, verbose: 0, yieldEvery: 'never' });
  await assert.rejects(model.fit(x, y, { verbose: 3 } as never), /verbose must be 0 \(silent\), 1 \(progress bar\) or 2/);
  const out: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
  try {
    await model.fit(x, y, { epochs: 1, verbose: 'auto' });
  } finally {
    process.stdout.write = write;
  }
  assert.match(out.join(''), /^Epoch 1\/1\n/);
});

test("summary prints tf.keras 2.x's table line for line", () => {
  const model = new Sequential({ name: 'pima' });
  model.add(new Dense(32, { inputDim: 8, activation: 'relu', name: 'hidden' }));
  model.add(new Dense(1, { activation: 'sigmoid', name: 'out' }));
  const lines: string[] = [];
  model.summary({ printFn: (line) => lines.push(line) }); // one call per line, as Keras's print_fn
  const blank = ' '.repeat(65);
  assert.deepEqual(lines, [
    'Model: "pima"',
    '_'.repeat(65),
    ' Layer (type)                Output Shape              Param #   ',
    '='.repeat(65),
    ' hidden (Dense)              (None, 32)                288       ',
    blank,
    ' out (Dense)                 (None, 1)                 33        ',
    blank,
    '='.repeat(65),
    'Total params: 321',
    'Trainable params: 321',
    'Non-trainable params: 0',
    '_'.repeat(65),
  ]);
});

test('classWeight weighs the training samples only: the validation split keeps plain (sample-weighted) losses', async () => {
  const x = [[2], [-2], [1], [-1], [3], [-3]];
  const y = [1, 1, 0, 0, 1, 0];
  const h = await frozen().fit(x, y, { epochs: 1, batchSize: 6, verbose: 0, validationSplit: 1 / 3, classWeight: { 0: 5 } });
  // Validation rows 4 and 5 (y = 1, 0): class 0's weight 5 must not apply to them.
  const val = (bce(1, sig(3)) + bce(0, sig(-3))) / 2;
  assert.ok(Math.abs(h.history.val_loss[0] - val) < 1e-5, `${h.history.val_loss[0]} vs ${val}`);
  const train = (bce(1, sig(2)) + bce(1, sig(-2)) + 5 * bce(0, sig(1)) + 5 * bce(0, sig(-1))) / 4;
  assert.ok(Math.abs(h.history.loss[0] - train) < 1e-5, `${h.history.loss[0]} vs ${train}`);
});

test('evaluate and validation build no autograd graph (predictions reach the loss without gradient tracking)', async () => {
  const seen: boolean[] = [];
  const loss = (yTrue: Tensor, yPred: Tensor) => {
    seen.push(yPred.requiresGrad);
    return ops.mean(ops.square(ops.sub(yPred, yTrue)), -1);
  };
  const model = new Sequential([new Dense(1, { inputDim: 1, kernelRegularizer: 'l2' })]);
  model.compile({ loss, optimizer: new SGD() });
  await model.fit([[1], [2]], [[1], [2]], { epochs: 1, batchSize: 2, verbose: 0, validationData: [[[3]], [[3]]] });
  assert.deepEqual(seen, [true, false]);
  // A captured step runs the loss function once per input signature (as tf.function traces), and never with gradients.
  await model.evaluate([[1], [4]], [[1], [4]], { verbose: 0 });
  assert.deepEqual(seen, [true, false, false]);
});

test('model.history is the History of the latest fit, as Keras', async () => {
  const model = frozen();
  assert.equal(model.history, null);
  const h = await model.fit([[1], [2]], [0, 1], { epochs: 2, verbose: 0 });
  const latest = model.history as unknown as typeof h;
  assert.equal(latest, h);
  assert.deepEqual(latest.epoch, [0, 1]);
  assert.deepEqual(h.params?.epochs, 2);
});

test('stepsPerEpoch with arrays caps the batches of each epoch; the data carries over epochs (Keras 3)', async () => {
  const batches: number[] = [];
  class Count extends Callback {
    override onTrainBatchEnd(b: number) {
      batches.push(b);
    }
  }
  const x = Array.from({ length: 20 }, (_, i) => [i / 10 - 1]);
  const h = await frozen().fit(x, x.map((r) => (r[0] > 0 ? 1 : 0)), { epochs: 2, batchSize: 4, stepsPerEpoch: 3, verbose: 0, callbacks: [new Count()] });
  // 5 batches of data: epoch 1 takes batches 0-2, epoch 2 the remaining two (the data ran out), as Keras 3.
  assert.deepEqual(batches, [0, 1, 2, 0, 1]);
  assert.equal(h.params?.steps, 3);
  await assert.rejects(frozen().fit(x, x.map(() => 0), { stepsPerEpoch: 0, verbose: 0 }), /stepsPerEpoch must be an integer >= 1/);
});

test("callbacks as TF.js writes them: a plain object of hook functions (or a list mixing them with Callbacks)", async () => {
  const epochs: number[] = [];
  const ends: string[] = [];
  const x = [[1], [2]];
  await frozen().fit(x, [0, 1], { epochs: 2, verbose: 0, callbacks: { onEpochEnd: async (e, logs) => void epochs.push(e, logs!.loss > 0 ? 1 : 0) } });
  assert.deepEqual(epochs, [0, 1, 1, 1]);
  class End extends Callback {
    override onTrainEnd() {
      ends.push('class');
    }
  }
  await frozen().fit(x, [0, 1], { epochs: 1, verbose: 0, callbacks: [new End(), { onTrainEnd: () => void ends.push('object') }] });
  assert.deepEqual(ends, ['class', 'object']);
  await assert.rejects(frozen().fit(x, [0, 1], { verbose: 0, callbacks: { onEpochEnded: () => {} } as never }), /unknown hook 'onEpochEnded'/);
  await assert.rejects(frozen().fit(x, [0, 1], { verbose: 0, callbacks: [42] as never }), /callbacks\[0\] must be a Callback/);
});

test("a custom loss function may take class indices; 'accuracy' then resolves to sparse accuracy from the shapes (Keras 3)", async () => {
  setSeed(2);
  const sparseCe = getLoss('sparse_categorical_crossentropy');
  const myLoss = (yTrue: Tensor, yPred: Tensor) => sparseCe.perSampleLoss(yTrue, yPred);
  const model = new Sequential([new Dense(3, { inputDim: 2, activation: 'softmax', kernelInitializer: 'zeros' })]);
  model.compile({ loss: myLoss, optimizer: new SGD({ learningRate: 0 }), metrics: ['accuracy'] });
  model.layers[0].setWeights([[[1, 0, 0], [0, 1, 0]], [0, 0, 0]]);
  // Predicted classes: row 0 → 0, row 1 → 1, row 2 → 2 (bias-free argmax of [x0, x1, 0]).
  const x = [[1, 0], [0, 1], [-1, -1]];
  const [loss, acc] = (await model.evaluate(x, [0, 1, 0], { verbose: 0 })) as number[];
  assert.ok(Math.abs(acc - 2 / 3) < 1e-7, `accuracy ${acc}`);
  const [loss2] = (await model.evaluate(x, [[0], [1], [0]], { verbose: 0 })) as number[];
  assert.ok(Math.abs(loss - loss2) < 1e-7);
});
