// Single-precision GEMM for WebAssembly SIMD128 (AssemblyScript):  C[m×n] (+)= op(A)[m×k] · op(B)[k×n].
// Goto/BLIS structure: B is packed into KC×NC blocks of NR-wide column panels, A into MC×KC blocks of MR-high
// row panels, and a register-tiled MR×NR micro-kernel does rank-1 updates with f32x4 mul + add (no FMA in SIMD128;
// build/descent-relaxed.wasm uses relaxed SIMD's fused multiply-add where the engine supports it).
// Transposes are folded into the packing, so the three forms A·B, Aᵀ·B, A·Bᵀ share one kernel.
// All pointers are byte offsets into linear memory, chosen by the JS host; this module allocates nothing.

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 128;
export const NC: i32 = 1024;
/** Bytes of scratch one gemm call needs: packed A block, packed B block, one edge tile. */
export const SCRATCH_BYTES: i32 = (MC * KC + KC * NC + MR * NR) * 4;

// 4×4 transpose of rows r0..r3 (4 floats each) stored as 4 vectors at dst, dst+stride, ... (stride in bytes):
// the vector at dst + q·stride holds [r0[q], r1[q], r2[q], r3[q]].
@inline function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(dst + stride, i32x4.shuffle(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, i32x4.shuffle(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, i32x4.shuffle(t2, t3, 2, 3, 6, 7));
}

// op(A)(i, p): A stored row-major with leading dimension lda, as m×k, or k×m when transA.
function packA(a: usize, lda: i32, transA: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  for (let r0 = 0; r0 < mc; r0 += MR) {
    const rows = min(MR, mc - r0);
    const panel = dst + <usize>(r0 * kc) * 4;
    if (transA) {
      // Row p of storage holds op(A)(·, p): the MR values of one panel column are contiguous.
      if (rows == MR) {
        for (let p = 0; p < kc; p++) {
          v128.store(panel + <usize>(p * MR) * 4, v128.load(a + <usize>((p0 + p) * lda + i0 + r0) * 4));
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const src = a + <usize>((p0 + p) * lda + i0 + r0) * 4;
          const d = panel + <usize>(p * MR) * 4;
          for (let r = 0; r < MR; r++) store<f32>(d + <usize>r * 4, r < rows ? load<f32>(src + <usize>r * 4) : 0);
        }
      }
    } else {
      let p = 0;
      if (rows == MR) {
        // Four rows at a time, four k values at a time: one 4×4 transpose per 16 values.
        const ldaBytes = <usize>lda * 4;
        const s0 = a + <usize>((i0 + r0) * lda + p0) * 4;
        for (; p + 4 <= kc; p += 4) {
          const src = s0 + <usize>p * 4;
          transpose4(v128.load(src), v128.load(src + ldaBytes), v128.load(src + 2 * ldaBytes), v128.load(src + 3 * ldaBytes),
            panel + <usize>(p * MR) * 4, 16);
        }
      }
      for (let r = 0; r < MR; r++) {
        if (r < rows) {
          const src = a + <usize>((i0 + r0 + r) * lda + p0) * 4;
          for (let q = p; q < kc; q++) store<f32>(panel + <usize>(q * MR + r) * 4, load<f32>(src + <usize>q * 4));
        } else {
          for (let q = p; q < kc; q++) store<f32>(panel + <usize>(q * MR + r) * 4, 0);
        }
      }
    }
  }
}

// op(B)(p, j): B stored row-major with leading dimension ldb, as k×n, or n×k when transB.
function packB(b: usize, ldb: i32, transB: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  for (let c0 = 0; c0 < nc; c0 += NR) {
    const cols = min(NR, nc - c0);
    const panel = dst + <usize>(c0 * kc) * 4;
    if (!transB) {
      if (cols == NR) {
        for (let p = 0; p < kc; p++) {
          const src = b + <usize>((p0 + p) * ldb + j0 + c0) * 4;
          const d = panel + <usize>(p * NR) * 4;
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const src = b + <usize>((p0 + p) * ldb + j0 + c0) * 4;
          const d = panel + <usize>(p * NR) * 4;
          for (let j = 0; j < NR; j++) store<f32>(d + <usize>j * 4, j < cols ? load<f32>(src + <usize>j * 4) : 0);
        }
      }
    } else {
      let p = 0;
      if (cols == NR) {
        // Storage rows j0..j0+7 hold the panel's columns: two 4×4 transposes per four k values.
        const ldbBytes = <usize>ldb * 4;
        const s0 = b + <usize>((j0 + c0) * ldb + p0) * 4;
        const s4 = s0 + 4 * ldbBytes;
        for (; p + 4 <= kc; p += 4) {
          const o = <usize>p * 4;
          const d = panel + <usize>(p * NR) * 4;
          transpose4(v128.load(s0 + o), v128.load(s0 + ldbBytes + o), v128.load(s0 + 2 * ldbBytes + o), v128.load(s0 + 3 * ldbBytes + o), d, 32);
          transpose4(v128.load(s4 + o), v128.load(s4 + ldbBytes + o), v128.load(s4 + 2 * ldbBytes + o), v128.load(s4 + 3 * ldbBytes + o), d + 16, 32);
        }
      }
      for (let j = 0; j < NR; j++) {
        if (j < cols) {
          const src = b + <usize>((j0 + c0 + j) * ldb + p0) * 4;
          for (let q = p; q < kc; q++) store<f32>(panel + <usize>(q * NR + j) * 4, load<f32>(src + <usize>q * 4));
        } else {
          for (let q = p; q < kc; q++) store<f32>(panel + <usize>(q * NR + j) * 4, 0);
        }
      }
    }
  }
}

// a·b + c: one fused multiply-add in the relaxed-SIMD build (descent-relaxed.wasm, where the engine has it), else
// a multiply and an add (SIMD128 has no FMA). The flag is a compile-time constant, so each build has one form.
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// MR×NR = 4×8 tile held in eight f32x4 registers; one k step = 2 vector loads of B, 4 splat loads of A, 8 mul, 8 add
// (8 fused multiply-adds in the relaxed build).
// c is a byte pointer, ldc in bytes. accumulate: add the tile to what is at c instead of overwriting.
function micro(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, accumulate: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = pb + <usize>(kc * NR) * 4;
  while (pb < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += 16;
    pb += 32;
  }
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc)); c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc)); c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc)); c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
}

