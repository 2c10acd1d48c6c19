// The relaxed-SIMD wasm module (fused multiply-add in the GEMM micro-kernel): Node 20 runs it only with
// --experimental-wasm-relaxed-simd, so the kernel tests run again in a child with that flag, where backends.ts
// adds the 'wasm-relaxed' variant. Without the flag (or on an engine without relaxed SIMD) descent.wasm is used.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createWasmBackend } from '../../src/backend/wasm-backend.js';
import { relaxedSimd } from './backends.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const flagKnown = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', '0']).status === 0;

test('the default wasm module is the relaxed build exactly when the engine validates relaxed SIMD', () => {
  const backend = createWasmBackend({ threads: 1 });
  try {
    assert.equal(backend.fma, relaxedSimd());
  } finally {
    backend.terminate();
  }
});

test('every GEMM and elementwise kernel test passes on the relaxed-SIMD module', { skip: !flagKnown && 'this Node has no --experimental-wasm-relaxed-simd flag' }, () => {
  const files = ['matmul.test.js', 'elementwise.test.js', 'adam.test.js'].map((f) => here + f);
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT; // else the child reports to this runner instead of printing
  const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--test', '--test-reporter=tap', ...files], { encoding: 'utf8', env, timeout: 240_000 });
  assert.equal(r.status, 0, r.stdout.split('\n').filter((l) => /not ok|fail/.test(l)).join('\n') + r.stderr);
  assert.match(r.stdout, /ok \d+ - wasm-relaxed: /, 'the child ran the wasm-relaxed variant');
  assert.doesNotMatch(r.stdout, /^not ok/m);
});
