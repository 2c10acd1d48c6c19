// Every backend's GEMM (js, wasm, each native variant) against a float64 reference and the TS reference kernel:
// every transpose form, odd sizes, every size 1..70 (sampled), accumulate, guard zones around the output, the
// thread split, and bad shapes. Then the wasm kernel's and the native addon's strided forms.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createWasmBackend, type WasmBackend } from '../../src/backend/wasm-backend.js';
import { matmulReference } from '../../src/backend/js-backend.js';
import type { Backend } from '../../src/backend/backend.js';
import { kernelBackends, closeBackends, native } from './backends.js';

// Small seeded generator so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}
const rand = rng(12345);
const randArray = (n: number): Float32Array => Float32Array.from({ length: n }, rand);

/** float64 op(A)·op(B) and Σ|a||b| per entry (the scale of the rounding error). */
function reference64(a: Float32Array, b: Float32Array, m: number, k: number, n: number, tA: boolean, tB: boolean): { c: Float64Array; scale: Float64Array } {
  const c = new Float64Array(m * n), scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0, s1 = 0;
      for (let p = 0; p < k; p++) {
        const x = (tA ? a[p * m + i] : a[i * k + p]) * (tB ? b[j * k + p] : b[p * n + j]);
        s += x;
        s1 += Math.abs(x);
      }
      c[i * n + j] = s;
      scale[i * n + j] = s1;
    }
  }
  return { c, scale };
}

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, scale: ArrayLike<number>, what: string, rel = 1e-5): void {
  for (let i = 0; i < want.length; i++) {
    const tol = rel * (scale[i] + Math.abs(want[i])) + 1e-30;
    if (!(Math.abs(got[i] - want[i]) <= tol)) assert.fail(`${what}: entry ${i} is ${got[i]}, expected ${want[i]} (tolerance ${tol.toExponential(2)})`);
  }
}

const wasm: WasmBackend = createWasmBackend({ threads: 2 });
const backends = kernelBackends();
after(() => {
  wasm.terminate();
  closeBackends();
});

const forms: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

function checkProduct(m: number, k: number, n: number, tA: boolean, tB: boolean, accumulate: boolean, be: Backend = wasm, label = 'wasm'): void {
  const a = randArray(m * k), b = randArray(k * n);
  const init = randArray(m * n);
  const { c, scale } = reference64(a, b, m, k, n, tA, tB);
  const want = accumulate ? c.map((v, i) => v + init[i]) : c;
  const guard = 7;
  // Output with guard values after the m×n block: the kernel must not touch them.
  const out = new Float32Array(m * n + guard).fill(-12345);
  if (accumulate) out.set(init);
  be.matmul(a, b, out, m, k, n, tA, tB, accumulate);
  const what = `${label} ${m}x${k}x${n} transA=${tA} transB=${tB} accumulate=${accumulate}`;
  assertClose(out.subarray(0, m * n), want, scale, what);
  for (let g = m * n; g < out.length; g++) assert.equal(out[g], -12345, `${what}: wrote past the output at ${g}`);
  const js = new Float32Array(m * n);
  if (accumulate) js.set(init);
  matmulReference(a, b, js, m, k, n, tA, tB, accumulate);
  assertClose(out.subarray(0, m * n), js, Float64Array.from(scale, (s) => 2 * s), `${what} vs js reference`);
}

