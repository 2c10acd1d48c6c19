// Every backend's fused Adam kernel against Adam's rule computed in float64 by hand, over several steps and odd
// lengths (the native addon once per instruction set).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { kernelBackends, closeBackends } from './backends.js';

const backends = kernelBackends().filter((b) => b.backend.adam && !/BLAS|BLIS/.test(b.label));
after(closeBackends);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) - 0.5;
}

for (const { label, backend, setup } of backends) {
test(`${label}: adam kernel follows m += (g−m)(1−β₁), v += (g²−v)(1−β₂), w −= α·m/(√v+ε) to 1e-5 relative`, () => {
  setup();
  const rand = rng(7);
  const lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7;
  for (const n of [1, 3, 4, 5, 17, 1025, 70001]) {
    const w = Float32Array.from({ length: n }, rand), m = new Float32Array(n), v = new Float32Array(n);
    const w64 = Float64Array.from(w), m64 = new Float64Array(n), v64 = new Float64Array(n);
    for (let t = 1; t <= 5; t++) {
      const g = Float32Array.from({ length: n }, rand);
      const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
      backend.adam!(w, g, m, v, 1 - b1, 1 - b2, alpha, eps);
      for (let i = 0; i < n; i++) {
        m64[i] += (g[i] - m64[i]) * (1 - b1);
        v64[i] += (g[i] * g[i] - v64[i]) * (1 - b2);
        w64[i] -= (alpha * m64[i]) / (Math.sqrt(v64[i]) + eps);
      }
    }
    for (let i = 0; i < n; i++) {
      for (const [got, want, what] of [[w[i], w64[i], 'w'], [m[i], m64[i], 'm'], [v[i], v64[i], 'v']] as const) {
        if (!(Math.abs(got - want) <= 1e-5 * Math.abs(want) + 1e-7)) assert.fail(`${label} n=${n}: ${what}[${i}] = ${got}, expected ${want}`);
      }
    }
  }
});

test(`${label}: adam kernel rejects arrays of different lengths before changing anything`, () => {
  setup();
  const w = new Float32Array([1, 2, 3]);
  assert.throws(() => backend.adam!(w, new Float32Array(2), new Float32Array(3), new Float32Array(3), 0.1, 0.001, 0.01, 1e-7), /same length; got 3, 2, 3, 3/);
  assert.deepEqual([...w], [1, 2, 3]);
});
}
