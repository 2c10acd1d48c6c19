// Native kernels: the Node-API addon built from native/descent.c at `npm install` when a C compiler is present
// (native/install.mjs). GEMM runs on the operands in place (no copies): through a system OpenBLAS or BLIS when
// one is found, else descent's own AVX-512 / AVX2+FMA / baseline kernels picked by the CPU, on all cores. The
// elementwise kernels (Adam, relu, bias, finiteness) are vectorized loops, split across threads for large arrays.
// The addon is one per process: its settings (threads, instruction set, BLAS) are shared by every backend object.

import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Backend } from './backend.js';
import { checkSameLengths, checkBias, checkRows } from './checks.js';
import { matmulReference } from './js-backend.js';
import { checkMatmulArgs } from './wasm-backend.js';
import type { ConvGeometry } from './conv-geometry.js';

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
  relu(x: Float32Array, y: Float32Array): void;
  reluGrad(x: Float32Array, g: Float32Array, gx: Float32Array): void;
  biasAdd(x: Float32Array, b: Float32Array, y: Float32Array): void;
  firstNonFinite(x: Float32Array): number;
  sumRows(g: Float32Array, out: Float32Array): void;
  im2col(x: Float32Array, col: Float32Array, geometry: Int32Array): void;
  col2im(col: Float32Array, x: Float32Array, geometry: Int32Array): void;
  maxPool(x: Float32Array, y: Float32Array, argmax: Int32Array, geometry: Int32Array): void;
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
export const NATIVE_MIN_MACS = 128;

export const defaultNativePath = fileURLToPath(new URL('../../../native/build/Release/descent.node', import.meta.url));

/** True when the addon file exists (it is absent when install skipped or failed the build). */
export function nativeBuilt(path = defaultNativePath): boolean {
  return existsSync(path);
}

/** Every function this version of the TypeScript side calls on the addon. */
const ADDON_FUNCTIONS = ['gemm', 'adam', 'relu', 'reluGrad', 'biasAdd', 'firstNonFinite', 'sumRows', 'im2col', 'col2im', 'maxPool', 'info', 'configure'] as const satisfies readonly (keyof Addon)[];

/**
 * Load the addon and build the backend. Throws when the file is missing or does not load, or when it lacks a
 * function this version needs (an addon built from an older native/descent.c, e.g. a checkout pulled without
 * rebuilding): the message names the missing functions and the fix, `node native/install.mjs`.
 */
