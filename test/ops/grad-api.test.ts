// The user-facing differentiation API, with TensorFlow.js's calling conventions (tf.grad, tf.grads, tf.valueAndGrads).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { grad, grads, valueAndGrad, valueAndGrads, ops, tensor } from '../../src/index.js';

before(async () => {
  await tf.setBackend('cpu');
});

test('grad, grads and valueAndGrads accept TF.js forms: non-scalar outputs (dy = ones), explicit dy, argument arrays', () => {
  const x = [0.5, -1, 2];
  // f(x) = x² · sin x, not scalar.
  const ours = grad((t) => ops.mul(ops.square(t), ops.sin(t)))(tensor(x));
  const ref = tf.grad((t) => tf.mul(tf.square(t), tf.sin(t)))(tf.tensor(x));
  Array.from(ref.dataSync()).forEach((v, i) => assert.ok(Math.abs(ours.data[i] - v) < 1e-6, `grad ${i}`));
  const dy = [1, 2, -3];
  const oursDy = grad((t) => ops.square(t))(tensor(x), tensor(dy));
  assert.deepEqual(Array.from(oursDy.data), x.map((v, i) => 2 * v * dy[i]));
  // grads(f)([a, b]) as tf.grads, and grads(f)(a, b).
  const f = (a: ReturnType<typeof tensor>, b: ReturnType<typeof tensor>) => ops.sum(ops.mul(a, b));
  const [da, db] = grads(f)([tensor([1, 2]), tensor([3, 4])]);
  assert.deepEqual([Array.from(da.data), Array.from(db.data)], [[3, 4], [1, 2]]);
  const [da2] = grads(f)(tensor([1, 2]), tensor([3, 4]));
  assert.deepEqual(Array.from(da2.data), [3, 4]);
  const { value, grads: g } = valueAndGrads(f)([tensor([1, 2]), tensor([3, 4])]);
  assert.equal(value.item(), 11);
  assert.deepEqual(Array.from(g[1].data), [1, 2]);
  const vg = valueAndGrad((t) => ops.sum(ops.exp(t)))(tensor([0, 1]));
  assert.deepEqual(Array.from(vg.grad.data), Array.from(vg.grads[0].data));
  assert.ok(Math.abs(vg.value.item() - (1 + Math.E)) < 1e-6);
  assert.throws(() => grad((t) => ops.square(t))(tensor([1, 2]), tensor([1])), /dy has shape \[1\] but f returns shape \[2\]/);
  assert.throws(() => grad((t) => ops.square(t))([1, 2] as never), /argument 0 is an array \(wrap it with tensor\(\)\)/);
});

test("TensorFlow.js's accessors work on descent tensors (dataSync, arraySync, array, dispose)", async () => {
  const t = tensor([[1, 2], [3, 4]]);
  assert.equal(t.dataSync(), t.data);
  assert.deepEqual(t.arraySync(), [[1, 2], [3, 4]]);
  assert.deepEqual(await t.array(), [[1, 2], [3, 4]]);
  t.dispose();
  assert.deepEqual(t.toArray(), [[1, 2], [3, 4]]);
});

test('tensors from rows given as typed arrays (as TF.js accepts); ragged or non-numeric rows are refused', () => {
  const t = tensor([new Float32Array([1, 2]), new Float32Array([3, 4])]);
  assert.deepEqual(t.shape, [2, 2]);
  assert.deepEqual(t.toArray(), [[1, 2], [3, 4]]);
  assert.deepEqual(tensor([[new Float64Array([1, 2])], [new Float64Array([3, 4])]] as never).shape, [2, 1, 2]);
  assert.throws(() => tensor([new Float32Array([1, 2]), new Float32Array([3])]), /Ragged array: index \[1\] has 1 entries, expected 2/);
  assert.throws(() => tensor([[1, null]] as never), /expected a number at index \[0\]\[1\], found null/);
});
