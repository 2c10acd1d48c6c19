// N-D ops against hand-computed values (NumPy semantics).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, ones, ops, Rng } from '../../src/index.js';

const arange = (n: number, shape: number[]) => tensor(Float32Array.from({ length: n }, (_, i) => i), shape);

test('batched matmul broadcasts batch dimensions', () => {
  const a = arange(8, [2, 1, 2, 2]); // two batches of 2x2
  const b = tensor([[[1, 0], [0, 1]], [[0, 1], [1, 0]], [[2, 0], [0, 2]]]); // three 2x2
  const c = ops.matmul(a, b);
  assert.deepEqual(c.shape, [2, 3, 2, 2]);
  assert.deepEqual(c.toArray(), [
    [[[0, 1], [2, 3]], [[1, 0], [3, 2]], [[0, 2], [4, 6]]],
    [[[4, 5], [6, 7]], [[5, 4], [7, 6]], [[8, 10], [12, 14]]],
  ]);
  assert.deepEqual(ops.matmul(arange(6, [3, 2]), arange(6, [3, 2]), true).toArray(), [[20, 26], [26, 35]]);
});

test('broadcasting at rank 4 and reductions over several axes with keepDims', () => {
  const x = arange(24, [2, 3, 4]);
  const y = ops.add(ops.reshape(x, [2, 1, 3, 4]), tensor([[[[100]], [[200]]]])); // [1, 2, 1, 1]
  assert.deepEqual(y.shape, [2, 2, 3, 4]);
  assert.equal(y.toArray() instanceof Array && (y.toArray() as number[][][][])[1][1][2][3], 223);
  assert.deepEqual(ops.sum(x, [0, 2], true).toArray(), [[[60], [92], [124]]]);
  assert.deepEqual(ops.max(x, [1, 2]).toArray(), [11, 23]);
});

test('transpose, strided slice, pad, broadcastTo', () => {
  const x = arange(24, [2, 3, 4]);
  assert.deepEqual(ops.transpose(x, [2, 0, 1]).shape, [4, 2, 3]);
  assert.equal((ops.transpose(x, [2, 0, 1]).toArray() as number[][][])[3][1][2], 23);
  assert.deepEqual(ops.stridedSlice(arange(10, [10]), [1], [9], [3]).toArray(), [1, 4, 7]);
  assert.deepEqual(ops.stridedSlice(x, [0, 0, -1], [2, 3, 4], [1, 2, 1]).toArray(), [[[3], [11]], [[15], [23]]]);
  assert.deepEqual(ops.pad(tensor([[1, 2]]), [[1, 0], [0, 1]], 9).toArray(), [[9, 9, 9], [1, 2, 9]]);
  assert.deepEqual(ops.broadcastTo(tensor([[1], [2]]), [2, 3]).toArray(), [[1, 1, 1], [2, 2, 2]]);
});

test('gather (with batchDims), scatterAdd, concat/split/stack/unstack on any axis', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(ops.gather(x, tensor([[2], [0]]), 1, 1).toArray(), [[3], [4]]);
  assert.deepEqual(ops.gather(x, tensor([2, 2, 0]), 1).toArray(), [[3, 3, 1], [6, 6, 4]]);
  assert.deepEqual(ops.scatterAdd(tensor([[1, 1], [2, 2], [3, 3]]), tensor([1, 1, 0]), [2, 2]).toArray(), [[3, 3], [3, 3]]);
  const parts = ops.split(arange(12, [2, 6]), [1, -1, 2], 1);
  assert.deepEqual(parts.map((p) => p.shape), [[2, 1], [2, 3], [2, 2]]);
  assert.deepEqual(ops.concat(parts, -1).toArray(), arange(12, [2, 6]).toArray());
  const s = ops.stack([x, x], 2);
  assert.deepEqual(s.shape, [2, 3, 2]);
  assert.deepEqual(ops.unstack(s, 2)[1].toArray(), x.toArray());
  assert.throws(() => ops.gather(x, tensor([3]), 1), /index 3 at position 0 is out of range \[0, 3\)/);
});

test('random ops draw from the generator they are given', () => {
  const a = ops.randomNormal([4], 0, 1, () => new Rng(1)), b = ops.randomNormal([4], 0, 1, () => new Rng(1));
  assert.deepEqual(a.toArray(), b.toArray());
  const d = ops.dropout(ones([1000]), 0.25, () => new Rng(2));
  const kept = Array.from(d.data).filter((v) => v > 0);
  assert.ok(Math.abs(kept.length / 1000 - 0.75) < 0.05);
  assert.ok(kept.every((v) => Math.abs(v - 4 / 3) < 1e-6));
});
