// The error catalogue: each bad input raises a descriptive error before any weight changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, Dense, SGD } from '../../src/index.js';

function model(): Sequential {
  const m = new Sequential([new Dense(4, { inputDim: 3, activation: 'relu', name: 'hidden' }), new Dense(1, { activation: 'sigmoid', name: 'out' })]);
  m.compile({ loss: 'binary_crossentropy', optimizer: new SGD({ learningRate: 0.1 }), metrics: ['accuracy'] });
  return m;
}
const x = [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]];
const y = [0, 1, 0, 1];

async function rejectsUnchanged(m: Sequential, run: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  const before = m.getWeights().map((w) => Array.from(w.data));
  await assert.rejects(run, pattern);
  assert.deepEqual(m.getWeights().map((w) => Array.from(w.data)), before, 'weights changed by a rejected call');
}

test('shape mismatch between data and model names both shapes', async () => {
  const m = model();
  await rejectsUnchanged(m, () => m.fit([[1, 2], [3, 4]], [0, 1], { verbose: 0 }), /x has shape \[2, 2\] but model '.*' expects inputs of shape \[\*, 3\]/);
  assert.throws(() => m.predict([[1, 2, 3, 4]]), /shape \[1, 4\].*\[\*, 3\]/);
  await rejectsUnchanged(m, () => m.fit(x, [[0, 1], [1, 0], [0, 1], [1, 0]], { verbose: 0 }), /y has shape \[4, 2\] but the model outputs \[-1, 1\]/);
});

test('x and y of different lengths', async () => {
  const m = model();
  await rejectsUnchanged(m, () => m.fit(x, [0, 1, 0], { verbose: 0 }), /x and y have different numbers of samples: x has 4 .*y has 3/);
});

test('NaN or Infinity in inputs names the row', async () => {
  const m = model();
  await rejectsUnchanged(m, () => m.fit([[0, 1, 2], [1, NaN, 3]], [0, 1], { verbose: 0 }), /x contains NaN at row 1, column 1/);
  await rejectsUnchanged(m, () => m.fit(x, [0, 1, Infinity, 1], { verbose: 0 }), /y contains Infinity at row 2/);
  assert.throws(() => m.predict([[0, 0, -Infinity]]), /x contains -Infinity at row 0, column 2/);
});

test('empty data', async () => {
  const m = model();
  await rejectsUnchanged(m, () => m.fit([], [], { verbose: 0 }), /x is empty/);
});

test('fit before compile', async () => {
  const m = new Sequential([new Dense(1, { inputDim: 3 })]);
  await assert.rejects(() => m.fit(x, y, { verbose: 0 }), /must be compiled before fit: call model.compile/);
  await assert.rejects(() => m.evaluate(x, y, { verbose: 0 }), /must be compiled before evaluate/);
});

test('validationSplit outside [0, 1) and splits that leave nothing', async () => {
  const m = model();
  await rejectsUnchanged(m, () => m.fit(x, y, { validationSplit: 1.5, verbose: 0 }), /validationSplit must be in \[0, 1\), got 1.5/);
  await rejectsUnchanged(m, () => m.fit(x, y, { validationSplit: -0.1, verbose: 0 }), /validationSplit must be in \[0, 1\)/);
  await rejectsUnchanged(m, () => m.fit(x, y, { validationSplit: 0.8, verbose: 0 }), /validationSplit 0.8 of 4 samples leaves no training samples/);
});

test('labels outside [0, 1] for binary cross-entropy; out of range for sparse labels', async () => {
  const m = model();
  await rejectsUnchanged(m, () => m.fit(x, [0, 1, 2, 1], { verbose: 0 }), /binary_crossentropy: label 2 in row 2 is outside \[0, 1\]/);
  const s = new Sequential([new Dense(3, { inputDim: 3, activation: 'softmax' })]);
  s.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd' });
  await rejectsUnchanged(s, () => s.fit(x, [0, 1, 3, 2], { verbose: 0 }), /label 3 in row 2 is outside the integers 0..2/);
  await rejectsUnchanged(s, () => s.fit(x, [0, 1, -1, 2], { verbose: 0 }), /label -1 in row 2/);
  const c = new Sequential([new Dense(3, { inputDim: 3, activation: 'softmax' })]);
  c.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd' });
  await rejectsUnchanged(c, () => c.fit(x, [0, 1, 2, 1], { verbose: 0 }), /expects one-hot targets with 3 columns.*sparse_categorical_crossentropy/);
});

test('unknown names in compile list the valid names; bad options are rejected', async () => {
  const m = new Sequential([new Dense(1, { inputDim: 3 })]);
  assert.throws(() => m.compile({ loss: 'binary_crossentropyy', optimizer: 'adam' }), /Unknown loss 'binary_crossentropyy'. Valid names:.*binary_crossentropy/);
  assert.throws(() => m.compile({ loss: 'mse', optimizer: 'adamm' }), /adamm.*adam/i);
  assert.throws(() => m.compile({ loss: 'mse', optimizer: 'adam', metrics: ['acuracy'] }), /Unknown metric 'acuracy'. Valid names: accuracy/);
  assert.throws(() => new Dense(0), /units must be a positive integer, got 0/);
  assert.throws(() => new Dense(3, { activation: 'rleu' }), /Unknown activation 'rleu'/);
  const c = model();
  await rejectsUnchanged(c, () => c.fit(x, y, { batchSize: 0, verbose: 0 }), /batchSize must be an integer >= 1, got 0/);
  await rejectsUnchanged(c, () => c.fit(x, y, { epochs: 1.5, verbose: 0 }), /epochs must be an integer/);
});

test('duplicate layer names are rejected', () => {
  const m = new Sequential([new Dense(2, { inputDim: 2, name: 'a' })]);
  assert.throws(() => m.add(new Dense(2, { name: 'a' })), /Layer name 'a' is already used/);
});
