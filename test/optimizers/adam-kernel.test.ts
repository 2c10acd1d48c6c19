// Adam on large weights uses the backend's fused kernel; it must follow the same rule as the TypeScript loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Adam, Variable, Rng, setBackend, getBackend, listBackends } from '../../src/index.js';

test('Adam with the wasm kernel (n ≥ 4096) matches the TypeScript loop over 20 steps', { skip: !listBackends().includes('wasm') && 'wasm backend unavailable' }, () => {
  const n = 6000;
  const rng = new Rng(3);
  const w0 = Float32Array.from({ length: n }, () => rng.normal());
  const grads = Array.from({ length: 20 }, () => Float32Array.from({ length: n }, () => rng.normal(0, 0.1)));
  const run = (backend: string) => {
    const previous = getBackend().name;
    setBackend(backend);
    try {
      const v = new Variable(w0);
      const opt = new Adam({ learningRate: 0.01 });
      for (const g of grads) opt.applyGradients([[g, v]]);
      return v.data.slice();
    } finally {
      setBackend(previous);
    }
  };
  const viaWasm = run('wasm');
  const viaJs = run('js');
  let worst = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(viaWasm[i] - viaJs[i]) / Math.max(1, Math.abs(viaJs[i])));
  assert.ok(worst < 1e-5, `max relative difference ${worst}`);
  assert.ok(viaWasm.some((v, i) => v !== w0[i]), 'weights moved');
});
