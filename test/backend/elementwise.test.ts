// Every backend's elementwise kernels (relu, its gradient, bias add and its adjoint, the finiteness scan) against
// their definitions written out here, bit for bit: special values (NaN, ±Infinity, ±0, subnormals), odd lengths, in-place calls, and
// arrays large enough to be split across threads (the native addon once per instruction set).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { kernelBackends, closeBackends } from './backends.js';

const backends = kernelBackends().filter((b) => b.backend.relu && !/BLAS|BLIS/.test(b.label));
after(closeBackends);

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 3.5, -2.25, 1e30, -1e30];
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = i % 7 === 3 ? SPECIAL[(s >>> 8) % SPECIAL.length] : (s / 2 ** 32 - 0.5) * 8;
  }
  return out;
}
function same(label: string, got: Float32Array, want: Float32Array): void {
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) assert.fail(`${label}: element ${i} is ${got[i]}, expected ${want[i]}`);
  }
}
// Lengths around vector widths, a chunk of the wasm streaming (16384) and the native threading threshold (2^20).
const LENGTHS = [1, 3, 4, 5, 15, 16, 17, 33, 70, 16385, (1 << 20) + 5];

for (const { label, backend, setup } of backends) {
  test(`${label}: relu(x) = x > 0 ? x : 0, reluGrad = x > 0 ? g : g·0, bit for bit`, () => {
    setup();
    for (const n of LENGTHS) {
      const x = values(n, n), g = values(n, n + 1);
      const y = new Float32Array(n), gx = new Float32Array(n);
      backend.relu!(x, y);
      same(`${label} relu n=${n}`, y, x.map((v) => (v > 0 ? v : 0)));
      backend.reluGrad!(x, g, gx);
      same(`${label} reluGrad n=${n}`, gx, g.map((gv, i) => (x[i] > 0 ? gv : gv * 0)));
      const inPlace = x.slice();
      backend.relu!(inPlace, inPlace);
      same(`${label} relu in place n=${n}`, inPlace, y);
    }
  });

  test(`${label}: biasAdd(x, b) adds b to every row of x`, () => {
    setup();
    for (const [rows, m] of [[1, 1], [5, 1], [3, 3], [7, 10], [1000, 256], [2, 17], [5000, 250]]) {
      const x = values(rows * m, m), b = values(m, rows), y = new Float32Array(rows * m);
      backend.biasAdd!(x, b, y);
      same(`${label} biasAdd ${rows}x${m}`, y, x.map((v, i) => v + b[i % m]));
    }
  });

  test(`${label}: sumRows(g) sums the rows of g in row order in float32 (biasAdd's adjoint)`, () => {
    setup();
    for (const [rows, m] of [[1, 1], [5, 1], [3, 3], [7, 10], [128, 256], [2, 17], [5000, 250], [40, 16385]]) {
      const g = values(rows * m, m + 3).map((v) => (Number.isFinite(v) ? v : 0.5)), out = new Float32Array(m).fill(9);
      backend.sumRows!(g, out);
      const want = new Float32Array(m);
      for (let j = 0; j < m; j++) {
        let s = g[j];
        for (let r = 1; r < rows; r++) s = Math.fround(s + g[r * m + j]);
        want[j] = s;
      }
      same(`${label} sumRows ${rows}x${m}`, out, want);
    }
    assert.throws(() => backend.sumRows!(new Float32Array(5), new Float32Array(2)), /sumRows: g's length must be a multiple of out's; got 5 and 2/);
  });

  test(`${label}: firstNonFinite finds the first NaN or ±Infinity, or gives −1`, () => {
    setup();
    for (const n of LENGTHS) {
      const x = values(n, 9).map((v) => (Number.isFinite(v) ? v : 1));
      assert.equal(backend.firstNonFinite!(x), -1, `${label} n=${n} clean`);
      for (const at of new Set([0, n >> 1, n - 1, Math.max(0, n - 17)])) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const z = x.slice();
          z[at] = bad;
          if (at + 3 < n) z[at + 3] = NaN; // a later one must not win
          assert.equal(backend.firstNonFinite!(z), at, `${label} n=${n}: ${bad} at ${at}`);
        }
      }
    }
  });

  test(`${label}: elementwise kernels refuse mismatched lengths before writing`, () => {
    setup();
    const y = new Float32Array([7, 7, 7]);
    assert.throws(() => backend.relu!(new Float32Array(4), y), /relu: arrays must have the same length; got 4, 3/);
    assert.throws(() => backend.reluGrad!(new Float32Array(3), new Float32Array(2), y), /reluGrad: arrays must have the same length; got 3, 2, 3/);
    assert.throws(() => backend.biasAdd!(new Float32Array(3), new Float32Array(2), y), /biasAdd: .*got 3, 2, 3/);
    assert.throws(() => backend.biasAdd!(new Float32Array(3), new Float32Array(0), y), /biasAdd/);
    assert.deepEqual([...y], [7, 7, 7]);
  });
}

test('ops.relu, its gradient and a bias add give the same bits on every registered backend above ELEMENTWISE_MIN', async () => {
  const { ops, tensor, grad, setBackend, getBackend, listBackends } = await import('../../src/index.js');
  const { ELEMENTWISE_MIN } = await import('../../src/backend/backend.js');
  const rows = Math.ceil((2 * ELEMENTWISE_MIN) / 37);
  const x = tensor(values(rows * 37, 5), [rows, 37]), b = tensor(values(37, 6), [37]);
  const before = getBackend().name;
  const results: Record<string, Float32Array[]> = {};
  try {
    for (const name of listBackends()) {
      setBackend(name);
      const y = ops.relu(ops.add(x, b));
      const g = grad((t) => ops.sum(ops.mul(ops.relu(t), x)))(x);
      results[name] = [y.data, g.data];
    }
  } finally {
    setBackend(before);
  }
  const want = x.data.map((v, i) => v + b.data[i % 37]).map((v) => (v > 0 ? v : 0));
  for (const [name, [y, g]] of Object.entries(results)) {
    same(`${name} relu(x + b)`, y, want);
    same(`${name} relu gradient`, g, x.data.map((v) => (v > 0 ? v : v * 0)));
  }
});
