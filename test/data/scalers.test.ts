// Scalers against float64 statistics computed here, round trips, JSON, and errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StandardScaler, MinMaxScaler, scalerFromJSON } from '../../src/data/scalers.js';
import { tensor } from '../../src/tensor/tensor.js';

const X = [
  [1, 200, 5],
  [2, 180, 5],
  [4, 260, 5],
  [9, 210, 5],
];
const col = (j: number) => X.map((r) => r[j]);
const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

test('StandardScaler: (x - mean) / population std; constant column gets std 1', () => {
  const s = new StandardScaler();
  const z = s.fitTransform(X).toArray() as number[][];
  for (let j = 0; j < 3; j++) {
    const c = col(j);
    const mean = c.reduce((a, b) => a + b, 0) / c.length;
    const std = Math.sqrt(c.reduce((a, b) => a + (b - mean) ** 2, 0) / c.length);
    for (let i = 0; i < 4; i++) close(z[i][j], (X[i][j] - mean) / (std || 1));
  }
  close(s.mean![1], 212.5);
  assert.equal(s.std![2], 1);
  // Applied to new data with the training statistics.
  const t = s.transform([[3, 212.5, 7]]).toArray() as number[][];
  close(t[0][1], 0);
  close(t[0][2], 2);
});

test('MinMaxScaler: (x - min) / (max - min) * (hi - lo) + lo', () => {
  const s = new MinMaxScaler({ featureRange: [-1, 1] });
  const z = s.fitTransform(X).toArray() as number[][];
  for (let j = 0; j < 2; j++) {
    const c = col(j);
    const min = Math.min(...c);
    const max = Math.max(...c);
    for (let i = 0; i < 4; i++) close(z[i][j], ((X[i][j] - min) / (max - min)) * 2 - 1);
  }
  for (let i = 0; i < 4; i++) close(z[i][2], -1); // constant column: range treated as 1, as scikit-learn
});

test('inverseTransform undoes transform; toJSON/fromJSON restores the same transform', () => {
  for (const s of [new StandardScaler(), new MinMaxScaler({ featureRange: [2, 5] }), new StandardScaler({ withMean: false })]) {
    s.fit(X);
    const back = s.inverseTransform(s.transform(X)).toArray() as number[][];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) close(back[i][j], X[i][j]);
    const json = JSON.parse(JSON.stringify(s.toJSON()));
    const r = scalerFromJSON(json);
    assert.equal(r.className, s.className);
    assert.deepEqual(r.transform(X).data, s.transform(X).data);
  }
});

test('errors: before fit, wrong width, non-finite, bad JSON', () => {
  assert.throws(() => new StandardScaler().transform(X), /called before fit/);
  const s = new StandardScaler().fit(X);
  assert.throws(() => s.transform([[1, 2]]), /2 features .* fitted on 3/);
  assert.throws(() => new MinMaxScaler().fit([[1, NaN]]), /non-finite value NaN at row 0, column 1/);
  assert.throws(() => s.transform(tensor([1, 2, 3])), /expects rows \[n, features\]/);
  assert.throws(() => scalerFromJSON({ className: 'Robust', config: {}, state: null }), /Unknown scaler class 'Robust'/);
  assert.throws(() => new MinMaxScaler({ featureRange: [1, 0] }), /lo < hi/);
});