for (const { label, backend, setup } of backends) {
test(`${label}: odd shapes (1, 3, 17, 255, 1025) in all four transpose forms agree with float64 to 1e-5 relative`, () => {
  setup();
  const shapes: [number, number, number][] = [
    [1, 1, 1], [3, 17, 1], [1, 1025, 3], [17, 255, 3], [255, 17, 1025], [1025, 3, 17], [3, 1025, 255], [255, 255, 255], [1025, 1, 1],
  ];
  for (const [m, k, n] of shapes) for (const [tA, tB] of forms) checkProduct(m, k, n, tA, tB, false, backend, label);
});

test(`${label}: every size 1..70 (sampled m, k, n) with guards, both with and without accumulate`, () => {
  setup();
  const pick = rng(99);
  const sizes = (): number => 1 + Math.floor((pick() + 0.5) * 70);
  // Each size 1..70 appears in every position at least once, plus random combinations.
  const triples: [number, number, number][] = [];
  for (let s = 1; s <= 70; s++) triples.push([s, sizes(), sizes()], [sizes(), s, sizes()], [sizes(), sizes(), s]);
  triples.forEach(([m, k, n], i) => {
    const [tA, tB] = forms[i % 4];
    checkProduct(m, k, n, tA, tB, i % 3 === 0, backend, label);
  });
});

test(`${label}: MLP shapes and products large enough to split across threads`, () => {
  setup();
  for (const [m, k, n, tA, tB] of [[128, 784, 256, false, false], [784, 128, 256, true, false], [128, 256, 784, false, true], [67, 301, 517, true, true]] as const) {
    checkProduct(m, k, n, tA, tB, false, backend, label);
    checkProduct(m, k, n, tA, tB, true, backend, label);
  }
});

test(`${label}: zero-size dimensions: k = 0 gives zeros (or leaves C when accumulating); m or n = 0 writes nothing`, () => {
  setup();
  const out = new Float32Array(6).fill(5);
  backend.matmul(new Float32Array(0), new Float32Array(0), out, 2, 0, 3, false, false, true);
  assert.deepEqual([...out], [5, 5, 5, 5, 5, 5]);
  backend.matmul(new Float32Array(0), new Float32Array(0), out, 2, 0, 3, false, false);
  assert.deepEqual([...out], [0, 0, 0, 0, 0, 0]);
  const guard = new Float32Array(2).fill(9);
  backend.matmul(new Float32Array(0), new Float32Array(12), guard, 0, 4, 3, false, false);
  assert.deepEqual([...guard], [9, 9]);
});

test(`${label}: shape errors name the operand and are raised before anything is written`, () => {
  setup();
  const out = new Float32Array(4).fill(3);
  if (label === 'js') return; // the reference kernel trusts its callers (the ops check shapes)
  assert.throws(() => backend.matmul(new Float32Array(5), new Float32Array(6), out, 2, 3, 2, false, false), /A has 5 values, needs 2×3 = 6/);
  assert.throws(() => backend.matmul(new Float32Array(6), new Float32Array(5), out, 2, 3, 2, false, false), /B has 5 values, needs 3×2 = 6/);
  assert.throws(() => backend.matmul(new Float32Array(6), new Float32Array(6), new Float32Array(3), 2, 3, 2, false, false), /output has 3 values, needs 2×2 = 4/);
  assert.throws(() => backend.matmul(new Float32Array(6), new Float32Array(6), out, 2.5, 3, 2, false, false), /dimension m must be a non-negative integer/);
  assert.deepEqual([...out], [3, 3, 3, 3]);
});
}

test('the gemm kernel writes only the m×n block of a strided C inside wasm memory', () => {
  // Drive the raw kernel: C is a sub-block of a wider matrix (ldc > n) surrounded by NaN sentinels.
  const { memory, exports, scratch, operandBase } = wasm.raw();
  for (const [m, k, n] of [[1, 1, 1], [5, 9, 13], [33, 70, 67], [70, 3, 70]] as const) {
    for (const [tA, tB] of forms) {
      const a = randArray(m * k), b = randArray(k * n);
      const ldc = n + 5, rowsTotal = m + 2;
      const heap = new Float32Array(memory.buffer);
      const aP = operandBase, bP = aP + 4 * a.length + 64, cBase = bP + 4 * b.length + 64;
      heap.set(a, aP / 4);
      heap.set(b, bP / 4);
      heap.fill(NaN, cBase / 4, cBase / 4 + ldc * rowsTotal);
      const cP = cBase + 4 * (ldc + 2); // start at row 1, column 2
      exports.gemm(aP, bP, cP, m, k, n, tA ? m : k, tB ? k : n, ldc, +tA, +tB, 0, scratch);
      const { c, scale } = reference64(a, b, m, k, n, tA, tB);
      for (let r = 0; r < rowsTotal; r++) {
        for (let col = 0; col < ldc; col++) {
          const v = heap[cBase / 4 + r * ldc + col];
          const i = r - 1, j = col - 2;
          const inside = i >= 0 && i < m && j >= 0 && j < n;
          if (!inside) assert.ok(Number.isNaN(v), `${m}x${k}x${n} tA=${tA} tB=${tB}: wrote outside C at row ${r}, column ${col}`);
          else assert.ok(Math.abs(v - c[i * n + j]) <= 1e-5 * scale[i * n + j] + 1e-30, `${m}x${k}x${n}: C[${i},${j}] = ${v}, expected ${c[i * n + j]}`);
        }
      }
    }
  }
});

