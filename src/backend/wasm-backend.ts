// WebAssembly SIMD128 kernels (compiled from asm/*.ts at npm install into build/descent.wasm).
// One growing shared memory holds the control block, per-thread packing scratch and the operands: matmul copies
// A and B in, runs the cache-blocked GEMM (asm/gemm.ts), and copies C out. Large products are cut into row or
// column chunks that the main thread and worker threads (same module, same memory) claim one by one (see
// wasm-protocol.ts); the main thread then blocks on Atomics.wait until the last chunk is done, since
// Backend.matmul is synchronous.

import type { Backend } from './backend.js';
import { checkSameLengths, checkBias, checkRows } from './checks.js';
import { platform } from '../platform/node.js';
import { matmulReference } from './js-backend.js';
import { CTL_BYTES, Ctl, OP_GEMM, OP_STOP, runChunks, type GemmExports } from './wasm-protocol.js';

const PAGE = 65536;
/** Below this many multiply-adds the JS loop beats the call and copies (measured: wasm wins from about 64 up). */
export const WASM_MIN_MACS = 64;
/** Above this many multiply-adds a product is split across threads (waking a worker costs tens of µs). */
export const PARALLEL_MIN_MACS = 1 << 21;

export interface WasmBackendOptions {
  /**
   * Path of the compiled module; default build/descent-relaxed.wasm when this engine validates relaxed SIMD, else
   * build/descent.wasm, next to the package root. Node reads it synchronously.
   */
  wasmPath?: string | URL;
  /** The compiled module itself (the browser compiles it with WebAssembly.compileStreaming); wasmPath is then unused. */
  module?: WebAssembly.Module;
  /** Threads for large products, main thread included; default min(cores, 4), 1 in the browser. 1 disables workers. */
  threads?: number;
}

export interface WasmBackend extends Backend {
  readonly threads: number;
  /** Whether the module in use is the relaxed-SIMD build (GEMM with fused multiply-adds). */
  readonly fma: boolean;
  /** Workers that have started and are ready to take work. */
  readyWorkers(): number;
  /** Stop the worker threads (they also stop with the process). */
  terminate(): void;
  /** Counters since creation: products run split across threads, chunks the main thread ran of those, serial fallbacks. */
  stats(): { parallel: number; chunks: number; mainChunks: number; serialFallbacks: number };
  /** The module's memory and exports, for tests that drive the kernel directly. */
  raw(): { memory: WebAssembly.Memory; exports: GemmExports; scratch: number; operandBase: number };
}

export const defaultWasmPath = new URL('../../../build/descent.wasm', import.meta.url);
/** The relaxed-SIMD build: used instead of descent.wasm when this engine validates it (Node 22+, Chrome 114+). */
export const relaxedWasmPath = new URL('../../../build/descent-relaxed.wasm', import.meta.url);

/** The relaxed-SIMD module's bytes when it exists and this engine accepts it, else null (feature detection). */
function relaxedBytes(): Uint8Array | null {
  try {
    const bytes = platform.readWasm(relaxedWasmPath);
    return bytes && WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>) ? bytes : null;
  } catch {
    return null; // not built (an older build directory) or not readable: the SIMD128 module serves
  }
}

function checkDim(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new Error(`matmul: dimension ${name} must be a non-negative integer, got ${v}.`);
}

/** Shapes are checked against the buffers before any memory is touched. */
export function checkMatmulArgs(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number): void {
  checkDim('m', m);
  checkDim('k', k);
  checkDim('n', n);
  if (a.length < m * k) throw new Error(`matmul: A has ${a.length} values, needs ${m}×${k} = ${m * k}.`);
  if (b.length < k * n) throw new Error(`matmul: B has ${b.length} values, needs ${k}×${n} = ${k * n}.`);
  if (out.length < m * n) throw new Error(`matmul: output has ${out.length} values, needs ${m}×${n} = ${m * n}.`);
}

