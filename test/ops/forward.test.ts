// Forward values of ops and activations against float64 formulas written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, ops, activations, Tensor, grad, grads } from '../../src/index.js';

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5, what = ''): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const ok = Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i]));
    assert.ok(ok, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

const xs = [-5, -2.5, -1, -0.3, 0, 0.4, 1, 2.2, 6];
const sig = (v: number) => 1 / (1 + Math.exp(-v));
// erf from its Taylor series (exact enough for |x| ≤ 6/√2 in float64).
function erf(x: number): number {
  let sum = 0, term = x, n = 0;
  while (Math.abs(term) > 1e-17 * Math.abs(sum) || n < 5) {
    sum += term / (2 * n + 1);
    n++;
    term *= (-x * x) / n;
    if (n > 200) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
const reference: Record<string, (v: number) => number> = {
  linear: (v) => v,
  relu: (v) => Math.max(0, v),
  sigmoid: sig,
  tanh: Math.tanh,
  softplus: (v) => Math.log(1 + Math.exp(v)),
  softsign: (v) => v / (1 + Math.abs(v)),
  elu: (v) => (v > 0 ? v : Math.exp(v) - 1),
  selu: (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1)),
  leaky_relu: (v) => (v > 0 ? v : 0.2 * v),
  gelu: (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
  swish: (v) => v * sig(v),
  silu: (v) => v * sig(v),
  hard_sigmoid: (v) => Math.min(1, Math.max(0, v / 6 + 0.5)),
  exponential: Math.exp,
  relu6: (v) => Math.min(6, Math.max(0, v)),
  mish: (v) => v * Math.tanh(Math.log(1 + Math.exp(v))),
};

test('every activation matches its float64 formula', () => {
  for (const [name, f] of Object.entries(reference)) {
    const y = activations.get(name)(tensor(xs));
    close(y.data, xs.map(f), 2e-6, name);
  }
  // softmax rows sum to one and match exp/Σexp.
  const s = activations.get('softmax')(tensor([[1, 2, 3], [-1000, 0, 1000]]));
  const e = [1, 2, 3].map(Math.exp);
  close(s.data.slice(0, 3), e.map((v) => v / (e[0] + e[1] + e[2])), 1e-6, 'softmax');
  close(s.data.slice(3), [0, 0, 1], 1e-6, 'softmax with huge logits stays finite');
});

test('activation names resolve in snake and camel case; unknown lists valid names', () => {
  assert.equal(activations.get('leakyRelu'), activations.get('leaky_relu'));
  assert.equal(activations.get('hardSigmoid'), activations.get('hard_sigmoid'));
  assert.throws(() => activations.get('relux'), /Unknown activation 'relux'.*relu.*sigmoid/);
});

test('logSoftmax is stable and equals log(softmax)', () => {
  const x = tensor([[1000, 1001, 999], [0.1, 0.2, 0.3]]);
  const ls = ops.logSoftmax(x);
  for (let r = 0; r < 2; r++) {
    const row = Array.from(x.data.slice(r * 3, r * 3 + 3));
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    close(ls.data.slice(r * 3, r * 3 + 3), row.map((v) => v - lse), 1e-5, 'logSoftmax');
  }
});

test('reductions, argMax and shape ops give the expected values', () => {
  const x = tensor([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]); // [2,3,2]
  assert.deepEqual(ops.sum(x, 1).toArray(), [[9, 12], [27, 30]]);
  assert.deepEqual(ops.mean(x, [0, 2]).toArray(), [4.5, 6.5, 8.5]);
  assert.deepEqual(ops.max(x, -1, true).shape, [2, 3, 1]);
  assert.deepEqual(ops.min(x).toArray(), 1);
  assert.deepEqual(ops.argMax(tensor([[1, 5, 2], [7, 0, 7]])).toArray(), [1, 0]);
  assert.deepEqual(ops.transpose(x, [2, 0, 1]).toArray(), [[[1, 3, 5], [7, 9, 11]], [[2, 4, 6], [8, 10, 12]]]);
  assert.deepEqual(ops.slice(x, [1, 1, 0], [1, 2, 1]).toArray(), [[[9], [11]]]);
  assert.deepEqual(ops.concat([tensor([[1], [2]]), tensor([[3, 4], [5, 6]])], 1).toArray(), [[1, 3, 4], [2, 5, 6]]);
  assert.deepEqual(ops.gather(tensor([[1, 2], [3, 4], [5, 6]]), [2, 0]).toArray(), [[5, 6], [1, 2]]);
  assert.deepEqual(ops.oneHot([0, 2], 3).toArray(), [[1, 0, 0], [0, 0, 1]]);
  assert.deepEqual(ops.add(tensor([[1], [2]]), tensor([10, 20, 30])).toArray(), [[11, 21, 31], [12, 22, 32]]);
});

test('matmul matches a float64 triple loop in every transpose form', () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]); // 2x3
  const b = tensor([[7, 8], [9, 10], [11, 12]]); // 3x2
  assert.deepEqual(ops.matmul(a, b).toArray(), [[58, 64], [139, 154]]);
  assert.deepEqual(ops.matmul(ops.transpose(a), ops.transpose(b), true, true).toArray(), [[58, 64], [139, 154]]);
  assert.deepEqual(ops.matmul(a, ops.transpose(b), false, true).toArray(), [[58, 64], [139, 154]]);
  assert.deepEqual(ops.matmul(ops.transpose(a), b, true).toArray(), [[58, 64], [139, 154]]);
  assert.throws(() => ops.matmul(a, a), /inner dimensions differ.*\[2, 3\].*\[2, 3\]/);
});