test('large products split across the worker thread give the same numbers', async () => {
  wasm.matmul(randArray(300 * 300), randArray(300 * 300), new Float32Array(300 * 300), 300, 300, 300, false, false);
  for (let t = 0; t < 100 && wasm.readyWorkers() === 0; t++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(wasm.readyWorkers(), 1, 'the worker thread should have started');
  // MLP shapes: forward, dW = Xᵀ·G, dX = G·Wᵀ, and a product split by columns.
  for (const [m, k, n, tA, tB] of [[128, 784, 256, false, false], [784, 128, 256, true, false], [128, 256, 784, false, true], [67, 301, 517, true, true]] as const) {
    checkProduct(m, k, n, tA, tB, false);
    checkProduct(m, k, n, tA, tB, true);
  }
});

test('results are bit-identical with one thread and with two (each element is summed in the same order)', () => {
  const single = createWasmBackend({ threads: 1 });
  for (const [m, k, n, tA, tB] of [[300, 513, 260, false, false], [260, 300, 517, true, true], [128, 784, 256, false, true]] as const) {
    const a = randArray(m * k), b = randArray(k * n);
    const one = new Float32Array(m * n), two = new Float32Array(m * n);
    single.matmul(a, b, one, m, k, n, tA, tB);
    wasm.matmul(a, b, two, m, k, n, tA, tB);
    assert.deepEqual(two, one, `${m}x${k}x${n} transA=${tA} transB=${tB}`);
  }
});

if (native) {
  const nb = native;
  const variants = backends.filter((v) => v.label.startsWith('native-'));

  test('native strided gemm: offsets and leading dimensions read and write only their blocks, every variant', () => {
    for (const { label, setup } of variants) {
      setup();
      for (const [m, k, n] of [[1, 1, 1], [5, 9, 13], [33, 70, 67], [70, 3, 70], [130, 300, 150]] as const) {
        for (const [tA, tB] of forms) {
          // Each operand sits inside a wider matrix (two extra columns), after an offset of 3 values.
          const aRows = tA ? k : m, aCols = tA ? m : k, bRows = tB ? n : k, bCols = tB ? k : n;
          const lda = aCols + 2, ldb = bCols + 2, ldc = n + 5, off = 3;
          const A = randArray(off + aRows * lda), B = randArray(off + bRows * ldb);
          const a = new Float32Array(aRows * aCols), b = new Float32Array(bRows * bCols);
          for (let r = 0; r < aRows; r++) for (let c = 0; c < aCols; c++) a[r * aCols + c] = A[off + r * lda + c];
          for (let r = 0; r < bRows; r++) for (let c = 0; c < bCols; c++) b[r * bCols + c] = B[off + r * ldb + c];
          const C = new Float32Array(off + (m + 1) * ldc).fill(NaN);
          nb.gemm(A, off, lda, B, off, ldb, C, off + ldc + 2, ldc, m, k, n, tA, tB);
          const { c, scale } = reference64(a, b, m, k, n, tA, tB);
          for (let idx = 0; idx < C.length; idx++) {
            const r = Math.floor((idx - off) / ldc) - 1, col = ((idx - off) % ldc) - 2;
            const inside = idx >= off && r >= 0 && r < m && col >= 0 && col < n;
            if (!inside) assert.ok(Number.isNaN(C[idx]), `${label} ${m}x${k}x${n} tA=${tA} tB=${tB}: wrote outside C at ${idx}`);
            else if (!(Math.abs(C[idx] - c[r * n + col]) <= 1e-5 * scale[r * n + col] + 1e-30)) assert.fail(`${label} ${m}x${k}x${n}: C[${r},${col}] = ${C[idx]}, expected ${c[r * n + col]}`);
          }
        }
      }
    }
  });

  test('native strided gemm rejects offsets and strides that reach outside an array, before writing', () => {
    const c = new Float32Array(4).fill(7);
    assert.throws(() => nb.gemm(new Float32Array(6), 1, 3, new Float32Array(6), 0, 2, c, 0, 2, 2, 3, 2, false, false), /out of bounds/);
    assert.throws(() => nb.gemm(new Float32Array(6), 0, 2, new Float32Array(6), 0, 2, c, 0, 2, 2, 3, 2, false, false), /out of bounds/);
    assert.throws(() => nb.gemm(new Float32Array(6), 0, 3, new Float32Array(6), 0, 2, c, 1, 2, 2, 3, 2, false, false), /out of bounds/);
    assert.throws(() => nb.gemm(new Float64Array(6) as unknown as Float32Array, 0, 3, new Float32Array(6), 0, 2, c, 0, 2, 2, 3, 2, false, false), /A must be a Float32Array/);
    assert.deepEqual([...c], [7, 7, 7, 7]);
  });

  test('native own kernels give bit-identical results on one thread and on two', () => {
    for (const { label, setup } of variants.filter((v) => !/BLAS|BLIS/.test(v.label))) {
      setup();
      for (const [m, k, n, tA, tB] of [[300, 513, 260, false, false], [260, 300, 517, true, true], [128, 784, 256, false, true]] as const) {
        const a = randArray(m * k), b = randArray(k * n);
        const one = new Float32Array(m * n), two = new Float32Array(m * n);
        nb.configure({ threads: 1 });
        nb.matmul(a, b, one, m, k, n, tA, tB);
        nb.configure({ threads: 2 });
        nb.matmul(a, b, two, m, k, n, tA, tB);
        assert.deepEqual(two, one, `${label} ${m}x${k}x${n} transA=${tA} transB=${tB}`);
      }
    }
  });
}
