// trainTestSplit: sizes as scikit-learn (n_test = ceil(testSize * n)), disjoint and complete, seeded,
// stratified class counts worked out by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainTestSplit } from '../../src/data/split.js';
import { tensor } from '../../src/tensor/tensor.js';

// Row i of x is [i, 10 i] so every row can be traced back to its index.
const n = 23;
const x = tensor(Array.from({ length: n }, (_, i) => [i, 10 * i]));
const y = tensor(Array.from({ length: n }, (_, i) => i % 3));

function ids(t: { data: Float32Array }): number[] {
  const out: number[] = [];
  for (let i = 0; i < t.data.length; i += 2) out.push(t.data[i]);
  return out;
}

test('sizes, disjointness, rows stay paired with their labels', () => {
  const [xTrain, xTest, yTrain, yTest] = trainTestSplit(x, y, { testSize: 0.3, seed: 1 });
  assert.equal(xTest.shape[0], Math.ceil(0.3 * n)); // 7
  assert.equal(xTrain.shape[0], n - 7);
  const all = [...ids(xTrain), ...ids(xTest)].sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: n }, (_, i) => i));
  ids(xTrain).forEach((id, k) => assert.equal(yTrain.data[k], id % 3));
  ids(xTest).forEach((id, k) => assert.equal(yTest.data[k], id % 3));
  for (let i = 0; i < xTrain.data.length; i += 2) assert.equal(xTrain.data[i + 1], 10 * xTrain.data[i]);
});

test('seeded: same seed same split, different seed different split; shuffle false takes the last rows', () => {
  const a = trainTestSplit(x, y, { seed: 5 });
  const b = trainTestSplit(x, y, { seed: 5 });
  const c = trainTestSplit(x, y, { seed: 6 });
  assert.deepEqual(ids(a.xTest), ids(b.xTest));
  assert.notDeepEqual(ids(a.xTest), ids(c.xTest));
  const d = trainTestSplit(x, y, { testSize: 5, shuffle: false });
  assert.deepEqual(ids(d.xTest), [18, 19, 20, 21, 22]);
  assert.deepEqual(ids(d.xTrain), Array.from({ length: 18 }, (_, i) => i));
});

test('stratified: class proportions kept (largest remainders)', () => {
  // 12 of class 0, 6 of class 1, 2 of class 2; n = 20, n_test = ceil(0.25 * 20) = 5.
  // exact shares 3, 1.5, 0.5 -> floors 3, 1, 0, one row left goes to class 1 (remainder 0.5 ties with class 2; lower class first).
  const labels = [...Array(12).fill(0), ...Array(6).fill(1), ...Array(2).fill(2)];
  const xs = tensor(labels.map((_, i) => [i, 0]));
  for (const seed of [1, 2, 3]) {
    const s = trainTestSplit(xs, tensor(labels), { stratify: true, seed });
    const count = (t: { data: Float32Array }, c: number) => Array.from(t.data).filter((v) => v === c).length;
    assert.deepEqual([0, 1, 2].map((c) => count(s.yTest, c)), [3, 2, 0]);
    assert.deepEqual([0, 1, 2].map((c) => count(s.yTrain, c)), [9, 4, 2]);
  }
  // One-hot labels stratify by argmax.
  const oneHot = tensor(labels.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0))));
  const s = trainTestSplit(xs, oneHot, { stratify: true, seed: 4 });
  assert.equal(s.yTest.shape[0], 5);
  assert.deepEqual(s.yTest.shape, [5, 3]);
  let class0 = 0;
  for (let i = 0; i < 5; i++) class0 += s.yTest.data[i * 3];
  assert.equal(class0, 3);
});

test('bad input', () => {
  assert.throws(() => trainTestSplit(x, tensor([1, 2, 3]), {}), /x has 23 rows .* y has 3/);
  assert.throws(() => trainTestSplit(x, y, { testSize: 1.5 }), /testSize must be/);
  assert.throws(() => trainTestSplit(x, y, { testSize: 23 }), /no training rows/);
  assert.throws(() => trainTestSplit(x, y, { stratify: true, shuffle: false }), /requires shuffle/);
  assert.throws(() => trainTestSplit(tensor([[1], [2], [3], [4]]), tensor([0, 0, 0, 1]), { stratify: true, testSize: 2 }), /class 1 has only 1 row/);
});
