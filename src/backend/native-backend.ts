// Native kernels: the Node-API addon built from native/descent.c at `npm install` when a C compiler is present
// (native/install.mjs). GEMM runs on the operands in place (no copies): through a system OpenBLAS or BLIS when
// one is found, else descent's own AVX-512 / AVX2+FMA / baseline kernels picked by the CPU, on all cores.
// The addon is one per process: its settings (threads, instruction set, BLAS) are shared by every backend object.

import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Backend } from './backend.js';
import { matmulReference } from './js-backend.js';
import { checkMatmulArgs } from './wasm-backend.js';

/** What the addon reports about itself and the machine (`descent info` prints it). */
export interface NativeInfo {
  /** Instruction set of descent's own GEMM kernel in use: 'avx512', 'avx2' (with FMA) or 'baseline'. */
  isa: string;
  /** Instruction sets this CPU can run, widest first. */
  isas: string[];
  /** CPU features detected at run time (sse4.2, avx, avx2, fma, avx512f, ...). */
  features: string[];
  /** Threads used by large products (the BLAS's own pool when one is in use). */
  threads: number;
  /** 'OpenBLAS' or 'BLIS' when GEMM goes through a system BLAS, else null (descent's own kernels). */
  blas: string | null;
  /** The BLAS found on the system (even when switched off), its library path and build configuration. */
  blasFound: string | null;
  blasPath: string | null;
  blasConfig: string | null;
  compiler?: string;
}

export interface NativeConfig {
  /** Threads for large products, the calling thread included (also passed to the BLAS). */
  threads?: number;
  /** Force a narrower instruction set for descent's own kernels (tests, comparisons). */
  isa?: string;
  /** Use the system BLAS for GEMM when one was found (default true); false selects descent's own kernels. */
  blas?: boolean;
}

interface Addon {
  gemm(a: Float32Array, aOff: number, lda: number, b: Float32Array, bOff: number, ldb: number, c: Float32Array, cOff: number, ldc: number, m: number, k: number, n: number, transA: boolean, transB: boolean, accumulate: boolean): void;
  adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, c1: number, c2: number, alpha: number, eps: number): void;
  im2col(x: Float32Array, xOff: number, col: Float32Array, colOff: number, ...geometry: number[]): void;
  col2im(col: Float32Array, colOff: number, x: Float32Array, xOff: number, ...geometry: number[]): void;
  info(): NativeInfo;
  configure(config: NativeConfig): void;
}

export interface NativeBackend extends Backend {
  /**
   * Strided GEMM: C[m×n] (+)= op(A)·op(B) where A starts at aOff with leading dimension lda (row stride of A as
   * stored: k, or m when transA), likewise B and C. Throws a RangeError when a stride or offset reaches outside
   * an array.
   */
  gemm(a: Float32Array, aOff: number, lda: number, b: Float32Array, bOff: number, ldb: number, c: Float32Array, cOff: number, ldc: number, m: number, k: number, n: number, transA: boolean, transB: boolean, accumulate?: boolean): void;
  info(): NativeInfo;
  configure(config: NativeConfig): void;
}

/** Below this many multiply-adds the TypeScript loop beats the call into the addon (measured in docs/speed.md). */
export const NATIVE_MIN_MACS = 512;

export const defaultNativePath = fileURLToPath(new URL('../../../native/build/Release/descent.node', import.meta.url));

/** True when the addon file exists (it is absent when install skipped or failed the build). */
export function nativeBuilt(path = defaultNativePath): boolean {
  return existsSync(path);
}

/** Load the addon and build the backend; throws when the file is missing or does not load. */
export function createNativeBackend(options: { addonPath?: string; threads?: number } = {}): NativeBackend {
  const addon = createRequire(import.meta.url)(options.addonPath ?? defaultNativePath) as Addon;
  if (options.threads !== undefined) {
    if (!(Number.isInteger(options.threads) && options.threads >= 1)) throw new Error(`native backend: threads must be a positive integer, got ${options.threads}.`);
    addon.configure({ threads: options.threads });
  }

  function matmul(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean, accumulate = false): void {
    checkMatmulArgs(a, b, out, m, k, n);
    if (m * n * k < NATIVE_MIN_MACS) return matmulReference(a, b, out, m, k, n, transA, transB, accumulate);
    addon.gemm(a, 0, transA ? m : k, b, 0, transB ? k : n, out, 0, n, m, k, n, transA, transB, accumulate);
  }

  function adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, c1: number, c2: number, alpha: number, eps: number): void {
    const n = w.length;
    if (g.length !== n || m.length !== n || v.length !== n) {
      throw new Error(`adam: weights, gradient and slots must have the same length; got ${n}, ${g.length}, ${m.length}, ${v.length}.`);
    }
    addon.adam(w, g, m, v, c1, c2, alpha, eps);
  }

  return {
    name: 'native',
    matmul,
    adam,
    gemm: (a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, k, n, transA, transB, accumulate = false) =>
      addon.gemm(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, k, n, transA, transB, accumulate),
    info: () => addon.info(),
    configure: (config) => addon.configure(config),
  };
}
