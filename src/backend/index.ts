// Backend selection at import: the wasm kernels when the module instantiates, else the TS reference with a
// one-line warning. Environment: DESCENT_BACKEND=js|wasm forces a choice, DESCENT_WASM_PATH points at another
// build of the module, DESCENT_THREADS caps the threads used by large matmuls (1 = main thread only).

import { registerBackend, setBackend } from './backend.js';
import { jsBackend } from './js-backend.js';
import { createWasmBackend, type WasmBackend } from './wasm-backend.js';
import { platform } from '../platform/node.js';

export { setBackend, getBackend, listBackends, registerBackend, type Backend } from './backend.js';
export { jsBackend, matmulReference } from './js-backend.js';
export { createWasmBackend, type WasmBackend, type WasmBackendOptions } from './wasm-backend.js';

registerBackend(jsBackend);

/** The registered wasm backend, or null when WebAssembly could not be instantiated (then wasmError says why). */
export let wasmBackend: WasmBackend | null = null;
export let wasmError: string | null = null;

const env = { DESCENT_BACKEND: platform.env('DESCENT_BACKEND'), DESCENT_THREADS: platform.env('DESCENT_THREADS'), DESCENT_WASM_PATH: platform.env('DESCENT_WASM_PATH') };
// In the browser the module compiles asynchronously: the browser entry's ready() registers it.
if (env.DESCENT_BACKEND !== 'js' && platform.name === 'node') {
  try {
    let threads = env.DESCENT_THREADS ? Number(env.DESCENT_THREADS) : undefined;
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
      platform.stderr(`descent: ignoring DESCENT_THREADS=${env.DESCENT_THREADS} (expected a positive integer).`);
      threads = undefined;
    }
    wasmBackend = createWasmBackend({ wasmPath: env.DESCENT_WASM_PATH || undefined, threads });
    registerBackend(wasmBackend);
  } catch (e) {
    wasmError = (e as Error).message.split('\n')[0];
    platform.stderr(`descent: WebAssembly kernels unavailable (${wasmError}); using the TypeScript backend.`);
  }
}
setBackend(wasmBackend ? 'wasm' : 'js');
