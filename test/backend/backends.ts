// Every kernel backend this machine can run, for tests that iterate them: the TS reference, wasm, and the native
// addon (when built) once per instruction set of its own GEMM and once through the system BLAS when one is found.
// setup() selects the variant (the addon's settings are per process); threads: 2 so products split.

import { createWasmBackend } from '../../src/backend/wasm-backend.js';
import { jsBackend } from '../../src/backend/js-backend.js';
import { createNativeBackend, nativeBuilt, type NativeBackend } from '../../src/backend/native-backend.js';
import type { Backend } from '../../src/backend/backend.js';

export interface KernelBackend { label: string; backend: Backend; setup(): void }

let wasm: ReturnType<typeof createWasmBackend> | null = null;
export let native: NativeBackend | null = null;

/** The variants; call closeBackends() in after(). */
export function kernelBackends(): KernelBackend[] {
  wasm ??= createWasmBackend({ threads: 2 });
  const list: KernelBackend[] = [
    { label: 'js', backend: jsBackend, setup: () => {} },
    { label: 'wasm', backend: wasm, setup: () => {} },
  ];
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
  native?.configure({ isa: native.info().isas[0], blas: true });
}
