// Every kernel backend this machine can run, for tests that iterate them: the TS reference, wasm (and its
// relaxed-SIMD build when the engine runs it), and the native addon (when built) once per instruction set of its
// own GEMM and once through the system BLAS when one is found.
// setup() selects the variant (the addon's settings are per process); threads: 2 so products split.

import { readFileSync } from 'node:fs';
import { createWasmBackend, defaultWasmPath, relaxedWasmPath } from '../../src/backend/wasm-backend.js';
import { jsBackend } from '../../src/backend/js-backend.js';
import { createNativeBackend, nativeBuilt, type NativeBackend } from '../../src/backend/native-backend.js';
import type { Backend } from '../../src/backend/backend.js';

export interface KernelBackend { label: string; backend: Backend; setup(): void }

let wasm: ReturnType<typeof createWasmBackend> | null = null;
let relaxed: ReturnType<typeof createWasmBackend> | null = null;
/** Whether this engine runs the relaxed-SIMD module (Node 22+, or Node 20 with --experimental-wasm-relaxed-simd). */
export function relaxedSimd(): boolean {
  try {
    return WebAssembly.validate(readFileSync(relaxedWasmPath));
  } catch {
    return false;
  }
}
export let native: NativeBackend | null = null;

/** The variants; call closeBackends() in after(). */
export function kernelBackends(): KernelBackend[] {
  wasm ??= createWasmBackend({ wasmPath: defaultWasmPath, threads: 2 });
  const list: KernelBackend[] = [
    { label: 'js', backend: jsBackend, setup: () => {} },
    { label: 'wasm', backend: wasm, setup: () => {} },
  ];
  if (relaxedSimd()) {
    relaxed ??= createWasmBackend({ wasmPath: relaxedWasmPath, threads: 2 });
    list.push({ label: 'wasm-relaxed', backend: relaxed, setup: () => {} });
  }
  if (nativeBuilt()) {
    native ??= createNativeBackend();
    const nb = native;
    const info = nb.info();
    for (const isa of info.isas) list.push({ label: `native-${isa}`, backend: nb, setup: () => nb.configure({ isa, blas: false, threads: 2 }) });
    if (info.blasFound) list.push({ label: `native-${info.blasFound}`, backend: nb, setup: () => nb.configure({ isa: info.isas[0], blas: true, threads: 2 }) });
  }
  return list;
}

export function closeBackends(): void {
  wasm?.terminate();
  wasm = null;
  relaxed?.terminate();
  relaxed = null;
  native?.configure({ isa: native.info().isas[0], blas: true });
}
