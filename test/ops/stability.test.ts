// Numerical stability at extreme inputs, compared with closed forms computed in float64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ops, tensor, grad } from '../../src/index.js';

test('logSoftmax and logSumExp keep the log of the row size when every logit is huge', () => {
  // For equal logits, logSoftmax = −log K exactly, whatever the common value (TF.js gives −1.0986 for K = 3).
  const rows = [[-1e30, -1e30, -1e30], [1e30, 1e30, 1e30], [3e38, 3e38, 3e38]];
  const ls = ops.logSoftmax(rows).toArray() as number[][];
  for (const r of ls) for (const v of r) assert.ok(Math.abs(v + Math.log(3)) < 1e-6, `logSoftmax ${v}`);
  // Gradient of Σ logSumExp(x) is softmax(x) = 1/3 per entry.
  const g = grad((x) => ops.sum(ops.logSumExp(x, -1)))(tensor(rows));
  for (const v of g.data) assert.ok(Math.abs(v - 1 / 3) < 1e-6, `logSumExp gradient ${v}`);
  // Large spread: softmax saturates to one-hot, logSoftmax stays exact.
  const spread = ops.logSoftmax([[1000, 0, -1000]]).data;
  assert.deepEqual(Array.from(spread), [0, -1000, -2000]);
});
