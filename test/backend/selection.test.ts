// Backend selection: native when the addon was built, else wasm when the module instantiates, setBackend
// overrides, an addon that was never built falls back silently, and a missing or broken module falls back with
// exactly one warning line, never a crash.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getBackend, setBackend, listBackends, ops, tensor } from '../../src/index.js';
import { nativeBuilt } from '../../src/backend/native-backend.js';

const hasNative = nativeBuilt() && process.env.DESCENT_BACKEND === undefined;
const noNative = { DESCENT_NATIVE_PATH: '/nonexistent/descent.node' };

const entry = fileURLToPath(new URL('../../src/index.js', import.meta.url));
const script = `
const d = await import(${JSON.stringify(entry)});
const c = d.ops.matmul(d.tensor([[1, 2], [3, 4]]), d.tensor([[5, 6], [7, 8]]));
console.log(JSON.stringify({ backend: d.getBackend().name, list: d.listBackends(), c: Array.from(c.data) }));`;

function runWith(env: Record<string, string>): { out: { backend: string; list: string[]; c: number[] }; stderr: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
  assert.equal(r.status, 0, `child failed: ${r.stderr}`);
  return { out: JSON.parse(r.stdout.trim().split('\n').pop()!), stderr: r.stderr };
}

test('native (when built) or wasm is selected at import and setBackend switches between them and js', () => {
  assert.deepEqual(listBackends().sort(), hasNative ? ['js', 'native', 'wasm'] : ['js', 'wasm']);
  const initial = getBackend().name;
  assert.equal(initial, hasNative ? 'native' : 'wasm');
  setBackend('js');
  assert.equal(getBackend().name, 'js');
  const viaJs = Array.from(ops.matmul(tensor([[1, 2, 3]]), tensor([[1], [0], [2]])).data);
  setBackend('wasm');
  assert.equal(getBackend().name, 'wasm');
  assert.deepEqual(viaJs, [7]);
  assert.throws(() => setBackend('gpu'), /Unknown backend 'gpu'. Available: js, /);
  setBackend(initial);
});

test('a missing wasm file falls back to js with one warning line, and matmul still works', () => {
  const { out, stderr } = runWith({ ...noNative, DESCENT_WASM_PATH: '/nonexistent/descent.wasm' });
  assert.equal(out.backend, 'js');
  assert.deepEqual(out.list, ['js']);
  assert.deepEqual(out.c, [19, 22, 43, 50]);
  const lines = stderr.split('\n').filter((l) => l.includes('descent:'));
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0], /WebAssembly kernels unavailable .*using the TypeScript backend/);
});

test('a corrupt wasm file also falls back instead of crashing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-wasm-'));
  const bad = join(dir, 'bad.wasm');
  writeFileSync(bad, Buffer.from([0, 97, 115, 109, 1, 0, 0, 0, 255, 255]));
  const { out, stderr } = runWith({ ...noNative, DESCENT_WASM_PATH: bad });
  assert.equal(out.backend, 'js');
  assert.deepEqual(out.c, [19, 22, 43, 50]);
  assert.match(stderr, /WebAssembly kernels unavailable/);
});

test('DESCENT_BACKEND=js skips wasm silently', () => {
  const { out, stderr } = runWith({ DESCENT_BACKEND: 'js' });
  assert.equal(out.backend, 'js');
  assert.equal(stderr.includes('descent:'), false);
});

test('an addon that was never built means wasm, silently; DESCENT_BACKEND=wasm skips the addon', () => {
  for (const env of [noNative, { DESCENT_BACKEND: 'wasm' }]) {
    const { out, stderr } = runWith(env);
    assert.equal(out.backend, 'wasm');
    assert.equal(out.list.includes('native'), false);
    assert.deepEqual(out.c, [19, 22, 43, 50]);
    assert.equal(stderr.includes('descent:'), false, stderr);
  }
});

test('a broken addon file falls back to wasm with one warning line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-native-'));
  const bad = join(dir, 'bad.node');
  writeFileSync(bad, 'not a shared library');
  const { out, stderr } = runWith({ DESCENT_NATIVE_PATH: bad });
  assert.equal(out.backend, 'wasm');
  assert.deepEqual(out.c, [19, 22, 43, 50]);
  const lines = stderr.split('\n').filter((l) => l.includes('descent:'));
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0], /native kernels unavailable .*using WebAssembly/);
});

test('an out-of-date addon (an older build missing a function) falls back to wasm, naming the fix', () => {
  // A module standing in for an addon built from an older native/descent.c: every function but firstNonFinite.
  const dir = mkdtempSync(join(tmpdir(), 'descent-native-'));
  const old = join(dir, 'old.cjs');
  const fns = ['gemm', 'adam', 'relu', 'reluGrad', 'biasAdd', 'sumRows', 'im2col', 'col2im', 'maxPool', 'info', 'configure'];
  writeFileSync(old, `module.exports = { ${fns.map((f) => `${f}() {}`).join(', ')} };`);
  const { out, stderr } = runWith({ DESCENT_NATIVE_PATH: old });
  assert.equal(out.backend, 'wasm');
  assert.deepEqual(out.c, [19, 22, 43, 50]);
  const lines = stderr.split('\n').filter((l) => l.includes('descent:'));
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0], /native kernels unavailable \(the native addon is out of date: it lacks firstNonFinite; rebuild it with `node native\/install.mjs` or reinstall the package\); using WebAssembly/);
});

test('the native addon is selected by default when built, and DESCENT_BACKEND=native asks for it', { skip: !nativeBuilt() && 'the addon is not built (needs a C compiler at npm install)' }, () => {
  for (const env of [{}, { DESCENT_BACKEND: 'native' }] as Record<string, string>[]) {
    const { out, stderr } = runWith(env);
    assert.equal(out.backend, 'native');
    assert.deepEqual(out.c, [19, 22, 43, 50]);
    assert.equal(stderr.includes('descent:'), false, stderr);
  }
});