test('tensor creation: nested arrays, typed arrays with shape, scalars; ragged arrays are rejected', () => {
  const t = tensor([[1, 2], [3, 4]]);
  assert.deepEqual(t.shape, [2, 2]);
  assert.ok(t.data instanceof Float32Array);
  assert.deepEqual(tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]).toArray(), [[1, 2, 3], [4, 5, 6]]);
  assert.equal(tensor(3).toArray(), 3);
  assert.throws(() => tensor([[1, 2], [3]]), /Ragged array: index \[1\] has 1 entries, expected 2/);
  assert.throws(() => new Tensor(new Float32Array(3), [2, 2]), /3 values but shape \[2, 2\] needs 4/);
});

test('grad of a user function: d/dx Σ x³ = 3x²', () => {
  const g = grad((x) => ops.sum(ops.pow(x, 3)))(tensor([1, -2, 0.5]));
  close(g.data, [3, 12, 0.75], 1e-5, 'grad');
});

test('relu on float32 bits: special values, subnormals and the gradient (g·1 or g·0)', () => {
  const x = tensor([NaN, -NaN, -0, 0, -1e-42, 1e-42, -3, 3, Infinity, -Infinity, 3.4e38, -3.4e38]);
  const y = ops.relu(x).data;
  const want = [0, 0, 0, 0, 0, 1e-42, 0, 3, Infinity, 0, 3.4e38, 0];
  want.forEach((v, i) => assert.ok(Object.is(y[i], Math.fround(v)), `relu(${x.data[i]}) = ${y[i]}, expected ${v}`));
  const g = grad((t: Tensor) => ops.sum(ops.mul(ops.relu(t), tensor([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]))))(x).data;
  assert.deepEqual(Array.from(g), [0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0]);
});

test('binary ops broadcast one value per row (x / sum(x, -1, keepDims)) or a scalar first (1 − p), and sum it back: values and gradients by hand', () => {
  // a: [2, 2, 3] over b: [2, 2, 1] (and b of rank 2, [2, 1], under a: [1, 2, 3]); every op against index arithmetic.
  const a = tensor([[[1, 2, 3], [4, 5, 6]], [[-1, 0.5, 2], [3, -2, 1]]]);
  const b = tensor([[[2], [-4]], [[0.5], [8]]]);
  const f: Record<string, (p: number, q: number) => number> = { add: (p, q) => p + q, sub: (p, q) => p - q, mul: (p, q) => p * q, div: (p, q) => p / q };
  for (const op of ['add', 'sub', 'mul', 'div'] as const) {
    const y = ops[op](a, b);
    assert.deepEqual(y.shape, [2, 2, 3]);
    close(y.data, Array.from(a.data, (v, i) => f[op](v, b.data[Math.floor(i / 3)])), 1e-6, op);
  }
  for (const op of ['add', 'sub', 'mul', 'div'] as const) close(ops[op](3, a).data, Array.from(a.data, (v) => f[op](3, v)), 1e-6, `3 ${op} a`);
  const low = ops.div(tensor([[[1, 2, 3], [4, 5, 6]]]), tensor([[2], [4]]));
  close(low.data, [0.5, 1, 1.5, 1, 1.25, 1.5], 1e-7, 'rank-2 divisor under rank 3');
  // d/db of Σ w·(a / b) per row: −Σ_row w·a / b²; d/da: w / b.
  const w = Array.from({ length: 12 }, (_, i) => 0.1 * (i + 1));
  const [ga, gb] = grads((p: Tensor, q: Tensor) => ops.sum(ops.mul(ops.div(p, q), tensor(w, [2, 2, 3]))))([a, b]);
  close(ga.data, w.map((wi, i) => wi / b.data[Math.floor(i / 3)]), 1e-6, 'd/da');
  close(gb.data, [0, 1, 2, 3].map((j) => -[0, 1, 2].reduce((s, k) => s + w[3 * j + k] * a.data[3 * j + k], 0) / b.data[j] ** 2), 1e-6, 'd/db');
});