export function createNativeBackend(options: { addonPath?: string; threads?: number } = {}): NativeBackend {
  const addon = createRequire(import.meta.url)(options.addonPath ?? defaultNativePath) as Addon;
  const missing = ADDON_FUNCTIONS.filter((f) => typeof (addon as unknown as Record<string, unknown>)[f] !== 'function');
  if (missing.length) {
    throw new Error(`the native addon is out of date: it lacks ${missing.join(', ')}; rebuild it with \`node native/install.mjs\` or reinstall the package`);
  }
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

  // Convolution as in conv.ts (im2col, one GEMM per group, col2im), with the lowering in C and groups addressed
  // through GEMM offsets and leading dimensions instead of copies. Samples go in chunks so col stays under 64 MiB.
  const geo = new Int32Array(23);
  let col = new Float32Array(0);
  function plan(g: ConvGeometry): { P: number; K: number; step: number; og: number } {
    const P = g.outSize[0] * g.outSize[1] * g.outSize[2];
    const K = g.kernel[0] * g.kernel[1] * g.kernel[2] * (g.inChannels / g.groups);
    const step = Math.max(1, Math.min(g.batch, Math.floor((1 << 24) / Math.max(1, P * K))));
    if (col.length < step * P * K) col = new Float32Array(step * P * K);
    geo.set([...g.inSize, ...g.outSize, ...g.kernel, ...g.strides, ...g.dilations, ...g.padBefore, g.inChannels, g.groups]);
    return { P, K, step, og: g.outChannels / g.groups };
  }
  const setChunk = (n0: number, n1: number, grp: number): Int32Array => (geo[20] = n0, geo[21] = n1, geo[22] = grp, geo);

  function convForward(g: ConvGeometry, x: Float32Array, w: Float32Array, y: Float32Array): void {
    const { P, K, step, og } = plan(g), Cout = g.outChannels;
    for (let n0 = 0; n0 < g.batch; n0 += step) {
      const n1 = Math.min(g.batch, n0 + step), M = (n1 - n0) * P;
      for (let grp = 0; grp < g.groups; grp++) {
        addon.im2col(x, col, setChunk(n0, n1, grp));
        addon.gemm(col, 0, K, w, grp * og, Cout, y, n0 * P * Cout + grp * og, Cout, M, K, og, false, false, false);
      }
    }
  }

  function convBackpropInput(g: ConvGeometry, dy: Float32Array, w: Float32Array, dx: Float32Array): void {
    const { P, K, step, og } = plan(g), Cout = g.outChannels;
    dx.fill(0);
    for (let n0 = 0; n0 < g.batch; n0 += step) {
      const n1 = Math.min(g.batch, n0 + step), M = (n1 - n0) * P;
      for (let grp = 0; grp < g.groups; grp++) {
        addon.gemm(dy, n0 * P * Cout + grp * og, Cout, w, grp * og, Cout, col, 0, K, M, og, K, false, true, false);
        addon.col2im(col, dx, setChunk(n0, n1, grp));
      }
    }
  }

  function convBackpropFilter(g: ConvGeometry, x: Float32Array, dy: Float32Array, dw: Float32Array): void {
    const { P, K, step, og } = plan(g), Cout = g.outChannels;
    for (let n0 = 0; n0 < g.batch; n0 += step) {
      const n1 = Math.min(g.batch, n0 + step), M = (n1 - n0) * P;
      for (let grp = 0; grp < g.groups; grp++) {
        addon.im2col(x, col, setChunk(n0, n1, grp));
        addon.gemm(col, 0, K, dy, n0 * P * Cout + grp * og, Cout, dw, grp * og, Cout, K, M, og, true, false, n0 > 0);
      }
    }
  }

  // Max pooling in C: the comparisons are branch-free there (random data mispredicts the TypeScript loop's branch).
  function maxPoolForward(g: ConvGeometry, x: Float32Array, y: Float32Array, argmax: Int32Array): void {
    geo.set([...g.inSize, ...g.outSize, ...g.kernel, ...g.strides, ...g.dilations, ...g.padBefore, g.inChannels, 1, 0, g.batch, 0]);
    addon.maxPool(x, y, argmax, geo);
  }

  return {
    name: 'native',
    // Kernels work on the arrays in place, so they pay early: at 256 elements relu takes 0.3 µs here against 0.7 µs
    // in TypeScript, and at 1024 Adam takes 0.8 µs against 9.8 (2026-11-30, AMD EPYC, quiet machine).
    elementwiseMin: 256,
    adamMin: 64,
    matmul,
    adam,
    relu: (x, y) => (checkSameLengths('relu', x, y), addon.relu(x, y)),
    reluGrad: (x, g, gx) => (checkSameLengths('reluGrad', x, g, gx), addon.reluGrad(x, g, gx)),
    biasAdd: (x, b, y) => (checkBias(x, b, y), addon.biasAdd(x, b, y)),
    sumRows: (g, out) => (checkRows(g, out), addon.sumRows(g, out)),
    firstNonFinite: (x) => addon.firstNonFinite(x),
    convForward,
    convBackpropInput,
    convBackpropFilter,
    maxPoolForward,
    gemm: (a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, k, n, transA, transB, accumulate = false) =>
      addon.gemm(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, k, n, transA, transB, accumulate),
    info: () => addon.info(),
    configure: (config) => addon.configure(config),
  };
}