/** Instantiate the module and build the backend; throws when the file is missing or WebAssembly lacks SIMD/threads. */
export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  let module = options.module;
  if (!module) {
    const bytes = (options.wasmPath === undefined ? relaxedBytes() : null) ?? platform.readWasm(options.wasmPath ?? defaultWasmPath);
    if (!bytes) throw new Error('wasm backend: this platform compiles the module asynchronously; pass { module } (the browser entry\'s ready() does).');
    module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  }
  const ex0 = new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }) } });
  const scratchBytes = (ex0.exports as unknown as GemmExports).SCRATCH_BYTES.value;
  const MR = (ex0.exports as unknown as GemmExports).MR.value;
  const NR = (ex0.exports as unknown as GemmExports).NR.value;

  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) {
    throw new Error(`wasm backend: threads must be a positive integer, got ${options.threads}.`);
  }
  const threads = Math.min(options.threads ?? Math.min(platform.cores(), 4), 16);
  const scratchBase = CTL_BYTES;
  const operandBase = align(scratchBase + threads * scratchBytes, 64);
  const maxPages = 32768; // 2 GiB: matches --maximumMemory in asm/build.mjs
  const memory = new WebAssembly.Memory({ initial: Math.ceil((operandBase + (1 << 20)) / PAGE), maximum: maxPages, shared: true });
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as GemmExports;
  const ctl = new Int32Array(memory.buffer, 0, CTL_BYTES / 4);
  let heap = new Float32Array(memory.buffer);

  function ensure(bytes: number): void {
    if (bytes <= heap.byteLength) return;
    const pages = Math.ceil((bytes - heap.byteLength) / PAGE);
    if (heap.byteLength / PAGE + pages > maxPages) throw new Error(`wasm backend: operands need ${(bytes / 2 ** 20).toFixed(0)} MiB, more than the WebAssembly memory limit of ${maxPages / 16} MiB.`);
    memory.grow(pages);
    heap = new Float32Array(memory.buffer);
  }

  // Worker pool, started on the first large product. Workers join a job whenever they wake; none is waited for
  // except to finish a chunk it has claimed.
  const workers: { terminate(): unknown }[] = [];
  let poolStarted = false;
  let stopped = false;
  let slowStreak = 0;
  const counters = { parallel: 0, chunks: 0, mainChunks: 0, serialFallbacks: 0 };
  let serialUntil = 0;
  let gen = Atomics.load(ctl, Ctl.Gen);
  function startPool(): void {
    poolStarted = true;
    for (let w = 1; w < threads; w++) {
      const data = { module, memory, slot: w, scratch: scratchBase + w * scratchBytes };
      const worker = platform.startKernelWorker(data, (e) => platform.warn(`descent: wasm worker ${w} failed (${e.message}); continuing with fewer threads.`));
      if (worker) workers.push(worker);
    }
  }
  const readyWorkers = (): number => {
    let r = 0;
    for (let w = 1; w < threads; w++) if (Atomics.load(ctl, Ctl.ReadyBase + w) === 1) r++;
    return r;
  };

  function gemmParallel(aP: number, bP: number, cP: number, m: number, k: number, n: number, transA: boolean, transB: boolean, acc: boolean): void {
    const lda = transA ? m : k, ldb = transB ? k : n;
    if (threads === 1 || stopped || m * n * k < PARALLEL_MIN_MACS || performance.now() < serialUntil) {
      exports.gemm(aP, bP, cP, m, k, n, lda, ldb, n, +transA, +transB, +acc, scratchBase);
      return;
    }
    if (!poolStarted) startPool();
    if (readyWorkers() === 0) {
      // Workers are still starting (or failed): no split until one can take work.
      exports.gemm(aP, bP, cP, m, k, n, lda, ldb, n, +transA, +transB, +acc, scratchBase);
      return;
    }
    // Cut the larger of m and n into about 2 chunks per thread, aligned to the micro-tile. Each chunk packs the
    // whole other operand again, so chunks stay at least 64 wide (packing then costs a few % of a chunk).
    const byRows = m >= n;
    const unit = byRows ? MR : NR;
    const total = byRows ? m : n;
    const chunk = Math.max(64, Math.ceil(total / (2 * threads) / unit) * unit);
    const chunks = Math.ceil(total / chunk);
    gen = (gen + 1) & 0x7fff;
    ctl[Ctl.Op] = OP_GEMM;
    ctl[Ctl.A] = aP; ctl[Ctl.B] = bP; ctl[Ctl.C] = cP; ctl[Ctl.M] = m; ctl[Ctl.K] = k; ctl[Ctl.N] = n;
    ctl[Ctl.Lda] = lda; ctl[Ctl.Ldb] = ldb; ctl[Ctl.Ldc] = n;
    ctl[Ctl.TransA] = +transA; ctl[Ctl.TransB] = +transB; ctl[Ctl.Acc] = +acc;
    ctl[Ctl.ByRows] = +byRows; ctl[Ctl.Chunk] = chunk; ctl[Ctl.Chunks] = chunks;
    Atomics.store(ctl, Ctl.Done, 0);
    Atomics.store(ctl, Ctl.Failed, 0);
    Atomics.store(ctl, Ctl.Claim, gen << 16);
    Atomics.store(ctl, Ctl.Gen, gen);
    Atomics.notify(ctl, Ctl.Gen);
    const t0 = performance.now();
    const ranHere = runChunks(ctl, gen, exports.gemm, scratchBase);
    const tMain = performance.now();
    // A worker that died holding a chunk would block us forever: give up after 30 s without progress.
    let last = Atomics.load(ctl, Ctl.Done), since = performance.now();
    while (last !== chunks) {
      Atomics.wait(ctl, Ctl.Done, last, 20);
      const done = Atomics.load(ctl, Ctl.Done);
      if (done !== last) (last = done), (since = performance.now());
      else if (performance.now() - since > 30_000) {
        stopped = true;
        throw new Error('matmul: a wasm worker thread stopped responding; later products run on the main thread only.');
      }
    }
    // On a busy machine a worker can be descheduled in the middle of a chunk, and then the split costs more than
    // it saves. After three products in a row 15% slower than the main thread alone would have been (estimated
    // from its own chunks), stay serial for 0.25 s.
    counters.parallel++;
    counters.chunks += chunks;
    counters.mainChunks += ranHere;
    const serialEstimate = ((tMain - t0) * chunks) / Math.max(1, ranHere);
    slowStreak = performance.now() - t0 > 1.15 * serialEstimate ? slowStreak + 1 : 0;
    if (slowStreak >= 3) {
      serialUntil = performance.now() + 250;
      slowStreak = 0;
      counters.serialFallbacks++;
    }
    if (Atomics.load(ctl, Ctl.Failed)) throw new Error('matmul: a wasm thread failed while computing its part.');
  }

  function matmul(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean, accumulate = false): void {
    checkMatmulArgs(a, b, out, m, k, n);
    if (m * n * k < WASM_MIN_MACS) return matmulReference(a, b, out, m, k, n, transA, transB, accumulate);
    const aP = operandBase;
    const bP = align(aP + 4 * m * k, 64);
    const cP = align(bP + 4 * k * n, 64);
    ensure(cP + 4 * m * n);
    heap.set(m * k === a.length ? a : a.subarray(0, m * k), aP >> 2);
    heap.set(k * n === b.length ? b : b.subarray(0, k * n), bP >> 2);
    if (accumulate) heap.set(out.subarray(0, m * n), cP >> 2);
    gemmParallel(aP, bP, cP, m, k, n, transA, transB, accumulate);
    const c = cP >> 2;
    const size = m * n;
    if (size >= 1024) out.set(heap.subarray(c, c + size));
    else for (let i = 0; i < size; i++) out[i] = heap[c + i]; // small results: no view allocated per call
  }

  function adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, c1: number, c2: number, alpha: number, eps: number): void {
    const n = w.length;
    if (g.length !== n || m.length !== n || v.length !== n) {
      throw new Error(`adam: weights, gradient and slots must have the same length; got ${n}, ${g.length}, ${m.length}, ${v.length}.`);
    }
    const wP = operandBase, gP = wP + 4 * n, mP = gP + 4 * n, vP = mP + 4 * n;
    ensure(vP + 4 * n);
    const w4 = wP >> 2, g4 = gP >> 2, m4 = mP >> 2, v4 = vP >> 2;
    heap.set(w, w4); heap.set(g, g4); heap.set(m, m4); heap.set(v, v4);
    exports.adam(wP, gP, mP, vP, n, c1, c2, alpha, eps);
    w.set(heap.subarray(w4, w4 + n)); m.set(heap.subarray(m4, m4 + n)); v.set(heap.subarray(v4, v4 + n));
  }

  // Elementwise kernels stream through the operand area in chunks of CHUNK values (copy in, compute, copy out),
  // so large arrays neither grow the memory nor leave the cache.
  const CHUNK = 1 << 14;
  const cp = (i: number): number => operandBase + i * 4 * CHUNK;
  function chunked(arrays: Float32Array[], outs: number, body: (ptrs: number[], lo: number, len: number) => boolean | void, unit = 1): void {
    ensure(cp(arrays.length + 1));
    const step = Math.max(unit, Math.floor(CHUNK / unit) * unit);
    const n = arrays[0].length;
    for (let lo = 0; lo < n; lo += step) {
      const len = Math.min(step, n - lo);
      for (let a = 0; a < arrays.length - outs; a++) heap.set(arrays[a].subarray(lo, lo + len), cp(a) >> 2);
      if (body(arrays.map((_, a) => cp(a)), lo, len)) return;
      for (let a = arrays.length - outs; a < arrays.length; a++) arrays[a].set(heap.subarray(cp(a) >> 2, (cp(a) >> 2) + len), lo);
    }
  }

  return {
    name: 'wasm',
    threads,
    fma: exports.FMA?.value === 1,
    matmul,
    adam,
    relu(x, y) {
      checkSameLengths('relu', x, y);
      chunked([x, y], 1, ([px, py], _lo, len) => exports.relu(px, py, len));
    },
    reluGrad(x, g, gx) {
      checkSameLengths('reluGrad', x, g, gx);
      chunked([x, g, gx], 1, ([px, pg, pgx], _lo, len) => exports.reluGrad(px, pg, pgx, len));
    },
    biasAdd(x, b, y) {
      checkBias(x, b, y);
      if (b.length > CHUNK) return biasAddLoop(x, b, y);
      const bp = cp(3);
      ensure(bp + 4 * b.length);
      heap.set(b, bp >> 2);
      chunked([x, y], 1, ([px, py], _lo, len) => exports.biasAdd(px, bp, py, len, b.length), b.length);
    },
    sumRows(g, out) {
      checkRows(g, out);
      const m = out.length;
      if (m > CHUNK) return sumRowsLoop(g, out);
      const op = cp(3);
      ensure(op + 4 * m);
      chunked([g], 0, ([pg], lo, len) => exports.sumRows(pg, op, len, m, +(lo === 0)), m);
      out.set(heap.subarray(op >> 2, (op >> 2) + m));
    },
    firstNonFinite(x) {
      let found = -1;
      chunked([x], 0, ([px], lo, len) => {
        const i = exports.firstNonFinite(px, len);
        if (i >= 0) found = lo + i;
        return i >= 0;
      });
      return found;
    },
    readyWorkers,
    stats: () => ({ ...counters }),
    raw: () => ({ memory, exports, scratch: scratchBase, operandBase }),
    terminate(): void {
      ctl[Ctl.Op] = OP_STOP;
      for (let w = 1; w < threads; w++) Atomics.store(ctl, Ctl.ReadyBase + w, 0);
      gen = (gen + 1) & 0x7fff;
      Atomics.store(ctl, Ctl.Gen, gen);
      Atomics.notify(ctl, Ctl.Gen);
      workers.length = 0;
      poolStarted = true; // never restart: later products run on the main thread
      stopped = true;
    },
  };
}

/** y = x + b by rows, for biases too long for one chunk (rare). */
function biasAddLoop(x: Float32Array, b: Float32Array, y: Float32Array): void {
  for (let i = 0, j = 0; i < x.length; i++) {
    y[i] = x[i] + b[j];
    if (++j === b.length) j = 0;
  }
}

/** sumRows for rows too long for one chunk (rare). */
function sumRowsLoop(g: Float32Array, out: Float32Array): void {
  const m = out.length;
  for (let j = 0; j < m; j++) out[j] = g[j];
  for (let i = m; i < g.length; i += m) for (let j = 0; j < m; j++) out[j] += g[i + j];
}

function align(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}
