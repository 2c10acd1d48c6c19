// `descent info` as users run it: it names the backend that actually runs (checked against the library's own
// choice under each DESCENT_BACKEND) and says why the native kernels are not in use when they are not.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nativeBuilt } from '../../src/backend/native-backend.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function info(env: Record<string, string>, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, 'info', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('info --json reports the backend chosen for each DESCENT_BACKEND', () => {
  for (const [choice, want] of [['js', 'js'], ['wasm', 'wasm'], ['native', nativeBuilt() ? 'native' : 'wasm']] as const) {
    const r = info({ DESCENT_BACKEND: choice }, '--json');
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.backend, want, `DESCENT_BACKEND=${choice}`);
    assert.ok(report.cores >= 1);
  }
});

test('without the addon, info says the native kernels are not in use and why', () => {
  const r = info({ DESCENT_NATIVE_PATH: '/nonexistent/descent.node' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^backend: +wasm/m);
  assert.match(r.stdout, /native: +not in use: the addon was not built at install/);
});

test('with the addon, info names the GEMM path, the instruction sets and the threads', { skip: !nativeBuilt() && 'the addon is not built' }, () => {
  const r = info({ DESCENT_THREADS: '2' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^backend: +native/m);
  assert.match(r.stdout, /GEMM via (OpenBLAS|BLIS|descent's own (avx512|avx2|baseline) kernels)/);
  assert.match(r.stdout, /2 threads/);
  assert.match(info({ DESCENT_BLAS: 'none' }).stdout, /GEMM via descent's own/);
});

test('info rejects arguments', () => {
  const r = info({}, 'extra');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unexpected argument 'extra'/);
});
