// The control block at the start of the shared wasm memory (Int32 fields) and the chunk loop that the main
// thread and the workers run together. A product is cut into tile-aligned row or column chunks; threads claim
// chunks with compare-and-swap on Claim = (generation << 16) | next index, so a late or descheduled worker
// costs nothing (the others take its chunks) and a worker that wakes after a job ended never runs stale work.

export const CTL_BYTES = 65536;
export const OP_GEMM = 1;
export const OP_STOP = 2;

/** Int32 indices into the control block. Ready has one entry per thread from ReadyBase. */
export const enum Ctl {
  Gen = 0, Claim = 1, Done = 2, Failed = 3, Op = 4,
  A = 8, B = 9, C = 10, M = 11, K = 12, N = 13, Lda = 14, Ldb = 15, Ldc = 16,
  TransA = 17, TransB = 18, Acc = 19, ByRows = 20, Chunk = 21, Chunks = 22,
  ReadyBase = 64,
}

export interface GemmExports {
  gemm(a: number, b: number, c: number, m: number, k: number, n: number, lda: number, ldb: number, ldc: number,
    transA: number, transB: number, accumulate: number, scratch: number): void;
  adam(w: number, g: number, m: number, v: number, n: number, c1: number, c2: number, alpha: number, eps: number): void;
  relu(x: number, y: number, n: number): void;
  reluGrad(x: number, g: number, gx: number, n: number): void;
  biasAdd(x: number, b: number, y: number, n: number, m: number): void;
  firstNonFinite(x: number, n: number): number;
  sumRows(g: number, out: number, n: number, m: number, init: number): void;
  SCRATCH_BYTES: WebAssembly.Global;
  /** 1 in the relaxed-SIMD build (fused multiply-add in the GEMM micro-kernel). */
  FMA: WebAssembly.Global;
  MR: WebAssembly.Global;
  NR: WebAssembly.Global;
}

/**
 * Claim and run chunks of the current job (generation gen) until none is left. Returns how many this thread ran.
 * Job fields are read after seeing gen in Claim and used only when the claim's CAS succeeds, so they are consistent.
 */
export function runChunks(ctl: Int32Array, gen: number, gemm: GemmExports['gemm'], scratch: number): number {
  let ran = 0;
  for (;;) {
    const v = Atomics.load(ctl, Ctl.Claim);
    if (v >>> 16 !== gen) return ran;
    const idx = v & 0xffff;
    const chunks = ctl[Ctl.Chunks];
    if (idx >= chunks) return ran;
    const a = ctl[Ctl.A], b = ctl[Ctl.B], c = ctl[Ctl.C], m = ctl[Ctl.M], k = ctl[Ctl.K], n = ctl[Ctl.N];
    const lda = ctl[Ctl.Lda], ldb = ctl[Ctl.Ldb], ldc = ctl[Ctl.Ldc];
    const transA = ctl[Ctl.TransA], transB = ctl[Ctl.TransB], acc = ctl[Ctl.Acc], byRows = ctl[Ctl.ByRows], chunk = ctl[Ctl.Chunk];
    if (Atomics.compareExchange(ctl, Ctl.Claim, v, v + 1) !== v) continue;
    const s = idx * chunk;
    try {
      if (byRows) gemm(a + 4 * (transA ? s : s * lda), b, c + 4 * s * ldc, Math.min(chunk, m - s), k, n, lda, ldb, ldc, transA, transB, acc, scratch);
      else gemm(a, b + 4 * (transB ? s * ldb : s), c + 4 * s, m, k, Math.min(chunk, n - s), lda, ldb, ldc, transA, transB, acc, scratch);
    } catch {
      Atomics.store(ctl, Ctl.Failed, 1);
    }
    ran++;
    if (Atomics.add(ctl, Ctl.Done, 1) + 1 === chunks) Atomics.notify(ctl, Ctl.Done);
  }
}