/**
 * C (+)= op(A)·op(B) with leading dimensions (in elements) lda, ldb, ldc; scratch points to SCRATCH_BYTES
 * of memory private to this call. Writes only C's m×n elements.
 */
export function gemm(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, lda: i32, ldb: i32, ldc: i32,
  transA: i32, transB: i32, accumulate: i32, scratch: usize): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + <usize>(i * ldc) * 4, 0, <usize>n * 4);
    return;
  }
  const pA = scratch;
  const pB = pA + <usize>(MC * KC) * 4;
  const tile = pB + <usize>(KC * NC) * 4;
  const ldcBytes = <usize>ldc * 4;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(b, ldb, transB, pc, jc, kc, nc, pB);
      const acc = accumulate || pc > 0 ? 1 : 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a, lda, transA, ic, pc, mc, kc, pA);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const pb = pB + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const pa = pA + <usize>(ir * kc) * 4;
            const cp = c + <usize>((ic + ir) * ldc + jc + jr) * 4;
            if (mr == MR && nr == NR) {
              micro(pa, pb, kc, cp, ldcBytes, acc);
            } else {
              // Edge tile: compute the full tile into scratch, copy only the valid mr×nr corner.
              micro(pa, pb, kc, tile, <usize>NR * 4, 0);
              for (let i = 0; i < mr; i++) {
                const dst = cp + <usize>i * ldcBytes;
                const src = tile + <usize>(i * NR) * 4;
                for (let j = 0; j < nr; j++) {
                  const v = load<f32>(src + <usize>j * 4);
                  store<f32>(dst + <usize>j * 4, acc ? load<f32>(dst + <usize>j * 4) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}
