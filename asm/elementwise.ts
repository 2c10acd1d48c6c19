// Elementwise kernels that pay in wasm even with the copies in and out (measured in docs/speed.md).

/**
 * Adam's update in place over n values, in float32 (as Keras computes it):
 *   m += (g − m)·c1;  v += (g² − v)·c2;  w −= alpha·m / (√v + eps)
 * with c1 = 1 − β₁, c2 = 1 − β₂, alpha = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ). Pointers are byte offsets.
 */
export function adam(w: usize, g: usize, m: usize, v: usize, n: i32, c1: f32, c2: f32, alpha: f32, eps: f32): void {
  const vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2), va = f32x4.splat(alpha), ve = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    const gi = v128.load(g + o);
    let mi = v128.load(m + o);
    let vi = v128.load(v + o);
    mi = f32x4.add(mi, f32x4.mul(f32x4.sub(gi, mi), vc1));
    vi = f32x4.add(vi, f32x4.mul(f32x4.sub(f32x4.mul(gi, gi), vi), vc2));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.div(f32x4.mul(mi, va), f32x4.add(f32x4.sqrt(vi), ve))));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    const gi = load<f32>(g + o);
    const mi = load<f32>(m + o) + (gi - load<f32>(m + o)) * c1;
    const vi = load<f32>(v + o) + (gi * gi - load<f32>(v + o)) * c2;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(w + o, load<f32>(w + o) - (mi * alpha) / (Mathf.sqrt(vi) + eps));
  }
}

/** y = x > 0 ? x : 0 over n values (NaN gives 0). y may equal x. */
export function relu(x: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    const v = v128.load(x + o);
    v128.store(y + o, v128.and(v, f32x4.gt(v, zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    const v = load<f32>(x + o);
    store<f32>(y + o, v > 0 ? v : 0);
  }
}

/** gx = x > 0 ? g : g·0 over n values (g·0 keeps a NaN or infinite g visible). */
export function reluGrad(x: usize, g: usize, gx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    const gv = v128.load(g + o);
    v128.store(gx + o, v128.bitselect(gv, f32x4.mul(gv, zero), f32x4.gt(v128.load(x + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    const gv = load<f32>(g + o);
    store<f32>(gx + o, load<f32>(x + o) > 0 ? gv : gv * 0);
  }
}

/** Rows of y = rows of x + b, with b of m values and n a multiple of m. */
export function biasAdd(x: usize, b: usize, y: usize, n: i32, m: i32): void {
  for (let r = 0; r < n; r += m) {
    const xr = x + <usize>r * 4, yr = y + <usize>r * 4;
    let j = 0;
    for (; j + 4 <= m; j += 4) {
      const o = <usize>j * 4;
      v128.store(yr + o, f32x4.add(v128.load(xr + o), v128.load(b + o)));
    }
    for (; j < m; j++) {
      const o = <usize>j * 4;
      store<f32>(yr + o, load<f32>(xr + o) + load<f32>(b + o));
    }
  }
}

/** Index of the first NaN or ±Infinity among n values, or −1 (exponent bits all ones). */
export function firstNonFinite(x: usize, n: i32): i32 {
  const mask = i32x4.splat(0x7f800000);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i * 4;
    const a = i32x4.eq(v128.and(v128.load(x + o), mask), mask);
    const b = i32x4.eq(v128.and(v128.load(x + o + 16), mask), mask);
    const c = i32x4.eq(v128.and(v128.load(x + o + 32), mask), mask);
    const d = i32x4.eq(v128.and(v128.load(x + o + 48), mask), mask);
    if (v128.any_true(v128.or(v128.or(a, b), v128.or(c, d)))) break;
  }
  for (; i < n; i++) if ((load<u32>(x + <usize>i * 4) & 0x7f800000) == 0x7f800000) return i;
  return -1;
}

/**
 * out[j] (+)= Σ_r g[r·m + j] over the n/m rows of g, in row order (the adjoint of biasAdd). init: the first row
 * overwrites out (a new sum); else every row adds to it (the next chunk of the same sum).
 */
export function sumRows(g: usize, out: usize, n: i32, m: i32, init: i32): void {
  let r = 0;
  if (init) {
    memory.copy(out, g, <usize>m * 4);
    r = m;
  }
  for (; r < n; r += m) {
    const gr = g + <usize>r * 4;
    let j = 0;
    for (; j + 4 <= m; j += 4) {
      const o = <usize>j * 4;
      v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(gr + o)));
    }
    for (; j < m; j++) {
      const o = <usize>j * 4;
      store<f32>(out + o, load<f32>(out + o) + load<f32>(gr + o));
    }
  }
}
