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
