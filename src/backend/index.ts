// Backend selection at import: the native addon when it was built at install (native/install.mjs), else the wasm
// kernels when the module instantiates, else the TS reference with a one-line warning. An addon that was never
// built is not an error (npm may skip a dependency's install script): `descent info` shows which backend runs
// and why. Environment: DESCENT_BACKEND=js|wasm|native forces a choice, DESCENT_WASM_PATH and
// DESCENT_NATIVE_PATH point at other builds, DESCENT_THREADS caps the threads used by large matmuls
// (1 = calling thread only), DESCENT_BLAS=none (read by the addon) uses descent's own GEMM instead of a system BLAS.

import { registerBackend, setBackend } from './backend.js';
import { jsBackend } from './js-backend.js';
import { createWasmBackend, type WasmBackend } from './wasm-backend.js';
import { createNativeBackend, nativeBuilt, defaultNativePath, type NativeBackend } from './native-backend.js';

export { setBackend, getBackend, listBackends, registerBackend, type Backend } from './backend.js';
export { jsBackend, matmulReference } from './js-backend.js';
export { createWasmBackend, type WasmBackend, type WasmBackendOptions } from './wasm-backend.js';
export { createNativeBackend, type NativeBackend, type NativeInfo, type NativeConfig } from './native-backend.js';

registerBackend(jsBackend);

/** The registered wasm backend, or null when WebAssembly could not be instantiated (then wasmError says why). */
export let wasmBackend: WasmBackend | null = null;
export let wasmError: string | null = null;
/** The registered native backend, or null when the addon is not built or did not load (then nativeError says why). */
export let nativeBackend: NativeBackend | null = null;
export let nativeError: string | null = null;

const env = process.env;
let threads = env.DESCENT_THREADS ? Number(env.DESCENT_THREADS) : undefined;
if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
  process.stderr.write(`descent: ignoring DESCENT_THREADS=${env.DESCENT_THREADS} (expected a positive integer).\n`);
  threads = undefined;
}
const choice = env.DESCENT_BACKEND;
if (choice !== 'js' && choice !== 'wasm') {
  const path = env.DESCENT_NATIVE_PATH || defaultNativePath;
  if (!nativeBuilt(path)) nativeError = `the addon was not built at install (${path} is missing)`;
  else {
    try {
      nativeBackend = createNativeBackend({ addonPath: path, threads });
      registerBackend(nativeBackend);
    } catch (e) {
      nativeError = (e as Error).message.split('\n')[0];
      process.stderr.write(`descent: native kernels unavailable (${nativeError}); using WebAssembly.\n`);
    }
  }
  if (choice === 'native' && !nativeBackend) process.stderr.write(`descent: DESCENT_BACKEND=native but ${nativeError}.\n`);
}
if (choice !== 'js') {
  try {
    wasmBackend = createWasmBackend({ wasmPath: env.DESCENT_WASM_PATH || undefined, threads });
    registerBackend(wasmBackend);
  } catch (e) {
    wasmError = (e as Error).message.split('\n')[0];
    if (!nativeBackend) process.stderr.write(`descent: WebAssembly kernels unavailable (${wasmError}); using the TypeScript backend.\n`);
  }
}
setBackend(nativeBackend && choice !== 'wasm' ? 'native' : wasmBackend ? 'wasm' : 'js');
