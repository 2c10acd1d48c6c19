import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCategorical } from '../../src/data/categorical.js';

test('toCategorical: one-hot rows, trailing 1 dropped, numClasses inferred or given', () => {
  const a = toCategorical([2, 0, 1]);
  assert.deepEqual(a.shape, [3, 3]);
  assert.deepEqual(a.toArray(), [[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
  const b = toCategorical([[1], [0]], 4);
  assert.deepEqual(b.toArray(), [[0, 1, 0, 0], [1, 0, 0, 0]]);
});

test('toCategorical errors name the label and index', () => {
  assert.throws(() => toCategorical([0, 1.5]), /index 1 is 1.5/);
  assert.throws(() => toCategorical([0, -1]), /index 1 is -1/);
  assert.throws(() => toCategorical([0, 3], 3), /label 3 at index 1 is out of range for 3 classes/);
});
